/**
 * `dtctl edit KIND NAME|ID`: open the object's editable YAML in `$VISUAL`/`$EDITOR` (default `vi`), then apply
 * the change with the kind's optimistic locking.
 *
 * - Saved unchanged (or only comments changed): nothing is written ("Edit cancelled, no changes made.").
 * - Emptied: cancelled.
 * - Invalid YAML, or rejected by the server as invalid: the file is reopened with the error as `#` comments at
 *   the top, at most three times; saving a reopened file unchanged gives up with the error.
 * - Changed by someone else meanwhile: `conflict` (exit 6); the edited file is kept and named in the hint.
 *
 * @module
 */

import { join } from "node:path";
import type { Command } from "@commander-js/extra-typings";
import { DtctlError, isDtctlError } from "../../errors/mod.ts";
import type { KindContext, RemoteObject, ResourceKind } from "../../resources/mod.ts";
import type { RuntimeOf } from "../program.ts";
import type { CliRuntime } from "../runtime.ts";
import {
  addFilterFlags,
  describeRef,
  type FilterFlags,
  kindsHelp,
  loadResources,
  parsePayload,
  printWritten,
  resolveNamed,
  startVerb,
  withHint,
  WRITE_FORMATS,
} from "./resource_common.ts";

/** How many times an invalid edit is reopened before giving up. */
const MAX_REOPENINGS = 3;

/**
 * Splits an editor command line (`code --wait`, `"/path with space/vim"`) into program and arguments. Outside
 * quotes a backslash escapes the next character, except on Windows, where it separates path segments.
 */
export function splitCommandLine(text: string, windows = Deno.build.os === "windows"): string[] {
  const words: string[] = [];
  let current = "";
  let quote: string | undefined;
  let started = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === "\\" && quote === '"' && i + 1 < text.length) current += text[++i];
      else current += c;
    } else if (c === "\\" && !windows && i + 1 < text.length) {
      current += text[++i];
      started = true;
    } else if (c === '"' || c === "'") {
      quote = c;
      started = true;
    } else if (/\s/.test(c)) {
      if (started) words.push(current);
      current = "";
      started = false;
    } else {
      current += c;
      started = true;
    }
  }
  if (started) words.push(current);
  return words;
}

function editorOf(env: Record<string, string | undefined>): string {
  return env.VISUAL?.trim() || env.EDITOR?.trim() || "vi";
}

async function runEditor(runtime: CliRuntime, file: string): Promise<void> {
  const line = editorOf(runtime.io.env);
  const [program, ...args] = splitCommandLine(line);
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(runtime.io.env)) if (value !== undefined) env[key] = value;
  let status: Deno.CommandStatus;
  try {
    status = await new Deno.Command(program, {
      args: [...args, file],
      env,
      stdin: "inherit",
      stdout: "inherit",
      stderr: "inherit",
    }).spawn().status;
  } catch (error) {
    throw new DtctlError("error", `cannot start the editor "${line}": ${(error as Error).message}`, {
      hint: "set VISUAL or EDITOR to your editor, e.g. EDITOR=nano or EDITOR='code --wait'",
      details: { editor: line },
      cause: error,
    });
  }
  if (!status.success) {
    throw new DtctlError(
      "error",
      `the editor "${line}" exited with status ${status.code}; nothing was changed`,
      {
        hint: `your edits are in ${file}`,
        details: { editor: line, status: status.code, file },
      },
    );
  }
}

function commentBlock(lines: string[]): string {
  return lines.map((line) => (line === "" ? "#" : `# ${line}`)).join("\n") + "\n";
}

function introduction(kind: ResourceKind, object: RemoteObject): string {
  return commentBlock([
    "Please edit the object below. Lines beginning with a '#' are ignored,",
    "and an empty file cancels the edit. If an error occurs while saving, this file is",
    "reopened with the error at the top.",
    "",
    `${describeRef(kind, object)}${object.version !== undefined ? `, version ${object.version}` : ""}`,
  ]);
}

/** The edited text without the comment block we put at its top. */
function withoutLeadingComments(text: string): string {
  const lines = text.split("\n");
  let i = 0;
  while (i < lines.length && lines[i].startsWith("#")) i++;
  return lines.slice(i).join("\n");
}

function hasContent(text: string): boolean {
  return text.split("\n").some((line) => line.trim() !== "" && !line.trimStart().startsWith("#"));
}

