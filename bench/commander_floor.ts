// The floor under the start-up target: commander alone (the CLI framework the project mandates) parsing
// `version`, under the same `deno run -A`. It loads Node's events, child_process, fs and path polyfills.
import { Command } from "@commander-js/extra-typings";

const program = new Command("floor");
program.command("version").action(() => console.log("floor"));
await program.parseAsync(["version"], { from: "user" });
