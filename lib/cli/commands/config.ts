/**
 * `dtctl config ...`: view and edit the kubeconfig-like config file (contexts, credentials, safety levels).
 * Secrets are never printed.
 *
 * @module
 */

import { type Command, Option } from "@commander-js/extra-typings";
import type { DtctlConfig } from "../../config/mod.ts";
import { LOCAL_CONTEXT } from "../../config/local.ts";
import { SAFETY_LEVELS } from "../../config/safety.ts";
import { normalizeEnvironmentUrl } from "../../client/url.ts";
import { usageError } from "../../errors/mod.ts";
import { renderTable } from "../../output/table.ts";
import type { RuntimeOf } from "../program.ts";
import type { CliRuntime } from "../runtime.ts";

/** One row of `config get-contexts`. */
export interface ContextRow {
  /** Marked `*` when it is the context commands use now. */
  current: boolean;
  /** Context name. */
  name: string;
  /** Environment URL. */
  environment: string;
  /** Safety level. */
  safetyLevel: string;
  /** Where it comes from: the config file, env vars, or built in. */
  source: "file" | "env" | "builtin";
}

/**
 * The name of the context that commands use now, by the same precedence as context resolution:
 * `--context`, then `DTCTL_CONTEXT`, then env-only credentials, then the file's current-context.
 */
function selectedContextName(runtime: CliRuntime, config: DtctlConfig): string | undefined {
  const env = runtime.io.env;
  return runtime.globals.context ?? env.DTCTL_CONTEXT ??
    (env.DT_ENVIRONMENT_URL ? "env" : config.currentContext);
}

/** Lists the file's contexts plus the built-in `local` and, when its env vars are set, `env`. */
function contextRows(runtime: CliRuntime, config: DtctlConfig): ContextRow[] {
  const selected = selectedContextName(runtime, config);
  const env = runtime.io.env;
  const rows: ContextRow[] = config.contexts().map(({ name, context }) => ({
    current: name === selected,
    name,
    environment: String(context.environment ?? ""),
    safetyLevel: String(context["safety-level"] ?? "readwrite-all"),
    source: "file",
  }));
  if (env.DT_ENVIRONMENT_URL) {
    rows.push({
      current: selected === "env",
      name: "env",
      environment: env.DT_ENVIRONMENT_URL,
      safetyLevel: env.DTCTL_SAFETY_LEVEL ?? "readwrite-all",
      source: "env",
    });
  }
  rows.push({
    current: selected === LOCAL_CONTEXT,
    name: LOCAL_CONTEXT,
    environment: "(built-in local platform)",
    safetyLevel: env.DTCTL_SAFETY_LEVEL ?? "dangerously-unrestricted",
    source: "builtin",
  });
  return rows;
}

