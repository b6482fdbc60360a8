// Keyset cursors of the operator lists (decision 0032): what encoding writes
// decodes to the same key; anything else — another kind, a date PostgreSQL
// cannot hold, a non-integer, a non-UUID, garbage — is a 400 cursor_invalid.
import { ValidationError } from "../src/errors";
import { decodeIdCursor, decodeInstantCursor, decodeNumberCursor, encodeIdCursor, encodeInstantCursor, encodeNumberCursor, pageOf } from "../src/services/page-cursor";

const id = "0b4f7a52-4d7e-4d2a-9c1e-2f0a1b2c3d4e";
const raw = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

test("round trips", () => {
  const at = new Date("2026-12-02T10:11:12.345Z");
  expect(decodeInstantCursor(encodeInstantCursor({ at, id }))).toEqual({ at, id });
  expect(decodeNumberCursor(encodeNumberCursor({ value: 7_250, id }))).toEqual({ value: 7_250, id });
});

test.each([
  ["the other kind", () => decodeNumberCursor(encodeInstantCursor({ at: new Date(0), id }))],
  ["the other kind (number as instant)", () => decodeInstantCursor(encodeNumberCursor({ value: 1, id }))],
  ["a year PostgreSQL cannot hold", () => decodeInstantCursor(raw(["t", "-271821-04-20T00:00:00.000Z", id]))],
  ["an impossible date", () => decodeInstantCursor(raw(["t", "2026-02-31T00:00:00.000Z", id]))],
  ["a fraction", () => decodeNumberCursor(raw(["n", 1.5, id]))],
  ["not a UUID", () => decodeNumberCursor(raw(["n", 1, "x'; drop table"]))],
  ["garbage", () => decodeInstantCursor("%%%")],
  ["too many parts", () => decodeInstantCursor(raw(["t", "2026-12-02T10:11:12.345Z", id, 1]))],
])("refuses %s", (_name, decode) => {
  expect(decode).toThrow(ValidationError);
  try {
    decode();
  } catch (e) {
    expect((e as ValidationError).code).toBe("cursor_invalid");
  }
});

test("pageOf: limit + 1 rows mean another page, cursor of the page's last row", () => {
  const rows = [1, 2, 3];
  expect(pageOf(rows, 2, (n) => n * 10, (n) => `c${n}`)).toEqual({ items: [10, 20], nextCursor: "c2" });
  expect(pageOf(rows, 3, (n) => n, (n) => `c${n}`)).toEqual({ items: [1, 2, 3], nextCursor: null });
  expect(pageOf([], 3, (n: number) => n, (n) => `c${n}`)).toEqual({ items: [], nextCursor: null });
});

test("id cursors (usage per developer): round trip; another kind, a non-UUID or a third part is refused", () => {
  expect(decodeIdCursor(encodeIdCursor(id))).toBe(id);
  for (const bad of [encodeInstantCursor({ at: new Date("2026-12-02T10:11:12.345Z"), id }), encodeNumberCursor({ value: 1, id }), raw(["i", "nope"]), raw(["i", id, 1]), raw(["t", id]), "%%"]) {
    expect(() => decodeIdCursor(bad)).toThrow(ValidationError);
  }
  expect(() => decodeInstantCursor(encodeIdCursor(id))).toThrow(ValidationError);
});
