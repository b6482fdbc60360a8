// Signed checkpoints (C2SP signed-note) and the verifier's two log checks.
import { createHash, createPrivateKey, generateKeyPairSync, sign } from "node:crypto";
import {
  appendNodes,
  checkpointBody,
  checkpointCommitment,
  checkTransparencyLog,
  consistencyRanges,
  hashToHex,
  inclusionRanges,
  issuedEntry,
  logLeafHash,
  logLeafText,
  logOrigin,
  nodeKeyString,
  noteKeyHash,
  parseCheckpoint,
  parseNote,
  rangeHash,
  rootHash,
  signedNote,
  statusEntry,
  verifyCheckpoint,
  verifyNote,
  type Hash,
  type LogCheckpointResponse,
  type LogInclusionResponse,
  type LogSource,
  type SavedCheckpoint,
} from "../src/transparency";

// golang.org/x/mod/sumdb/note's documented example (key "PeterNeumann+c74f20a3+…").
const GO_PUBLIC = Buffer.from("ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "base64").subarray(1);
const GO_SEED = Buffer.from("AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz", "base64").subarray(1);
const GO_TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const GO_NOTE = `${GO_TEXT}\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;
const goJwk = { kty: "OKP", crv: "Ed25519", x: GO_PUBLIC.toString("base64url"), kid: "go" };

describe("signed notes (Go sumdb reference vector)", () => {
  test("key hash and signature match the reference byte for byte", () => {
    expect(Buffer.from(noteKeyHash("PeterNeumann", GO_PUBLIC)).toString("hex")).toBe("c74f20a3");
    const key = createPrivateKey({ key: { ...goJwk, d: GO_SEED.toString("base64url") }, format: "jwk" });
    const signature = sign(null, Buffer.from(GO_TEXT), key);
    expect(signedNote(GO_TEXT, "PeterNeumann", noteKeyHash("PeterNeumann", GO_PUBLIC), signature)).toBe(GO_NOTE);
  });

  test("the reference note verifies; one changed character does not", async () => {
    expect(await verifyNote(parseNote(GO_NOTE)!, "PeterNeumann", { keys: [goJwk] })).toBe("go");
    expect(await verifyNote(parseNote(GO_NOTE.replace("cryptography", "cryptographY"))!, "PeterNeumann", { keys: [goJwk] })).toBeUndefined();
    expect(await verifyNote(parseNote(GO_NOTE)!, "SomeoneElse", { keys: [goJwk] })).toBeUndefined();
  });
});

function keyPair() {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const jwk = publicKey.export({ format: "jwk" }) as { x: string };
  return { privateKey, jwk: { kty: "OKP", crv: "Ed25519", x: jwk.x, kid: `k-${jwk.x.slice(0, 6)}` }, raw: Buffer.from(jwk.x, "base64url") };
}

function signCheckpoint(origin: string, size: number, root: Hash, timestamp: number, key: ReturnType<typeof keyPair>): string {
  const body = checkpointBody({ origin, treeSize: size, rootHash: root, timestamp });
  return signedNote(body, origin, noteKeyHash(origin, key.raw), sign(null, Buffer.from(body), key.privateKey));
}

describe("checkpoints", () => {
  const origin = logOrigin("assay dev+1");
  const key = keyPair();
  const root = new Uint8Array(32).fill(7);

  test("the origin has no space or '+'; the body is the tlog-checkpoint text", () => {
    expect(origin).toBe("assay-dev-1/transparency-log");
    expect(checkpointBody({ origin, treeSize: 5, rootHash: root, timestamp: 1_700_000_000 })).toBe(
      `${origin}\n5\n${Buffer.from(root).toString("base64")}\nTimestamp: 1700000000\n`,
    );
  });

  test("a signed checkpoint verifies with the issuer's key set, naming the key", async () => {
    const note = signCheckpoint(origin, 5, root, 1_700_000_000, key);
    const other = keyPair();
    const result = await verifyCheckpoint(note, { origin, jwks: { keys: [other.jwk, key.jwk] } });
    expect(result).toMatchObject({ ok: true, kid: key.jwk.kid, checkpoint: { treeSize: 5, timestamp: 1_700_000_000 } });
  });

  test.each([
    ["another size", (n: string) => n.replace("\n5\n", "\n6\n")],
    ["another origin line", (n: string) => n.replace(/^[^\n]+/, "evil/transparency-log")],
    ["a removed signature", (n: string) => n.slice(0, n.indexOf("\u2014"))],
    ["a flipped signature byte", (n: string) => n.replace(/ (\S)(\S+)\n$/, (_m, c: string, rest: string) => ` ${c === "A" ? "B" : "A"}${rest}\n`)],
    ["no trailing newline", (n: string) => n.slice(0, -1)],
  ])("%s is rejected", async (_name, mangle) => {
    const note = mangle(signCheckpoint(origin, 5, root, 1_700_000_000, key));
    expect((await verifyCheckpoint(note, { origin, jwks: { keys: [key.jwk] } })).ok).toBe(false);
  });

  test("a key outside the issuer's set is not trusted", async () => {
    const note = signCheckpoint(origin, 5, root, 1, keyPair());
    expect(await verifyCheckpoint(note, { origin, jwks: { keys: [key.jwk] } })).toEqual({ ok: false, reason: expect.stringContaining("no signature") });
    expect(parseCheckpoint(note)?.treeSize).toBe(5);
  });
});

/** A tiny honest log server in memory, whose history can be rewritten to play a dishonest one. */
class FakeLog implements LogSource {
  leaves: string[] = [];
  constructor(
    readonly origin: string,
    readonly key: ReturnType<typeof keyPair>,
  ) {}
  private nodes(): Map<string, Hash> {
    const map = new Map<string, Hash>();
    for (const n of appendNodes(0, this.leaves.map(logLeafHash), (l, i) => map.get(nodeKeyString(l, i))!)) map.set(nodeKeyString(n.level, n.index), n.hash);
    return map;
  }
  checkpoint() {
    const nodes = this.nodes();
    const root = rootHash(this.leaves.length, (l, i) => nodes.get(nodeKeyString(l, i))!);
    const note = signCheckpoint(this.origin, this.leaves.length, root, 1_700_000_000, this.key);
    return { origin: this.origin, treeSize: this.leaves.length, rootHash: hashToHex(root), timestamp: 1_700_000_000, checkpoint: note };
  }
  async inclusion(certificateId: string): Promise<LogInclusionResponse | null> {
    const nodes = this.nodes();
    const lookup = (l: number, i: number) => nodes.get(nodeKeyString(l, i))!;
    const entries = this.leaves
      .map((leaf, index) => ({ leaf, index }))
      .filter((e) => e.leaf.includes(certificateId))
      .map((e) => ({ ...e, proof: inclusionRanges(e.index, this.leaves.length).map((r) => hashToHex(rangeHash(r, lookup))) }));
    return entries.length === 0 ? null : { certificateId, checkpoint: this.checkpoint(), entries };
  }
  async consistency(from: number, to: number) {
    const nodes = this.nodes();
    return { from, to, proof: consistencyRanges(from, to).map((r) => hashToHex(rangeHash(r, (l, i) => nodes.get(nodeKeyString(l, i))!))) };
  }
}

describe("checkTransparencyLog", () => {
  const origin = logOrigin("assay-test");
  const key = keyPair();
  const id = (n: number) => `0x${n.toString(16).padStart(64, "0")}`;
  const at = "2026-01-01T00:00:00Z";
  const fresh = () => {
    const log = new FakeLog(origin, key);
    for (let i = 1; i <= 6; i++) log.leaves.push(logLeafText(issuedEntry(id(i), at)));
    return log;
  };
  const run = (log: FakeLog, certificate: number, saved: SavedCheckpoint | null, reportedStatus?: "active" | "revoked") =>
    checkTransparencyLog({ certificateId: id(certificate), issuedAt: at, origin, jwks: { keys: [key.jwk] }, saved, source: log, ...(reportedStatus ? { reportedStatus } : {}) });

  test("an honest log: included, first checkpoint saved, later ones extend it", async () => {
    const log = fresh();
    const first = await run(log, 3, null);
    expect(first.checks.map((c) => c.ok)).toEqual([true, true]);
    expect(first.save?.treeSize).toBe(6);
    log.leaves.push(logLeafText(statusEntry({ certificateId: id(3), from: "active", to: "revoked", reason: "key_compromise", at })));
    log.leaves.push(logLeafText(issuedEntry(id(7), at)));
    const second = await run(log, 3, first.save, "revoked");
    expect(second.checks).toEqual([
      { name: "log-inclusion", ok: true, detail: expect.stringContaining("latest revoked") },
      { name: "log-consistency", ok: true, detail: "extends the saved checkpoint (size 6 → 8)" },
    ]);
    expect(second.save?.treeSize).toBe(8);
  });

  test("a certificate the log does not hold fails log-inclusion by name", async () => {
    const result = await run(fresh(), 42, null);
    expect(result.checks[0]).toEqual({ name: "log-inclusion", ok: false, detail: expect.stringContaining("not in the issuer's transparency log") });
    expect(result.save).toBeNull();
  });

  test("the status the log records must be the status the issuer reports", async () => {
    const log = fresh();
    log.leaves.push(logLeafText(statusEntry({ certificateId: id(2), from: "active", to: "revoked", reason: "x", at })));
    expect((await run(log, 2, null, "active")).checks[0]).toMatchObject({ ok: false, detail: "the log records status revoked, the issuer reports active" });
  });

  test("truncation and forks are detected against the saved checkpoint, which is kept", async () => {
    const log = fresh();
    const saved = (await run(log, 2, null)).save!;
    log.leaves.pop();
    const truncated = await run(log, 2, saved);
    expect(truncated.checks[1]).toMatchObject({ ok: false, detail: expect.stringContaining("shrank from 6 to 5") });
    expect(truncated.save).toBeNull();

    const forked = fresh();
    forked.leaves[4] = logLeafText(issuedEntry(id(99), at));
    expect((await run(forked, 2, saved)).checks[1]).toMatchObject({ ok: false, detail: expect.stringContaining("another root at size 6") });
    forked.leaves.push(logLeafText(issuedEntry(id(8), at)));
    const grown = await run(forked, 2, saved);
    expect(grown.checks[0].ok).toBe(true); // the certificate itself is included in the forked log…
    expect(grown.checks[1]).toMatchObject({ ok: false, detail: expect.stringContaining("does not extend the saved checkpoint of size 6") }); // …but the fork shows
  });

  test("a server that cannot be reached fails both checks without saving", async () => {
    const log = fresh();
    log.inclusion = () => Promise.reject(new Error("connection refused"));
    const result = await run(log, 1, null);
    expect(result.checks.map((c) => [c.ok, c.detail])).toEqual([
      [false, "could not read the transparency log: connection refused"],
      [false, "could not read the transparency log: connection refused"],
    ]);
  });
});

describe("checkTransparencyLog: log-anchor (a checkpoint anchored on chain with the certificate's batch)", () => {
  const origin = logOrigin("assay-test");
  const key = keyPair();
  const id = (n: number) => `0x${n.toString(16).padStart(64, "0")}`;
  const at = "2026-01-01T00:00:00Z";
  const ROOT = `0x${"ab".repeat(32)}`;
  const anchorOf = (root = ROOT) => ({ chainId: 31337, registry: `0x${"12".repeat(20)}`, root, proof: [`0x${"cd".repeat(32)}`], tx: `0x${"ef".repeat(32)}`, block: 7 });
  /** The chain as the verifier reads it: commitments anchored under ROOT. */
  const onChain = new Set<string>();
  const fresh = () => {
    const log = new FakeLog(origin, key);
    for (let i = 1; i <= 6; i++) log.leaves.push(logLeafText(issuedEntry(id(i), at)));
    return log;
  };
  /** Anchors the log's checkpoint as it is now (what the anchor loop does when it builds the batch). */
  const anchorNow = (log: FakeLog) => {
    const checkpoint = log.checkpoint();
    onChain.add(checkpointCommitment(checkpoint.checkpoint)!);
    return checkpoint;
  };
  const run = (log: FakeLog, certificate: number, anchored: LogCheckpointResponse | null, options: { saved?: SavedCheckpoint | null; documentRoot?: string | null; signer?: ReturnType<typeof keyPair> } = {}) =>
    checkTransparencyLog({
      certificateId: id(certificate),
      issuedAt: at,
      origin,
      jwks: { keys: [key.jwk] },
      saved: options.saved ?? null,
      source: log,
      anchor: {
        documentRoot: options.documentRoot === undefined ? ROOT : options.documentRoot,
        anchoredCheckpoint: async (certificateId) =>
          anchored && {
            certificateId,
            checkpoint: anchored,
            commitment: checkpointCommitment(anchored.checkpoint)!,
            anchor: anchorOf(),
            anchorState: { state: "anchored", block: 7, tx: `0x${"ef".repeat(32)}` },
          },
        readChain: async (commitment, anchor) =>
          anchor.root === ROOT && onChain.has(commitment) ? { state: "anchored", block: anchor.block, tx: anchor.tx } : { state: "failed", error: "the inclusion proof does not verify against the anchored root" },
      },
    });
  const logAnchor = (result: Awaited<ReturnType<typeof run>>) => result.checks.find((c) => c.name === "log-anchor");

  test("the commitment is SHA-256 of the note's signed text, not of its signatures", () => {
    const note = fresh().checkpoint().checkpoint;
    expect(checkpointCommitment(note)).toBe(`0x${createHash("sha256").update(parseNote(note)!.body).digest("hex")}`);
    expect(checkpointCommitment(note.replace(/ \S+\n$/, " AAAA\n"))).toBeNull();
  });

  test("passes when the checkpoint anchored with the batch covers the certificate and the log extends it", async () => {
    const log = fresh();
    const anchored = anchorNow(log);
    const same = await run(log, 3, anchored);
    expect(same.checks.map((c) => c.name)).toEqual(["log-inclusion", "log-consistency", "log-anchor"]);
    expect(logAnchor(same)).toEqual({ name: "log-anchor", ok: true, detail: `checkpoint of size 6 (covers entry 2) anchored in block 7, tx 0x${"ef".repeat(32)}; it is the checkpoint served now` });
    log.leaves.push(logLeafText(issuedEntry(id(7), at)), logLeafText(statusEntry({ certificateId: id(3), from: "active", to: "revoked", reason: "x", at })));
    expect(logAnchor(await run(log, 3, anchored))?.detail).toMatch(/it is extended by the checkpoint served now \(size 8\)$/);
  });

  test("no check without an anchor source (chain off, or a verifier that cannot read the chain)", async () => {
    const log = fresh();
    const result = await checkTransparencyLog({ certificateId: id(1), issuedAt: at, origin, jwks: { keys: [key.jwk] }, saved: null, source: log });
    expect(result.checks.map((c) => c.name)).toEqual(["log-inclusion", "log-consistency"]);
  });

  test("pending until the certificate's batch is anchored; a document that names a batch must have its checkpoint", async () => {
    expect(logAnchor(await run(fresh(), 1, null, { documentRoot: null }))).toEqual({ name: "log-anchor", ok: true, detail: "pending: the certificate's registry batch is not anchored yet" });
    expect(logAnchor(await run(fresh(), 1, null))).toMatchObject({ ok: false, detail: expect.stringContaining("names no log checkpoint anchored with it") });
  });

  test("a log rewritten after anchoring fails even for a verifier that saved nothing before", async () => {
    const log = fresh();
    const anchored = anchorNow(log);
    log.leaves[4] = logLeafText(issuedEntry(id(99), at)); // hides certificate 5
    log.leaves.push(logLeafText(issuedEntry(id(8), at)));
    const result = await run(log, 2, anchored);
    expect(result.checks.map((c) => [c.name, c.ok])).toEqual([
      ["log-inclusion", true],
      ["log-consistency", true], // first checkpoint seen: nothing saved to compare with…
      ["log-anchor", false], // …but the chain remembers
    ]);
    expect(logAnchor(result)?.detail).toBe("the log at size 7 does not extend its checkpoint of size 6 anchored on chain (forked or rewritten)");
    log.leaves.pop();
    expect(logAnchor(await run(log, 2, anchored))?.detail).toBe("the log has another root at size 6 than its checkpoint anchored on chain (forked)");
  });

  test("a log truncated below its anchored checkpoint fails", async () => {
    const log = fresh();
    const anchored = anchorNow(log);
    log.leaves.pop();
    log.consistency = (from, to) => (to > log.leaves.length ? Promise.reject(new Error("tree_size_unknown")) : FakeLog.prototype.consistency.call(log, from, to));
    expect(logAnchor(await run(log, 2, anchored))?.detail).toMatch(/^the log served now \(size 5\) is smaller than its checkpoint anchored on chain \(size 6\)/);
  });

  test("a checkpoint not on chain, not the issuer's, in another batch, or not covering the certificate fails", async () => {
    const log = fresh();
    const unanchored = log.checkpoint();
    const other = keyPair();
    const notOnChain = await run(log, 2, { ...unanchored, checkpoint: signCheckpoint(origin, 6, Buffer.from(unanchored.rootHash, "hex"), 1_700_000_001, key) });
    expect(logAnchor(notOnChain)).toMatchObject({ ok: false, detail: expect.stringContaining("is not confirmed on chain: the inclusion proof does not verify") });
    const foreign = log.checkpoint();
    foreign.checkpoint = signCheckpoint(origin, 6, Buffer.from(foreign.rootHash, "hex"), 1_700_000_002, other);
    onChain.add(checkpointCommitment(foreign.checkpoint)!);
    expect(logAnchor(await run(log, 2, foreign))).toMatchObject({ ok: false, detail: expect.stringContaining("anchored checkpoint rejected") });
    const anchored = anchorNow(log);
    expect(logAnchor(await run(log, 2, anchored, { documentRoot: `0x${"99".repeat(32)}` }))).toMatchObject({ ok: false, detail: expect.stringContaining("the checkpoint is anchored in batch") });
    const small = new FakeLog(origin, key);
    small.leaves = log.leaves.slice(0, 2);
    const early = anchorNow(small);
    expect(logAnchor(await run(log, 3, early))).toMatchObject({ ok: false, detail: "the anchored checkpoint (size 2) does not cover the certificate's issuance (entry 2)" });
  });

  test("a certificate not in the log fails log-anchor too", async () => {
    expect(logAnchor(await run(fresh(), 42, null))).toMatchObject({ ok: false, detail: "not checked: the certificate is not in the log" });
  });
});
