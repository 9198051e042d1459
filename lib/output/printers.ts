/**
 * Printers of resource objects over a kind's columns: `table`, `wide`, `json`, `yaml`, `csv`, `name` and
 * `jsonpath=TEMPLATE`, plus the line printer of `get --watch`. Output is deterministic: it depends only on the
 * objects (in the order given) and the kind's columns.
 *
 * Conventions (documented in the README): `json`/`yaml` print one object as itself and a list as a bare array
 * (the Go dtctl convention, so `jq '.[]'` works); a jsonpath template sees a list as kubectl does, as
 * `{kind: "List", items: [...]}`, so `{.items[*].id}` works.
 *
 * @module
 */

import { usageError } from "../errors/mod.ts";
import type { KindColumn, RemoteObject, ResourceKind } from "../resources/types.ts";
import { toYaml } from "./format.ts";
import { type JsonPathTemplate, parseJsonPath } from "./jsonpath.ts";
import { renderTable } from "./table.ts";

/** The output formats of `get`, as listed in errors and help (`jsonpath=TEMPLATE` takes a template). */
export const OUTPUT_FORMATS = ["table", "wide", "json", "yaml", "csv", "name", "jsonpath=TEMPLATE"] as const;

/** A parsed `-o` value. */
export type OutputSpec =
  | { format: "table" | "wide" | "json" | "yaml" | "csv" | "name" }
  | { format: "jsonpath"; template: JsonPathTemplate };

/** What a printer needs of a kind. */
export type PrintableKind = Pick<ResourceKind, "name" | "plural" | "idField" | "columns">;

/** Options of the printers. */
export interface PrintOptions {
  /** Omit the header line of `table`, `wide` and `csv`. */
  noHeaders?: boolean;
  /** Styles table headers (bold when colour is on). */
  styleHeader?: (text: string) => string;
}

/**
 * Parses `-o` (absent = `table`) against the formats a command supports; an unknown format is a usage error
 * listing the valid ones, a bad jsonpath template one naming the column.
 */
export function parseOutputSpec(
  value: string | undefined,
  supported: readonly string[] = OUTPUT_FORMATS,
): OutputSpec {
  const text = value ?? "table";
  const allowsJsonPath = supported.includes("jsonpath=TEMPLATE");
  if (allowsJsonPath && (text === "jsonpath" || text.startsWith("jsonpath="))) {
    let template = text.slice("jsonpath=".length);
    if (text === "jsonpath" || template.trim() === "") {
      throw usageError("-o jsonpath needs a template", {
        hint: "e.g. -o jsonpath='{.items[*].id}' or -o jsonpath='{.title}'",
        details: { flag: "--output", value: text },
      });
    }
    // `-o jsonpath=.title` is accepted as `{.title}`: there is nothing else it could mean.
    if (!template.includes("{") && /^[.$[]/.test(template.trim())) template = `{${template.trim()}}`;
    return { format: "jsonpath", template: parseJsonPath(template) };
  }
  if (!supported.includes(text) || text === "jsonpath=TEMPLATE") {
    throw usageError(`invalid output format "${text}" for this command`, {
      hint: `use -o with one of: ${supported.join(", ")}`,
      details: { flag: "--output", value: text },
    });
  }
  return { format: text as "table" };
}

function cell(column: KindColumn, object: RemoteObject): string {
  try {
    return column.value(object) ?? "";
  } catch {
    // A column must never break a listing because one object lacks a field.
    return "";
  }
}

/** The columns of `table` (`wide = false`) or `wide`. */
export function columnsFor(kind: PrintableKind, wide: boolean): KindColumn[] {
  return kind.columns.filter((column) => wide || !column.wide);
}

/** The `<kind>/<id>` reference of an object (`-o name`). */
export function nameOf(kind: PrintableKind, object: RemoteObject): string {
  return `${kind.name}/${String(object[kind.idField] ?? "")}`;
}

function toJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + "\n";
}