/** Registers `config` and its subcommands. */
export function registerConfig(program: Command, runtimeOf: RuntimeOf): void {
  const config = program.command("config").description(
    "view and edit contexts, credentials and safety levels",
  );

  config.command("view")
    .description("print the config file (secrets redacted)")
    .action(async (_options, command) => {
      const runtime = runtimeOf(command);
      const file = await runtime.config();
      const text = file.toYAML({ redact: true });
      const { parse } = await import("yaml");
      runtime.print(parse(text) ?? {}, () => text || `# no config file at ${file.path}\n`);
    });

  config.command("get-contexts")
    .description("list contexts")
    .action(async (_options, command) => {
      const runtime = runtimeOf(command);
      const rows = contextRows(runtime, await runtime.config());
      runtime.print(rows, () =>
        renderTable(
          [
            { header: "current", value: (row: ContextRow) => row.current ? "*" : "" },
            { header: "name", value: (row) => row.name },
            { header: "environment", value: (row) => row.environment },
            { header: "safety-level", value: (row) => row.safetyLevel },
          ],
          rows,
          { styleHeader: runtime.palette.bold },
        ));
    });

  config.command("current-context")
    .description("print the context commands use now")
    .action(async (_options, command) => {
      const runtime = runtimeOf(command);
      const file = await runtime.config();
      const name = selectedContextName(runtime, file);
      if (!name) {
        // Resolving explains what to configure.
        await runtime.context();
      }
      runtime.print({ name }, () => `${name}\n`);
    });

  config.command("use-context")
    .description("make a context the current one")
    .argument("<name>", "context name")
    .action(async (name, _options, command) => {
      const runtime = runtimeOf(command);
      const file = await runtime.config();
      file.useContext(name);
      await file.save();
      runtime.print({ currentContext: name }, () => `Switched to context "${name}".\n`);
    });

  config.command("set-context")
    .description("create or update a context")
    .argument("<name>", "context name")
    .option("--environment <url>", "environment URL, e.g. https://abc12345.apps.dynatrace.com")
    .option("--token-ref <name>", "name of the credentials entry (see set-credentials)")
    .addOption(new Option("--safety-level <level>", "what writes the context allows").choices(SAFETY_LEVELS))
    .option("--description <text>", "free text")
    .action(async (name, options, command) => {
      const runtime = runtimeOf(command);
      const file = await runtime.config();
      const existing = file.getContext(name);
      if (!existing && !options.environment) {
        throw usageError(`context "${name}" does not exist yet: --environment is required to create it`, {
          hint:
            `dtctl config set-context ${name} --environment https://<env>.apps.dynatrace.com --token-ref ${name}`,
          details: { flag: "--environment" },
        });
      }
      const patch: Record<string, string> = {};
      if (options.environment) {
        // Checked now rather than at the first request; ${VAR} references are checked once expanded.
        patch.environment = options.environment.includes("$")
          ? options.environment
          : normalizeEnvironmentUrl(options.environment);
      }
      if (options.tokenRef) patch["token-ref"] = options.tokenRef;
      if (options.safetyLevel) patch["safety-level"] = options.safetyLevel;
      if (options.description !== undefined) patch.description = options.description;
      file.setContext(name, patch);
      await file.save();
      runtime.print(
        { context: name, ...patch },
        () => `Context "${name}" ${existing ? "updated" : "created"}.\n`,
      );
    });

  config.command("set-credentials")
    .description("store a token or OAuth client credentials under a name")
    .argument("<name>", "credentials name (referenced by a context's token-ref)")
    .option("--token <token>", "platform token (dt0s16...), classic token (dt0c01...) or OAuth access token")
    .option("--token-stdin", "read the token from stdin (keeps it out of shell history)")
    .option("--client-id <id>", "OAuth client id (service user)")
    .option("--client-secret <secret>", "OAuth client secret")
    .option("--client-secret-stdin", "read the OAuth client secret from stdin")
    .option("--token-url <url>", "OAuth token endpoint (default https://sso.dynatrace.com/sso/oauth2/token)")
    .action(async (name, options, command) => {
      const runtime = runtimeOf(command);
      const stdin = options.tokenStdin || options.clientSecretStdin
        ? (await runtime.io.readStdin()).trim()
        : "";
      const token = options.tokenStdin ? stdin : options.token;
      const clientSecret = options.clientSecretStdin ? stdin : options.clientSecret;
      if (!token && !(options.clientId && clientSecret)) {
        throw usageError(
          "set-credentials needs --token (or --token-stdin), or --client-id with --client-secret",
          {
            hint: `printf '%s' "$DT_API_TOKEN" | dtctl config set-credentials ${name} --token-stdin`,
            details: { flag: "--token" },
          },
        );
      }
      if (token && options.clientId) {
        throw usageError("give either a token or OAuth client credentials, not both", {
          details: { flag: "--token" },
        });
      }
      const file = await runtime.config();
      file.setCredentials(name, {
        token,
        clientId: options.clientId,
        clientSecret,
        tokenUrl: options.tokenUrl,
      });
      await file.save();
      runtime.print({ credentials: name }, () => `Credentials "${name}" stored in ${file.path}.\n`);
    });

  config.command("delete-context")
    .description("delete a context")
    .argument("<name>", "context name")
    .action(async (name, _options, command) => {
      const runtime = runtimeOf(command);
      const file = await runtime.config();
      file.deleteContext(name);
      await file.save();
      runtime.print({ deleted: name }, () => `Context "${name}" deleted.\n`);
    });
}
