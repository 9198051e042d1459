/**
 * The dtctl version, kept in step with `package.json`.
 *
 * @module
 */

/** The dtctl release version. */
export const VERSION = "0.1.0";
