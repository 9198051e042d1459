/**
 * Configuration: the kubeconfig-like config file, context resolution (flag, env, file, built-in `local`) and
 * safety levels.
 *
 * @module
 */

export { configPath, expandEnv } from "./env.ts";
export {
  type ContextSettings,
  type CredentialsInput,
  DtctlConfig,
  loadConfig,
  type LoadConfigOptions,
  type NamedContext,
  type NamedToken,
} from "./file.ts";
export { ENV_CONTEXT, LOCAL_CONTEXT, LOCAL_ENVIRONMENT } from "./local.ts";
export {
  resolveContext,
  type ResolveContextOptions,
  type ResolvedContext,
  type ResolvedCredentials,
} from "./resolve.ts";
export {
  createSafetyGuard,
  SAFETY_LEVELS,
  type SafetyGuardOptions,
  type SafetyLevel,
  safetyLevelFromEnv,
} from "./safety.ts";
