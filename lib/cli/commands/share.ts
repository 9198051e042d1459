/**
 * `dtctl share <dashboard|notebook|document> <name|id> [--user ID ...] [--group ID ...] [--access read|read-write]
 * [--environment]`: shares a document directly with users and groups, or with the whole environment; without
 * recipients it lists the current shares. `dtctl unshare ...` takes recipients or the environment share away.
 *
 * @module
 */

import type { Command } from "@commander-js/extra-typings";
import { usageError } from "../../errors/mod.ts";
import type { RemoteObject, ResourceKind } from "../../resources/mod.ts";
import type { DocumentShares, ShareAccess, ShareRecipient } from "../../resources/share.ts";
import type { RuntimeOf } from "../program.ts";
import type { CliRuntime } from "../runtime.ts";
import { collect, describeRef, kindContext, loadResources, resourceIO } from "./resource_common.ts";

// Kinds, the share API and tables are loaded when a command runs, not when the program starts.
async function loadTools() {
  const [resources, history, share, table] = await Promise.all([
    loadResources(),
    import("../../resources/history.ts"),
    import("../../resources/share.ts"),
    import("../../output/table.ts"),
  ]);
  return { ...resources, ...share, historyStyle: history.historyStyle, renderTable: table.renderTable };
}

type Tools = Awaited<ReturnType<typeof loadTools>>;

/** What `share` and `unshare` report. */
export interface ShareReport {
  /** Kind name. */
  kind: string;
  /** Document id. */
  id: string;
  /** Document name. */
  name: string;
  /** What changed (empty when only listing). */
  changes: string[];
  /** The shares after the change. */
  shares: DocumentShares;
}

function documentKind(tools: Tools, kindName: string): ResourceKind {
  const kind = tools.findKind(kindName);
  if (tools.historyStyle(kind) !== "document") {
    throw usageError(`${kind.plural} cannot be shared: only dashboards, notebooks and documents can`, {
      details: { kind: kind.name },
    });
  }
  return kind;
}

function recipientsOf(options: { user?: string[]; group?: string[] }): ShareRecipient[] {
  return [
    ...(options.user ?? []).map((id) => ({ id, type: "user" as const })),
    ...(options.group ?? []).map((id) => ({ id, type: "group" as const })),
  ];
}

function describeRecipients(recipients: ShareRecipient[]): string {
  return recipients.map((r) => `${r.type} ${r.id}`).join(", ");
}

function renderShares(report: ShareReport, runtime: CliRuntime, tools: Tools, what: string): string {
  let text = report.changes.map((change) => `${what} ${change}.\n`).join("");
  const rows: string[][] = [];
  for (const share of report.shares.direct) {
    for (const r of share.recipients) rows.push([r.type, r.id, share.access, share.id]);
    if (share.recipients.length === 0) rows.push(["-", "(no recipients)", share.access, share.id]);
  }
  for (const share of report.shares.environment) {
    rows.push(["environment", "everyone", share.access, share.id]);
  }
  if (rows.length === 0) return text + `${what} is not shared.\n`;
  if (text) text += "\n";
  return text + tools.renderTable(
    ["shared with", "id", "access", "share id"].map((header, i) => ({
      header,
      value: (row: string[]) => row[i],
    })),
    rows,
    { styleHeader: runtime.palette.bold },
  );
}

type Target = Awaited<ReturnType<typeof target>>;

async function target(runtime: CliRuntime, tools: Tools, kindName: string, nameOrId: string) {
  const kind = documentKind(tools, kindName);
  const context = await kindContext(runtime, resourceIO(runtime).signal);
  const object: RemoteObject = await tools.resolveObject(context, kind, nameOrId);
  const id = tools.objectId(kind, object);
  return { kind, context, object, id, document: { id, ...tools.resourceRef(kind, object) } };
}

