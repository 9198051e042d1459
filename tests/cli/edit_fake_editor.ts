/**
 * A scripted editor for the `dtctl edit` tests, run as `$EDITOR FILE`. `FAKE_EDITOR_MODE` says what to do,
 * `FAKE_EDITOR_LOG` collects what it was shown (one entry per round).
 */

import { connect } from "../../lib/connect/mod.ts";
import { editableOf, findKind, getObject, updateObject } from "../../lib/resources/mod.ts";

const SEPARATOR = "\n=====ROUND=====\n";

const file = Deno.args.at(-1)!;
const mode = Deno.env.get("FAKE_EDITOR_MODE") ?? "noop";
const logFile = Deno.env.get("FAKE_EDITOR_LOG")!;
const text = await Deno.readTextFile(file);
let log = "";
try {
  log = await Deno.readTextFile(logFile);
} catch {
  // First round.
}
const round = log === "" ? 1 : log.split(SEPARATOR).length + 1;
await Deno.writeTextFile(logFile, log === "" ? text : log + SEPARATOR + text);

function rename(source: string, value: string): string {
  return source.replace(/^(title|name): .*$/m, `$1: ${value}`);
}

switch (mode) {
  case "rename":
    await Deno.writeTextFile(file, rename(text, "Renamed by the editor"));
    break;
  case "noop":
    break;
  case "comment-only":
    await Deno.writeTextFile(file, text + "# only a comment\n");
    break;
  case "empty":
    await Deno.writeTextFile(file, "# nothing left\n\n");
    break;
  case "break-then-fix":
    if (round === 1) await Deno.writeTextFile(file, text.replace(/^(title|name): (.*)$/m, "$1: [$2"));
    else await Deno.writeTextFile(file, rename(text, "Fixed after an error"));
    break;
  case "break-then-unchanged":
    if (round === 1) await Deno.writeTextFile(file, text.replace(/^(title|name): (.*)$/m, "$1: [$2"));
    break;
  case "keep-breaking":
    await Deno.writeTextFile(file, text + `broken${round}: [\n`);
    break;
  case "change-id":
    if (round === 1) await Deno.writeTextFile(file, text.replace(/^id: .*$/m, "id: another-id"));
    break;
  case "blank-title-then-fix":
    await Deno.writeTextFile(file, rename(text, round === 1 ? '""' : "Valid again"));
    break;
  case "concurrent": {
    // Someone else saves the object while the editor is open.
    const [kindName, id] = Deno.env.get("FAKE_EDITOR_TARGET")!.split(":");
    const { client } = await connect({ context: "local", env: Deno.env.toObject() });
    const context = { client };
    const kind = findKind(kindName);
    const current = await getObject(context, kind, id);
    const editable = editableOf(kind, current);
    await updateObject(context, kind, current, { ...editable, description: "changed by someone else" });
    await Deno.writeTextFile(file, rename(text, "My edit"));
    break;
  }
  case "fail":
    Deno.exit(3);
}
