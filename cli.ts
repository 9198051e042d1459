/**
 * The dtctl command-line interface: `deno run -A cli.ts <command> ...`.
 *
 * @module
 */

import process from "node:process";
import { runCli } from "./lib/cli/main.ts";

if (import.meta.main) {
  const code = await runCli(process.argv.slice(2));
  process.exitCode = code;
}
