/**
 * The current user (`/platform/metadata/v1/user`) and the environment (`/platform/management/v1/environment`).
 *
 * @module
 */

import { json } from "../../envelope.ts";
import type { EmulatorService } from "../../service.ts";
import { isoTime } from "../../time.ts";
import type { EmulatorStore, RouteContext } from "../../types.ts";

/** Environment id reported when the `metadata` service options give none. */
export const DEFAULT_ENVIRONMENT_ID = "local";

interface EnvironmentRecord {
  createTime: string;
}

function environment(store: EmulatorStore): Map<string, EnvironmentRecord> {
  return store.collection<EnvironmentRecord>("environment");
}

function getUser(ctx: RouteContext): Response {
  const { userName, userId, emailAddress } = ctx.user;
  return json(200, { userName, userId, emailAddress });
}

function getEnvironment(ctx: RouteContext): Response {
  const configured = ctx.options?.environmentId;
  const environmentId = typeof configured === "string" && configured !== ""
    ? configured
    : DEFAULT_ENVIRONMENT_ID;
  const record = environment(ctx.store).get("environment");
  return json(200, {
    environmentId,
    createTime: record?.createTime ?? isoTime(ctx.clock.now()),
    type: "CUSTOMER",
    state: "ACTIVE",
  });
}

/** The emulated user-metadata and environment-management endpoints. */
export const metadataService: EmulatorService = {
  name: "metadata",
  routes: [
    {
      method: "GET",
      path: "/platform/metadata/v1/user",
      family: "platform",
      scopes: ["app-engine:apps:run"],
      handle: getUser,
    },
    {
      method: "GET",
      path: "/platform/management/v1/environment",
      family: "platform",
      handle: getEnvironment,
    },
  ],
  seed(store, options) {
    // The tenant's creation time is fixed once, like a real tenant's.
    if (!environment(store).has("environment")) {
      environment(store).set("environment", { createTime: isoTime(options.clock.now()) });
      store.markDirty();
    }
  },
};