/** Errors the user can fix by editing again: bad YAML, or a payload the server rejects as invalid. */
function reopenable(error: unknown): error is DtctlError {
  return isDtctlError(error, "usage_error") || isDtctlError(error, "validation_error") ||
    isDtctlError(error, "bad_request");
}

async function runEdit(
  runtime: CliRuntime,
  kind: ResourceKind,
  context: KindContext,
  current: RemoteObject,
): Promise<RemoteObject | undefined> {
  const { editableOf, objectId, sameJson, updateObject } = await loadResources();
  const { toYaml } = await import("../../output/format.ts");
  const original = editableOf(kind, current);
  const id = objectId(kind, current);
  const dir = await Deno.makeTempDir({ prefix: "dtctl-edit-" });
  const file = join(dir, `${kind.name}-${id.replace(/[^A-Za-z0-9._-]/g, "_") || "object"}.yaml`);
  let keep = false;
  try {
    let presented = introduction(kind, current) + toYaml(original);
    let lastError: DtctlError | undefined;
    for (let round = 0;; round++) {
      await Deno.writeTextFile(file, presented);
      try {
        await runEditor(runtime, file);
      } catch (error) {
        // An editor that ran and failed may have left edits behind; one that never started did not.
        keep = isDtctlError(error) && error.details.status !== undefined;
        throw error;
      }
      const edited = await Deno.readTextFile(file);
      if (!hasContent(edited)) {
        runtime.status("Edit cancelled, the file is empty.");
        return undefined;
      }
      if (lastError && edited === presented) {
        keep = true;
        throw withHint(
          lastError,
          `the file was saved unchanged, so dtctl gave up; your edits are in ${file}`,
        );
      }
      let error: DtctlError | undefined;
      try {
        const payload = await parsePayload(edited, file);
        if (sameJson(payload, original)) {
          runtime.status("Edit cancelled, no changes made.");
          return undefined;
        }
        const editedId = payload[kind.idField];
        if (editedId !== undefined && String(editedId) !== id) {
          throw new DtctlError(
            "validation_error",
            `the ${kind.idField} of ${describeRef(kind, current)} cannot be changed`,
            {
              hint:
                `keep ${kind.idField}: ${id}; to make a copy, use dtctl create ${kind.name} -f FILE without the id`,
              details: { field: kind.idField },
            },
          );
        }
        return await updateObject(context, kind, current, payload);
      } catch (caught) {
        if (!reopenable(caught)) {
          keep = true;
          if (isDtctlError(caught)) {
            throw withHint(
              caught,
              `your edits are saved in ${file}; run dtctl edit ${kind.name} ${id} to start from the current ` +
                "version and copy them over",
            );
          }
          throw caught;
        }
        error = caught;
      }
      if (round >= MAX_REOPENINGS) {
        keep = true;
        throw withHint(error, `gave up after ${MAX_REOPENINGS} attempts; your edits are in ${file}`);
      }
      lastError = error;
      const header = commentBlock([
        `${describeRef(kind, current)} was not saved:`,
        ...error.message.split("\n"),
        ...(error.hint ? [`Hint: ${error.hint}`] : []),
        "",
      ]);
      presented = header + withoutLeadingComments(edited);
      runtime.status(`Error: ${error.message.split("\n")[0]} (reopening the editor)`);
    }
  } finally {
    if (!keep) await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

/** Registers `edit`. */
export function registerEdit(program: Command, runtimeOf: RuntimeOf): void {
  const command = program.command("edit")
    .description("edit an object in $VISUAL/$EDITOR and apply the change with optimistic locking")
    .argument("<kind>", "resource kind, e.g. workflow, dashboard, notebook, document")
    .argument("<name>", "name or id");
  addFilterFlags(command, false)
    .addHelpText(
      "after",
      () => `\nOutput (-o): table (default: "KIND/ID edited"), json, yaml, name\n${kindsHelp()}`,
    )
    .action(async (kindText, name, flags, cmd) => {
      const runtime = runtimeOf(cmd);
      const { kind, spec } = await startVerb(runtime, "edit", kindText, {
        supports: (kind) => kind.update && kind.locking !== "read-only",
        formats: WRITE_FORMATS,
      });
      const { context, objects: [current] } = await resolveNamed(runtime, kind, [name], flags as FilterFlags);
      const updated = await runEdit(runtime, kind, context, current);
      if (updated) await printWritten(runtime, kind, updated, spec, "edit");
    });
}
