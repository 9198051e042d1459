/**
 * Reading one input (a file or stdin) into templated documents, keeping syntax problems apart from template
 * problems: a content file's syntax errors are reported at the field that references it, its missing template
 * values where they are.
 *
 * @module
 */

import { readFile } from "node:fs/promises";
import type { InputFile } from "./files.ts";
import { Problems } from "./problems.ts";
import { fileStart, type ParsedDocument, parseSource } from "./source.ts";
import { templateDocument, type TemplateScope } from "./template.ts";
import type { ManifestProblem } from "./types.ts";

/** One input, read, parsed and templated. */
export interface LoadedInput extends InputFile {
  /** Non-empty documents without syntax errors, templated. */
  documents: ParsedDocument[];
  /** Read and syntax problems. */
  syntax: ManifestProblem[];
  /** Template problems (missing values, bad placeholders). */
  template: ManifestProblem[];
}

/** Reads stdin; provided by the CLI so that tests and the library need no real stdin. */
export type ReadStdin = () => Promise<string>;

async function readText(input: InputFile, readStdin: ReadStdin | undefined): Promise<string> {
  if (input.absolute !== undefined) return await readFile(input.absolute, "utf8");
  if (!readStdin) throw new Error("standard input is not available here");
  return await readStdin();
}

/** Reads, parses and templates one input; never throws (failures are problems). */
export async function loadInput(
  input: InputFile,
  scope: TemplateScope,
  readStdin: ReadStdin | undefined,
): Promise<LoadedInput> {
  const syntax = new Problems();
  const template = new Problems();
  let text: string;
  try {
    text = await readText(input, readStdin);
  } catch (error) {
    const code = (error as { code?: string }).code;
    const reason = code === "ENOENT"
      ? "no such file or directory"
      : `cannot read it: ${(error as Error).message}`;
    syntax.add(fileStart(input.display), reason);
    return { ...input, documents: [], syntax: syntax.list(), template: [] };
  }
  // A byte-order mark is legal at the start of a JSON or YAML file written by some Windows editors.
  const documents = parseSource(input.display, text.replace(/^\uFEFF/, ""), syntax);
  for (const document of documents) templateDocument(document, scope, template);
  return { ...input, documents, syntax: syntax.list(), template: template.list() };
}
