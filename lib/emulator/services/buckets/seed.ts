/**
 * Buckets: the read-only `default_*` buckets every tenant has, and demo custom buckets.
 *
 * @module
 */

import type { SeedOptions } from "../../service.ts";
import type { EmulatorStore } from "../../types.ts";
import { type BucketRecord, buckets } from "./model.ts";

function bucket(
  bucketName: string,
  table: string,
  displayName: string,
  retentionDays: number,
  records: number,
  extra: Partial<BucketRecord> = {},
): BucketRecord {
  return {
    bucketName,
    table,
    displayName,
    status: "active",
    retentionDays,
    includedQueryLimitDays: 0,
    version: 1,
    updatable: false,
    records,
    // Roughly 1 KiB per record, so sizes and counts stay plausible together.
    estimatedUncompressedBytes: records * 1024,
    ...extra,
  };
}

/** The built-in buckets of every tenant. */
export const DEFAULT_BUCKETS: readonly BucketRecord[] = [
  bucket("default_logs", "logs", "Default logs (35 days)", 35, 182_340),
  bucket("default_events", "events", "Default events (35 days)", 35, 12_877),
  bucket("default_bizevents", "bizevents", "Business events (35 days)", 35, 24_544),
  bucket("default_spans", "spans", "Default spans (10 days)", 10, 905_112),
  bucket("default_metrics", "metrics", "Default metrics", 462, 131_434, { metricInterval: "PT1M" }),
  bucket("default_securityevents", "security.events", "Default security events (3 years)", 1095, 3_021),
];

const DEMO_BUCKETS: readonly BucketRecord[] = [
  bucket("team_logs", "logs", "Team logs (90 days)", 90, 48_200, { updatable: true, bucketClass: "live" }),
  bucket("audit_events", "events", "Audit events (1 year)", 365, 1_204, {
    updatable: true,
    bucketClass: "live",
  }),
];

/** Adds the default buckets (always) and the demo buckets (demo only) that are absent. */
export function seedBuckets(store: EmulatorStore, options: SeedOptions): void {
  const all = buckets(store);
  const wanted = options.demo ? [...DEFAULT_BUCKETS, ...DEMO_BUCKETS] : DEFAULT_BUCKETS;
  for (const b of wanted) if (!all.has(b.bucketName)) all.set(b.bucketName, structuredClone(b));
  store.markDirty();
}
