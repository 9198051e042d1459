/**
 * The project file `dtctl.yaml` (or `dtctl.yml`) at the repository root:
 *
 * ```yaml
 * apiVersion: dtctl/v1          # optional
 * kind: Project                 # optional
 * stack: payments               # required: ^[a-z0-9][a-z0-9-]{0,62}$, part of every object's identity
 * paths: [manifests]            # optional, relative to this file's directory; default ["."]
 * values:                       # optional template defaults (${{ values.* }})
 *   team: payments
 * environments:                 # name → environment
 *   prod:
 *     url: https://abc12345.apps.dynatrace.com
 *     credentials:              # optional; names of environment variables, never the secrets
 *       token: DT_PROD_TOKEN    # either token, or clientId + clientSecret (+ tokenUrl)
 *     values:                   # optional, merged over the project values
 *       retentionDays: 35
 * ```
 *
 * The file is found in the working directory or its parents; the search stops at a directory holding `.git`
 * (the repository root) or at the file-system root. Every problem is reported at once with its position.
 *
 * @module
 */

import { readFile, stat } from "node:fs/promises";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { DtctlError, usageError } from "../errors/mod.ts";
import { displayPath, PROJECT_FILE_NAMES } from "./files.ts";
import { isObject } from "./kinds.ts";
import { didYouMean } from "./names.ts";
import { ManifestError, Problems } from "./problems.ts";
import { fileStart, NodeLocator, parseSource, type ValuePath } from "./source.ts";
import { MANIFEST_API_VERSION, type Project, type ProjectEnvironment } from "./types.ts";

/** The stack name rule. */
export const STACK_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** The environment name rule (used with `--env`). */
export const ENVIRONMENT_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

const PROJECT_HINT = "Fix the project file at the positions shown.";
const ENV_VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const TOP_KEYS = ["apiVersion", "kind", "stack", "paths", "values", "environments"];
const ENVIRONMENT_KEYS = ["url", "credentials", "values"];
const CREDENTIAL_KEYS = ["token", "clientId", "clientSecret", "tokenUrl"] as const;

/** Options of {@link loadProject}. */
export interface LoadProjectOptions {
  /** Where the search starts. */
  cwd: string;
  /** An explicit project file (relative to `cwd`); no search then, and a missing file is an error. */
  file?: string;
}

async function exists(path: string): Promise<{ file: boolean; dir: boolean }> {
  const info = await stat(path).catch(() => undefined);
  return { file: info?.isFile() ?? false, dir: info?.isDirectory() ?? false };
}

/** The project file for `cwd`: in it or a parent, up to the repository root (`.git`) or the file-system root. */
export async function findProjectFile(cwd: string): Promise<string | undefined> {
  let dir = resolve(cwd);
  while (true) {
    const found: string[] = [];
    for (const name of PROJECT_FILE_NAMES) {
      if ((await exists(join(dir, name))).file) found.push(join(dir, name));
    }
    if (found.length > 1) {
      throw new DtctlError("config_error", `both ${found.join(" and ")} exist`, {
        hint: "Keep one project file per repository; delete or merge the other.",
        details: { files: found },
      });
    }
    if (found.length === 1) return found[0];
    const git = await stat(join(dir, ".git")).catch(() => undefined);
    const parent = dirname(dir);
    // `.git` is a directory in a clone and a file in a worktree or submodule; both mark the repository root.
    if (git || parent === dir) return undefined;
    dir = parent;
  }
}

class ProjectValidator {
  constructor(readonly locator: NodeLocator, readonly problems: Problems) {}

  add(path: ValuePath, message: string): void {
    this.problems.add(this.locator.locate(path), message);
  }

  unknownKeys(object: Record<string, unknown>, known: readonly string[], path: ValuePath): void {
    for (const key of Object.keys(object)) {
      if (!known.includes(key)) {
        this.problems.add(
          this.locator.locateKey([...path, key]),
          `unknown field "${key}"; allowed: ${known.join(", ")}.${didYouMean(key, known)}`,
        );
      }
    }
  }

