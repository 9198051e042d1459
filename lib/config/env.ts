/**
 * Environment handling of the config layer: where the config file lives and `$VAR` / `${VAR}` expansion.
 *
 * @module
 */

import { isAbsolute, join } from "node:path";
import { DtctlError } from "../errors/mod.ts";

/** An environment: variable name to value (`undefined` = unset). */
export type Env = Record<string, string | undefined>;

/** The process environment; a function so importing this module needs no env permission. */
export function processEnv(): Env {
  return Deno.env.toObject();
}

function nonEmpty(value: string | undefined): value is string {
  return value !== undefined && value !== "";
}

/**
 * Path of the config file: `DTCTL_CONFIG` > `$XDG_CONFIG_HOME/dtctl/config` > `$HOME/.config/dtctl/config`.
 *
 * Empty variables count as unset, and a relative `XDG_CONFIG_HOME` is ignored as the XDG spec requires.
 * `USERPROFILE` stands in for `HOME` on Windows. Throws `config_error` when none of them is set.
 */
export function configPath(env: Env = processEnv()): string {
  if (nonEmpty(env.DTCTL_CONFIG)) return env.DTCTL_CONFIG;
  if (nonEmpty(env.XDG_CONFIG_HOME) && isAbsolute(env.XDG_CONFIG_HOME)) {
    return join(env.XDG_CONFIG_HOME, "dtctl", "config");
  }
  const home = nonEmpty(env.HOME) ? env.HOME : env.USERPROFILE;
  if (nonEmpty(home)) return join(home, ".config", "dtctl", "config");
  throw new DtctlError(
    "config_error",
    "cannot locate the dtctl config file: DTCTL_CONFIG, XDG_CONFIG_HOME and HOME are all unset",
    { hint: "Set DTCTL_CONFIG to the path of the config file (or set HOME)." },
  );
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const POSITIONAL = /^[0-9]+$/;

/**
 * Expands `${VAR}` and `$VAR` from `env`.
 *
 * - An unset variable is a `config_error` naming the variable (a set but empty one expands to "").
 * - Positional references (`$1`, `${1}`) and a `$` not followed by a name are kept as written, as the Go
 *   dtctl does, so shell snippets in aliases survive.
 * - `$$` is a literal `$`, so values that really contain `$NAME` can be written.
 *
 * Error messages never quote `text`: it is often a secret.
 */
export function expandEnv(text: string, env: Env): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf("$", i);
    if (dollar < 0) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, dollar);
    const next = text[dollar + 1];
    if (next === "$") {
      out += "$";
      i = dollar + 2;
    } else if (next === "{") {
      const close = text.indexOf("}", dollar + 2);
      if (close < 0) {
        throw new DtctlError("config_error", 'unterminated variable reference: "${" without a closing "}"', {
          hint: "Close the reference as ${NAME}, or write $$ for a literal $.",
        });
      }
      const name = text.slice(dollar + 2, close);
      if (POSITIONAL.test(name)) {
        out += text.slice(dollar, close + 1);
      } else if (NAME.test(name)) {
        out += lookup(name, env);
      } else {
        throw new DtctlError("config_error", `invalid variable reference "\${${name.slice(0, 40)}}"`, {
          hint:
            "Variable names consist of letters, digits and _ and do not start with a digit; write $$ for a literal $.",
          details: { variable: name },
        });
      }
      i = close + 1;
    } else if (next !== undefined && NAME_START.test(next)) {
      let end = dollar + 2;
      while (end < text.length && NAME_CHAR.test(text[end])) end++;
      out += lookup(text.slice(dollar + 1, end), env);
      i = end;
    } else {
      out += "$";
      i = dollar + 1;
    }
  }
  return out;
}

function lookup(name: string, env: Env): string {
  const value = env[name];
  if (value === undefined) {
    throw new DtctlError("config_error", `environment variable ${name} is not set`, {
      hint:
        `Export ${name} before running dtctl, or replace the reference with a literal value (write $$ for a literal $).`,
      details: { variable: name },
    });
  }
  return value;
}
