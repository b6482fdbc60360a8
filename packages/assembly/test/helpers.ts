// Fixtures shared by the assembly tests.
import { createHash } from "node:crypto";
import {
  resolveParams,
  voteCommitment,
  type AssemblyParams,
  type ClaimRef,
  type Commit,
  type Reveal,
  type Seat,
  type ValidatorInput,
  type Vote,
} from "../src";

export const PARAMS: AssemblyParams = resolveParams();

export function hex32(label: string): string {
  return `0x${createHash("sha256").update(label).digest("hex")}`;
}

export function validator(id: string, overrides: Partial<ValidatorInput> = {}): ValidatorInput {
  return { id, stake: 1_000_000n, reputationBps: 5_000, standing: "active", kind: "person", ...overrides };
}

export function seats(weights: readonly (number | bigint)[], prefix = "v"): Seat[] {
  return weights.map((w, i) => ({ validatorId: `${prefix}${String(i).padStart(3, "0")}`, weight: String(w), family: null }));
}

/** The audit's claims in most tests: one claim, evidenced. */
export const CLAIMS: readonly ClaimRef[] = [{ srip: "SRIP-05", status: "evidenced" }];

/** A vote; by default it grants (certify) or denies (reject) every claim of CLAIMS. */
export function vote(verdict: Vote["verdict"], overrides: Partial<Vote> = {}): Vote {
  const claims: Vote["claims"] = { "SRIP-05": verdict === "certify" ? "grant" : "deny" };
  return { verdict, stabilityScore: verdict === "certify" ? 8_500 : 4_000, findingOpinions: {}, claims, ...overrides };
}

/** A validly committed and revealed ballot. */
export function ballot(assemblyId: string, round: number, validatorId: string, v: Vote): { commit: Commit; reveal: Reveal } {
  const reveal: Reveal = { ...v, assemblyId, round, validatorId, salt: hex32(`salt/${assemblyId}/${round}/${validatorId}`) };
  return { commit: { assemblyId, round, validatorId, commitment: voteCommitment(reveal) }, reveal };
}

/** Commits and reveals for the given votes (null = the seat does not act). */
export function ballots(assemblyId: string, round: number, entries: readonly [string, Vote | null][]) {
  const commits: Commit[] = [];
  const reveals: Reveal[] = [];
  for (const [id, v] of entries) {
    if (v === null) continue;
    const b = ballot(assemblyId, round, id, v);
    commits.push(b.commit);
    reveals.push(b.reveal);
  }
  return { commits, reveals };
}
