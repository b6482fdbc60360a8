// The validator portal's pure pieces, on Node's WebCrypto (the same API the
// browser uses): key files in every accepted form, challenge signing that the
// server's verifier accepts, generated keys, ballots and their commitment,
// uploaded ballot checks, the history series.
import { createPrivateKey, createPublicKey, generateKeyPairSync, verify } from "node:crypto";
import { AgentHistorySchema, VoteBallotFileSchema, voteCommitmentDigest, type AgentHistory } from "@assay/protocol";
import fc from "fast-check";
import { ballotFileName, makeBallot, readBallotFile, revealBodyOf } from "../src/validator/ballots";
import { historySeries } from "../src/validator/history";
import { formatRelative } from "../src/format";
import { matchRoute } from "../src/router";
import { generateKey, importKey, KeyFileError, readKeyFile, signChallenge } from "../src/validator/keys";

const pemKey = () => {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  return { pem: privateKey.export({ format: "pem", type: "pkcs8" }).toString(), publicKey: (publicKey.export({ format: "jwk" }) as { x: string }).x, nodePublic: publicKey };
};

describe("key files", () => {
  const a = pemKey();
  const b = pemKey();

  it("reads a PEM, the launcher's validators.json (every key, by name) and an assay.validator-key/v1 file", () => {
    expect(readKeyFile(a.pem)).toEqual([{ name: null, pem: a.pem.trim() }]);
    expect(readKeyFile(JSON.stringify({ keys: { "honest-1": a.pem, "lazy-1": b.pem } }))).toEqual([
      { name: "honest-1", pem: a.pem.trim() },
      { name: "lazy-1", pem: b.pem.trim() },
    ]);
    expect(readKeyFile(JSON.stringify({ format: "assay.validator-key/v1", publicKey: a.publicKey, privateKeyPem: a.pem, name: "me" }))).toEqual([{ name: "me", pem: a.pem.trim() }]);
  });

  it("refuses what holds no key, in words", () => {
    expect(() => readKeyFile("hello")).toThrow(KeyFileError);
    expect(() => readKeyFile(JSON.stringify({ keys: {} }))).toThrow("holds no keys");
    expect(() => readKeyFile(JSON.stringify({ keys: { x: "not a pem" } }))).toThrow("holds no validator key");
    expect(() => readKeyFile(JSON.stringify([1, 2]))).toThrow("holds no validator key");
  });

  it("imports a key non-extractable, derives the agent plane's public key, and signs only challenges — signatures Node's Ed25519 verifies", async () => {
    const key = await importKey({ name: "a", pem: a.pem });
    expect(key.publicKey).toBe(a.publicKey);
    expect(key.privateKey.extractable).toBe(false);
    const message = "assay.agent-challenge/v1\nAbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcde";
    const signature = await signChallenge(key, message);
    expect(verify(null, Buffer.from(message), a.nodePublic, Buffer.from(signature, "base64url"))).toBe(true);
    await expect(signChallenge(key, "assay.vote/v1\nsomething else")).rejects.toThrow("nothing was signed");
  });

  it("refuses a PEM that is not an Ed25519 key", async () => {
    const ec = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "pem", type: "pkcs8" }).toString();
    await expect(importKey({ name: null, pem: ec })).rejects.toThrow(KeyFileError);
  });

  it("generates a key whose downloadable file is a PKCS#8 PEM of the same key", async () => {
    const { file, key } = await generateKey("portal");
    expect(file).toMatchObject({ format: "assay.validator-key/v1", name: "portal", publicKey: key.publicKey });
    expect((createPublicKey(createPrivateKey(file.privateKeyPem)).export({ format: "jwk" }) as { x: string }).x).toBe(key.publicKey);
    expect(readKeyFile(JSON.stringify(file))).toHaveLength(1);
  });
});

