/**
 * `dtctl create KIND -f FILE`: create one object from its editable form (YAML or JSON; `-` reads stdin), as
 * `dtctl get KIND NAME -o yaml` prints it.
 *
 * @module
 */

import type { Command } from "@commander-js/extra-typings";
import { DtctlError, isDtctlError, usageError } from "../../errors/mod.ts";
import type { RuntimeOf } from "../program.ts";
import {
  kindContext,
  kindsHelp,
  printWritten,
  readPayloadFile,
  startVerb,
  WRITE_FORMATS,
} from "./resource_common.ts";

/** Registers `create`. */
export function registerCreate(program: Command, runtimeOf: RuntimeOf): void {
  program.command("create")
    .description("create an object of a kind from a YAML or JSON file")
    .argument("<kind>", "resource kind, e.g. workflow, dashboard, notebook, document")
    .option("-f, --filename <file>", "file with the object (YAML or JSON); - reads stdin")
    .addHelpText(
      "after",
      () =>
        `\nOutput (-o): table (default: "KIND/ID created"), json, yaml, name\n${kindsHelp()}\n` +
        "Examples:\n  dtctl get workflow 'Nightly report' -o yaml > wf.yaml   # edit, drop the id, then:\n" +
        "  dtctl create workflow -f wf.yaml\n  cat dash.json | dtctl create dashboard -f -\n",
    )
    .action(async (kindText, flags, cmd) => {
      const runtime = runtimeOf(cmd);
      const { resources: { createObject }, kind, spec } = await startVerb(runtime, "create", kindText, {
        supports: (kind) => kind.create,
        formats: WRITE_FORMATS,
      });
      if (!flags.filename) {
        throw usageError("create needs a file: -f FILE (or -f - for stdin)", {
          hint: `dtctl create ${kind.name} -f ${kind.name}.yaml`,
          details: { flag: "--filename" },
        });
      }
      const payload = await readPayloadFile(runtime, flags.filename);
      const created = await createObject(await kindContext(runtime), kind, payload).catch((error) => {
        if (!isDtctlError(error, "conflict")) throw error;
        // Most often the file still carries the id of the object it was exported from.
        throw new DtctlError(error.code, error.message, {
          hint:
            `an object with this ${kind.idField} already exists: drop \`${kind.idField}:\` from the file to ` +
            `create a copy, or change the existing one with dtctl edit ${kind.name} (or manage it with dtctl apply)`,
          details: error.details,
          cause: error,
        });
      });
      await printWritten(runtime, kind, created, spec, "create");
    });
}
