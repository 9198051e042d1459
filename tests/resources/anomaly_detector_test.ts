import assert from "node:assert/strict";
import fc from "fast-check";
import { parse } from "yaml";
import { DtctlError } from "../../lib/errors/mod.ts";
import {
  ANOMALY_DETECTOR_SCHEMA_ID,
  type AnomalyDetectorValue,
  DEFAULT_ANOMALY_DETECTOR_SOURCE,
  flattenedToSettingsValue,
  isFlattenedAnomalyDetector,
  normalizeAnomalyDetectorValue,
  settingsValueToFlattened,
} from "../../lib/resources/anomaly_detector/mod.ts";

const STATIC = "dt.statistics.ui.anomaly_detection.StaticThresholdAnomalyDetectionAnalyzer";
const ACTOR = "e1a88cd0-bfe5-4fa1-b36f-9f85c9fac22e";

function validationError(fn: () => unknown): DtctlError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof DtctlError, `expected a DtctlError, got ${error}`);
    assert.equal(error.code, "validation_error");
    return error;
  }
  assert.fail("expected a validation error");
}

// ---------------------------------------------------------------------------------------------------------
// Flattened → settings value
// ---------------------------------------------------------------------------------------------------------

Deno.test("flattenedToSettingsValue: a minimal definition gets the schema defaults", () => {
  const value = flattenedToSettingsValue({
    title: "Minimal Detector",
    analyzer: { name: STATIC, input: { threshold: "90", alertCondition: "ABOVE" } },
    eventTemplate: { "event.type": "CUSTOM_ALERT", "event.name": "Minimal" },
  });
  assert.deepEqual(value, {
    title: "Minimal Detector",
    description: "",
    enabled: true,
    source: "dtctl",
    analyzer: {
      name: STATIC,
      input: [{ key: "alertCondition", value: "ABOVE" }, { key: "threshold", value: "90" }],
    },
    eventTemplate: {
      properties: [{ key: "event.name", value: "Minimal" }, { key: "event.type", value: "CUSTOM_ALERT" }],
    },
    executionSettings: {},
  });
  assert.equal(DEFAULT_ANOMALY_DETECTOR_SOURCE, "dtctl");
  assert.equal(ANOMALY_DETECTOR_SCHEMA_ID, "builtin:davis.anomaly-detectors");
});

Deno.test("flattenedToSettingsValue: a YAML manifest with numbers and booleans is stringified and sorted", () => {
  const manifest = parse(`
title: "Checkout: high response time"
description: Raises an event when checkout slows down
enabled: false
source: Davis Anomaly Detection
analyzer:
  name: ${STATIC}
  input:
    query: |
      timeseries avg(dt.service.request.response_time), by:{dt.entity.service}
    threshold: 3000000
    alertCondition: ABOVE
    alertOnMissingData: false
    violatingSamples: 3
    slidingWindow: 5
    dealertingSamples: 5
    ratio: 0.85
eventTemplate:
  event.type: PERFORMANCE_EVENT
  event.name: Checkout is slow
  dt.source_entity: "{dims:dt.entity.service}"
executionSettings:
  actor: ${ACTOR}
  queryOffset: 2
`);
  const value = flattenedToSettingsValue(manifest, "detectors/checkout.yaml");
  assert.deepEqual(value.analyzer.input, [
    { key: "alertCondition", value: "ABOVE" },
    { key: "alertOnMissingData", value: "false" },
    { key: "dealertingSamples", value: "5" },
    { key: "query", value: "timeseries avg(dt.service.request.response_time), by:{dt.entity.service}\n" },
    { key: "ratio", value: "0.85" },
    { key: "slidingWindow", value: "5" },
    { key: "threshold", value: "3000000" },
    { key: "violatingSamples", value: "3" },
  ]);
  assert.deepEqual(value.eventTemplate.properties, [
    { key: "dt.source_entity", value: "{dims:dt.entity.service}" },
    { key: "event.name", value: "Checkout is slow" },
    { key: "event.type", value: "PERFORMANCE_EVENT" },
  ]);
  assert.deepEqual(
    [value.enabled, value.source, value.description, value.executionSettings],
    [false, "Davis Anomaly Detection", "Raises an event when checkout slows down", {
      actor: ACTOR,
      queryOffset: 2,
    }],
  );
  // Fields in the order the settings API documents them.
  assert.deepEqual(Object.keys(value), [
    "title",
    "description",
    "enabled",
    "source",
    "analyzer",
    "eventTemplate",
    "executionSettings",
  ]);
});