describe("ballots", () => {
  const validatorId = "7d6f1c2e-1a6b-4b8e-9b1d-2f1e3c4d5a6b";
  const assemblyId = "0f8e7d6c-5b4a-4392-8a1b-0c9d8e7f6a5b";
  const vote = { verdict: "certify" as const, stabilityScore: 7_200, findingOpinions: { "RECENTER_MISSING@sync-containment": "dispute" as const }, claims: { "SRIP-03": "grant" as const }, notes: "n" };

  it("makes a fresh 32-byte salt each time and a commitment that is the protocol's digest", () => {
    const one = makeBallot({ validatorId, assemblyId, round: 1, vote });
    const two = makeBallot({ validatorId, assemblyId, round: 1, vote });
    expect(one.salt).toMatch(/^0x[0-9a-f]{64}$/);
    expect(one.salt).not.toBe(two.salt);
    expect(one.commitment).toBe(voteCommitmentDigest(revealBodyOf(one) as Parameters<typeof voteCommitmentDigest>[0]));
    expect(VoteBallotFileSchema.parse(one)).toEqual(one);
    expect(Object.keys(revealBodyOf(one)).sort()).toEqual(["assemblyId", "claims", "findingOpinions", "notes", "round", "salt", "stabilityScore", "validatorId", "verdict"]);
    expect(ballotFileName(one)).toBe("assay-ballot-0f8e7d6c-r1.json");
  });

  it("accepts its own file back, and refuses another seat's, another validator's, or any edit (property)", () => {
    const ballot = makeBallot({ validatorId, assemblyId, round: 2, vote });
    const expectSeat = { validatorId, assemblyId, round: 2 };
    expect(readBallotFile(JSON.stringify(ballot), expectSeat)).toEqual(ballot);
    expect(() => readBallotFile(JSON.stringify(ballot), { ...expectSeat, round: 1 })).toThrow("not this one");
    expect(() => readBallotFile(JSON.stringify(ballot), { ...expectSeat, validatorId: "8d6f1c2e-1a6b-4b8e-9b1d-2f1e3c4d5a6b" })).toThrow("another validator");
    expect(() => readBallotFile("{", expectSeat)).toThrow("not JSON");
    fc.assert(
      fc.property(fc.constantFrom("verdict", "stabilityScore", "claims", "findingOpinions", "notes", "salt"), (field) => {
        const edited = {
          ...ballot,
          verdict: field === "verdict" ? "reject" : ballot.verdict,
          stabilityScore: field === "stabilityScore" ? 1 : ballot.stabilityScore,
          claims: field === "claims" ? { "SRIP-03": "deny" } : ballot.claims,
          findingOpinions: field === "findingOpinions" ? {} : ballot.findingOpinions,
          notes: field === "notes" ? "other" : ballot.notes,
          salt: field === "salt" ? `0x${"ab".repeat(32)}` : ballot.salt,
        };
        expect(() => readBallotFile(JSON.stringify(edited), expectSeat)).toThrow("edited after the commit");
      }),
    );
  });
});

describe("history series", () => {
  const history: AgentHistory = AgentHistorySchema.parse({
    validatorId: "7d6f1c2e-1a6b-4b8e-9b1d-2f1e3c4d5a6b",
    current: { at: "2026-12-02T00:00:00.000Z", reputationBps: 4_900, stake: "960" },
    // Newest first, as the API pages them.
    points: [
      { at: "2026-11-30T00:00:00.000Z", assemblyId: "0f8e7d6c-5b4a-4392-8a1b-0c9d8e7f6a5b", round: 1, role: "no_show", reputationBefore: 5_400, reputationAfter: 4_900, stakeBefore: "1020", stakeAfter: "970", stakeSlashed: "50", reward: "0" },
      { at: "2026-11-29T00:00:00.000Z", assemblyId: "1f8e7d6c-5b4a-4392-8a1b-0c9d8e7f6a5b", round: 1, role: "coherent", reputationBefore: 5_000, reputationAfter: 5_400, stakeBefore: "1000", stakeAfter: "1020", stakeSlashed: "0", reward: "20" },
    ],
    nextCursor: null,
  });

  it("runs oldest first: before the first settlement, after each, and now (stake moved since by an operator shows at the end)", () => {
    const { reputation, stake } = historySeries(history);
    expect(reputation.map((p) => p.value)).toEqual([5_000, 5_400, 4_900, 4_900]);
    expect(stake.map((p) => p.value)).toEqual([1_000, 1_020, 970, 960]);
    expect(reputation.map((p) => p.at)).toEqual([...reputation.map((p) => p.at)].sort((x, y) => x - y));
  });

  it("is just the present without settlements", () => {
    const { reputation, stake } = historySeries({ ...history, points: [] });
    expect(reputation.map((p) => p.value)).toEqual([4_900]);
    expect(stake.map((p) => p.value)).toEqual([960]);
  });
});

describe("relative times", () => {
  it("reads as a person would say it", () => {
    const now = Date.parse("2026-12-02T08:00:00.000Z");
    expect(formatRelative("2026-12-02T08:29:40.000Z", now)).toBe("in 30 min");
    expect(formatRelative("2026-12-02T07:57:00.000Z", now)).toBe("3 min ago");
    expect(formatRelative("2026-12-02T08:00:20.000Z", now)).toBe("now");
    expect(formatRelative("2026-12-03T14:00:00.000Z", now)).toBe("in 30 h");
    expect(formatRelative("2026-11-25T08:00:00.000Z", now)).toBe("7 days ago");
    expect(formatRelative("garbage", now)).toBe("");
  });
});

test("/validator is the validator portal's route", () => {
  expect(matchRoute("/validator")).toEqual({ page: "validator" });
  expect(matchRoute("/validator/")).toEqual({ page: "validator" });
  expect(matchRoute("/validators")).toEqual({ page: "not-found", path: "/validators" });
});
