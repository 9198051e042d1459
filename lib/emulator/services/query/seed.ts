/**
 * Deterministic sample data for the Grail data objects: a few hundred records per table, spread backwards
 * from "now" so the default two-hour timeframe finds some and wider `from:` values find more.
 *
 * Each table draws from its own fixed pseudo-random sequence, so the data is identical on every run for the
 * same clock and independent of the emulator's request-level random source.
 *
 * @module
 */

import { mulberry32 as seededRandom, type Random } from "../../random.ts";
import type { EmulatorStore } from "../../types.ts";
import { writeTable } from "./tables.ts";
import { type DqlRecord, Duration, Timestamp } from "./values.ts";

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)];
const hex = (random: Random, length: number) =>
  Array.from({ length }, () => Math.floor(random() * 16).toString(16)).join("");

const HOSTS = [
  { name: "ip-10-0-1-17.ec2.internal", id: "HOST-5B9B4A3E1D2C0F11" },
  { name: "ip-10-0-2-42.ec2.internal", id: "HOST-7C1D2E3F4A5B6C22" },
  { name: "aks-nodepool1-0001", id: "HOST-1A2B3C4D5E6F7A33" },
  { name: "build-agent-03", id: "HOST-9F8E7D6C5B4A3944" },
];
const SERVICES = [
  { name: "checkout-service", id: "SERVICE-0A1B2C3D4E5F6071", ns: "shop" },
  { name: "payment-service", id: "SERVICE-1B2C3D4E5F607182", ns: "shop" },
  { name: "frontend", id: "SERVICE-2C3D4E5F60718293", ns: "web" },
  { name: "inventory-api", id: "SERVICE-3D4E5F60718293A4", ns: "shop" },
];
const ROUTES = [
  "GET /api/cart",
  "POST /api/checkout",
  "GET /api/products",
  "POST /api/payment",
  "GET /health",
];

/** Spreads `count` timestamps over `windowMs` before `now`, newest first, with a little jitter. */
function timestamps(random: Random, now: number, count: number, windowMs: number): Timestamp[] {
  const step = windowMs / count;
  return Array.from({ length: count }, (_, i) => {
    const millis = now - Math.floor(i * step + random() * step * 0.9) - 1;
    return new Timestamp(BigInt(millis) * 1_000_000n + BigInt(Math.floor(random() * 1_000_000)));
  });
}

function logs(now: number): DqlRecord[] {
  const random = seededRandom(101);
  return timestamps(random, now, 300, 6 * 3_600_000).map((timestamp) => {
    const host = pick(random, HOSTS);
    const service = pick(random, SERVICES);
    const roll = random();
    const loglevel = roll < 0.08 ? "ERROR" : roll < 0.2 ? "WARN" : roll < 0.3 ? "DEBUG" : "INFO";
    const route = pick(random, ROUTES);
    const status = loglevel === "ERROR"
      ? pick(random, [500n, 502n, 503n])
      : pick(random, [200n, 200n, 201n, 404n]);
    const millis = Math.round(random() * 900 + 5);
    const content = loglevel === "ERROR"
      ? `${route} failed with ${status}: upstream ${
        pick(random, ["timeout", "connection reset", "bad gateway"])
      }`
      : `${route} ${status} ${millis}ms`;
    return {
      timestamp,
      content,
      loglevel,
      status: loglevel,
      "log.source": `/var/log/${service.name}/app.log`,
      "host.name": host.name,
      "dt.entity.host": host.id,
      "service.name": service.name,
      "k8s.namespace.name": service.ns,
      "k8s.pod.name": `${service.name}-${hex(random, 8)}-${hex(random, 5)}`,
      "http.status_code": status,
      "trace_id": hex(random, 32),
      "dt.system.bucket": "default_logs",
    };
  });
}

function events(now: number): DqlRecord[] {
  const random = seededRandom(202);
  return timestamps(random, now, 200, 24 * 3_600_000).map((timestamp, i) => {
    const host = pick(random, HOSTS);
    const service = pick(random, SERVICES);
    const kind = pick(random, ["DAVIS_EVENT", "DAVIS_EVENT", "SDLC_EVENT", "INFO_EVENT"]);
    const base: DqlRecord = {
      timestamp,
      "event.id": `${BigInt(now) - BigInt(i) * 7919n}_${hex(random, 6)}`,
      "event.kind": kind,
      "event.provider": kind === "SDLC_EVENT" ? "github.actions" : "dynatrace",
      "dt.system.bucket": "default_events",
    };
    if (kind === "SDLC_EVENT") {
      return {
        ...base,
        "event.type": pick(random, ["deployment", "build", "validation"]),
        "event.status": pick(random, ["started", "finished", "finished"]),
        "cicd.pipeline.name": `${service.name}-release`,
        "cicd.deployment.name": service.name,
        "vcs.ref.base.revision": hex(random, 40),
      };
    }
    const type = pick(random, ["CPU_SATURATED", "HIGH_MEMORY", "ERROR_EVENT", "AVAILABILITY_EVENT"]);
    const durationMs = Math.round(random() * 1_800_000);
    return {
      ...base,
      "event.type": type,
      "event.name": type === "CPU_SATURATED" ? "CPU saturation" : type.toLowerCase().replace(/_/g, " "),
      "event.status": pick(random, ["ACTIVE", "CLOSED", "CLOSED"]),
      "event.start": timestamp,
      duration: Duration.fromMillis(durationMs),
      "dt.entity.host": host.id,
      "host.name": host.name,
      "affected_entity_ids": [host.id, service.id],
    };
  });
}