  mapping(value: unknown, path: ValuePath, what: string): Record<string, unknown> {
    if (value === undefined || value === null) return {};
    if (isObject(value)) return value;
    this.add(path, `${what} must be a mapping`);
    return {};
  }

  stack(value: unknown): string {
    if (typeof value !== "string" || !STACK_NAME_PATTERN.test(value)) {
      this.add(
        ["stack"],
        value === undefined
          ? 'stack is required: the stack name, e.g. "stack: payments"'
          : `stack ${
            JSON.stringify(value)
          } is invalid: 1-63 characters of a-z, 0-9 and '-', starting with a letter or digit`,
      );
      return "";
    }
    return value;
  }

  paths(value: unknown): string[] {
    if (value === undefined || value === null) return ["."];
    if (!Array.isArray(value) || value.length === 0) {
      this.add(
        ["paths"],
        "paths must be a non-empty list of directories or files relative to the project file",
      );
      return [];
    }
    const paths: string[] = [];
    value.forEach((path, i) => {
      if (typeof path !== "string" || path.trim() === "") {
        this.add(["paths", i], "each path must be a non-empty string");
      } else if (isAbsolute(path)) {
        this.add(["paths", i], `path "${path}" must be relative to the project file`);
      } else paths.push(path);
    });
    return paths;
  }

  credentials(value: unknown, path: ValuePath): ProjectEnvironment["credentials"] {
    const object = this.mapping(value, path, "credentials");
    this.unknownKeys(object, CREDENTIAL_KEYS, path);
    const credentials: ProjectEnvironment["credentials"] = {};
    for (const key of CREDENTIAL_KEYS) {
      const name = object[key];
      if (name === undefined || name === null) continue;
      if (typeof name !== "string" || !ENV_VAR_NAME.test(name)) {
        this.add(
          [...path, key],
          `credentials.${key} must name an environment variable (e.g. DT_TOKEN), not hold a secret`,
        );
      } else {
        credentials[key] = name;
      }
    }
    const client = object.clientId !== undefined || object.clientSecret !== undefined;
    if (object.token !== undefined && client) {
      this.add(path, "credentials: use either token or clientId + clientSecret, not both");
    } else if (client && (object.clientId === undefined || object.clientSecret === undefined)) {
      this.add(path, "credentials: clientId and clientSecret go together");
    }
    if (object.tokenUrl !== undefined && !client) {
      this.add([...path, "tokenUrl"], "credentials.tokenUrl needs clientId + clientSecret");
    }
    return credentials;
  }

  url(value: unknown, path: ValuePath): string {
    let url: URL | undefined;
    try {
      url = typeof value === "string" ? new URL(value) : undefined;
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== "https:" && url.protocol !== "http:")) {
      this.add(
        path,
        value === undefined
          ? "url is required: the environment URL, e.g. https://abc12345.apps.dynatrace.com"
          : `url ${JSON.stringify(value)} is not an http(s) URL`,
      );
      return "";
    }
    return value as string;
  }

  environments(value: unknown): Record<string, ProjectEnvironment> {
    const object = this.mapping(value, ["environments"], "environments");
    const environments: Record<string, ProjectEnvironment> = {};
    for (const [name, raw] of Object.entries(object)) {
      const path = ["environments", name];
      if (!ENVIRONMENT_NAME_PATTERN.test(name)) {
        this.add(
          path,
          `environment name "${name}" is invalid: letters, digits, '.', '_' and '-', at most 63`,
        );
      }
      if (!isObject(raw)) {
        this.add(path, `environment "${name}" must be a mapping with url, credentials and values`);
        continue;
      }
      this.unknownKeys(raw, ENVIRONMENT_KEYS, path);
      environments[name] = {
        name,
        url: this.url(raw.url, [...path, "url"]),
        credentials: this.credentials(raw.credentials, [...path, "credentials"]),
        values: this.mapping(raw.values, [...path, "values"], "values"),
      };
    }
    return environments;
  }
}