/** Reads the shares after `changes` and prints them with the changes. */
async function printShares(
  runtime: CliRuntime,
  tools: Tools,
  shared: Target,
  changes: string[],
): Promise<void> {
  const { kind, context, object, id } = shared;
  const report: ShareReport = {
    kind: kind.name,
    id,
    name: tools.objectName(kind, object),
    changes,
    shares: await tools.getDocumentShares(context.client, id, context.signal),
  };
  runtime.print(report, () => renderShares(report, runtime, tools, describeRef(kind, object)));
}

/** Registers `share` and `unshare`. */
export function registerShare(program: Command, runtimeOf: RuntimeOf): void {
  program.command("share")
    .description(
      "share a dashboard, notebook or document with users, groups or the environment (no flags: list shares)",
    )
    .argument("<kind>", "dashboard, notebook or document")
    .argument("<name-or-id>", "name or id")
    .option("--user <id>", "share with this user (repeatable)", collect)
    .option("--group <id>", "share with this group (repeatable)", collect)
    .option("--access <access>", "read or read-write", "read")
    .option("--environment", "share with everybody in the environment")
    .action(async (kindName, nameOrId, options, command) => {
      const runtime = runtimeOf(command);
      runtime.outputFormat();
      const tools = await loadTools();
      const { shareDocument, shareDocumentWithEnvironment } = tools;
      const access: ShareAccess = tools.parseShareAccess(options.access);
      const recipients = recipientsOf(options);
      const shared = await target(runtime, tools, kindName, nameOrId);
      const { context, document } = shared;
      const changes: string[] = [];
      if (recipients.length > 0) {
        const { created } = await shareDocument(context.client, document, recipients, access, context.signal);
        changes.push(
          `shared with ${describeRecipients(recipients)} (${access}${created ? ", new share" : ""})`,
        );
      }
      if (options.environment) {
        const { created } = await shareDocumentWithEnvironment(
          context.client,
          document,
          access,
          context.signal,
        );
        changes.push(
          created
            ? `shared with the environment (${access})`
            : `already shared with the environment (${access})`,
        );
      }
      await printShares(runtime, tools, shared, changes);
    });

  program.command("unshare")
    .description("take shares of a dashboard, notebook or document away")
    .argument("<kind>", "dashboard, notebook or document")
    .argument("<name-or-id>", "name or id")
    .option("--user <id>", "remove this user (repeatable)", collect)
    .option("--group <id>", "remove this group (repeatable)", collect)
    .option("--environment", "delete the environment share")
    .option("--all", "delete every direct and environment share")
    .action(async (kindName, nameOrId, options, command) => {
      const runtime = runtimeOf(command);
      runtime.outputFormat();
      const recipients = recipientsOf(options);
      if (recipients.length === 0 && !options.environment && !options.all) {
        throw usageError("nothing to unshare: give --user, --group, --environment or --all", {
          details: { flag: "--user" },
        });
      }
      const tools = await loadTools();
      const { getDocumentShares, unshareDocument, unshareDocumentFromEnvironment } = tools;
      const shared = await target(runtime, tools, kindName, nameOrId);
      const { context, id, document } = shared;
      const changes: string[] = [];
      if (options.all) {
        const current = await getDocumentShares(context.client, id, context.signal);
        const everyone = current.direct.flatMap((share) => share.recipients);
        if (everyone.length > 0) await unshareDocument(context.client, document, everyone, context.signal);
        await unshareDocumentFromEnvironment(context.client, document, undefined, context.signal);
        changes.push("no longer shared");
      } else {
        if (recipients.length > 0) {
          await unshareDocument(context.client, document, recipients, context.signal);
          changes.push(`no longer shared with ${describeRecipients(recipients)}`);
        }
        if (options.environment) {
          const deleted = await unshareDocumentFromEnvironment(
            context.client,
            document,
            undefined,
            context.signal,
          );
          changes.push(
            deleted ? "no longer shared with the environment" : "was not shared with the environment",
          );
        }
      }
      await printShares(runtime, tools, shared, changes);
    });
}