Deno.test("flattenedToSettingsValue: null fields (YAML `key:` with no value) mean the default", () => {
  const value = flattenedToSettingsValue(parse(`
title: Nulls
description:
enabled:
source:
analyzer:
  name: ${STATIC}
  input:
eventTemplate:
executionSettings:
`));
  assert.deepEqual(
    [
      value.description,
      value.enabled,
      value.source,
      value.analyzer.input,
      value.eventTemplate,
      value.executionSettings,
    ],
    ["", true, "dtctl", [], { properties: [] }, {}],
  );
});

Deno.test("flattenedToSettingsValue: the API list forms are accepted and sorted", () => {
  const value = flattenedToSettingsValue({
    title: "List forms",
    analyzer: {
      name: STATIC,
      input: [{ key: "threshold", value: 90 }, { key: "alertCondition", value: "BELOW" }],
    },
    eventTemplate: { properties: [{ key: "event.type", value: "CUSTOM_ALERT" }] },
  });
  assert.deepEqual(value.analyzer.input, [{ key: "alertCondition", value: "BELOW" }, {
    key: "threshold",
    value: "90",
  }]);
  assert.deepEqual(value.eventTemplate.properties, [{ key: "event.type", value: "CUSTOM_ALERT" }]);
});

Deno.test("flattenedToSettingsValue: errors name the field path", () => {
  const error = validationError(() =>
    flattenedToSettingsValue({ title: "No analyzer name", analyzer: { input: {} } })
  );
  assert.equal(error.message, "anomaly detector: analyzer.name: required");
  assert.deepEqual(error.details.problems, [{ path: "analyzer.name", message: "required" }]);
  assert.equal(error.details.field, "analyzer.name");
  assert.match(error.hint ?? "", /title and analyzer\.name/);
});

Deno.test("flattenedToSettingsValue: every problem is reported at once, with where", () => {
  const error = validationError(() =>
    flattenedToSettingsValue(
      {
        titel: "typo",
        title: "x",
        enabled: "yes",
        analyzer: {
          name: "not a name!",
          input: { threshold: { nested: 1 }, "9bad": "1", empty: "" },
          extra: 1,
        },
        eventTemplate: { "{bad}": "x", "event.name": "  " },
        executionSettings: { actor: "service-user-1", queryOffset: 61 },
      },
      "detectors/cpu.yaml",
    )
  );
  const problems = error.details.problems as { path: string; message: string }[];
  assert.deepEqual(problems.map((p) => p.path), [
    "titel",
    "title",
    "enabled",
    "analyzer.extra",
    "analyzer.name",
    "analyzer.input.threshold",
    'analyzer.input["9bad"]',
    "analyzer.input.empty",
    'eventTemplate["{bad}"]',
    'eventTemplate["event.name"]',
    "executionSettings.actor",
    "executionSettings.queryOffset",
  ]);
  assert.ok(error.message.startsWith("detectors/cpu.yaml: titel: unknown field (expected one of title, "));
  assert.match(
    error.message,
    /; title: must be 2 to 500 characters \(got 1\); enabled: must be true or false/,
  );
  assert.match(
    error.message,
    /analyzer\.input\.threshold: must be a string, number or boolean \(got a mapping\)/,
  );
  assert.match(error.message, /executionSettings\.actor: must be the UUID of the user or service user/);
  assert.match(
    error.message,
    /executionSettings\.queryOffset: must be a whole number of minutes from 1 to 60 \(got 61\)/,
  );
});