/** Parses and validates project file text as read from `file` (absolute); shown paths are relative to `cwd`. */
export function parseProject(file: string, text: string, cwd: string): Project {
  const problems = new Problems();
  const display = displayPath(cwd, file);
  const documents = parseSource(display, text.replace(/^\uFEFF/, ""), problems);
  if (documents.length > 1) problems.add(fileStart(display), "a project file holds one document");
  const [document] = documents;
  const value = document?.doc.toJS();
  if (document === undefined || !isObject(value)) {
    if (problems.size === 0) {
      problems.add(fileStart(display), "the project file must be a mapping with at least stack:");
    }
    throw new ManifestError(problems.list(), PROJECT_HINT);
  }
  const validator = new ProjectValidator(
    new NodeLocator(display, document.lines, document.doc, document.doc.contents),
    problems,
  );
  const object = value as Record<string, unknown>;
  validator.unknownKeys(object, TOP_KEYS, []);
  if (object.apiVersion !== undefined && object.apiVersion !== MANIFEST_API_VERSION) {
    validator.add(
      ["apiVersion"],
      `unsupported apiVersion ${JSON.stringify(object.apiVersion)}; use ${MANIFEST_API_VERSION}`,
    );
  }
  if (object.kind !== undefined && object.kind !== "Project") {
    validator.add(["kind"], `kind of a project file must be Project, not ${JSON.stringify(object.kind)}`);
  }
  const project: Project = {
    file,
    root: dirname(file),
    stack: validator.stack(object.stack),
    paths: validator.paths(object.paths),
    values: validator.mapping(object.values, ["values"], "values"),
    environments: validator.environments(object.environments),
  };
  problems.throwIfAny(PROJECT_HINT);
  return project;
}

/**
 * Finds and validates the project file (see the module documentation). Returns undefined when there is none;
 * throws `ManifestError` listing every problem of an invalid one.
 */
export async function loadProject(options: LoadProjectOptions): Promise<Project | undefined> {
  const file = options.file === undefined
    ? await findProjectFile(options.cwd)
    : resolve(options.cwd, options.file);
  if (file === undefined) return undefined;
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new DtctlError(
      "config_error",
      `cannot read the project file ${file}: ${(error as Error).message}`,
      {
        hint:
          "Check the path; without one, dtctl looks for dtctl.yaml in the working directory and its parents.",
        details: { file },
        cause: error,
      },
    );
  }
  return parseProject(file, text, options.cwd);
}

/**
 * The environment to use: `name` (from `--env`), else `DTCTL_ENV` from `env`, else the only one. Unknown
 * names and an ambiguous choice are usage errors listing the known names.
 */
export function selectEnvironment(
  project: Project,
  name: string | undefined,
  env: Record<string, string | undefined> = {},
): ProjectEnvironment {
  const known = Object.keys(project.environments).sort();
  const wanted = name ?? (env.DTCTL_ENV === "" ? undefined : env.DTCTL_ENV);
  const origin = name !== undefined ? "--env" : "DTCTL_ENV";
  if (wanted !== undefined) {
    const environment = project.environments[wanted];
    if (environment) return environment;
    throw usageError(
      `unknown environment "${wanted}" (${origin}); ${
        known.length === 0 ? `${project.file} defines none` : `known environments: ${known.join(", ")}`
      }.${didYouMean(wanted, known)}`,
      { hint: "Pick one of the environments of the project file.", details: { environment: wanted, known } },
    );
  }
  if (known.length === 1) return project.environments[known[0]];
  if (known.length === 0) {
    throw usageError(`${project.file} defines no environments`, {
      hint: "Add an environment under environments: (url, credentials, values).",
      details: { known },
    });
  }
  throw usageError(
    `${project.file} defines several environments; pick one with --env (${known.join(", ")})`,
    {
      hint: `e.g. --env ${known[0]}`,
      details: { known },
    },
  );
}

function mergeDeep(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    merged[key] = isObject(value) && isObject(merged[key])
      ? mergeDeep(merged[key] as Record<string, unknown>, value)
      : value;
  }
  return merged;
}

/**
 * Template values for an environment: the project's values with the environment's merged over them (mappings
 * merge key by key; anything else, lists included, is replaced).
 */
export function environmentValues(
  project: Project,
  environment?: ProjectEnvironment,
): Record<string, unknown> {
  return environment === undefined ? { ...project.values } : mergeDeep(project.values, environment.values);
}
