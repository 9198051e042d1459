/**
 * dtctl: typed functions for the Dynatrace platform.
 *
 * @module
 */

export * from "./lib/errors/mod.ts";
