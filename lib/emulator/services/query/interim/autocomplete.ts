/**
 * `query:autocomplete` of the interim engine: command names at the start of a command, data objects after
 * `fetch`. Enough for editors and shells to offer something real; a full engine will know every parameter.
 *
 * @module
 */

import type { AutocompleteResult, TableSource } from "../engine.ts";

/** Completions for the word being typed at `cursor`. */
export function autocomplete(
  query: string,
  cursor: number,
  commands: readonly string[],
  tables: TableSource,
): AutocompleteResult {
  const before = query.slice(0, Math.max(0, Math.min(cursor, query.length)));
  const typed = /[A-Za-z0-9_.]*$/.exec(before)![0];
  const head = before.slice(0, before.length - typed.length);
  const previousWord = /([A-Za-z_][A-Za-z0-9_.]*)\s+$/.exec(head)?.[1]?.toLowerCase();
  const atCommandStart = /(^|\|)\s*$/.test(head);
  const matches = (candidate: string) => candidate.toLowerCase().startsWith(typed.toLowerCase());
  if (atCommandStart) {
    const names = commands.filter(matches);
    return {
      optional: false,
      suggestions: names.map((name) => suggestion(name, typed.length, "COMMAND_NAME")),
    };
  }
  if (previousWord === "fetch" && /fetch\s+$/i.test(head)) {
    return {
      optional: false,
      suggestions: tables.names().filter(matches).map((name) =>
        suggestion(name, typed.length, "DATA_OBJECT")
      ),
    };
  }
  return { optional: true, suggestions: [] };
}

function suggestion(text: string, typed: number, type: string) {
  return { suggestion: text, alreadyTypedCharacters: typed, parts: [{ suggestion: text, type }] };
}
