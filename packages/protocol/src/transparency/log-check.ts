// What a verifier (CLI, web page) concludes from the transparency log about one
// certificate, trusting only the issuer's keys and the checkpoint it saved
// earlier. Two named checks:
//   log-inclusion   — a signed checkpoint verifies, the certificate's issuance
//                     leaf (rebuilt from the document) and every status leaf are
//                     included in it, and the status the log records matches the
//                     status the issuer reports;
//   log-consistency — that checkpoint extends the one saved earlier (same origin):
//                     a smaller tree means truncation, another root or a failing
//                     consistency proof means a fork. Without a saved one it passes
//                     and the new checkpoint becomes the saved one.
//   log-anchor      — (where the chain is on and the verifier reads it) the
//                     checkpoint anchored in the certificate's registry batch
//                     verifies, covers the certificate's issuance, is on chain
//                     (isAnchored of its commitment), and the log served now
//                     extends it: a log rewritten after anchoring fails even for
//                     a verifier that saved nothing before.
import { hashFromHex, hashToHex } from "./merkle-hash";
import { verifyConsistency, verifyInclusion } from "./merkle-verify";
import { issuedEntry, logLeafHash, logLeafText, parseLogLeaf, type LogCertificateState } from "./log-entry";
import { verifyCheckpoint, type SignedCheckpoint } from "./checkpoint";
import { checkpointCommitment, type LogAnchoredCheckpointResponse, type LogCheckpointAnchor } from "./checkpoint-anchor";
import type { LogConsistencyResponse, LogInclusionResponse } from "./log-api";
import type { CertificateAnchorState } from "../certificate/verify-context";

/** The log checks every verifier reports. */
export const LOG_CHECK_NAMES = ["log-inclusion", "log-consistency"] as const;
/** Reported after them where the chain is on and the verifier reads it. */
export const LOG_ANCHOR_CHECK_NAME = "log-anchor";
export type LogCheckName = (typeof LOG_CHECK_NAMES)[number] | typeof LOG_ANCHOR_CHECK_NAME;
export type LogCheck = { name: LogCheckName; ok: boolean; detail: string };

/** What a verifier keeps between runs, per issuer. */
export type SavedCheckpoint = { origin: string; treeSize: number; rootHash: string; checkpoint: string };

export type LogSource = {
  /** null: the log has no entry for this certificate (the issuer answered 404). */
  inclusion(certificateId: string): Promise<LogInclusionResponse | null>;
  consistency(from: number, to: number): Promise<LogConsistencyResponse>;
};

export type LogCheckInput = {
  certificateId: string;
  issuedAt: string;
  origin: string;
  jwks: { keys: readonly Record<string, unknown>[] };
  saved: SavedCheckpoint | null;
  /** The status the issuer reports (omit when unknown). */
  reportedStatus?: LogCertificateState;
  source: LogSource;
  /** Where the chain is on and this verifier can read it: adds the check log-anchor. Omit: no such check. */
  anchor?: LogAnchorSource;
};

export type LogAnchorSource = {
  /** The root of the document's own anchor, when it carries one (the checkpoint is anchored in that batch). */
  documentRoot: string | null;
  /** null: the issuer names no anchored checkpoint for the certificate (it answered 404). */
  anchoredCheckpoint(certificateId: string): Promise<LogAnchoredCheckpointResponse | null>;
  /** The chain's answer for `commitment` under the batch `anchor` (isAnchored with its proof), read by the verifier. */
  readChain(commitment: string, anchor: LogCheckpointAnchor): Promise<CertificateAnchorState>;
};

export type LogCheckResult = {
  /** log-inclusion, log-consistency, then log-anchor when an anchor source was given. */
  checks: [LogCheck, LogCheck, ...LogCheck[]];
  /** The checkpoint to save now (null: keep the saved one). */
  save: SavedCheckpoint | null;
};

export async function checkTransparencyLog(input: LogCheckInput): Promise<LogCheckResult> {
  let response: LogInclusionResponse | null;
  try {
    response = await input.source.inclusion(input.certificateId);
  } catch (error) {
    const detail = `could not read the transparency log: ${(error as Error).message}`;
    return { checks: withAnchor(input, [fail("log-inclusion", detail), fail("log-consistency", detail)], detail), save: null };
  }
  if (response === null) {
    return {
      checks: withAnchor(
        input,
        [fail("log-inclusion", `certificate ${input.certificateId} is not in the issuer's transparency log`), fail("log-consistency", "not checked: no checkpoint was served")],
        "not checked: the certificate is not in the log",
      ),
      save: null,
    };
  }
  const verified = await verifyCheckpoint(response.checkpoint.checkpoint, { origin: input.origin, jwks: input.jwks });
  if (!verified.ok) {
    const detail = `checkpoint rejected: ${verified.reason}`;
    return { checks: withAnchor(input, [fail("log-inclusion", detail), fail("log-consistency", detail)], detail), save: null };
  }
  const checkpoint = verified.checkpoint;
  const inclusion = inclusionCheck(input, response, checkpoint);
  const consistency = await consistencyCheck(input, checkpoint, response.checkpoint.checkpoint);
  const checks: LogCheckResult["checks"] = [inclusion.check, consistency.check];
  if (input.anchor) {
    checks.push(inclusion.issuedIndex === null ? fail("log-anchor", "not checked: the certificate's issuance is not proven in the log") : await anchorCheck(input, input.anchor, checkpoint, inclusion.issuedIndex));
  }
  return { checks, save: consistency.save };
}

