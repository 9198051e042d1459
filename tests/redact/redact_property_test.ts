import assert from "node:assert/strict";
import fc from "fast-check";
import { REDACTED, redactText, redactValue } from "../../lib/redact/mod.ts";

// Secrets of any shape except "*", the redaction marker itself (a secret made of asterisks cannot be told apart
// from its own replacement).
const secretArb = fc.string({ unit: "binary", minLength: 6, maxLength: 40 }).filter((s) => !s.includes("*"));
const textArb = fc.string({ unit: "binary", maxLength: 80 });
const lineArb = fc.string({ unit: "binary", maxLength: 40 }).map((s) => s.replace(/[\r\n]/g, " "));

const tokenArb = fc.tuple(
  fc.constantFrom("s16", "c01", "s02", "s12", "x99"),
  fc.stringMatching(/^[A-Za-z0-9_.-]{8,40}$/),
).map(([kind, body]) => `dt0${kind}.${body}`);

const b64url = fc.stringMatching(/^[A-Za-z0-9_-]{4,30}$/);
const jwtArb = fc.tuple(b64url, b64url, b64url).map(([h, p, s]) => `eyJ${h}.${p}.${s}`);

// Keys such as "__proto__" are generated too; plain assignment would change prototypes instead of adding data.
function setOwn(target: Record<string, unknown>, key: string, value: unknown) {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function stringLeaves(v: unknown): string[] {
  if (typeof v === "string") return [v];
  if (typeof v !== "object" || v === null) return [];
  return Object.values(v).flatMap(stringLeaves);
}

/** The surrounding texts in every encoding the properties use. */
function carriers(pre: string, post: string): string[] {
  return [pre, post].flatMap((t) => [t, JSON.stringify(t), new URLSearchParams({ a: t }).toString()]);
}

function encodings(secret: string): string[] {
  const out = [
    secret,
    JSON.stringify(secret).slice(1, -1),
    new URLSearchParams({ s: secret }).toString().slice(2),
  ];
  try {
    out.push(encodeURIComponent(secret));
  } catch {
    // Lone surrogates have no percent-encoding.
  }
  return out;
}

function assertGone(output: string, secret: string) {
  for (const form of encodings(secret)) {
    assert.ok(!output.includes(form), `secret ${JSON.stringify(form)} survived in ${JSON.stringify(output)}`);
  }
}

Deno.test("property: a known secret never survives redactText, in plain, JSON, URL-encoded or multi-line text", () => {
  fc.assert(
    fc.property(
      secretArb,
      textArb,
      textArb,
      fc.array(lineArb, { maxLength: 5 }),
      (secret, pre, post, lines) => {
        const plain = pre + secret + post;
        assertGone(redactText(plain, [secret]), secret);
        assertGone(redactText(JSON.stringify({ k: plain, list: [plain] }), [secret]), secret);
        assertGone(redactText(new URLSearchParams({ q: plain, other: post }).toString(), [secret]), secret);
        assertGone(redactText(`?x=${encodeURIComponentSafe(plain)}`, [secret]), secret);
        const clean = secret.replace(/[\r\n]/g, "");
        if (clean.length >= 6) {
          assertGone(
            redactText([...lines, `${pre.replace(/[\r\n]/g, "")}${clean}`, ...lines].join("\r\n"), [clean]),
            clean,
          );
        }
      },
    ),
    { numRuns: 300 },
  );
});

function encodeURIComponentSafe(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return s.replace(/[\ud800-\udfff]/g, "");
  }
}

