// fast-check arbitraries from the contract's schemas (their JSON Schema form,
// the same one the OpenAPI documents carry): values the schema accepts, and
// hostile variants of them (issue 14 point 2).
import fc from "fast-check";

type Json = Record<string, any>;

/** Values valid for `schema` (best effort: zod refinements beyond JSON Schema may still refuse them). */
export function validOf(schema: Json, depth = 0): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...schema.enum);
  for (const key of ["anyOf", "oneOf"]) if (Array.isArray(schema[key])) return fc.oneof(...schema[key].map((s: Json) => validOf(s, depth)));
  if (Array.isArray(schema.allOf) && schema.allOf.length > 0) return validOf(schema.allOf[0], depth);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  const nullable = schema.nullable === true;
  const base = ((): fc.Arbitrary<unknown> => {
    switch (type) {
      case "string":
        return stringOf(schema);
      case "integer":
        return fc.integer({ min: clampInt(schema.minimum ?? -1_000_000, schema.exclusiveMinimum, 1), max: clampInt(schema.maximum ?? 1_000_000, schema.exclusiveMaximum, -1) });
      case "number":
        return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true, noDefaultInfinity: true });
      case "boolean":
        return fc.boolean();
      case "null":
        return fc.constant(null);
      case "array":
        return depth > 4 ? fc.constant([]) : fc.array(validOf(schema.items ?? {}, depth + 1), { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 3, 3) });
      case "object": {
        const properties = (schema.properties ?? {}) as Record<string, Json>;
        const required: string[] = schema.required ?? [];
        if (Object.keys(properties).length === 0) {
          if (depth > 3) return fc.constant({});
          return fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<unknown>, { maxKeys: 3 });
        }
        const record: Record<string, fc.Arbitrary<unknown>> = {};
        for (const [key, value] of Object.entries(properties)) record[key] = validOf(value, depth + 1);
        return fc.record(record, { requiredKeys: required });
      }
      default:
        return fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<unknown>;
    }
  })();
  return nullable ? fc.option(base, { nil: null, freq: 5 }) : base;
}

function clampInt(bound: number, exclusive: number | boolean | undefined, step: number): number {
  const value = typeof exclusive === "number" ? exclusive + step : exclusive === true ? bound + step : bound;
  return Math.max(Math.min(Math.trunc(value), Number.MAX_SAFE_INTEGER), Number.MIN_SAFE_INTEGER);
}

function stringOf(schema: Json): fc.Arbitrary<string> {
  switch (schema.format) {
    case "uuid":
      return fc.uuid();
    case "email":
      return fc.emailAddress();
    case "date-time":
      return fc.date({ min: new Date("2000-01-01"), max: new Date("2100-01-01"), noInvalidDate: true }).map((d) => d.toISOString());
  }
  if (typeof schema.pattern === "string") {
    try {
      const pattern = new RegExp(schema.pattern);
      return fc.stringMatching(pattern).filter((s) => s.length >= (schema.minLength ?? 0) && s.length <= (schema.maxLength ?? Infinity));
    } catch {
      // a pattern JavaScript cannot compile: fall through
    }
  }
  return fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 40, 40) });
}

/** Hostile replacements for any one value (issue 14: wrong types, 1 MB strings, huge/negative numbers, bad keys). */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, -1e308, 1e308, 2 ** 53 + 1, -(2 ** 63), 1.5, "", " ", "\u0000", "\u202e", "..", "a//b", "%00", "🙂".repeat(50)),
  fc.constant("x".repeat(1024 * 1024)),
  fc.constant([]),
  fc.constant({}),
  fc.constant([[[[[]]]]]),
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.double(),
);

/** Hostile path segments for ids. */
export const hostileId: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom("0", "-1", "null", "undefined", "..", "%2e%2e", "%00", "%ff", "%c0%af", "00000000-0000-0000-0000-000000000000", "0x" + "0".repeat(64), "0x" + "f".repeat(64), "ZZZZZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZZZZZZZZZ", "a".repeat(10_000), "__proto__", "constructor", "%E2%80%AE"),
  fc.uuid(),
  fc.string({ minLength: 1, maxLength: 30 }).map((s) => encodeURIComponent(s)),
);

const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const SOME_UUID = "6f1c2b9e-0a4d-4c1e-9f3a-2b7d8e9f0a1b";
/** Pagination cursors in the API's own encoding (base64url JSON [createdAt, id]) with hostile contents (issue 14 point 5). */
const hostileCursors = [
  ["-271821-04-19T00:00:00.000Z", SOME_UUID],
  ["+275760-09-13T00:00:00.000Z", SOME_UUID],
  ["0000-01-01T00:00:00.000Z", SOME_UUID],
  ["2026-13-45T99:99:99.999Z", SOME_UUID],
  ["2026-01-01T00:00:00.000Z", "not-a-uuid"],
  ["2026-01-01T00:00:00.000Z", "x".repeat(150)],
  [1, 2],
  [null],
  { __proto__: null, createdAt: "2026-01-01T00:00:00.000Z" },
  "[".repeat(60),
].map(cursorOf);

/** Hostile query values (out-of-range dates in cursors, numbers beyond any limit). */
export const hostileQueryValue: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...hostileCursors),
  fc.constantFrom("-1", "0", "1e400", "NaN", "Infinity", "9".repeat(400), "-271821-04-19T00:00:00.000Z", "+275760-09-13T00:00:01.000Z", "0000-00-00", "%00", "%ff", "[]", "{}", "true"),
  fc.string({ maxLength: 300 }).map((s) => encodeURIComponent(s)),
  fc.base64String({ maxLength: 200 }).map((s) => encodeURIComponent(s)),
);
