/**
 * `dtctl completion bash|zsh|fish|powershell` prints a shell completion script; the scripts call back into
 * the hidden `dtctl complete -- ARGS...` for suggestions. Both are served by `@bomb.sh/tab`, loaded only
 * when one of these commands runs so that start-up stays small.
 *
 * @module
 */

import { Command } from "@commander-js/extra-typings";

const SHELLS = ["bash", "zsh", "fish", "powershell"] as const;

/** Registers `completion` and the hidden `complete`. */
export function registerCompletion(program: Command): void {
  program.command("completion")
    .description("print a shell completion script (bash, zsh, fish, powershell)")
    .argument("<shell>", `one of: ${SHELLS.join(", ")}`)
    .addHelpText("after", "\nExample:\n  source <(dtctl completion bash)")
    .action(async (shell, _options, command) => {
      if (!(SHELLS as readonly string[]).includes(shell)) {
        command.error(`error: unsupported shell '${shell}'\n(use one of: ${SHELLS.join(", ")})`, {
          code: "commander.invalidArgument",
        });
      }
      await runTab(program, ["completion", shell]);
    });
  program.command("complete", { hidden: true })
    .description("print completion suggestions (used by the completion scripts)")
    .argument("[args...]")
    .allowUnknownOption()
    .action(async (args) => {
      await runTab(program, ["complete", "--", ...args]);
    });
}

/**
 * tab registers its own copies of `completion`/`complete` on the program it is given and reads the command
 * tree at that moment, so it gets a fresh program: ours, minus our two commands.
 */
async function runTab(program: Command, argv: string[]): Promise<void> {
  const { default: tab } = await import("@bomb.sh/tab/commander");
  const fresh = cloneTree(program);
  // tab's typings expect plain commander's Command; extra-typings' Command is the same class at runtime.
  tab(fresh as unknown as Parameters<typeof tab>[0], { completionCommandName: "completion" });
  await fresh.parseAsync(argv, { from: "user" });
}

function cloneTree(source: Command): Command {
  const copy = new Command(source.name()).description(source.description());
  copy.configureOutput(source.configureOutput());
  for (const option of source.options) copy.addOption(option);
  for (const argument of source.registeredArguments) copy.addArgument(argument);
  for (const sub of source.commands) {
    if (sub.name() === "completion" || sub.name() === "complete") continue;
    copy.addCommand(cloneTree(sub as unknown as Command));
  }
  return copy;
}