function bizevents(now: number): DqlRecord[] {
  const random = seededRandom(303);
  const products = [
    { name: "Alpine Jacket", price: 189.9 },
    { name: "Trail Shoes", price: 129.5 },
    { name: "Headlamp", price: 39.99 },
    { name: "Water Bottle", price: 14.25 },
  ];
  return timestamps(random, now, 250, 12 * 3_600_000).map((timestamp) => {
    const product = pick(random, products);
    const quantity = BigInt(1 + Math.floor(random() * 4));
    const type = pick(random, [
      "com.shop.cart.add",
      "com.shop.checkout",
      "com.shop.checkout",
      "com.shop.refund",
    ]);
    return {
      timestamp,
      "event.id": `${hex(random, 8)}-${hex(random, 4)}-${hex(random, 4)}-${hex(random, 4)}-${
        hex(random, 12)
      }`,
      "event.type": type,
      "event.provider": "shop.frontend",
      product: product.name,
      quantity,
      amount: Math.round(product.price * Number(quantity) * 100) / 100,
      currency: "EUR",
      "customer.tier": pick(random, ["gold", "silver", "bronze"]),
      success: type !== "com.shop.refund" && random() > 0.05,
      "dt.system.bucket": "default_bizevents",
    };
  });
}

function spans(now: number): DqlRecord[] {
  const random = seededRandom(404);
  return timestamps(random, now, 300, 6 * 3_600_000).map((end) => {
    const service = pick(random, SERVICES);
    const route = pick(random, ROUTES);
    const durationNs = BigInt(Math.floor(random() * 800_000_000 + 200_000));
    const start = new Timestamp(end.nanos - durationNs);
    const failed = random() < 0.06;
    return {
      timestamp: start,
      start_time: start,
      end_time: end,
      duration: new Duration(durationNs),
      "span.name": route,
      "span.kind": pick(random, ["server", "server", "client", "internal"]),
      "trace.id": hex(random, 32),
      "span.id": hex(random, 16),
      "service.name": service.name,
      "dt.entity.service": service.id,
      "http.request.method": route.split(" ")[0],
      "http.route": route.split(" ")[1],
      "http.response.status_code": failed ? 500n : 200n,
      "request.is_failed": failed,
      "dt.system.bucket": "default_spans",
    };
  });
}

function systemEvents(now: number): DqlRecord[] {
  const random = seededRandom(505);
  const users = ["alice@example.com", "bob@example.com", "ci-bot@example.com"];
  const queries = ["fetch logs | limit 100", "fetch spans | summarize count()", "fetch bizevents, from:-24h"];
  return timestamps(random, now, 120, 24 * 3_600_000).map((timestamp) => {
    const query = pick(random, queries);
    return {
      timestamp,
      "event.kind": "QUERY_EXECUTION_EVENT",
      "event.provider": "QUERY_EXECUTION_ENGINE",
      "query_id": `${hex(random, 8)}-${hex(random, 4)}-4${hex(random, 3)}-a${hex(random, 3)}-${
        hex(random, 12)
      }`,
      "query_string": query,
      "status": random() < 0.04 ? "FAILED" : "SUCCEEDED",
      "user.email": pick(random, users),
      "scanned_bytes": BigInt(Math.floor(random() * 5_000_000_000)),
      "scanned_records": BigInt(Math.floor(random() * 2_000_000)),
      "execution_duration_ms": BigInt(Math.floor(random() * 4000 + 20)),
      "client.application_context": pick(random, ["dtctl", "notebooks", "dashboards"]),
      "dt.system.bucket": "dt_system_events",
    };
  });
}

/** The generators per data object. */
const GENERATORS: Record<string, (now: number) => DqlRecord[]> = {
  logs,
  events,
  bizevents,
  spans,
  "dt.system.events": systemEvents,
};

/** Writes the sample records of every seeded data object, with timestamps relative to `now` (epoch ms). */
export function seedTables(store: EmulatorStore, now: number): void {
  for (const [name, generate] of Object.entries(GENERATORS)) writeTable(store, name, generate(now));
}
