/**
 * Users of the emulated tenant.
 *
 * @module
 */

import type { EmulatorUser } from "./types.ts";

/** The user requests map to when no token configuration says otherwise. */
export const DEFAULT_USER: EmulatorUser = Object.freeze({
  userId: "6f1c9a52-3d7e-4b8a-9c21-5e0d4f7a8b13",
  userName: "Local Developer",
  emailAddress: "developer@dtctl.local",
});

/** A second user, for ownership and sharing scenarios. */
export const COLLEAGUE_USER: EmulatorUser = Object.freeze({
  userId: "0a7b3c4d-8e9f-4a1b-b2c3-d4e5f6a7b8c9",
  userName: "Colleague",
  emailAddress: "colleague@dtctl.local",
});

/** A user record for an id that only appears in token configuration. */
export function userFromId(userId: string): EmulatorUser {
  return { userId, userName: userId, emailAddress: `${userId}@dtctl.local` };
}
