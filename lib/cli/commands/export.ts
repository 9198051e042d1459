/**
 * `dtctl export [kinds...] --dir DIR [--stack NAME] [--force] [--schema ID]`: writes the live objects as
 * manifests (one file per object, content beside) that `dtctl diff` shows as unchanged.
 *
 * @module
 */

import type { Command } from "@commander-js/extra-typings";
import { usageError } from "../../errors/mod.ts";
import type { RuntimeOf } from "../program.ts";
import { kindContext, resourceIO } from "./resource_common.ts";

/** Collects a repeatable flag whose values may also be comma-separated lists. */
function collectList(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...value.split(",").map((s) => s.trim()).filter(Boolean)];
}

/** Registers `export`. */
export function registerExport(program: Command, runtimeOf: RuntimeOf): void {
  program.command("export")
    .description("write live objects as manifests (configuration as code) into a directory")
    .argument(
      "[kinds...]",
      "kinds to export (default all): Workflow, Dashboard, Notebook, Document, SLO, Setting, " +
        "AnomalyDetector, Segment, Bucket, or their names and plurals (workflows, wf, ...)",
    )
    .option("--dir <dir>", "target directory (created when missing)")
    .option(
      "--stack <name>",
      "stack of the project file written when the directory has none (default: directory name)",
    )
    .option("--force", "overwrite existing files")
    .option(
      "--schema <id>",
      "settings schemas to export (repeatable or comma-separated; default all)",
      collectList,
    )
    .addHelpText(
      "after",
      "\nLayout: DIR/<kind-plural>/<name>.yaml (+ <name>.json content of dashboards, notebooks, documents),\n" +
        "and DIR/dtctl.yaml when missing. Each manifest pins its object with the dtctl.io/id annotation.\n" +
        "Built-in buckets, ready-made segments and read-only settings are skipped.\n\n" +
        "Output (-o): table (a summary, default), json, yaml\n\nExamples:\n" +
        "  dtctl export --dir ./tenant\n  dtctl export workflows dashboards --dir ./ops --stack ops\n" +
        "  dtctl export setting --schema builtin:alerting.profile --dir ./alerting\n",
    )
    .action(async (kinds, flags, command) => {
      const runtime = runtimeOf(command);
      runtime.outputFormat();
      if (!flags.dir) {
        throw usageError("export needs a target directory: --dir DIR", {
          hint: "dtctl export --dir ./manifests",
          details: { flag: "--dir" },
        });
      }
      const { exportManifests, renderExportSummary } = await import("../../export/mod.ts");
      const result = await exportManifests({
        context: await kindContext(runtime, resourceIO(runtime).signal),
        dir: flags.dir,
        kinds,
        ...(flags.stack !== undefined ? { stack: flags.stack } : {}),
        force: flags.force === true,
        ...(flags.schema?.length ? { settingsSchemas: flags.schema } : {}),
      });
      runtime.print(result, () => renderExportSummary(result));
    });
}
