/**
 * `dtctl describe KIND NAME|ID`: a human view of one object: its identity, the kind's columns, and the kind's
 * related facts (tasks and recent executions of a workflow, tiles of a dashboard, ...).
 *
 * @module
 */

import type { Command } from "@commander-js/extra-typings";
import type { Palette } from "../../output/color.ts";
import type { DescribeSection, RemoteObject, ResourceKind } from "../../resources/mod.ts";
import type { RuntimeOf } from "../program.ts";
import { BASE_FORMATS } from "../runtime.ts";
import {
  addFilterFlags,
  type FilterFlags,
  kindsHelp,
  loadResources,
  printAsData,
  resolveNamed,
  startVerb,
} from "./resource_common.ts";

/** What `describe -o json|yaml` and `-A` return. */
export interface DescribeResult {
  /** Kind name. */
  kind: string;
  /** The object as read. */
  object: RemoteObject;
  /** The kind's sections. */
  sections: DescribeSection[];
}

function label(header: string): string {
  const words = header.replaceAll("-", " ").replaceAll("_", " ").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function fieldLines(fields: [string, string][], indent: string, palette: Palette): string[] {
  if (fields.length === 0) return [`${indent}<none>`];
  const width = Math.max(...fields.map(([key]) => key.length)) + 1;
  return fields.map(([key, value]) => {
    const [first, ...rest] = String(value).split("\n");
    const pad = " ".repeat(indent.length + width + 2);
    return [
      `${indent}${palette.bold(`${key}:`)}${" ".repeat(width - key.length + 1)}${first}`.trimEnd(),
      ...rest.map((line) => `${pad}${line}`.trimEnd()),
    ]
      .join("\n");
  });
}

/** Renders the describe view; deterministic for a given object and sections. */
async function renderDescribe(
  kind: ResourceKind,
  object: RemoteObject,
  sections: DescribeSection[],
  palette: Palette,
): Promise<string> {
  const { renderTable } = await import("../../output/table.ts");
  const { objectId, objectName } = await loadResources();
  const skip = new Set(["id", "name", kind.nameField.toLowerCase()]);
  const fields: [string, string][] = [
    ["Name", objectName(kind, object)],
    ["ID", objectId(kind, object)],
    ["Kind", kind.name],
  ];
  for (const column of kind.columns) {
    if (skip.has(column.header.toLowerCase())) continue;
    let value = "";
    try {
      value = column.value(object) ?? "";
    } catch {
      // A column that cannot render this object is left empty.
    }
    fields.push([label(column.header), value]);
  }
  const hasDescriptionColumn = kind.columns.some((column) => column.header.toLowerCase() === "description");
  if (!hasDescriptionColumn && typeof object.description === "string" && object.description !== "") {
    fields.push(["Description", object.description]);
  }
  const lines = fieldLines(fields, "", palette);
  for (const section of sections) {
    lines.push("", palette.bold(`${section.title}:`));
    if (section.fields) lines.push(...fieldLines(section.fields, "  ", palette));
    if (section.table) {
      const { columns, rows } = section.table;
      if (rows.length === 0) lines.push("  <none>");
      else {
        const table = renderTable(
          columns.map((header, i) => ({ header, value: (row: string[]) => row[i] ?? "" })),
          rows,
          { styleHeader: palette.bold },
        );
        lines.push(...table.trimEnd().split("\n").map((line) => `  ${line}`));
      }
    }
    if (!section.fields && !section.table) lines.push("  <none>");
  }
  return lines.join("\n") + "\n";
}

/** Registers `describe`. */
export function registerDescribe(program: Command, runtimeOf: RuntimeOf): void {
  const command = program.command("describe")
    .description("show one object in detail, with related facts")
    .argument("<kind>", "resource kind, e.g. workflow, dashboard, notebook, document, trash")
    .argument("<name>", "name or id");
  addFilterFlags(command, false)
    .addHelpText("after", () => `\nOutput (-o): table (default), json, yaml\n${kindsHelp()}`)
    .action(async (kindText, name, flags, cmd) => {
      const runtime = runtimeOf(cmd);
      const { kind, spec } = await startVerb(runtime, "describe", kindText, { formats: BASE_FORMATS });
      const { context, objects: [object] } = await resolveNamed(runtime, kind, [name], flags as FilterFlags);
      const sections = kind.describe ? await kind.describe(context, object) : [];
      const result: DescribeResult = { kind: kind.name, object, sections };
      if (!(await printAsData(runtime, spec, result, { verb: "describe", kind: kind.name }))) {
        runtime.io.stdout(await renderDescribe(kind, object, sections, runtime.palette));
      }
    });
}
