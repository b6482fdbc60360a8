import { canonicalJson, digestOf, sha256Hex, voteCommitmentDigest, voteCommitmentPreimage } from "@assay/protocol";
import fc from "fast-check";
import { AssemblyError, checkReveal, COMMITMENT_FORMAT, commitmentOf, commitmentPreimage, commitmentPreimageJson, RevealSchema, voteCommitment, type Reveal } from "../src";
import { ballot, hex32, vote } from "./helpers";

describe("voteCommitment", () => {
  const reveal: Reveal = {
    verdict: "certify",
    stabilityScore: 8_200,
    findingOpinions: { "DRIFT_BAND_EXCEEDED@long-horizon": "dispute" },
    claims: { "SRIP-05": "grant", "SRIP-03": "deny" },
    notes: "recovers by turn 40",
    salt: hex32("salt"),
    validatorId: "val-1",
    assemblyId: "asm-1",
    round: 1,
  };

  it("is SHA-256 over the canonical preimage binding voter, assembly and round", () => {
    const expected = digestOf({
      format: COMMITMENT_FORMAT,
      assemblyId: "asm-1",
      round: 1,
      validatorId: "val-1",
      verdict: "certify",
      stabilityScore: 8_200,
      findingOpinions: { "DRIFT_BAND_EXCEEDED@long-horizon": "dispute" },
      claims: { "SRIP-03": "deny", "SRIP-05": "grant" },
      notesDigest: sha256Hex("recovers by turn 40"),
      salt: hex32("salt"),
    });
    expect(COMMITMENT_FORMAT).toBe("assay.vote-commitment/v2");
    expect(voteCommitment(reveal)).toBe(expected);
    expect(canonicalJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
  });

  it("changes with every bound field, notes included", () => {
    const base = voteCommitment(reveal);
    const variants: Partial<Reveal>[] = [
      { verdict: "reject" },
      { stabilityScore: 8_201 },
      { findingOpinions: {} },
      { claims: { "SRIP-05": "grant" } },
      { claims: { "SRIP-05": "deny", "SRIP-03": "deny" } },
      { claims: {} },
      { notes: "recovers by turn 41" },
      { notes: undefined },
      { salt: hex32("other") },
      { validatorId: "val-2" },
      { assemblyId: "asm-2" },
      { round: 2 },
    ];
    const digests = variants.map((v) => voteCommitment({ ...reveal, ...v }));
    expect(new Set([base, ...digests]).size).toBe(variants.length + 1);
  });

  it("refuses a weak salt or malformed vote", () => {
    expect(() => voteCommitment({ ...reveal, salt: "0x1234" })).toThrow(AssemblyError);
    expect(() => voteCommitment({ ...reveal, stabilityScore: 0.5 })).toThrow(AssemblyError);
    expect(() => voteCommitment({ ...reveal, findingOpinions: { "bad key": "confirm" } })).toThrow(AssemblyError);
    expect(() => voteCommitment({ ...reveal, claims: { "SRIP-99": "grant" } as Reveal["claims"] })).toThrow(AssemblyError);
    expect(() => voteCommitment({ ...reveal, claims: { "SRIP-05": "maybe" } as unknown as Reveal["claims"] })).toThrow(AssemblyError);
  });
});

describe("checkReveal", () => {
  const own = ballot("asm-1", 1, "alice", vote("certify"));

  it("accepts the reveal that opens the commitment", () => {
    expect(checkReveal(own.commit, own.reveal)).toEqual({ valid: true });
  });

  it("voids a reveal that does not match its commitment", () => {
    expect(checkReveal(own.commit, { ...own.reveal, verdict: "reject" })).toEqual({ valid: false, reason: "commitment_mismatch" });
    expect(checkReveal(own.commit, { ...own.reveal, salt: hex32("guess") })).toEqual({ valid: false, reason: "commitment_mismatch" });
    expect(checkReveal(own.commit, { ...own.reveal, extra: 1 })).toEqual({ valid: false, reason: "malformed" });
  });

  it("makes a commitment copied from another validator useless", () => {
    // Bob copies Alice's commitment without knowing her salt.
    const copied = { ...own.commit, validatorId: "bob" };
    // Bob revealing his own vote (even the same verdict) cannot open it…
    expect(checkReveal(copied, { ...ballot("asm-1", 1, "bob", vote("certify")).reveal })).toEqual({ valid: false, reason: "commitment_mismatch" });
    // …and once Alice reveals, replaying her preimage names Alice, not Bob.
    expect(checkReveal(copied, own.reveal)).toEqual({ valid: false, reason: "validator_mismatch" });
    // Rewriting the preimage to name Bob changes the hash.
    expect(checkReveal(copied, { ...own.reveal, validatorId: "bob" })).toEqual({ valid: false, reason: "commitment_mismatch" });
  });

  it("makes a commitment copied from another round or assembly useless", () => {
    const nextRound = { ...own.commit, round: 2 };
    expect(checkReveal(nextRound, own.reveal)).toEqual({ valid: false, reason: "round_mismatch" });
    expect(checkReveal(nextRound, { ...own.reveal, round: 2 })).toEqual({ valid: false, reason: "commitment_mismatch" });
    const otherAssembly = { ...own.commit, assemblyId: "asm-2" };
    expect(checkReveal(otherAssembly, own.reveal)).toEqual({ valid: false, reason: "assembly_mismatch" });
  });
});

describe("commitmentPreimageJson", () => {
  const revealArb = fc.record(
    {
      verdict: fc.constantFrom("certify" as const, "reject" as const),
      stabilityScore: fc.integer({ min: 0, max: 10_000 }),
      findingOpinions: fc.dictionary(
        fc.tuple(fc.stringMatching(/^[A-Z][A-Z0-9_]{0,10}$/), fc.string({ unit: "binary", minLength: 1, maxLength: 12 })).map(([c, s]) => `${c}@${s.replace(/[\s@]/g, "x")}`),
        fc.constantFrom("confirm" as const, "dispute" as const),
      ),
      claims: fc.dictionary(fc.constantFrom("SRIP-03" as const, "SRIP-05" as const, "SRIP-13" as const), fc.constantFrom("grant" as const, "deny" as const)),
      notes: fc.string({ unit: "binary", maxLength: 40 }),
      salt: fc.uint8Array({ minLength: 16, maxLength: 64 }).map((b) => `0x${Buffer.from(b).toString("hex")}`),
      validatorId: fc.string({ unit: "binary", minLength: 1, maxLength: 20 }),
      assemblyId: fc.string({ unit: "binary", minLength: 1, maxLength: 20 }),
      round: fc.integer({ min: 1, max: 64 }),
    },
    { requiredKeys: ["verdict", "stabilityScore", "findingOpinions", "claims", "salt", "validatorId", "assemblyId", "round"] },
  );

  it("writes exactly the JCS text of the preimage for every valid vote (property)", () => {
    fc.assert(
      fc.property(revealArb, (reveal) => {
        fc.pre(RevealSchema.safeParse(reveal).success);
        expect(commitmentPreimageJson(reveal)).toBe(canonicalJson(commitmentPreimage(reveal)));
      }),
      { numRuns: 500 },
    );
  });

  it("the protocol's browser-side commitment (the validator portal's) equals the tally's fast path for every valid vote (property)", () => {
    fc.assert(
      fc.property(revealArb, (reveal) => {
        fc.pre(RevealSchema.safeParse(reveal).success);
        expect(voteCommitmentDigest(reveal)).toBe(commitmentOf(reveal));
        expect(voteCommitmentPreimage(reveal)).toEqual(commitmentPreimage(reveal));
      }),
      { numRuns: 500 },
    );
  });
});
