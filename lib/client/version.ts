/**
 * The default `User-Agent` of the client.
 *
 * @module
 */

import { VERSION } from "../version.ts";

/** The default `User-Agent` header: `dtctl/<version>`. */
export const DEFAULT_USER_AGENT = `dtctl/${VERSION}`;
