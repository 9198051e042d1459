/**
 * The current user (`/platform/metadata/v1/user`), read-only. Other users live in the account-level IAM API,
 * which platform tokens cannot read: `get user` lists exactly one user, and `get user me` (or the user's own
 * id, name or e-mail) reads it.
 *
 * @module
 */

import type { PlatformClient } from "../../client/mod.ts";
import { DtctlError } from "../../errors/mod.ts";
import type { KindContext, RemoteObject, ResourceKind } from "../types.ts";
import { str } from "./text.ts";

/** The current user. */
export interface User {
  /** SSO user id (UUID). */
  userId: string;
  /** Display name. */
  userName: string;
  /** E-mail address. */
  emailAddress: string;
  /** Fields the API may add later. */
  [field: string]: unknown;
}

/** Reads the caller's identity. */
export function getCurrentUser(client: PlatformClient, signal?: AbortSignal): Promise<User> {
  return client.request<User>({ path: "/platform/metadata/v1/user", signal, resource: { kind: "user" } });
}

/**
 * Reads a user: `me`, or the current user's id, name or e-mail address. Other users are `not_found` (the
 * platform exposes only the caller).
 */
export async function getUser(client: PlatformClient, id: string, signal?: AbortSignal): Promise<User> {
  const me = await getCurrentUser(client, signal);
  const wanted = id.toLowerCase();
  if (
    wanted === "me" || wanted === me.userId.toLowerCase() ||
    wanted === String(me.emailAddress).toLowerCase() ||
    wanted === String(me.userName).toLowerCase()
  ) {
    return me;
  }
  throw new DtctlError("not_found", `user "${id}" not found: only the current user can be read`, {
    hint: "Use `dtctl get user me`; other users are managed in the account's IAM (myaccount.dynatrace.com).",
    details: { id },
  });
}

/** The `user` kind (read-only: the current user). */
export const userKind: ResourceKind = {
  name: "user",
  plural: "users",
  aliases: [],
  description: "The current user (read-only)",
  idField: "userId",
  nameField: "userName",
  // `me`, ids and e-mail addresses are all answered by `get`.
  looksLikeId: () => true,
  serverFields: [],
  locking: "read-only",
  columns: [
    { header: "user-id", value: (o: RemoteObject) => str(o.userId) },
    { header: "name", value: (o) => str(o.userName) },
    { header: "email", value: (o) => str(o.emailAddress) },
  ],
  list: (context: KindContext) =>
    (async function* () {
      yield await getCurrentUser(context.client, context.signal);
    })(),
  get: (context, id) => getUser(context.client, id, context.signal),
};
