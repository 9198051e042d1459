/**
 * Names reserved by context resolution: the built-in local platform and the env-only context.
 *
 * @module
 */

/**
 * Reserved name of the built-in local platform context. It always exists, needs no credentials and cannot be
 * defined in, or deleted from, the config file.
 */
export const LOCAL_CONTEXT = "local";

/**
 * Placeholder environment URL of the built-in local context. The `.invalid` TLD (RFC 2606) guarantees that a
 * request which escapes the in-process transport fails instead of reaching a real host.
 */
export const LOCAL_ENVIRONMENT = "http://local.dtctl.invalid";

/** Name reported for the context built purely from `DT_ENVIRONMENT_URL` and credential variables. */
export const ENV_CONTEXT = "env";
