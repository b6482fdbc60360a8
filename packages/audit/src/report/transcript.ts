// The transcript digest of a scenario run: SHA-256 over the JCS bytes of its
// turn records. Optional fields set to undefined are dropped first (as JSON
// would), so producers may spell "absent" either way.
import { digestOf, type Digest } from "@assay/protocol";
import type { TurnRecord } from "../types";

export function jsonValue<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export function transcriptDigest(records: readonly TurnRecord[]): Digest {
  return digestOf(jsonValue(records));
}
