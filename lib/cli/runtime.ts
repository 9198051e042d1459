/**
 * What every command shares: the process streams, the global flags, the colour rule, the lazily connected
 * client, and the one printer that honours `-o` and `-A`.
 *
 * @module
 */

import type { PlatformClient } from "../client/mod.ts";
import type { DtctlConfig, ResolvedContext } from "../config/mod.ts";
import type { Connection } from "../connect/mod.ts";
import { usageError } from "../errors/mod.ts";
import { createPalette, type Palette, shouldUseColor } from "../output/color.ts";
import { successEnvelope } from "../output/envelope.ts";

/** The process around the CLI; tests substitute buffers. */
export interface CliIO {
  /** Writes to stdout. */
  stdout(text: string): void;
  /** Writes to stderr. */
  stderr(text: string): void;
  /** Reads all of stdin. */
  readStdin(): Promise<string>;
  /** Environment variables. */
  env: Record<string, string | undefined>;
  /** stdout is a terminal. */
  stdoutIsTTY: boolean;
  /** stdin is a terminal. */
  stdinIsTTY: boolean;
  /** stderr is a terminal (progress lines are written only then); absent means no. */
  stderrIsTTY?: boolean;
}

/** The global flags, as parsed. */
export interface GlobalOptions {
  /** `--context NAME`. */
  context?: string;
  /** `-o/--output FORMAT`. */
  output?: string;
  /** Count of `-v`. */
  verbose: number;
  /** `--plain`: no colour, no prompts, no progress. */
  plain: boolean;
  /** False when `--no-color` is given. */
  color: boolean;
  /** `-A/--agent`: JSON envelope on stdout. */
  agent: boolean;
}

/** Output formats every command understands; commands may add their own (`wide`, `csv`, ...). */
export const BASE_FORMATS = ["table", "json", "yaml"] as const;

/** How a command's result is rendered for a person (the default `table` format). */
export type HumanRenderer = () => string;

/** Shared state of one CLI invocation. */
export class CliRuntime {
  /** The process streams. */
  readonly io: CliIO;
  /** The global flags. */
  readonly globals: GlobalOptions;
  /** ANSI styles, identity when colour is off. */
  readonly palette: Palette;
  /**
   * The exit code of a command that succeeded but must not exit 0 (`diff` with changes exits 1). Failures
   * throw instead, and their code decides.
   */
  exitCode?: number;
  /**
   * Set when Ctrl+C (or the IO's signal) interrupted the command: a failure as `aborted` then exits 130.
   */
  interrupted = false;
  #config?: Promise<DtctlConfig>;
  #connection?: Promise<Connection>;
  #toYaml?: (value: unknown) => string;

  /** Creates the runtime for one invocation. */
  constructor(io: CliIO, globals: GlobalOptions) {
    this.io = io;
    this.globals = globals;
    this.palette = createPalette(
      shouldUseColor({ env: io.env, plain: globals.plain, noColor: !globals.color, isTTY: io.stdoutIsTTY }),
    );
  }

  /** 0, 1 or 2: how much HTTP traffic to log. */
  get verbosity(): 0 | 1 | 2 {
    return Math.min(this.globals.verbose, 2) as 0 | 1 | 2;
  }

  /** The config file (loaded once). */
  config(): Promise<DtctlConfig> {
    // Config, client and YAML are loaded on first use: `dtctl version` and `--help` need none of them.
    return this.#config ??= import("../config/mod.ts").then(({ loadConfig }) =>
      loadConfig({ env: this.io.env })
    );
  }

  /** Loads what printing needs before the command runs (YAML only when `-o yaml` asks for it). */
  async prepare(): Promise<void> {
    if (this.globals.output === "yaml") this.#toYaml = (await import("../output/format.ts")).toYaml;
  }

  /** The connection to the selected context (made once, on first use). */
  connection(): Promise<Connection> {
    return this.#connection ??= Promise.all([this.config(), import("../connect/mod.ts")]).then((
      [config, { connect }],
    ) =>
      connect({
        context: this.globals.context,
        env: this.io.env,
        config,
        verbosity: this.verbosity,
        log: (line) => this.io.stderr(line.endsWith("\n") ? line : line + "\n"),
      })
    );
  }

  /** The platform client of the selected context. */
  async client(): Promise<PlatformClient> {
    return (await this.connection()).client;
  }

  /** The selected context. */
  async context(): Promise<ResolvedContext> {
    return (await this.connection()).context;
  }

  /**
   * The output format, validated against what the command supports. An invalid value is a usage error
   * listing the valid ones.
   */
  outputFormat(supported: readonly string[] = BASE_FORMATS): string {
    const format = this.globals.output ?? "table";
    if (!supported.includes(format)) {
      throw usageError(`invalid output format "${format}" for this command`, {
        hint: `use -o with one of: ${supported.join(", ")}`,
        details: { flag: "--output", value: format },
      });
    }
    return format;
  }

  /**
   * Prints a command's result: the agent envelope with `-A`, JSON or YAML with `-o json|yaml`, otherwise the
   * human rendering.
   */
  print(result: unknown, human: HumanRenderer, supported: readonly string[] = BASE_FORMATS): void {
    const format = this.outputFormat(supported);
    if (this.globals.agent) return this.io.stdout(toJson(successEnvelope(result)));
    if (format === "json") return this.io.stdout(toJson(result));
    if (format === "yaml") {
      if (!this.#toYaml) throw new Error("CliRuntime.prepare() must run before printing YAML");
      return this.io.stdout(this.#toYaml(result));
    }
    this.io.stdout(human());
  }

  /** A status line on stderr (`OK ...`, `Warning: ...`), suppressed in agent mode. */
  status(text: string): void {
    if (!this.globals.agent) this.io.stderr(text.endsWith("\n") ? text : text + "\n");
  }
}

/** Pretty JSON with a trailing newline (kept here so JSON output needs no YAML library). */
export function toJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + "\n";
}
