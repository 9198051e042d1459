/**
 * `dtctl serve`: runs the local Dynatrace platform on a port, so SDK clients, other tools and other dtctl
 * processes can use it. Prints its URL and a ready line; stops cleanly on SIGINT/SIGTERM.
 *
 * @module
 */

import { type Command, Option } from "@commander-js/extra-typings";
import process from "node:process";
import { usageError } from "../../errors/mod.ts";
import type { RuntimeOf } from "../program.ts";
import { collect } from "./resource_common.ts";

function number(flag: string, min: number, max = Number.POSITIVE_INFINITY) {
  return (text: string): number => {
    const value = Number(text);
    if (text.trim() === "" || !Number.isFinite(value) || value < min || value > max) {
      throw usageError(`invalid value "${text}" for ${flag}`, {
        hint: `${flag} takes a number between ${min} and ${max === Number.POSITIVE_INFINITY ? "∞" : max}`,
        details: { flag, value: text },
      });
    }
    return value;
  };
}

/** Registers `serve`. */
export function registerServe(program: Command, runtimeOf: RuntimeOf): void {
  program.command("serve")
    .description("run the local Dynatrace platform (emulator) on a port")
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .option("--port <port>", "port (0 picks a free one)", number("--port", 0, 65535), 8787)
    .option("--data <dir>", "persist state in this directory (default: in memory)")
    .addOption(
      new Option("--seed <seed>", "initial data").choices(["demo", "empty"] as const).default("demo"),
    )
    .option("--latency <ms>", "added latency per request", number("--latency", 0), 0)
    .option(
      "--fault-rate <fraction>",
      "fraction of requests answered with a 5xx",
      number("--fault-rate", 0, 1),
      0,
    )
    .option("--rate-limit <n>", "requests per second before 429 Too Many Requests", number("--rate-limit", 1))
    .addOption(
      new Option("--token <token>", "accept only these tokens (repeatable)")
        .argParser(collect)
        .default([] as string[], "any token"),
    )
    .action(async (options, command) => {
      const runtime = runtimeOf(command);
      const { serveEmulator } = await import("../../emulator/serve.ts");
      const stop = new AbortController();
      const signals = ["SIGINT", "SIGTERM"] as const;
      const onSignal = () => stop.abort();
      for (const signal of signals) process.on(signal, onSignal);
      try {
        const server = await serveEmulator({
          host: options.host,
          port: options.port,
          dataDir: options.data,
          seed: options.seed,
          latencyMs: options.latency,
          faultRate: options.faultRate,
          rateLimit: options.rateLimit,
          tokens: options.token.length > 0 ? options.token : undefined,
          signal: stop.signal,
        });
        runtime.io.stdout(`dtctl local platform listening on ${server.url}\n`);
        runtime.io.stdout(`ready (Ctrl+C to stop)\n`);
        await server.finished;
        runtime.status("stopped");
      } finally {
        for (const signal of signals) process.off(signal, onSignal);
      }
    });
}
