/**
 * `dtctl version`: the dtctl version and the runtime it runs on.
 *
 * @module
 */

import type { Command } from "@commander-js/extra-typings";
import process from "node:process";
import { VERSION } from "../../version.ts";
import type { RuntimeOf } from "../program.ts";

/** Version facts printed by `dtctl version`. */
export interface VersionInfo {
  /** dtctl release. */
  version: string;
  /** JavaScript runtime and its version, e.g. `deno 2.9.5`. */
  runtime: string;
  /** Operating system and architecture. */
  platform: string;
}

/** Collects the version facts. */
function versionInfo(): VersionInfo {
  const deno = (globalThis as { Deno?: { version: { deno: string } } }).Deno;
  return {
    version: VERSION,
    runtime: deno ? `deno ${deno.version.deno}` : `node ${process.versions.node}`,
    platform: `${process.platform}/${process.arch}`,
  };
}

/** Registers `version`. */
export function registerVersion(program: Command, runtimeOf: RuntimeOf): void {
  program.command("version")
    .description("print the dtctl version")
    .action((_options, command) => {
      const runtime = runtimeOf(command);
      const info = versionInfo();
      runtime.print(info, () => `dtctl version ${info.version} (${info.runtime}, ${info.platform})\n`);
    });
}
