import assert from "node:assert/strict";
import { assertKindGoldens, payloadFile, sedEditor, seededLocalCli } from "./setting_support.ts";

const DETECTOR = `title: Queue backlog
analyzer:
  name: dt.statistics.ui.anomaly_detection.StaticThresholdAnomalyDetectionAnalyzer
  input:
    query: timeseries max(queue.backlog)
    threshold: 1000
    alertCondition: ABOVE
eventTemplate:
  event.type: CUSTOM_ALERT
  title: Backlog above 1000
`;

Deno.test("cli anomaly detectors: get in every format and describe match the golden files", async () => {
  const cli = await seededLocalCli();
  try {
    await assertKindGoldens(cli, "anomaly-detector", ["anomaly-detectors"], [
      "ad",
      "High CPU on build agents",
    ]);
  } finally {
    await cli.cleanup();
  }
});

Deno.test("cli anomaly detectors: get -o yaml is the flattened form; create, edit, delete by title", async () => {
  const cli = await seededLocalCli();
  try {
    const yaml = await cli.run(["get", "ad", "High CPU on build agents", "-o", "yaml"]);
    assert.equal(yaml.code, 0, yaml.stderr);
    assert.match(yaml.stdout, /\n {4}threshold: "90"\n/);
    assert.match(yaml.stdout, /\neventTemplate:\n {2}event\.type: CUSTOM_ALERT\n/);

    const file = await payloadFile(cli, "detector.yaml", DETECTOR);
    const refused = await cli.run(["create", "anomaly-detector", "-f", file], {
      DTCTL_SAFETY_LEVEL: "readonly",
    });
    assert.equal(refused.code, 5);
    const created = await cli.run(["create", "anomaly-detector", "-f", file]);
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /^anomaly-detector\/\S+ created\n$/);

    const edited = await cli.run(
      ["edit", "ad", "Queue backlog"],
      sedEditor("enabled: true", "enabled: false"),
    );
    assert.equal(edited.code, 0, edited.stderr);
    const after = JSON.parse((await cli.run(["get", "ad", "Queue backlog", "-o", "json"])).stdout);
    assert.equal(after.enabled, false);
    assert.deepEqual(after.analyzer.input, {
      alertCondition: "ABOVE",
      query: "timeseries max(queue.backlog)",
      threshold: "1000",
    });

    const deleted = await cli.run(["delete", "ad", "Queue backlog", "--yes"]);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.equal((await cli.run(["get", "ad", "Queue backlog"])).code, 4);
  } finally {
    await cli.cleanup();
  }
});

Deno.test("cli anomaly detectors: invalid definitions are validation errors by field path", async () => {
  const cli = await seededLocalCli();
  try {
    const file = await payloadFile(cli, "bad.yaml", "title: Broken\nanalyzer:\n  input:\n    query: x\n");
    const result = await cli.run(["create", "ad", "-f", file]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /analyzer\.name: required/);
  } finally {
    await cli.cleanup();
  }
});
