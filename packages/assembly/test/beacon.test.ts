import fc from "fast-check";
import { digestOf } from "@assay/protocol";
import {
  AssemblyError,
  BEACON_FORMAT,
  beaconCommitment,
  beaconInputsOf,
  beaconTrust,
  checkRecordBeacon,
  drawSeats,
  drawSeed,
  recomputeBeacon,
  snapshotEligible,
} from "../src";
import { hex32, PARAMS, validator } from "./helpers";

const share = hex32("platform-share");
const report = hex32("report");
const commitment = beaconCommitment(share);
const arbHex32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => `0x${Buffer.from(b).toString("hex")}`);
const arbContributions = fc.uniqueArray(fc.record({ validatorId: fc.uuid(), value: arbHex32 }), { selector: (c) => c.validatorId, maxLength: 8 });

function inputs(contributions: { validatorId: string; value: string }[], block: { number: bigint; hash: string } | null = null) {
  return beaconInputsOf({ reportDigest: report, platformShare: share, commitment, contributions, block });
}

describe("beaconCommitment", () => {
  it("is SHA-256 over the share's 32 raw bytes", () => {
    const { createHash } = require("node:crypto") as typeof import("node:crypto");
    expect(commitment).toBe(`0x${createHash("sha256").update(Buffer.from(share.slice(2), "hex")).digest("hex")}`);
    expect(beaconCommitment(share.toUpperCase().replace("0X", "0x"))).toBe(commitment);
  });

  it("refuses anything but 32 bytes of hex", () => {
    expect(() => beaconCommitment("0x1234")).toThrow(AssemblyError);
    expect(() => beaconCommitment(share.slice(2))).toThrow(AssemblyError);
  });
});

describe("recomputeBeacon", () => {
  it("is the digest of the sorted inputs document", () => {
    const i = inputs([
      { validatorId: "b", value: hex32("b") },
      { validatorId: "a", value: hex32("a") },
    ]);
    expect(i.contributions.map((c) => c.validatorId)).toEqual(["a", "b"]);
    expect(recomputeBeacon(i)).toBe(
      digestOf({ format: BEACON_FORMAT, reportDigest: report, platformShare: share, commitment, contributions: [{ validatorId: "a", value: hex32("a") }, { validatorId: "b", value: hex32("b") }], block: null }),
    );
  });

  it("does not depend on the order contributions arrived in; twice-run equals once-run (property)", () => {
    fc.assert(
      fc.property(arbContributions, (cs) => {
        const forward = recomputeBeacon(inputs(cs));
        expect(recomputeBeacon(inputs([...cs].reverse()))).toBe(forward);
        expect(recomputeBeacon(JSON.parse(JSON.stringify(inputs(cs))))).toBe(forward);
      }),
      { numRuns: 100 },
    );
  });

  it("what is known at open (report, commitment) does not fix the beacon: any change to a later input changes it (property)", () => {
    fc.assert(
      fc.property(arbContributions, arbHex32, fc.uuid(), (cs, value, extraId) => {
        fc.pre(!cs.some((c) => c.validatorId === extraId));
        const base = recomputeBeacon(inputs(cs));
        // One more contribution, a different value from one contributor, a block: each moves the beacon.
        expect(recomputeBeacon(inputs([...cs, { validatorId: extraId, value }]))).not.toBe(base);
        if (cs.length > 0 && cs[0]!.value !== value) expect(recomputeBeacon(inputs([{ ...cs[0]!, value }, ...cs.slice(1)]))).not.toBe(base);
        expect(recomputeBeacon(inputs(cs, { number: 7n, hash: value }))).not.toBe(base);
        // A different platform share (with its own commitment) moves it too.
        const other = hex32(`other/${value}`);
        expect(recomputeBeacon(beaconInputsOf({ reportDigest: report, platformShare: other, commitment: beaconCommitment(other), contributions: cs, block: null }))).not.toBe(base);
      }),
      { numRuns: 100 },
    );
  });

  it("refuses a share that does not open the commitment, unsorted or duplicate contributions, and malformed values", () => {
    const good = inputs([{ validatorId: "a", value: hex32("a") }, { validatorId: "b", value: hex32("b") }]);
    expect(() => recomputeBeacon({ ...good, platformShare: hex32("not the share") })).toThrow(/does not open/);
    expect(() => recomputeBeacon({ ...good, contributions: [...good.contributions].reverse() })).toThrow(/sorted/);
    expect(() => recomputeBeacon({ ...good, contributions: [good.contributions[0], good.contributions[0]] })).toThrow(/sorted/);
    expect(() => recomputeBeacon({ ...good, contributions: [{ validatorId: "a", value: "0x12" }] })).toThrow(AssemblyError);
    expect(() => recomputeBeacon({ ...good, format: "assay.beacon/v1" })).toThrow(AssemblyError);
    expect(() => recomputeBeacon({ ...good, extra: 1 })).toThrow(AssemblyError);
    expect(() =>
      beaconInputsOf({ reportDigest: report, platformShare: share, commitment, contributions: [{ validatorId: "a", value: hex32("1") }, { validatorId: "a", value: hex32("2") }], block: null }),
    ).toThrow(expect.objectContaining({ code: "DUPLICATE_VALIDATOR" }));
  });
});

describe("beaconTrust", () => {
  it("says when the platform alone chose the seed (no contribution, no block)", () => {
    expect(beaconTrust(inputs([]))).toEqual({ contributions: 0, block: false, platformKnewSeed: true });
    expect(beaconTrust(inputs([{ validatorId: "a", value: hex32("a") }]))).toEqual({ contributions: 1, block: false, platformKnewSeed: false });
    expect(beaconTrust(inputs([], { number: 1n, hash: hex32("blk") }))).toEqual({ contributions: 0, block: true, platformKnewSeed: false });
  });
});

describe("from the inputs to the seats", () => {
  it("anyone holding the stored inputs and snapshot recomputes the seed and seats; other contributions give other seats", () => {
    const snapshot = snapshotEligible(Array.from({ length: 40 }, (_, i) => validator(`v${String(i).padStart(2, "0")}`)), { params: PARAMS });
    const stored = JSON.parse(JSON.stringify(inputs([{ validatorId: "v01", value: hex32("x") }]))) as unknown;
    const beacon = recomputeBeacon(stored);
    const seats = drawSeats(snapshot, drawSeed(beacon, "asm", 1), 5);
    expect(drawSeats(snapshot, drawSeed(recomputeBeacon(stored), "asm", 1), 5)).toEqual(seats);
    expect(checkRecordBeacon(stored, { rounds: [{ round: 1, beacon }, { round: 2, beacon }] })).toMatchObject({ ok: true, beacon });
    expect(checkRecordBeacon(stored, { rounds: [{ round: 1, beacon: hex32("forged") }] }).ok).toBe(false);
    expect(checkRecordBeacon({ ...(stored as object), platformShare: hex32("forged") }, { rounds: [{ round: 1, beacon }] }).ok).toBe(false);
    // Another contribution value: another beacon, and (40 validators, 5 seats) other seats for these fixed values.
    const other = recomputeBeacon(inputs([{ validatorId: "v01", value: hex32("y") }]));
    expect(other).not.toBe(beacon);
    expect(drawSeats(snapshot, drawSeed(other, "asm", 1), 5)).not.toEqual(seats);
  });
});
