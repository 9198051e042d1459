/**
 * From a context name to a ready platform client: resolves the context (flag, env, config file, built-in
 * `local`), picks the transport (network, or the in-process local platform), and installs the safety guard
 * so every write of every kind passes the context's safety level.
 *
 * @module
 */

import { createClient, type PlatformClient } from "../client/mod.ts";
import {
  createSafetyGuard,
  type DtctlConfig,
  loadConfig,
  resolveContext,
  type ResolvedContext,
} from "../config/mod.ts";
import { VERSION } from "../version.ts";

/** Options of {@link connect}. */
export interface ConnectOptions {
  /** Context name (the `--context` flag); otherwise `DTCTL_CONTEXT`, env-only credentials, or the current context. */
  context?: string;
  /** Environment variables; defaults to the process environment. */
  env?: Record<string, string | undefined>;
  /** An already loaded config; otherwise it is loaded from `DTCTL_CONFIG` or the default path. */
  config?: DtctlConfig;
  /** 1 logs requests, 2 adds headers and bodies (always redacted). */
  verbosity?: 0 | 1 | 2;
  /** Where log lines go; defaults to stderr. */
  log?: (line: string) => void;
  /** Max requests in flight (default 8). */
  concurrency?: number;
  /** Max requests per second (default unlimited). */
  rateLimit?: number;
}

/** A connected client and the context it talks to. */
export interface Connection {
  /** The resolved context (credentials included: never print it whole). */
  context: ResolvedContext;
  /** The platform client. */
  client: PlatformClient;
}

/** Resolves a context and returns a client for it. */
export async function connect(options: ConnectOptions = {}): Promise<Connection> {
  const env = options.env ?? processEnv();
  const config = options.config ?? await loadConfig({ env });
  const context = resolveContext({ config, contextName: options.context, env });
  return await connectResolved(context, { ...options, env });
}

/**
 * A client for an already resolved context (e.g. an environment of the project file), with the same transport
 * choice and safety guard as {@link connect}. `options.context` and `options.config` are not used.
 */
export async function connectResolved(
  context: ResolvedContext,
  options: ConnectOptions = {},
): Promise<Connection> {
  const env = options.env ?? processEnv();
  let currentUser: Promise<string | undefined> | undefined;
  const whoAmI = () => currentUser ??= fetchCurrentUserId(client);
  const common = {
    userAgent: `dtctl/${VERSION}`,
    verbosity: options.verbosity,
    log: options.log,
    concurrency: options.concurrency,
    rateLimit: options.rateLimit,
    safety: createSafetyGuard({ level: context.safetyLevel, currentUser: whoAmI, contextName: context.name }),
  };
  const client: PlatformClient = await createContextClient(context, env, common);
  return { context, client };
}

type CommonClientOptions = Omit<Parameters<typeof createClient>[0], "environment">;

async function createContextClient(
  context: ResolvedContext,
  env: Record<string, string | undefined>,
  common: CommonClientOptions,
): Promise<PlatformClient> {
  const credentials = context.credentials;
  switch (credentials.type) {
    case "local": {
      // Loaded lazily: the emulator is heavy and only the local context needs it.
      const { createLocalFetch, localDataDir } = await import("../emulator/local.ts");
      const fetch = createLocalFetch({ dir: localDataDir(env) });
      return createClient({ ...common, environment: context.environment, token: "dt0s16.LOCAL", fetch });
    }
    case "token":
      return createClient({ ...common, environment: context.environment, token: credentials.token });
    case "oauth":
      return createClient({
        ...common,
        environment: context.environment,
        oauth: {
          clientId: credentials.clientId,
          clientSecret: credentials.clientSecret,
          tokenUrl: credentials.tokenUrl,
        },
      });
  }
}

/** The current user as the platform reports it. */
export interface CurrentUser {
  /** SSO user id. */
  userId: string;
  /** Display name. */
  userName: string;
  /** E-mail address. */
  emailAddress: string;
}

/** Reads the caller's identity from `/platform/metadata/v1/user`. */
export function getCurrentUser(client: PlatformClient, signal?: AbortSignal): Promise<CurrentUser> {
  return client.request<CurrentUser>({ path: "/platform/metadata/v1/user", signal });
}

async function fetchCurrentUserId(client: PlatformClient): Promise<string | undefined> {
  return (await getCurrentUser(client)).userId;
}

function processEnv(): Record<string, string | undefined> {
  return { ...process.env };
}