function withAnchor(input: LogCheckInput, checks: [LogCheck, LogCheck], detail: string): LogCheckResult["checks"] {
  return input.anchor ? [...checks, fail("log-anchor", detail)] : checks;
}

function inclusionCheck(input: LogCheckInput, response: LogInclusionResponse, checkpoint: SignedCheckpoint): { check: LogCheck; issuedIndex: number | null } {
  const check = inclusionDetail(input, response, checkpoint);
  if (!check.ok) return { check, issuedIndex: null };
  const issuedLeaf = logLeafText(issuedEntry(input.certificateId, input.issuedAt));
  return { check, issuedIndex: response.entries.find((e) => e.leaf === issuedLeaf)!.index };
}

function inclusionDetail(input: LogCheckInput, response: LogInclusionResponse, checkpoint: SignedCheckpoint): LogCheck {
  if (response.certificateId !== input.certificateId) return fail("log-inclusion", `the log answered for ${response.certificateId}`);
  let issuedLeaf: string;
  try {
    issuedLeaf = logLeafText(issuedEntry(input.certificateId, input.issuedAt));
  } catch {
    return fail("log-inclusion", "not checked: the document has no valid id and issuedAt to rebuild its log entry from");
  }
  const entries = [...response.entries].sort((a, b) => a.index - b.index);
  let issued = false;
  let state: LogCertificateState = "active";
  for (const entry of entries) {
    const parsed = parseLogLeaf(entry.leaf);
    if (!parsed || parsed.certificateId !== input.certificateId) return fail("log-inclusion", `log entry ${entry.index} is not an entry about this certificate`);
    const proof = entry.proof.map(hashFromHex);
    if (!verifyInclusion(entry.index, checkpoint.treeSize, logLeafHash(entry.leaf), proof, checkpoint.rootHash)) {
      return fail("log-inclusion", `log entry ${entry.index} is not included in the checkpoint of size ${checkpoint.treeSize}`);
    }
    if (parsed.kind === "issued") issued ||= entry.leaf === issuedLeaf;
    else state = parsed.to;
  }
  if (!issued) return fail("log-inclusion", `the issuance of ${input.certificateId} is not in the transparency log (checkpoint size ${checkpoint.treeSize})`);
  if (input.reportedStatus !== undefined && input.reportedStatus !== state) {
    return fail("log-inclusion", `the log records status ${state}, the issuer reports ${input.reportedStatus}`);
  }
  const changes = entries.length - 1;
  return { name: "log-inclusion", ok: true, detail: `included at index ${entries.find((e) => e.leaf === issuedLeaf)!.index} of ${checkpoint.treeSize}${changes > 0 ? ` with ${changes} status change(s), latest ${state}` : ""}` };
}

async function consistencyCheck(input: LogCheckInput, checkpoint: SignedCheckpoint, note: string): Promise<{ check: LogCheck; save: SavedCheckpoint | null }> {
  const current: SavedCheckpoint = { origin: checkpoint.origin, treeSize: checkpoint.treeSize, rootHash: hashToHex(checkpoint.rootHash), checkpoint: note };
  const saved = input.saved?.origin === checkpoint.origin ? input.saved : null;
  if (!saved) return { check: { name: "log-consistency", ok: true, detail: `first checkpoint seen (size ${checkpoint.treeSize}); saved` }, save: current };
  if (checkpoint.treeSize < saved.treeSize) {
    return { check: fail("log-consistency", `the log shrank from ${saved.treeSize} to ${checkpoint.treeSize} entries since the saved checkpoint (truncated or rolled back)`), save: null };
  }
  if (checkpoint.treeSize === saved.treeSize) {
    return current.rootHash === saved.rootHash
      ? { check: { name: "log-consistency", ok: true, detail: `same checkpoint as saved (size ${saved.treeSize})` }, save: null }
      : { check: fail("log-consistency", `the log has another root at size ${saved.treeSize} than the saved checkpoint (forked)`), save: null };
  }
  if (saved.treeSize === 0) return { check: { name: "log-consistency", ok: true, detail: `extends the saved empty checkpoint (size 0 → ${checkpoint.treeSize})` }, save: current };
  let proof: LogConsistencyResponse;
  try {
    proof = await input.source.consistency(saved.treeSize, checkpoint.treeSize);
  } catch (error) {
    return { check: fail("log-consistency", `could not read a consistency proof: ${(error as Error).message}`), save: null };
  }
  const ok =
    proof.from === saved.treeSize &&
    proof.to === checkpoint.treeSize &&
    verifyConsistency(saved.treeSize, checkpoint.treeSize, proof.proof.map(hashFromHex), hashFromHex(saved.rootHash), checkpoint.rootHash);
  return ok
    ? { check: { name: "log-consistency", ok: true, detail: `extends the saved checkpoint (size ${saved.treeSize} → ${checkpoint.treeSize})` }, save: current }
    : { check: fail("log-consistency", `the log at size ${checkpoint.treeSize} does not extend the saved checkpoint of size ${saved.treeSize} (forked or rewritten)`), save: null };
}

