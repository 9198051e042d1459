/**
 * Contracts of configuration as code: a manifest is one desired object, read from a file in the repository,
 * with where it came from, so that every error can say file:line:column.
 *
 * @module
 */

/** A position in a source file (1-based line and column). */
export interface SourceLocation {
  /** Path as given or found (relative to the working directory when possible); `-` for stdin. */
  file: string;
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
}

/** One problem found while loading or validating manifests. */
export interface ManifestProblem {
  /** Where. */
  location: SourceLocation;
  /** What is wrong, and what to do. */
  message: string;
}

/** The manifest API version this release reads and writes. */
export const MANIFEST_API_VERSION = "dtctl/v1";

/** One desired object. */
export interface Manifest {
  /** Always {@link MANIFEST_API_VERSION} (raw payloads are converted). */
  apiVersion: string;
  /** Manifest kind: Workflow, Dashboard, Notebook, Document, SLO, Setting, AnomalyDetector, Segment, Bucket. */
  kind: string;
  /** `metadata.name`: the stable key of the object within the stack. */
  name: string;
  /** `metadata.labels`. */
  labels: Record<string, string>;
  /** `metadata.annotations`. */
  annotations: Record<string, string>;
  /** The API payload without server-managed fields, after templating and inlining of content files. */
  spec: Record<string, unknown>;
  /** Where the document starts. */
  source: SourceLocation;
  /** Where a field of the document sits (`["spec", "tasks", "t1"]`); falls back to the document start. */
  locate(path: readonly (string | number)[]): SourceLocation;
  /** True when the object came from a raw payload (as exported by the Go dtctl) rather than an envelope. */
  raw: boolean;
}

/** A named target environment of the project file. */
export interface ProjectEnvironment {
  /** Name used with `--env NAME`. */
  name: string;
  /** Environment URL. */
  url: string;
  /** Names of the env vars holding credentials: `token`, or `clientId` + `clientSecret` (+ `tokenUrl`). */
  credentials: { token?: string; clientId?: string; clientSecret?: string; tokenUrl?: string };
  /** Template values for this environment (over the project's defaults). */
  values: Record<string, unknown>;
}

/** The project file `dtctl.yaml` at the repository root. */
export interface Project {
  /** Path of the project file. */
  file: string;
  /** Directory of the project file; manifest paths are relative to it. */
  root: string;
  /** Stack name: part of every object's identity, so two stacks never collide. */
  stack: string;
  /** Manifest paths (files or directories) relative to `root`. */
  paths: string[];
  /** Default template values. */
  values: Record<string, unknown>;
  /** Target environments by name. */
  environments: Record<string, ProjectEnvironment>;
}
