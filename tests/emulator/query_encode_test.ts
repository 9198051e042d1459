import assert from "node:assert/strict";
import fc from "fast-check";
import {
  bucketTypes,
  type DqlRecord,
  type DqlValue,
  Duration,
  encodeRecords,
  encodeValue,
  fieldTypeOf,
  Timeframe,
  Timestamp,
  type WireFieldType,
} from "../../lib/emulator/services/query/mod.ts";

Deno.test("Timestamp formats nine fractional digits and parses offsets, fractions and bare dates", () => {
  assert.equal(
    Timestamp.fromMillis(Date.parse("2026-02-02T16:04:19.947Z")).toString(),
    "2026-02-02T16:04:19.947000000Z",
  );
  assert.equal(Timestamp.parse("2024-05-01T12:00:00.5+02:00")!.toString(), "2024-05-01T10:00:00.500000000Z");
  assert.equal(Timestamp.parse("2024-05-01")!.toString(), "2024-05-01T00:00:00.000000000Z");
  assert.equal(Timestamp.parse("1969-12-31T23:59:59.999999999Z")!.nanos, -1n);
  assert.equal(new Timestamp(-1n).toString(), "1969-12-31T23:59:59.999999999Z");
  assert.equal(Timestamp.parse("2024-02-31T00:00:00Z"), undefined, "impossible dates are rejected");
  assert.equal(Timestamp.parse("yesterday"), undefined);
});

Deno.test("encodeValue follows the Grail wire encoding", () => {
  assert.equal(encodeValue(9007199254740993n), "9007199254740993", "longs keep int64 precision");
  assert.equal(encodeValue(1.5), 1.5);
  assert.equal(encodeValue(Number.NaN), "NaN");
  assert.equal(encodeValue(-Infinity), "-Infinity");
  assert.equal(encodeValue(new Duration(300_000_000_000n)), "300000000000");
  const tf = new Timeframe(Timestamp.fromMillis(0), Timestamp.fromMillis(1000));
  assert.deepEqual(encodeValue(tf), {
    start: "1970-01-01T00:00:00.000000000Z",
    end: "1970-01-01T00:00:01.000000000Z",
  });
  assert.deepEqual(encodeValue([1n, null, 2.5]), ["1", null, 2.5]);
  assert.deepEqual(fieldTypeOf(tf), { type: "timeframe" });
});

Deno.test("nulls fit any bucket; a type collision starts a new bucket", () => {
  const records: DqlRecord[] = [{ a: null }, { a: 1n }, { a: null, b: "x" }, { a: "one" }, {
    a: "two",
    b: "y",
  }];
  assert.deepEqual(bucketTypes(records), [
    { indexRange: [0, 2], mappings: { a: { type: "long" }, b: { type: "string" } } },
    { indexRange: [3, 4], mappings: { a: { type: "string" }, b: { type: "string" } } },
  ]);
  assert.deepEqual(encodeRecords([], undefined), { records: [], types: [] });
});

const scalar: fc.Arbitrary<DqlValue> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.string({ maxLength: 4 }),
  fc.double({ noNaN: true }),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  fc.bigInt({ min: 0n, max: 4_000_000_000_000_000_000n }).map((ns) => new Timestamp(ns)),
  fc.bigInt({ min: 0n, max: 10n ** 15n }).map((ns) => new Duration(ns)),
);
const value: fc.Arbitrary<DqlValue> = fc.oneof(
  { weight: 5, arbitrary: scalar },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }) },
);
const record = fc.dictionary(fc.constantFrom("a", "b", "c", "d"), value, { maxKeys: 4 });

function sameType(type: WireFieldType, value: DqlValue): boolean {
  return value === null || JSON.stringify(type) === JSON.stringify(fieldTypeOf(value));
}

Deno.test("property: buckets tile the records and describe every field of every record", () => {
  fc.assert(
    fc.property(fc.array(record, { maxLength: 25 }), (records) => {
      const { records: wire, types } = encodeRecords(records);
      assert.equal(wire.length, records.length);
      let next = 0;
      for (const bucket of types) {
        const [start, end] = bucket.indexRange!;
        assert.equal(start, next, "buckets are contiguous and start where the previous one ended");
        assert.ok(end >= start);
        next = end + 1;
        for (let i = start; i <= end; i++) {
          for (const [field, v] of Object.entries(records[i])) {
            assert.ok(bucket.mappings[field], `field ${field} of record ${i} has a type`);
            assert.ok(sameType(bucket.mappings[field], v), `type of ${field} in record ${i}`);
          }
        }
      }
      assert.equal(next, records.length, "every record is covered");
      // Longs never travel as JSON numbers.
      records.forEach((r, i) =>
        Object.entries(r).forEach(([k, v]) => {
          if (typeof v === "bigint") assert.equal(wire[i][k], v.toString());
        })
      );
    }),
  );
});
