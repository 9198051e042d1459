/**
 * Demo filter segments, including a ready-made one.
 *
 * @module
 */

import type { SeedOptions } from "../../service.ts";
import type { EmulatorStore } from "../../types.ts";
import { type SegmentRecord, segments } from "./model.ts";

/** Owner of ready-made segments (they are provided by Dynatrace, not by a user). */
export const READY_MADE_OWNER = "dynatrace";

/**
 * The filter AST of `key = "value"`, in the shape the platform stores (`range`s are character offsets into the
 * DQL text the AST came from).
 */
export function equalsFilter(key: string, value: string): string {
  const valueText = JSON.stringify(value);
  const keyEnd = key.length;
  const opStart = keyEnd + 1;
  const valueStart = opStart + 2;
  const end = valueStart + valueText.length;
  return JSON.stringify({
    type: "Group",
    logicalOperator: "AND",
    explicit: false,
    range: { from: 0, to: end },
    children: [{
      type: "Statement",
      range: { from: 0, to: end },
      key: { type: "Key", textValue: key, value: key, range: { from: 0, to: keyEnd } },
      operator: {
        type: "ComparisonOperator",
        textValue: "=",
        value: "=",
        range: { from: opStart, to: opStart + 1 },
      },
      value: {
        type: "String",
        textValue: valueText,
        value,
        range: { from: valueStart, to: end },
        isEscaped: false,
      },
    }],
  });
}

function demoSegments(userId: string): SegmentRecord[] {
  return [
    {
      uid: "dtRdyK8sCl1",
      name: "Kubernetes cluster",
      description: "Ready-made: all data of one Kubernetes cluster",
      isPublic: true,
      owner: READY_MADE_OWNER,
      externalId: null,
      variables: { type: "query", value: "fetch dt.entity.kubernetes_cluster | fields entity.name" },
      includes: [{
        dataObject: "_all_data_object",
        filter: equalsFilter("k8s.cluster.name", "$entity.name"),
      }],
      version: 1,
      isReadyMade: true,
    },
    {
      uid: "DemoProdEnv",
      name: "Production",
      description: "Only data of the production namespace",
      isPublic: true,
      owner: userId,
      externalId: "demo:production",
      variables: null,
      includes: [
        { dataObject: "logs", filter: equalsFilter("k8s.namespace.name", "prod") },
        { dataObject: "spans", filter: equalsFilter("k8s.namespace.name", "prod") },
      ],
      version: 1,
      isReadyMade: false,
    },
    {
      uid: "DemoCheckt1",
      name: "Checkout service",
      description: "Logs and spans of the checkout service",
      isPublic: false,
      owner: userId,
      externalId: null,
      variables: null,
      includes: [
        { dataObject: "logs", filter: equalsFilter("service.name", "checkout") },
        { dataObject: "spans", filter: equalsFilter("service.name", "checkout") },
      ],
      version: 1,
      isReadyMade: false,
    },
  ];
}

/** Adds the demo segments that are absent. */
export function seedSegments(store: EmulatorStore, options: SeedOptions): void {
  if (!options.demo) return;
  const all = segments(store);
  for (const segment of demoSegments(options.user.userId)) {
    if (!all.has(segment.uid)) all.set(segment.uid, segment);
  }
  store.markDirty();
}
