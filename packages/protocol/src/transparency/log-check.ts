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
import { hashFromHex, hashToHex } from "./merkle-hash";
import { verifyConsistency, verifyInclusion } from "./merkle-verify";
import { issuedEntry, logLeafHash, logLeafText, parseLogLeaf, type LogCertificateState } from "./log-entry";
import { verifyCheckpoint, type SignedCheckpoint } from "./checkpoint";
import type { LogConsistencyResponse, LogInclusionResponse } from "./log-api";

export const LOG_CHECK_NAMES = ["log-inclusion", "log-consistency"] as const;
export type LogCheckName = (typeof LOG_CHECK_NAMES)[number];
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
};

export type LogCheckResult = { checks: [LogCheck, LogCheck]; /** The checkpoint to save now (null: keep the saved one). */ save: SavedCheckpoint | null };

export async function checkTransparencyLog(input: LogCheckInput): Promise<LogCheckResult> {
  let response: LogInclusionResponse | null;
  try {
    response = await input.source.inclusion(input.certificateId);
  } catch (error) {
    const detail = `could not read the transparency log: ${(error as Error).message}`;
    return { checks: [fail("log-inclusion", detail), fail("log-consistency", detail)], save: null };
  }
  if (response === null) {
    return {
      checks: [fail("log-inclusion", `certificate ${input.certificateId} is not in the issuer's transparency log`), fail("log-consistency", "not checked: no checkpoint was served")],
      save: null,
    };
  }
  const verified = await verifyCheckpoint(response.checkpoint.checkpoint, { origin: input.origin, jwks: input.jwks });
  if (!verified.ok) {
    const detail = `checkpoint rejected: ${verified.reason}`;
    return { checks: [fail("log-inclusion", detail), fail("log-consistency", detail)], save: null };
  }
  const checkpoint = verified.checkpoint;
  const inclusion = inclusionCheck(input, response, checkpoint);
  const consistency = await consistencyCheck(input, checkpoint, response.checkpoint.checkpoint);
  return { checks: [inclusion, consistency.check], save: consistency.save };
}

function inclusionCheck(input: LogCheckInput, response: LogInclusionResponse, checkpoint: SignedCheckpoint): LogCheck {
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

const fail = (name: LogCheckName, detail: string): LogCheck => ({ name, ok: false, detail });