Deno.test("flattenedToSettingsValue: shape and limit errors", () => {
  const cases: [unknown, string][] = [
    [null, "anomaly detector: must be a mapping (got null)"],
    [["x"], "anomaly detector: must be a mapping (got a list)"],
    [{ analyzer: { name: STATIC } }, "anomaly detector: title: required"],
    [{ title: "   ", analyzer: { name: STATIC } }, "anomaly detector: title: required"],
    [{ title: 42, analyzer: { name: STATIC } }, "anomaly detector: title: must be a string (got 42)"],
    [{ title: "ok" }, "anomaly detector: analyzer: required"],
    [
      { title: "ok", analyzer: STATIC },
      `anomaly detector: analyzer: must be a mapping with name and input (got "${STATIC.slice(0, 40)}…")`,
    ],
    [
      { title: "ok", analyzer: { name: STATIC, input: "x" } },
      'anomaly detector: analyzer.input: must be a map of values (got "x")',
    ],
    [
      {
        title: "ok",
        analyzer: { name: STATIC, input: [{ key: "a", value: "1" }, { key: "a", value: "2" }] },
      },
      'anomaly detector: analyzer.input[1].key: duplicate key "a"',
    ],
    [
      { title: "ok", analyzer: { name: STATIC, input: [{ value: "1" }] } },
      "anomaly detector: analyzer.input[0]: must be a {key, value} entry",
    ],
    [
      { title: "ok", analyzer: { name: STATIC, input: { t: Number.NaN } } },
      "anomaly detector: analyzer.input.t: must be a string, number or boolean (got NaN)",
    ],
    [
      { title: "ok", analyzer: { name: STATIC }, description: "d".repeat(5001) },
      "anomaly detector: description: must be at most 5000 characters (got 5001)",
    ],
    [
      { title: "ok", analyzer: { name: STATIC }, executionSettings: "me" },
      'anomaly detector: executionSettings: must be a mapping (got "me")',
    ],
  ];
  for (const [input, message] of cases) {
    assert.equal(validationError(() => flattenedToSettingsValue(input)).message, message);
  }
  const many = Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`k${i}`, "v"]));
  assert.equal(
    validationError(() => flattenedToSettingsValue({ title: "ok", analyzer: { name: STATIC, input: many } }))
      .message,
    "anomaly detector: analyzer.input: at most 30 entries are allowed (got 31)",
  );
});

// ---------------------------------------------------------------------------------------------------------
// Settings value → flattened
// ---------------------------------------------------------------------------------------------------------

const serverValue = {
  title: "CPU saturation",
  description: "",
  enabled: true,
  source: "Davis Anomaly Detection",
  analyzer: {
    name: STATIC,
    input: [
      { key: "threshold", value: "90" },
      { key: "query", value: "timeseries avg(dt.host.cpu.usage)" },
      { key: "alertCondition", value: "ABOVE" },
    ],
  },
  eventTemplate: {
    properties: [{ key: "event.type", value: "CUSTOM_ALERT" }, {
      key: "event.name",
      value: "CPU saturation",
    }],
  },
  executionSettings: { actor: ACTOR },
};

Deno.test("settingsValueToFlattened: maps in key order, everything else as it is", () => {
  const flat = settingsValueToFlattened(serverValue);
  assert.deepEqual(flat, {
    title: "CPU saturation",
    description: "",
    enabled: true,
    source: "Davis Anomaly Detection",
    analyzer: {
      name: STATIC,
      input: { alertCondition: "ABOVE", query: "timeseries avg(dt.host.cpu.usage)", threshold: "90" },
    },
    eventTemplate: { "event.name": "CPU saturation", "event.type": "CUSTOM_ALERT" },
    executionSettings: { actor: ACTOR },
  });
  assert.deepEqual(Object.keys(flat.analyzer.input), ["alertCondition", "query", "threshold"]);
});

Deno.test("settingsValueToFlattened: missing optional fields get the writer's defaults", () => {
  assert.deepEqual(settingsValueToFlattened({ title: "Old", analyzer: { name: STATIC } }), {
    title: "Old",
    description: "",
    enabled: true,
    source: "dtctl",
    analyzer: { name: STATIC, input: {} },
    eventTemplate: {},
    executionSettings: {},
  });
});

