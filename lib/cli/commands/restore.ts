/**
 * `dtctl restore <kind> <name|id> <version>`: brings back a snapshot of a dashboard, notebook or document, or
 * a saved version of a workflow (see `dtctl history`). `dtctl restore trash <name|id>`: takes a document out
 * of the trash with its id and version.
 *
 * @module
 */

import type { Command } from "@commander-js/extra-typings";
import { usageError } from "../../errors/mod.ts";
import type { RestoreResult } from "../../resources/history.ts";
import type { RuntimeOf } from "../program.ts";
import { describeRef, kindContext, loadResources, resourceIO } from "./resource_common.ts";

function renderRestore(result: RestoreResult, what: string): string {
  const unit = result.kind === "workflow" ? "version" : "snapshot";
  let text = `${what} restored to ${unit} ${result.restoredVersion}`;
  if (result.version !== undefined) text += ` (now version ${result.version})`;
  text += ".\n";
  if (result.createdSnapshot !== undefined) {
    text += `The replaced state was kept as snapshot ${result.createdSnapshot}.\n`;
  }
  return text;
}

/** Registers `restore`. */
export function registerRestore(program: Command, runtimeOf: RuntimeOf): void {
  program.command("restore")
    .description("restore a saved version (see dtctl history), or a document from the trash")
    .argument("<kind>", "dashboard, notebook, document, workflow, or trash")
    .argument("<name-or-id>", "name or id")
    .argument("[version]", "the snapshot (documents) or version (workflows) to restore")
    .action(async (kindName, nameOrId, versionText, _options, command) => {
      const runtime = runtimeOf(command);
      runtime.outputFormat();
      const [{ findKind, resolveObject }, { parseVersion, requireHistory, restoreVersion }] = await Promise
        .all([loadResources(), import("../../resources/history.ts")]);
      const kind = findKind(kindName);
      const context = await kindContext(runtime, resourceIO(runtime).signal);
      if (kind.undelete) {
        if (versionText !== undefined) {
          throw usageError(
            `restore ${kind.name} takes no version: a document comes back with the version it had`,
            {
              details: { argument: "version", value: versionText },
            },
          );
        }
        const restored = await kind.undelete(context, nameOrId);
        const what = `${String(restored.type ?? "document")} "${
          String(restored.name ?? restored.id)
        }" (${restored.id})`;
        runtime.print(
          { kind: kind.name, id: restored.id, name: restored.name, type: restored.type, restored: true },
          () => `${what} restored from the trash.\n`,
        );
        return;
      }
      requireHistory(kind, "restore");
      if (versionText === undefined) {
        throw usageError(`restore ${kind.name} needs the version to restore`, {
          hint: `list the versions with: dtctl history ${kind.name} ${JSON.stringify(nameOrId)}`,
          details: { argument: "version" },
        });
      }
      const version = parseVersion(versionText);
      const object = await resolveObject(context, kind, nameOrId);
      const result = await restoreVersion(context, kind, object, version);
      runtime.print(result, () => renderRestore(result, describeRef(kind, object)));
    });
}
