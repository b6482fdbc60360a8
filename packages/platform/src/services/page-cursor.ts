// Keyset cursors of the operator's lists (decision 0032): the last row's sort key
// and id, base64url JSON. Decoding accepts only what encoding writes (an instant
// PostgreSQL can hold, a safe integer, a UUID), so a forged cursor is a 400, never a query.
import { ValidationError } from "../errors";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INSTANT = /^(19[7-9]\d|[2-9]\d{3})-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export type InstantKey = { at: Date; id: string };
export type NumberKey = { value: number; id: string };
export type Page<T> = { items: T[]; nextCursor: string | null };

export const encodeInstantCursor = (key: InstantKey): string => Buffer.from(JSON.stringify(["t", key.at.toISOString(), key.id])).toString("base64url");
/** Lists in id order alone (usage per developer): `["i", id]`. */
export const encodeIdCursor = (id: string): string => Buffer.from(JSON.stringify(["i", id])).toString("base64url");
export const encodeNumberCursor = (key: NumberKey): string => Buffer.from(JSON.stringify(["n", key.value, key.id])).toString("base64url");

function invalid(): never {
  throw new ValidationError("cursor_invalid", "the pagination cursor is not valid", [{ path: "cursor", message: "not a cursor from this list" }]);
}

function parts(cursor: string, length = 3): unknown[] {
  try {
    const value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown;
    return Array.isArray(value) && value.length === length ? value : invalid();
  } catch {
    return invalid();
  }
}

export function decodeInstantCursor(cursor: string): InstantKey {
  const [kind, at, id] = parts(cursor);
  if (kind !== "t" || typeof at !== "string" || !INSTANT.test(at) || typeof id !== "string" || !UUID.test(id)) invalid();
  const date = new Date(at);
  if (Number.isNaN(date.getTime()) || date.toISOString() !== at) invalid();
  return { at: date, id };
}

export function decodeNumberCursor(cursor: string): NumberKey {
  const [kind, value, id] = parts(cursor);
  if (kind !== "n" || typeof value !== "number" || !Number.isSafeInteger(value) || typeof id !== "string" || !UUID.test(id)) invalid();
  return { value, id };
}

export function decodeIdCursor(cursor: string): string {
  const [kind, id] = parts(cursor, 2);
  if (kind !== "i" || typeof id !== "string" || !UUID.test(id)) invalid();
  return id as string;
}

/** `limit + 1` rows fetched → the page and the cursor of its last row when more follow. */
export function pageOf<R, T>(rows: readonly R[], limit: number, view: (row: R) => T, cursorOf: (row: R) => string): Page<T> {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { items: page.map(view), nextCursor: rows.length > limit && last !== undefined ? cursorOf(last) : null };
}