Deno.test("settingsValueToFlattened: refuses what the flattened form cannot hold", () => {
  const cases: [unknown, string][] = [
    ["x", 'anomaly detector: expected a settings value object (got "x")'],
    [{ ...serverValue, owner: "me" }, "anomaly detector: owner: unknown field"],
    [
      { ...serverValue, analyzer: { ...serverValue.analyzer, version: 2 } },
      "anomaly detector: analyzer.version: unknown field",
    ],
    [
      {
        ...serverValue,
        analyzer: { name: STATIC, input: [{ key: "a", value: "1" }, { key: "a", value: "2" }] },
      },
      'anomaly detector: analyzer.input[1].key: duplicate key "a"',
    ],
    [
      { ...serverValue, analyzer: { name: STATIC, input: {} } },
      "anomaly detector: analyzer.input: expected a list of {key, value} (got a mapping)",
    ],
    [{ ...serverValue, enabled: "true" }, 'anomaly detector: enabled: expected true or false (got "true")'],
    [{ ...serverValue, title: undefined }, "anomaly detector: title: expected a string (got nothing)"],
    [{ ...serverValue, analyzer: null }, "anomaly detector: analyzer: expected an object (got null)"],
  ];
  for (const [value, message] of cases) {
    const error = validationError(() => settingsValueToFlattened(value));
    assert.equal(error.message, message);
    assert.match(error.hint ?? "", /raw settings form/);
  }
  assert.match(validationError(() => settingsValueToFlattened(1, "object vu9U3")).message, /^object vu9U3: /);
});

Deno.test("normalizeAnomalyDetectorValue: the server's value and the manifest compare equal", () => {
  const manifest = parse(`
title: CPU saturation
source: Davis Anomaly Detection
analyzer:
  name: ${STATIC}
  input: {threshold: 90, alertCondition: ABOVE, query: "timeseries avg(dt.host.cpu.usage)"}
eventTemplate: {event.name: CPU saturation, event.type: CUSTOM_ALERT}
executionSettings: {actor: ${ACTOR}}
`);
  assert.deepEqual(normalizeAnomalyDetectorValue(serverValue), flattenedToSettingsValue(manifest));
  assert.notDeepEqual(
    normalizeAnomalyDetectorValue(serverValue),
    serverValue,
    "the server's order is not canonical",
  );
});

Deno.test("isFlattenedAnomalyDetector: recognises the flattened shape, not the settings envelope", () => {
  assert.equal(isFlattenedAnomalyDetector({ title: "t", analyzer: { name: STATIC } }), true);
  assert.equal(
    isFlattenedAnomalyDetector({ analyzer: {} }),
    true,
    "incomplete, but flattened: validation explains",
  );
  assert.equal(isFlattenedAnomalyDetector({ title: "t" }), true);
  assert.equal(
    isFlattenedAnomalyDetector({ schemaId: ANOMALY_DETECTOR_SCHEMA_ID, value: serverValue }),
    false,
  );
  assert.equal(isFlattenedAnomalyDetector({ value: serverValue }), false);
  assert.equal(isFlattenedAnomalyDetector({ name: "x" }), false);
  assert.equal(isFlattenedAnomalyDetector([{ title: "t" }]), false);
  assert.equal(isFlattenedAnomalyDetector(null), false);
  assert.equal(isFlattenedAnomalyDetector("title"), false);
});

// ---------------------------------------------------------------------------------------------------------
// Round trips
// ---------------------------------------------------------------------------------------------------------

const inputKey = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_.-]{0,12}$/);
const propertyKey = fc.string({ minLength: 1, maxLength: 12 }).filter((k) =>
  k.trim() !== "" && !/[{}]/.test(k)
);
const text = (min: number, max: number) => fc.string({ minLength: min, maxLength: max });
const scalar = fc.oneof(
  text(1, 20),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
);
const blankFree = (value: unknown) => typeof value !== "string" || value.trim() !== "";
const executionSettings = fc.record(
  {
    actor: fc.oneof(fc.uuid(), fc.constant(null)),
    queryOffset: fc.oneof(fc.integer({ min: 1, max: 60 }), fc.constant(null)),
  },
  { requiredKeys: [], noNullPrototype: true },
);

