/**
 * Shared setup of the managed-kind tests: manifests from YAML text (through the real loader, so defaults and
 * positions are as in production), a local platform, and the create → find → normalize round trip.
 *
 * @module
 */

import assert from "node:assert/strict";
import { semanticEqual } from "../../lib/diff/mod.ts";
import { loadManifests } from "../../lib/manifest/mod.ts";
import type { Manifest } from "../../lib/manifest/types.ts";
import type { Identity, ManagedKind } from "../../lib/plan/adapter.ts";
import { managedKind } from "../../lib/plan/kinds/mod.ts";
import type { KindContext, RemoteObject } from "../../lib/resources/types.ts";
import { toCanonicalYaml } from "../../lib/diff/mod.ts";

export { collect, failure, testPlatform } from "../resources/setting_support.ts";

/** Loads manifests from YAML text (as stdin), with the loader's defaults and validation. */
export async function manifestsFrom(yaml: string): Promise<Manifest[]> {
  const { manifests } = await loadManifests({
    paths: ["-"],
    cwd: Deno.cwd(),
    readStdin: () => Promise.resolve(yaml),
  });
  return manifests;
}

/** The one manifest of YAML text. */
export async function manifestFrom(yaml: string): Promise<Manifest> {
  const manifests = await manifestsFrom(yaml);
  assert.equal(manifests.length, 1);
  return manifests[0];
}

/** An envelope manifest as YAML text. */
export function envelope(
  kind: string,
  name: string,
  spec: Record<string, unknown>,
  annotations?: Record<string, string>,
) {
  return JSON.stringify({
    apiVersion: "dtctl/v1",
    kind,
    metadata: { name, ...(annotations ? { annotations } : {}) },
    spec,
  });
}

/** What a plan step sees for one manifest. */
export interface Planned {
  kind: ManagedKind;
  identity: Identity;
  desired: RemoteObject;
  live?: RemoteObject;
}

/** Identify, find and compute the desired object of a manifest, as a planner would. */
export async function plan(
  context: KindContext,
  manifest: Manifest,
  stack: string,
  references: ReadonlyMap<string, string> = new Map(),
): Promise<Planned> {
  const kind = managedKind(manifest.kind);
  const identity = kind.identify(manifest, stack);
  const live = await kind.find(context, identity);
  const desired = kind.desired(manifest, stack, identity, references);
  return { kind, identity, desired, live };
}

/** Asserts that the live object, normalised, equals the desired one (showing both as YAML when not). */
export function assertConverged(
  kind: ManagedKind,
  live: RemoteObject | undefined,
  desired: RemoteObject,
): void {
  assert.ok(live, "the object was not found");
  const normalized = kind.normalize(live, desired);
  if (!semanticEqual(normalized, desired)) {
    assert.fail(
      `normalize(live) differs from desired\n--- desired\n${toCanonicalYaml(desired)}--- normalized live\n${
        toCanonicalYaml(normalized)
      }`,
    );
  }
}

/** Creates a manifest's object, then checks the next plan finds it and sees no change. Returns that plan. */
export async function createAndReplan(
  context: KindContext,
  manifest: Manifest,
  stack: string,
  references: ReadonlyMap<string, string> = new Map(),
): Promise<Planned & { live: RemoteObject; created: RemoteObject }> {
  const first = await plan(context, manifest, stack, references);
  assert.equal(first.live, undefined, `${manifest.kind}/${manifest.name} already exists`);
  const created = await first.kind.create(context, first.desired);
  const second = await plan(context, manifest, stack, references);
  assertConverged(second.kind, second.live, second.desired);
  assert.equal(second.kind.idOf(second.live!), second.kind.idOf(created));
  return { ...second, live: second.live!, created };
}