function csvField(text: string): string {
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function csv(columns: KindColumn[], objects: RemoteObject[], options: PrintOptions): string {
  const lines = options.noHeaders ? [] : [columns.map((c) => csvField(c.header.toUpperCase())).join(",")];
  for (const object of objects) lines.push(columns.map((c) => csvField(cell(c, object))).join(","));
  return lines.length ? lines.join("\n") + "\n" : "";
}

function table(kind: PrintableKind, objects: RemoteObject[], wide: boolean, options: PrintOptions): string {
  if (objects.length === 0) return "";
  const columns = columnsFor(kind, wide).map((column) => ({
    header: column.header,
    value: (object: RemoteObject) => cell(column, object),
  }));
  return renderTable(columns, objects, { noHeaders: options.noHeaders, styleHeader: options.styleHeader });
}

function withNewline(text: string): string {
  return text === "" || text.endsWith("\n") ? text : text + "\n";
}

/**
 * Renders one object (`single`) or a list. Tables of an empty list are empty strings: the caller says
 * "No ... found." on stderr.
 */
export function renderObjects(
  kind: PrintableKind,
  value: RemoteObject | RemoteObject[],
  spec: OutputSpec,
  options: PrintOptions = {},
): string {
  const objects = Array.isArray(value) ? value : [value];
  switch (spec.format) {
    case "json":
      return toJson(value);
    case "yaml":
      return toYaml(value);
    case "name":
      return objects.map((object) => nameOf(kind, object) + "\n").join("");
    case "csv":
      return csv(columnsFor(kind, true), objects, options);
    case "jsonpath":
      return withNewline(
        spec.template.execute(Array.isArray(value) ? { kind: "List", items: value } : value),
      );
    case "wide":
      return table(kind, objects, true, options);
    case "table":
      return table(kind, objects, false, options);
  }
}

/** What happened to an object between two polls of `get --watch`. */
export type WatchChange = "added" | "modified" | "deleted";

// deno-lint-ignore no-control-regex
const CONTROL = /[\x00-\x1f\x7f]/g;

const MARKERS: Record<WatchChange, string> = { added: "+", modified: "~", deleted: "-" };
const EVENT_NAMES: Record<WatchChange, string> = { added: "ADDED", modified: "MODIFIED", deleted: "DELETED" };

/**
 * The line printer of `get --watch`: `+`/`~`/`-` in front of table rows (aligned to the header and the first
 * rows; later, longer values widen the columns from then on), `{"type":"ADDED","object":…}` lines for JSON,
 * `---`-separated documents for YAML, an EVENT column for CSV.
 */
export class WatchPrinter {
  readonly #kind: PrintableKind;
  readonly #spec: OutputSpec;
  readonly #options: PrintOptions;
  readonly #columns: KindColumn[];
  #widths: number[];

  /** Creates a printer; `initial` objects set the first column widths. */
  constructor(
    kind: PrintableKind,
    spec: OutputSpec,
    options: PrintOptions = {},
    initial: RemoteObject[] = [],
  ) {
    this.#kind = kind;
    this.#spec = spec;
    this.#options = options;
    this.#columns = columnsFor(kind, spec.format !== "table");
    this.#widths = this.#columns.map((column) => column.header.length);
    for (const object of initial) this.#widen(this.#cells(object));
  }

  #cells(object: RemoteObject): string[] {
    return this.#columns.map((column) =>
      cell(column, object).replace(/[\r\n\t]+/g, " ").replace(CONTROL, "")
    );
  }

  #widen(cells: string[]): void {
    cells.forEach((text, i) => this.#widths[i] = Math.max(this.#widths[i], text.length));
  }

  #line(marker: string, cells: string[]): string {
    const padded = cells.map((text, i) => i === cells.length - 1 ? text : text.padEnd(this.#widths[i] + 3));
    return `${marker} ${padded.join("")}`.trimEnd() + "\n";
  }

  /** The header line (empty for formats without one, or with `noHeaders`). */
  header(): string {
    if (this.#options.noHeaders) return "";
    const format = this.#spec.format;
    if (format === "table" || format === "wide") {
      const style = this.#options.styleHeader ?? ((text: string) => text);
      const headers = this.#columns.map((column) => column.header.toUpperCase());
      const padded = headers.map((text, i) =>
        i === headers.length - 1 ? style(text) : style(text) + " ".repeat(this.#widths[i] + 3 - text.length)
      );
      return `  ${padded.join("")}`.trimEnd() + "\n";
    }
    if (format === "csv") {
      return ["EVENT", ...this.#columns.map((c) => c.header.toUpperCase())].map(csvField).join(",") + "\n";
    }
    return "";
  }

  /** One event. */
  event(change: WatchChange, object: RemoteObject): string {
    const spec = this.#spec;
    switch (spec.format) {
      case "json":
        return JSON.stringify({ type: EVENT_NAMES[change], object }) + "\n";
      case "yaml":
        return "---\n" + toYaml({ type: EVENT_NAMES[change], object });
      case "name":
        return `${MARKERS[change]} ${nameOf(this.#kind, object)}\n`;
      case "csv":
        return [EVENT_NAMES[change], ...this.#columns.map((c) => cell(c, object))].map(csvField).join(",") +
          "\n";
      case "jsonpath":
        return `${MARKERS[change]} ${withNewline(spec.template.execute(object))}`;
      case "table":
      case "wide": {
        const cells = this.#cells(object);
        this.#widen(cells);
        return this.#line(MARKERS[change], cells);
      }
    }
  }

  /** A row of the initial listing (no change marker). */
  initial(object: RemoteObject): string {
    const format = this.#spec.format;
    if (format === "table" || format === "wide") {
      const cells = this.#cells(object);
      this.#widen(cells);
      return this.#line(" ", cells);
    }
    return this.event("added", object);
  }
}
