/**
 * The platform SLO service (`/platform/slo/v1`) as an emulator service.
 *
 * @module
 */

import type { EmulatorService } from "../../service.ts";
import { mulberry32 } from "../../random.ts";
import type { EmulatorStore } from "../../types.ts";
import type { QueryEngine } from "../query/engine.ts";
import { createInterimEngine } from "../query/interim/engine.ts";
import { evaluationRoutes, type EvaluationSettings } from "./evaluation_routes.ts";
import { newVersion, type Slo, slos } from "./model.ts";
import { sloRoutes } from "./routes.ts";

/** The service name, also the key of its runtime options in `serviceOptions`. */
export const SLO_SERVICE_NAME = "slo";

/** Options of {@link createSloService}. */
export interface SloServiceOptions extends Partial<EvaluationSettings> {
  /** Engine that evaluates SLIs (default: the interim engine). */
  engine?: QueryEngine;
}

/** Demo SLOs: realistic `timeseries` indicators, identified by stable ids. */
const DEMO_SLOS: Array<Omit<Slo, "version">> = [
  {
    id: "demoCheckoutAvail",
    name: "Checkout availability",
    description: "Successful checkout requests over the last 7 days.",
    externalId: "demo:checkout-availability",
    tags: ["team:shop", "tier:1"],
    criteria: [{ timeframeFrom: "now-7d", timeframeTo: "now", target: 99.5, warning: 99.8 }],
    sliReference: {
      templateId: "tpl-service-availability",
      variables: [{ name: "services", value: '"SERVICE-0A1B2C3D4E5F6071"' }],
    },
  },
  {
    id: "demoHostCpuIdle01",
    name: "Build agents CPU headroom",
    tags: ["team:platform"],
    criteria: [{ timeframeFrom: "now-1d", timeframeTo: "now", target: 20 }],
    customSli: {
      indicator: 'timeseries sli = avg(dt.host.cpu.idle), filter:in(dt.entity.host, "HOST-9F8E7D6C5B4A3944")',
    },
  },
];

function seedSlos(store: EmulatorStore, random: () => number): void {
  for (const slo of DEMO_SLOS) {
    if (!slos(store).has(slo.id)) slos(store).set(slo.id, { ...slo, version: newVersion(random) });
  }
  store.markDirty();
}

/** Creates the SLO service. */
export function createSloService(options: SloServiceOptions = {}): EmulatorService {
  const { engine = createInterimEngine(), evaluationDelayMs = 0, evaluationTtlSeconds = 300 } = options;
  return {
    name: SLO_SERVICE_NAME,
    routes: [...evaluationRoutes(engine, { evaluationDelayMs, evaluationTtlSeconds }), ...sloRoutes()],
    seed(store, { demo, random }) {
      // Versions only need to be opaque; a fixed fallback seed keeps seeding deterministic without one.
      if (demo) seedSlos(store, random ?? mulberry32(1));
    },
  };
}

/** The SLO service with default settings. */
export const sloService: EmulatorService = createSloService();