const flattenedArb = fc.record(
  {
    title: text(2, 40).filter((t) => t.trim() !== ""),
    description: fc.option(text(0, 40), { nil: undefined }),
    enabled: fc.option(fc.boolean(), { nil: undefined }),
    source: fc.option(text(1, 20).filter((s) => s.trim() !== ""), { nil: undefined }),
    analyzer: fc.record(
      {
        name: fc.constantFrom(
          STATIC,
          "dt.statistics.ui.anomaly_detection.AutoAdaptiveAnomalyDetectionAnalyzer",
        ),
        input: fc.dictionary(inputKey, scalar, { maxKeys: 8, noNullPrototype: true }),
      },
      { requiredKeys: ["name"], noNullPrototype: true },
    ),
    eventTemplate: fc.option(
      fc.dictionary(propertyKey, scalar.filter(blankFree), { maxKeys: 6, noNullPrototype: true }),
      {
        nil: undefined,
      },
    ),
    executionSettings: fc.option(executionSettings, { nil: undefined }),
  },
  { requiredKeys: ["title", "analyzer"], noNullPrototype: true },
);

/** What a flattened definition means once the defaults are applied and the values are strings. */
function withDefaults(flat: Record<string, unknown>): Record<string, unknown> {
  const strings = (map: unknown) =>
    Object.fromEntries(
      Object.entries((map ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)]),
    );
  const analyzer = flat.analyzer as { name: string; input?: Record<string, unknown> };
  return {
    title: flat.title,
    description: flat.description ?? "",
    enabled: flat.enabled ?? true,
    source: flat.source ?? "dtctl",
    analyzer: { name: analyzer.name, input: strings(analyzer.input) },
    eventTemplate: strings(flat.eventTemplate),
    executionSettings: flat.executionSettings ?? {},
  };
}

Deno.test("property: flattened → value → flattened is the identity after defaults", () => {
  fc.assert(
    fc.property(flattenedArb, (flat) => {
      const value = flattenedToSettingsValue(flat);
      assert.deepEqual(settingsValueToFlattened(value), withDefaults(flat));
    }),
    { numRuns: 300 },
  );
});

const entries = (key: fc.Arbitrary<string>, max: number) =>
  fc.uniqueArray(
    fc.record({ key, value: text(1, 20).filter((v) => v.trim() !== "") }, { noNullPrototype: true }),
    {
      selector: (entry) => entry.key,
      maxLength: max,
    },
  ).map((list) => [...list].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)));

const canonicalValueArb: fc.Arbitrary<AnomalyDetectorValue> = fc.record({
  title: text(2, 40).filter((t) => t.trim() !== ""),
  description: text(0, 40),
  enabled: fc.boolean(),
  source: text(1, 20).filter((s) => s.trim() !== ""),
  analyzer: fc.record({ name: fc.constant(STATIC), input: entries(inputKey, 8) }, { noNullPrototype: true }),
  eventTemplate: fc.record(
    { properties: entries(propertyKey.filter((k) => /^[\x20-\x7e]+$/.test(k)), 6) },
    { noNullPrototype: true },
  ),
  executionSettings,
}, { noNullPrototype: true });

Deno.test("property: canonical value → flattened → value is the identity", () => {
  fc.assert(
    fc.property(canonicalValueArb, (value) => {
      assert.deepEqual(flattenedToSettingsValue(settingsValueToFlattened(value)), value);
      assert.deepEqual(normalizeAnomalyDetectorValue(value), value);
    }),
    { numRuns: 300 },
  );
});

Deno.test("property: arbitrary input fails only with validation errors", () => {
  const check = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      assert.ok(error instanceof DtctlError && error.code === "validation_error", String(error));
    }
  };
  fc.assert(
    fc.property(fc.anything({ maxDepth: 3 }), (input) => {
      check(() => flattenedToSettingsValue(input));
      check(() => settingsValueToFlattened(input));
      check(() => flattenedToSettingsValue({ title: "ok", analyzer: input }));
      check(() =>
        settingsValueToFlattened({ title: "ok", analyzer: { name: STATIC, input }, eventTemplate: input })
      );
    }),
    { numRuns: 500 },
  );
});
