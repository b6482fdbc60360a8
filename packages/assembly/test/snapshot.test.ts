import { digestOf } from "@assay/protocol";
import { AssemblyError, snapshotEligible, snapshotFromDocument } from "../src";
import { PARAMS, validator } from "./helpers";

describe("snapshotEligible", () => {
  const set = [
    validator("carol", { standing: "probation" }),
    validator("alice"),
    validator("dave", { standing: "suspended" }),
    validator("bob", { stake: 0n }),
    validator("erin", { kind: "agent", modelFamily: " Claude " }),
    validator("mallory"),
  ];

  it("keeps active and probation validators with positive weight, minus conflicts, sorted by id", () => {
    const snapshot = snapshotEligible(set, { conflicts: ["mallory"], params: PARAMS });
    expect(snapshot.ids).toEqual(["alice", "carol", "erin"]);
    expect(snapshot.document.validators.map((v) => v.weight)).toEqual(["625000", "312500", "625000"]);
    expect(snapshot.totalWeight).toBe(1_562_500n);
    expect(snapshot.document.totalWeight).toBe("1562500");
    expect(snapshot.families).toEqual([null, null, "claude"]);
  });

  it("digests the canonical document, independent of input order", () => {
    const a = snapshotEligible(set, { params: PARAMS });
    const b = snapshotEligible([...set].reverse(), { params: PARAMS });
    expect(a.digest).toBe(digestOf(a.document));
    expect(b.digest).toBe(a.digest);
  });

  it("accepts stakes as decimal text", () => {
    const s = snapshotEligible([validator("x", { stake: "1000000" })]);
    expect(s.weights).toEqual([625_000n]);
  });

  it("refuses duplicates and malformed validators with typed errors", () => {
    expect(() => snapshotEligible([validator("a"), validator("a")])).toThrow(expect.objectContaining({ code: "DUPLICATE_VALIDATOR" }));
    expect(() => snapshotEligible([validator("a", { reputationBps: 10_001 })])).toThrow(AssemblyError);
    expect(() => snapshotEligible([validator("a", { stake: "-5" })])).toThrow(AssemblyError);
  });

  it("rebuilds from its document and checks digest, order and weights", () => {
    const s = snapshotEligible(set, { params: PARAMS });
    const copy = snapshotFromDocument(JSON.parse(JSON.stringify(s.document)), s.digest);
    expect(copy.digest).toBe(s.digest);
    expect(copy.cumulative).toEqual(s.cumulative);
    expect(() => snapshotFromDocument(s.document, `0x${"0".repeat(64)}`)).toThrow(expect.objectContaining({ code: "SNAPSHOT_DIGEST_MISMATCH" }));
    const inflated = JSON.parse(JSON.stringify(s.document));
    inflated.validators[0].weight = "999999999";
    expect(() => snapshotFromDocument(inflated)).toThrow(/weight rule/);
    const unsorted = JSON.parse(JSON.stringify(s.document));
    unsorted.validators.reverse();
    expect(() => snapshotFromDocument(unsorted)).toThrow(/sorted/);
  });
});

describe("snapshotDocumentJson", () => {
  const { canonicalJson } = require("@assay/protocol") as typeof import("@assay/protocol");
  const { snapshotDocumentJson } = require("../src") as typeof import("../src");
  const fc = require("fast-check") as typeof import("fast-check");
  it("writes exactly the JCS text of the document (property, unicode ids and families)", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ unit: "binary", minLength: 1, maxLength: 12 }), { maxLength: 12 }),
        fc.array(fc.record({ stake: fc.bigInt({ min: 1n, max: 10n ** 24n }), rep: fc.integer({ min: 0, max: 10_000 }), probation: fc.boolean(), family: fc.option(fc.string({ unit: "binary", minLength: 1, maxLength: 8 }), { nil: null }) }), { minLength: 12, maxLength: 12 }),
        fc.integer({ min: 0, max: 10_000 }),
        (ids, rows, floor) => {
          const s = snapshotEligible(
            ids.map((id, i) => ({ id, stake: rows[i]!.stake, reputationBps: rows[i]!.rep, standing: rows[i]!.probation ? "probation" : "active", kind: "agent", modelFamily: rows[i]!.family })),
            { params: { ...PARAMS, reputationFloorBps: floor } },
          );
          expect(snapshotDocumentJson(s.document)).toBe(canonicalJson(s.document));
        },
      ),
      { numRuns: 300 },
    );
  });
});
