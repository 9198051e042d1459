/**
 * Notebooks: documents of type `notebook` whose content (sections of DQL, markdown, ...) is edited as parsed
 * JSON.
 *
 * @module
 */

import { defineDocumentKind, type DocumentObject } from "../documents/kind.ts";
import { kindApi } from "../registry.ts";
import type { DescribeSection, ResourceKind } from "../types.ts";

function firstLine(value: unknown): string {
  return typeof value === "string" ? value.split("\n").find((line) => line.trim() !== "")?.trim() ?? "" : "";
}

function sectionSummary(section: Record<string, unknown>): string {
  if (typeof section.title === "string" && section.title !== "") return section.title;
  if (section.type === "markdown") return firstLine(section.markdown);
  const state = section.state as { input?: { value?: unknown } } | undefined;
  return firstLine(state?.input?.value);
}

function notebookSections(content: unknown): DescribeSection[] {
  const sections = (content as { sections?: Record<string, unknown>[] } | null)?.sections;
  if (!Array.isArray(sections)) return [];
  return [{
    title: `Sections (${sections.length})`,
    table: {
      columns: ["#", "type", "summary"],
      rows: sections.map((
        section,
        i,
      ) => [String(i + 1), String(section?.type ?? ""), sectionSummary(section ?? {})]),
    },
  }];
}

/** The `notebook` kind. */
export const notebookKind: ResourceKind = defineDocumentKind({
  name: "notebook",
  plural: "notebooks",
  aliases: ["nb"],
  description: "Notebooks (documents of type notebook)",
  manifestKind: "Notebook",
  type: "notebook",
  emptyContent: { version: "7", sections: [] },
  appUrl: (environment, id) =>
    `${environment}/ui/apps/dynatrace.notebooks/notebook/${encodeURIComponent(id)}`,
  contentSections: notebookSections,
});

/** A notebook: document metadata plus its content (`{version, sections, ...}`). */
export type Notebook = DocumentObject;

const api = kindApi<Notebook>(notebookKind);

/** Lists notebooks (metadata, without content). */
export const listNotebooks = api.list;
/** Reads a notebook by name or id, with its content. */
export const getNotebook = api.get;
/** Creates a notebook from `{name, description?, isPrivate?, labels?, id?, content}`. */
export const createNotebook = api.create;
/**
 * Updates a notebook to `payload`, its full editable form (`editableOf`), at the version `current` was read
 * (conflict when someone saved in between). Only what changed is sent.
 */
export const updateNotebook = api.update;
/** Moves a notebook to the trash. */
export const deleteNotebook = api.delete;
