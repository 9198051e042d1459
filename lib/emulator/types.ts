/**
 * Contracts shared by the emulator's core and its services.
 *
 * The emulator is one web-standard `(Request) => Promise<Response>` handler. Each platform service
 * (documents, automation, query, ...) contributes a list of {@link Route}s; the core matches the route,
 * authenticates the caller, injects faults, and hands the route a {@link RouteContext}.
 *
 * @module
 */

/** A user of the emulated tenant. Owners, `createdBy` and ownership checks refer to `userId`. */
export interface EmulatorUser {
  /** Stable id (a UUID, as SSO user ids are). */
  userId: string;
  /** Display name. */
  userName: string;
  /** E-mail address. */
  emailAddress: string;
}

/** A source of the current time; tests replace it to make time-dependent behaviour deterministic. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/**
 * Persistent emulator state: named collections of JSON-serialisable records, keyed by id.
 *
 * Collections are plain `Map`s so services stay simple; whatever a service stores must survive
 * `JSON.stringify` (store binary content as base64). A service that changes a collection outside a request
 * handler must call {@link EmulatorStore.markDirty}; handlers of non-GET requests are marked dirty by the core.
 */
export interface EmulatorStore {
  /** The collection with this name, created empty on first use. */
  collection<T>(name: string): Map<string, T>;
  /** Records that the state changed and must be persisted. */
  markDirty(): void;
}

/** Everything a route handler needs. */
export interface RouteContext {
  /** The incoming request (its body is unread). */
  request: Request;
  /** The parsed request URL. */
  url: URL;
  /** Path parameters, from `:name` segments of the route path (URL-decoded). */
  params: Record<string, string>;
  /** The authenticated caller. */
  user: EmulatorUser;
  /** The tenant's state. */
  store: EmulatorStore;
  /** The current time. */
  clock: Clock;
  /** A deterministic random source (seeded), for ids and tokens. */
  random: () => number;
  /**
   * Options of the service that owns the route (`EmulatorOptions.serviceOptions[service.name]`), e.g. the
   * bucket transition delay. Empty when none were given; absent only in contexts built by hand.
   */
  options?: Readonly<Record<string, unknown>>;
  /** Every user of the emulated tenant (the caller included), for ownership transfers and share recipients. */
  users?: readonly EmulatorUser[];
}

/** One endpoint of an emulated service. */
export interface Route {
  /** HTTP method, upper case. */
  method: string;
  /**
   * Path from the URL root with `:name` parameters, e.g. `/platform/document/v1/documents/:id`.
   * A parameter matches one path segment; literal suffixes such as `:restore` in `.../:id/restore` are
   * written as they appear.
   */
  path: string;
  /** Scopes the caller's token needs (checked only for tokens configured with scopes). */
  scopes?: string[];
  /** The error-envelope family of the service, used for 401/403/404/405 produced by the core. */
  family: ErrorFamily;
  /** The handler. */
  handle(context: RouteContext): Response | Promise<Response>;
}

/** The four error-envelope families of the platform (see `docs/architecture.md`). */
export type ErrorFamily = "query" | "platform" | "storage" | "classic";