/**
 * log-anchor: the checkpoint anchored with the certificate's batch (a) is signed
 * by the issuer, (b) covers the certificate's issuance, (c) is on chain, read by
 * the verifier, and (d) the checkpoint served now extends it (or equals it).
 * A certificate whose batch is not anchored yet passes as pending, like the
 * certificate's own anchor check; one whose document names a batch must have it.
 */
async function anchorCheck(input: LogCheckInput, source: LogAnchorSource, current: SignedCheckpoint, issuedIndex: number): Promise<LogCheck> {
  let anchored: LogAnchoredCheckpointResponse | null;
  try {
    anchored = await source.anchoredCheckpoint(input.certificateId);
  } catch (error) {
    return fail("log-anchor", `could not read the anchored checkpoint: ${(error as Error).message}`);
  }
  if (anchored === null) {
    return source.documentRoot === null
      ? { name: "log-anchor", ok: true, detail: "pending: the certificate's registry batch is not anchored yet" }
      : fail("log-anchor", `the certificate is anchored in batch ${source.documentRoot}, but the issuer names no log checkpoint anchored with it`);
  }
  if (anchored.certificateId !== input.certificateId) return fail("log-anchor", `the issuer answered for ${anchored.certificateId}`);
  if (source.documentRoot !== null && anchored.anchor.root !== source.documentRoot.toLowerCase()) {
    return fail("log-anchor", `the checkpoint is anchored in batch ${anchored.anchor.root}, the certificate in ${source.documentRoot}`);
  }
  const verified = await verifyCheckpoint(anchored.checkpoint.checkpoint, { origin: input.origin, jwks: input.jwks });
  if (!verified.ok) return fail("log-anchor", `anchored checkpoint rejected: ${verified.reason}`);
  const k = verified.checkpoint;
  if (k.treeSize <= issuedIndex) return fail("log-anchor", `the anchored checkpoint (size ${k.treeSize}) does not cover the certificate's issuance (entry ${issuedIndex})`);
  const commitment = checkpointCommitment(anchored.checkpoint.checkpoint)!;
  const state = await source.readChain(commitment, anchored.anchor);
  if (state.state !== "anchored") {
    const why = state.state === "failed" ? (state.error ?? "not confirmed") : state.state;
    return fail("log-anchor", `the checkpoint of size ${k.treeSize} is not confirmed on chain: ${why}`);
  }
  const extension = await extendsAnchored(input, k, current);
  if (extension !== null) return fail("log-anchor", extension);
  const relation = k.treeSize === current.treeSize ? "is the checkpoint served now" : `is extended by the checkpoint served now (size ${current.treeSize})`;
  return { name: "log-anchor", ok: true, detail: `checkpoint of size ${k.treeSize} (covers entry ${issuedIndex}) anchored in block ${state.block}, tx ${state.tx}; it ${relation}` };
}

/** null when one of the two checkpoints extends the other (both are the issuer's); else why not. */
async function extendsAnchored(input: LogCheckInput, anchored: SignedCheckpoint, current: SignedCheckpoint): Promise<string | null> {
  if (anchored.treeSize === current.treeSize) {
    return hashToHex(anchored.rootHash) === hashToHex(current.rootHash) ? null : `the log has another root at size ${anchored.treeSize} than its checkpoint anchored on chain (forked)`;
  }
  const [older, newer] = anchored.treeSize < current.treeSize ? [anchored, current] : [current, anchored];
  let proof: LogConsistencyResponse;
  try {
    proof = await input.source.consistency(older.treeSize, newer.treeSize);
  } catch (error) {
    if (anchored.treeSize > current.treeSize) {
      return `the log served now (size ${current.treeSize}) is smaller than its checkpoint anchored on chain (size ${anchored.treeSize}) and cannot prove it extends it (truncated or rolled back): ${(error as Error).message}`;
    }
    return `could not read a consistency proof: ${(error as Error).message}`;
  }
  const ok =
    proof.from === older.treeSize &&
    proof.to === newer.treeSize &&
    (older.treeSize === 0 || verifyConsistency(older.treeSize, newer.treeSize, proof.proof.map(hashFromHex), older.rootHash, newer.rootHash));
  return ok ? null : `the log at size ${current.treeSize} does not extend its checkpoint of size ${anchored.treeSize} anchored on chain (forked or rewritten)`;
}

const fail = (name: LogCheckName, detail: string): LogCheck => ({ name, ok: false, detail });
