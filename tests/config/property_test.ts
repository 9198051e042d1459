import assert from "node:assert/strict";
import { join } from "node:path";
import fc from "fast-check";
import { loadConfig, LOCAL_CONTEXT } from "../../lib/config/mod.ts";
import { withTempDir } from "./_helpers.ts";

/** Names as users might type them, plus awkward YAML-looking ones ("123", "yes", "a: b", "#x", "${X}"). */
const contextName = fc.oneof(
  fc.string({ minLength: 1, maxLength: 20, unit: "grapheme" }),
  fc.constantFrom("123", "yes", "null", "~", "a: b", "#x", "- x", "${X}", "'q'", '"dq"', "0x1F", "Ünïcødé"),
).filter((name) => name.trim() !== "" && name !== LOCAL_CONTEXT);

/** Arbitrary token text, including quotes, `#`, `$`, newlines and non-ASCII. */
const anyToken = fc.string({ minLength: 1, maxLength: 60, unit: "grapheme" });

interface Entry {
  name: string;
  url: string;
  token: string;
}

const entries = fc.uniqueArray(
  fc.record({ name: contextName, url: fc.webUrl(), token: anyToken }),
  { minLength: 1, maxLength: 5, selector: (entry) => entry.name },
);

Deno.test("property: setContext + setCredentials + save + load yields the same contexts and tokens", async () => {
  await withTempDir(async (dir) => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(entries, async (list: Entry[]) => {
        const path = join(dir, `config-${run++}`);
        const config = await loadConfig({ path });
        for (const { name } of list) {
          config.setContext(name, {
            environment: "https://placeholder.example",
            "token-ref": `${name}-token`,
          });
          config.setCredentials(`${name}-token`, { token: "placeholder" });
        }
        await config.save();
        // Second pass edits parsed plain scalars in place, which is where quoting mistakes would show up.
        const edited = await loadConfig({ path });
        for (const { name, url, token } of list) {
          edited.setContext(name, { environment: url, "safety-level": "readonly" });
          edited.setCredentials(`${name}-token`, { token });
        }
        await edited.save();
        const loaded = await loadConfig({ path });
        assert.deepEqual(loaded.contexts(), edited.contexts());
        assert.deepEqual(loaded.tokens(), edited.tokens());
        assert.deepEqual(
          loaded.contexts(),
          list.map(({ name, url }) => ({
            name,
            context: { environment: url, "token-ref": `${name}-token`, "safety-level": "readonly" },
          })),
        );
        assert.deepEqual(loaded.tokens(), list.map(({ name, token }) => ({ name: `${name}-token`, token })));
      }),
      { numRuns: 60 },
    );
  });
});

Deno.test("property: toYAML({ redact: true }) never contains a stored token or client secret", async () => {
  // Secrets long and random enough that they cannot occur in the rest of the document by chance.
  const secret = fc.stringMatching(/^[A-Za-z0-9._\-+/=!@%^&*()]{16,48}$/).filter((text) =>
    !text.includes("$")
  );
  await fc.assert(
    fc.asyncProperty(
      fc.uniqueArray(fc.record({ name: contextName, url: fc.webUrl(), token: secret, oauth: fc.boolean() }), {
        minLength: 1,
        maxLength: 4,
        selector: (entry) => entry.name,
      }),
      async (list) => {
        fc.pre(
          list.every(({ token }) =>
            list.every(({ name, url }) => !name.includes(token) && !url.includes(token))
          ),
        );
        const config = await loadConfig({ path: "/nonexistent/dtctl-property/config" });
        for (const { name, url, token, oauth } of list) {
          config.setContext(name, { environment: url, "token-ref": name });
          config.setCredentials(name, oauth ? { clientId: "dt0s02.PUBLIC", clientSecret: token } : { token });
        }
        const stored = config.tokens().map((entry) => entry.token ?? entry["client-secret"]);
        assert.deepEqual(stored, list.map(({ token }) => token), "the secrets are really in the config");
        const redacted = config.toYAML({ redact: true });
        for (const { token } of list) {
          assert.equal(redacted.includes(token), false, `secret leaked:\n${redacted}`);
        }
      },
    ),
    { numRuns: 200 },
  );
});
