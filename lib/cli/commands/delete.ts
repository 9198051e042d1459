/**
 * `dtctl delete KIND NAME|ID...`: delete objects (documents go to the trash). On a terminal each deletion is
 * confirmed unless `--yes`; scripts (stdin not a terminal, `--plain`, `-A`) are not asked, as with kubectl.
 *
 * @module
 */

import type { Command } from "@commander-js/extra-typings";
import type { RuntimeOf } from "../program.ts";
import {
  addFilterFlags,
  canPrompt,
  confirm,
  describeRef,
  type FilterFlags,
  kindsHelp,
  printAsData,
  resolveNamed,
  startVerb,
  WRITE_FORMATS,
} from "./resource_common.ts";

/** One entry of the `delete` result (`-A`, `-o json|yaml`). */
export interface DeletedEntry {
  /** Kind name. */
  kind: string;
  /** Object id. */
  id: string;
  /** Object name. */
  name: string;
  /** `deleted`, `trashed` (documents) or `skipped` (not confirmed). */
  status: "deleted" | "trashed" | "skipped";
}

/** Registers `delete`. */
export function registerDelete(program: Command, runtimeOf: RuntimeOf): void {
  const command = program.command("delete")
    .description("delete objects by name or id (documents go to the trash)")
    .argument("<kind>", "resource kind, e.g. workflow, dashboard, notebook, document, trash")
    .argument("<names...>", "names or ids")
    .option("-y, --yes", "do not ask for confirmation");
  addFilterFlags(command, false)
    .addHelpText("after", () => `\nOutput (-o): table (default), json, yaml, name\n${kindsHelp()}`)
    .action(async (kindText, names, flags, cmd) => {
      const runtime = runtimeOf(cmd);
      const { resources: { deleteObject, objectId, objectName }, printers: { nameOf }, kind, spec } =
        await startVerb(runtime, "delete", kindText, {
          supports: (kind) => kind.delete,
          formats: WRITE_FORMATS,
        });
      const { context, objects: targets } = await resolveNamed(runtime, kind, names, flags as FilterFlags);
      const ask = !flags.yes && canPrompt(runtime);
      const results: DeletedEntry[] = [];
      for (const target of targets) {
        const entry = { kind: kind.name, id: objectId(kind, target), name: objectName(kind, target) };
        const question = kind.softDelete
          ? `Delete ${describeRef(kind, target)}? It goes to the trash.`
          : `Delete ${describeRef(kind, target)}? This cannot be undone.`;
        if (ask && !(await confirm(runtime, question))) {
          results.push({ ...entry, status: "skipped" });
          runtime.status(`Skipped ${describeRef(kind, target)}.`);
          continue;
        }
        await deleteObject(context, kind, target);
        results.push({ ...entry, status: kind.softDelete ? "trashed" : "deleted" });
        if (runtime.globals.agent || spec.format === "json" || spec.format === "yaml") continue;
        if (spec.format === "name") runtime.io.stdout(`${nameOf(kind, target)}\n`);
        else {
          runtime.io.stdout(
            `${nameOf(kind, target)} deleted${
              kind.softDelete ? ` (moved to the trash; restore with: dtctl restore trash ${entry.id})` : ""
            }\n`,
          );
        }
      }
      await printAsData(runtime, spec, results, { verb: "delete", kind: kind.name });
    });
}
