/**
 * `dtctl delete KIND NAME|ID...`: delete objects (documents go to the trash). On a terminal each deletion is
 * confirmed unless `--yes`; scripts (stdin not a terminal, `--plain`, `-A`) are not asked, as with kubectl.
 *
 * @module
 */

import type { Command } from "@commander-js/extra-typings";
import { successEnvelope } from "../../output/envelope.ts";
import type { RemoteObject } from "../../resources/mod.ts";
import type { RuntimeOf } from "../program.ts";
import { toJson } from "../runtime.ts";
import {
  addFilterFlags,
  canPrompt,
  confirm,
  describeRef,
  type FilterFlags,
  kindContext,
  kindsHelp,
  listOptionsFrom,
  loadPrinters,
  loadResources,
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
      const { deleteObject, findKind, objectId, objectName, resolveObject, unsupportedError } =
        await loadResources();
      const { nameOf, parseOutputSpec } = await loadPrinters();
      const kind = findKind(kindText);
      if (!kind.delete) throw unsupportedError(kind, "delete");
      const spec = parseOutputSpec(runtime.globals.output, ["table", "json", "yaml", "name"]);
      const context = await kindContext(runtime);
      const options = await listOptionsFrom(runtime, flags as FilterFlags);
      // Resolve everything first: a typo in the last name must not leave the first ones deleted.
      const targets: RemoteObject[] = [];
      for (const name of names) targets.push(await resolveObject(context, kind, name, options));
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
      if (runtime.globals.agent) {
        runtime.io.stdout(toJson(successEnvelope(results, { verb: "delete", kind: kind.name })));
      } else if (spec.format === "json") runtime.io.stdout(toJson(results));
      else if (spec.format === "yaml") {
        runtime.io.stdout((await import("../../output/format.ts")).toYaml(results));
      }
    });
}
