// The deposit reference (docs/money.md "On-chain deposits"): "assay-deposit-v1" ‖ the developer id as
// bytes32, reversible for every UUID, and nothing else reads as a reference.
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { DepositClaimBodySchema, depositReference, developerOfReference, DEPOSIT_REFERENCE_TAG } from "../src";

describe("deposit reference", () => {
  it("is the tag then the 16 bytes of the id, and reads back to the id", () => {
    const id = "0f8fad5b-d9cb-469f-a165-70867728950e";
    const ref = depositReference(id);
    expect(ref).toBe(`0x${Buffer.from(DEPOSIT_REFERENCE_TAG, "ascii").toString("hex")}0f8fad5bd9cb469fa16570867728950e`);
    expect(ref).toMatch(/^0x[0-9a-f]{64}$/);
    expect(developerOfReference(ref)).toBe(id);
    expect(developerOfReference(ref.toUpperCase().replace("0X", "0x"))).toBe(id);
    fc.assert(fc.property(fc.uuid(), (uuid) => developerOfReference(depositReference(uuid)) === uuid.toLowerCase()));
    expect(developerOfReference(depositReference(randomUUID().toUpperCase()))).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("anything else is not a reference", () => {
    expect(developerOfReference(`0x${"00".repeat(32)}`)).toBeNull();
    expect(developerOfReference(`0x${"ab".repeat(32)}`)).toBeNull();
    expect(developerOfReference("0x1234")).toBeNull();
    expect(developerOfReference(depositReference(randomUUID()).slice(0, 60))).toBeNull();
    expect(() => depositReference("not-a-uuid")).toThrow();
  });

  it("a claim body takes a transaction hash only, lowercased", () => {
    expect(DepositClaimBodySchema.parse({ txHash: `0x${"AB".repeat(32)}` })).toEqual({ txHash: `0x${"ab".repeat(32)}` });
    for (const bad of [{ txHash: "0x12" }, { txHash: `0x${"g".repeat(64)}` }, {}, { txHash: `0x${"ab".repeat(32)}`, more: 1 }]) expect(DepositClaimBodySchema.safeParse(bad).success).toBe(false);
  });
});
