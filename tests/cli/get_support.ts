/**
 * A platform for deterministic CLI output: the demo data on an emulator with a fixed clock and PRNG seed,
 * served on 127.0.0.1 and reached through an env-only context (DT_ENVIRONMENT_URL + DT_API_TOKEN).
 */

import { createEmulator, type Emulator } from "../../lib/emulator/mod.ts";
import { type CliResult, runDtctl, tempConfig } from "./support.ts";

/** The fixed "now" of the platform: every demo timestamp derives from it. */
const FIXED_NOW = Date.parse("2026-01-15T12:00:00.000Z");

/** Ids of the demo data. */
export const DEMO = {
  nightly: "5c1a9e0e-2f64-4d59-9b8e-3a7c1d2e4f01",
  deployments: "5c1a9e0e-2f64-4d59-9b8e-3a7c1d2e4f02",
  manual: "5c1a9e0e-2f64-4d59-9b8e-3a7c1d2e4f03",
  hosts: "demo-dashboard-hosts",
  services: "demo-dashboard-services",
  k8s: "demo-dashboard-shared-k8s",
  logs: "demo-notebook-logs",
  incident: "demo-notebook-incident",
  launchpad: "demo-launchpad-home",
} as const;

/** A served platform and how to run dtctl against it. */
export interface FixedPlatform {
  /** Base URL. */
  url: string;
  /** The emulator behind it. */
  emulator: Emulator;
  /** Environment of an env-only context for it (no config file). */
  env: Record<string, string>;
  /** Runs dtctl against it. */
  run(args: string[], options?: { stdin?: string; env?: Record<string, string> }): Promise<CliResult>;
  /** Stops the server and removes the temp directory. */
  close(): Promise<void>;
}

/** Starts the fixed-clock platform. */
export async function fixedPlatform(): Promise<FixedPlatform> {
  const emulator = createEmulator({ data: "demo", seed: 1, clock: { now: () => FIXED_NOW } });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, emulator.handle);
  const url = `http://127.0.0.1:${server.addr.port}`;
  const config = await tempConfig();
  const env = { DT_ENVIRONMENT_URL: url, DT_API_TOKEN: "dt0s16.TEST", ...config.env };
  return {
    url,
    emulator,
    env,
    run: (args, options = {}) => runDtctl(args, { env: { ...env, ...options.env }, stdin: options.stdin }),
    async close() {
      await server.shutdown();
      await config.cleanup();
    },
  };
}