Deno.test("property: token-shaped strings never survive, even when nobody told us the value", () => {
  fc.assert(
    fc.property(tokenArb, textArb, textArb, (token, pre, post) => {
      // The surrounding text may by chance already hold the token's body (fast-check likes "toString"); such a
      // copy is not the token and is rightly left alone.
      fc.pre(!carriers(pre, post).some((c) => c.includes(token.slice(7))));
      for (
        const text of [
          pre + token + post,
          JSON.stringify({ pre, token: post, value: `${pre}${token}${post}` }),
          new URLSearchParams({ a: pre, t: token + post }).toString(),
          `${pre}\nAuthorization: Bearer ${token}\n${post}`,
        ]
      ) {
        const out = redactText(text);
        assert.ok(!out.includes(token), `${token} survived in ${JSON.stringify(out)}`);
        assert.ok(!out.includes(token.slice(7)), `token body survived in ${JSON.stringify(out)}`);
      }
    }),
    { numRuns: 300 },
  );
});

Deno.test("property: JWTs and bearer credentials never survive", () => {
  fc.assert(
    fc.property(
      jwtArb,
      fc.stringMatching(/^[A-Za-z0-9~+/=_.-]{8,40}$/),
      textArb,
      textArb,
      (jwt, opaque, pre, post) => {
        fc.pre(!carriers(pre, post).some((c) => c.includes(jwt) || c.includes(opaque)));
        const out = redactText(
          `${pre}${jwt}${post}\nauthorization: Bearer ${opaque}\n${pre} Api-Token ${opaque} ${post}`,
        );
        assert.ok(!out.includes(jwt), out);
        assert.ok(!out.includes(opaque), out);
      },
    ),
    { numRuns: 300 },
  );
});

Deno.test("property: client_secret in a form body never survives, even without being told the value", () => {
  fc.assert(
    fc.property(fc.string({ unit: "binary", minLength: 1, maxLength: 40 }), textArb, (secret, other) => {
      const form = new URLSearchParams({
        grant_type: "client_credentials",
        client_secret: secret,
        scope: other,
      });
      const out = new URLSearchParams(redactText(form.toString()));
      assert.equal(out.get("client_secret"), REDACTED);
      assert.equal(out.get("grant_type"), "client_credentials");
    }),
    { numRuns: 300 },
  );
});

Deno.test("property: redactValue removes a known secret wherever it sits in a nested value", () => {
  const leaf = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null));
  fc.assert(
    fc.property(
      secretArb,
      fc.dictionary(
        fc.string({ maxLength: 8 }),
        fc.oneof(leaf, fc.array(leaf, { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 8 }), leaf)),
      ),
      fc.array(fc.string({ maxLength: 8 }), { minLength: 1, maxLength: 3 }),
      textArb,
      (secret, base, path, around) => {
        // Put the secret (with surrounding text) at a generated path.
        const value = structuredClone(base) as Record<string, unknown>;
        let node: Record<string, unknown> = value;
        for (const key of path.slice(0, -1)) {
          const next = Object.hasOwn(node, key) ? node[key] : undefined;
          const child = typeof next === "object" && next !== null && !Array.isArray(next)
            ? next as Record<string, unknown>
            : {};
          setOwn(node, key, child);
          node = child;
        }
        setOwn(node, path.at(-1)!, `${around}${secret}${around}`);
        const out = redactValue(value, [secret]);
        assertGone(JSON.stringify(out), secret);
        for (const leaf of stringLeaves(out)) assert.ok(!leaf.includes(secret), leaf);
        // The input is not modified.
        assert.ok(stringLeaves(value).some((leaf) => leaf.includes(secret)));
      },
    ),
    { numRuns: 300 },
  );
});

Deno.test("property: secret-named keys are always masked by redactValue", () => {
  fc.assert(
    fc.property(
      fc.constantFrom(
        "token",
        "accessToken",
        "client_secret",
        "Password",
        "authorization",
        "api-key",
        "apiKey",
        "cookie",
      ),
      fc.string({ minLength: 1 }),
      (key, val) => {
        const out = redactValue({ outer: { [key]: val }, list: [{ [key]: val }] });
        assert.equal(out.outer[key], REDACTED);
        assert.equal(out.list[0][key], REDACTED);
      },
    ),
  );
});
