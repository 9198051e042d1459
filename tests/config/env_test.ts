import assert from "node:assert/strict";
import { join } from "node:path";
import { configPath, expandEnv } from "../../lib/config/mod.ts";
import { expectThrows } from "./_helpers.ts";

Deno.test("expandEnv expands ${VAR} and $VAR", () => {
  const env = { A: "alpha", B_2: "beta", EMPTY: "" };
  assert.equal(expandEnv("${A}", env), "alpha");
  assert.equal(expandEnv("$A", env), "alpha");
  assert.equal(expandEnv("x-${A}-$B_2/y", env), "x-alpha-beta/y");
  assert.equal(expandEnv("$B_2.suffix", env), "beta.suffix");
  assert.equal(expandEnv("[${EMPTY}]", env), "[]");
  assert.equal(expandEnv("no references", env), "no references");
});

Deno.test("expandEnv keeps positional references and lone dollars; $$ is a literal dollar", () => {
  assert.equal(expandEnv("echo $1 ${2} $ $-x 5$", {}), "echo $1 ${2} $ $-x 5$");
  assert.equal(expandEnv("pa$$word and $${HOME}", { HOME: "/h" }), "pa$word and ${HOME}");
});

Deno.test("expandEnv names an unset variable without quoting the text", () => {
  const error = expectThrows(
    () => expandEnv("secret-prefix-${DT_API_TOKEN}", { OTHER: "x" }),
    "config_error",
    "DT_API_TOKEN",
  );
  assert.equal(error.message.includes("secret-prefix"), false);
  assert.equal(error.details.variable, "DT_API_TOKEN");
  assert.match(error.hint ?? "", /Export DT_API_TOKEN/);
  expectThrows(() => expandEnv("$MISSING", {}), "config_error", "MISSING");
  expectThrows(() => expandEnv("${UNDEF}", { UNDEF: undefined }), "config_error", "UNDEF");
});

Deno.test("expandEnv rejects malformed references", () => {
  expectThrows(() => expandEnv("${OPEN", { OPEN: "x" }), "config_error", "unterminated");
  expectThrows(() => expandEnv("${A-B}", {}), "config_error", "invalid variable reference");
  expectThrows(() => expandEnv("${}", {}), "config_error", "invalid variable reference");
});

Deno.test("configPath: DTCTL_CONFIG > XDG_CONFIG_HOME > HOME", () => {
  const home = "/home/someone";
  assert.equal(
    configPath({ DTCTL_CONFIG: "/etc/dtctl.yaml", XDG_CONFIG_HOME: "/xdg", HOME: home }),
    "/etc/dtctl.yaml",
  );
  assert.equal(configPath({ XDG_CONFIG_HOME: "/xdg", HOME: home }), join("/xdg", "dtctl", "config"));
  assert.equal(configPath({ HOME: home }), join(home, ".config", "dtctl", "config"));
  // Empty means unset, and the XDG spec says to ignore a relative XDG_CONFIG_HOME.
  assert.equal(
    configPath({ DTCTL_CONFIG: "", XDG_CONFIG_HOME: "relative", HOME: home }),
    join(home, ".config", "dtctl", "config"),
  );
  assert.equal(configPath({ USERPROFILE: "/users/me" }), join("/users/me", ".config", "dtctl", "config"));
  expectThrows(() => configPath({}), "config_error", "DTCTL_CONFIG");
});
