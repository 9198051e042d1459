/**
 * `dtctl history <kind> <name|id>`: the saved versions of a dashboard, notebook or document (its snapshots)
 * or of a workflow, newest first. `dtctl restore <kind> <name|id> <version>` brings one back.
 *
 * @module
 */

import type { Command } from "@commander-js/extra-typings";
import type { HistoryEntry } from "../../resources/history.ts";
import type { RuntimeOf } from "../program.ts";
import { describeRef, kindContext, loadResources, resourceIO } from "./resource_common.ts";

/** Registers `history`. */
export function registerHistory(program: Command, runtimeOf: RuntimeOf): void {
  program.command("history")
    .description("list the saved versions of a dashboard, notebook, document or workflow")
    .argument("<kind>", "dashboard, notebook, document or workflow (any of their names)")
    .argument("<name-or-id>", "name or id")
    .action(async (kindName, nameOrId, _options, command) => {
      const runtime = runtimeOf(command);
      runtime.outputFormat();
      const [{ findKind, resolveObject }, { listHistory, requireHistory }, { renderTable }] = await Promise
        .all([
          loadResources(),
          import("../../resources/history.ts"),
          import("../../output/table.ts"),
        ]);
      const kind = findKind(kindName);
      const style = requireHistory(kind, "list");
      const context = await kindContext(runtime, resourceIO(runtime).signal);
      const object = await resolveObject(context, kind, nameOrId);
      const entries = await listHistory(context, kind, object);
      runtime.print(entries, () => {
        if (entries.length === 0) {
          return `No saved versions of ${describeRef(kind, object)}.` +
            (style === "document" ? " Snapshots are taken when a change is saved with a snapshot.\n" : "\n");
        }
        return renderTable(
          [
            {
              header: style === "document" ? "snapshot" : "version",
              value: (e: HistoryEntry) => String(e.version),
            },
            ...(style === "document"
              ? [{ header: "document-version", value: (e: HistoryEntry) => String(e.objectVersion ?? "") }]
              : []),
            { header: "created", value: (e) => e.createdTime ?? "" },
            { header: "by", value: (e) => e.createdBy ?? "" },
            ...(style === "document"
              ? [{ header: "description", value: (e: HistoryEntry) => e.description ?? "" }]
              : []),
          ],
          entries,
          { styleHeader: runtime.palette.bold },
        );
      });
    });
}
