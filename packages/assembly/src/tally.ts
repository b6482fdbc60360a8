// Round tally (SPEC §5; UMA DVM thresholds, Kleros appeals, Yuma median).
//
// A seat counts as revealed when it has exactly one commitment for this
// assembly and round and a reveal that opens it. Everything else counts as not
// revealed: no commit or no reveal is a no-show; a reveal that does not open
// the commitment, or two different commitments, is void.
//
// The round resolves when
//   revealed weight × 10_000 ≥ minParticipationBps × quorum weight,
//   committed seats × 10_000 ≥ minParticipationBps × seats, and
//   one verdict has weight × d ≥ n × revealed weight (n/d = 2/3 by default).
// Liveness (issue 8): the quorum weight is the weight of the seats that
// committed in this round. A seat that never commits stops counting toward
// the quorum — one heavy validator that stays away cannot hold every round
// under the participation bar — but it is still a no-show (and is slashed),
// and the seat-count condition keeps one light seat from deciding alone.
// Otherwise it rolls to round r+1 with 2·seats+1 seats, and after maxRounds it
// escalates to operators. A critical finding in the audit is an objective
// sandbox fact: it vetoes certify. If the votes would resolve certify over a
// critical finding, the outcome is *escalate* (reason critical_veto): a
// qualified majority contesting an objective fact points at the audit itself
// (e.g. a sandbox bug), which operators must look at; reject resolves as usual,
// and an undecided vote rolls as usual. Certify is never the outcome.
// The stability score is the weighted median of the revealed scores.
//
// Claims (issue 8): votes carry a verdict per claimed SRIP. A claim is granted
// only when (1) the audit found it "evidenced" — an objective bound: no vote can
// grant a claim that a major/critical finding counts against, or that the suite
// does not test —, (2) its grant weight reaches the supermajority of the
// revealed weight (a missing entry counts as not granting), and (3) the round
// resolves certify. Votes that would resolve certify while no claim can be
// granted resolve *reject* with reason no_claim_granted: a certificate must
// name at least one claim, and certifying nothing would be a certificate that
// says nothing.
import type { Severity } from "@assay/protocol";
import { amountText, ratioBps } from "./arith";
import { commitmentOf } from "./commitment";
import type { Seat } from "./draw";
import { AssemblyError } from "./errors";
import { weightedMedian } from "./median";
import { seatCountForRound, type AssemblyParams } from "./params";
import { findingKey, isReveal, type Commit, type Reveal, type Verdict } from "./vote";

export const TALLY_FORMAT = "assay.tally/v1";

/** The audit facts a tally needs about a finding (a protocol Finding fits). */
export type FindingRef = { code: string; scenario: string; severity: Severity };

/** The audit's verdict on one claimed SRIP (a protocol ClaimResult fits). */
export type ClaimRef = { srip: string; status: "evidenced" | "not-evidenced" | "not-tested" };

export type ClaimTally = {
  srip: string;
  grantWeight: string;
  denyWeight: string;
  granted: boolean;
  /**
   * Why the claim is not granted: the audit did not evidence it, the suite does
   * not test it, its grant weight fell short of the supermajority, or it had
   * the supermajority but the round did not resolve certify. null when granted.
   */
  reason: null | "not_evidenced" | "not_tested" | "no_supermajority" | "not_certified";
};

export type BallotStatus = "revealed" | "void" | "no_show";

export type Ballot = {
  validatorId: string;
  weight: string;
  status: BallotStatus;
  /** Why a seat did not count: no_commit, no_reveal, equivocation, or the reveal check's reason. */
  reason: string | null;
  verdict: Verdict | null;
  stabilityScore: number | null;
};

export type FindingTally = {
  key: string;
  severity: Severity;
  confirmWeight: string;
  disputeWeight: string;
  consensus: "confirmed" | "disputed" | "split" | "no_opinion";
};

export type TallyOutcome =
  | { kind: "resolved"; verdict: Verdict; reason: null | "no_claim_granted" }
  | { kind: "roll"; reason: "participation" | "no_supermajority"; nextRound: number; nextSeatCount: number }
  | { kind: "escalate"; reason: "max_rounds" | "critical_veto" };

export type RoundTally = {
  format: typeof TALLY_FORMAT;
  assemblyId: string;
  round: number;
  seatCount: number;
  seatedWeight: string;
  /** Weight of the seats that committed in this round: the participation bar's denominator. */
  quorumWeight: string;
  /** Seats that committed in this round (equivocating seats included). */
  committedSeats: number;
  revealedWeight: string;
  participationBps: number;
  certifyWeight: string;
  rejectWeight: string;
  /** Weighted median of revealed stability scores (bps), null without reveals. */
  stabilityScore: number | null;
  criticalVeto: boolean;
  ballots: Ballot[];
  findings: FindingTally[];
  /** One entry per claim of the audit, ascending by SRIP. */
  claims: ClaimTally[];
  outcome: TallyOutcome;
};

export type TallyInput = {
  assemblyId: string;
  round: number;
  params: AssemblyParams;
  seats: readonly Seat[];
  commits: readonly Commit[];
  /** Reveals as received; malformed ones are void for their seat. */
  reveals: readonly unknown[];
  findings: readonly FindingRef[];
  /** The audit report's claims: which SRIPs were asked for and what the evidence says. */
  claims: readonly ClaimRef[];
};

const SEVERITY_RANK: Record<Severity, number> = { info: 0, minor: 1, major: 2, critical: 3 };
const byId = (a: { validatorId: string }, b: { validatorId: string }) =>
  a.validatorId < b.validatorId ? -1 : a.validatorId > b.validatorId ? 1 : 0;

type Counted = { ballot: Ballot; weight: bigint; reveal: Reveal | null };

function notCounted(seat: Seat, weight: bigint, status: BallotStatus, reason: string): Counted {
  const ballot: Ballot = { validatorId: seat.validatorId, weight: seat.weight, status, reason, verdict: null, stabilityScore: null };
  return { ballot, weight, reveal: null };
}

/** Whether a counted seat committed in this round: everything but a no-show without a commit. */
const committed = (c: Counted) => c.ballot.reason !== "no_commit";

/** The one commitment a seat made for this round, "none", or "equivocation" for several. */
function commitmentOfSeat(commits: readonly Commit[] | undefined, input: TallyInput): string {
  let found: string | null = null;
  for (const c of commits ?? []) {
    if (c.assemblyId !== input.assemblyId || c.round !== input.round) continue;
    if (found !== null && found !== c.commitment) return "equivocation";
    found = c.commitment;
  }
  return found ?? "none";
}

function countSeat(seat: Seat, input: TallyInput, commitsBy: Map<string, Commit[]>, revealsBy: Map<string, unknown[]>): Counted {
  const weight = BigInt(seat.weight);
  const commitment = commitmentOfSeat(commitsBy.get(seat.validatorId), input);
  if (commitment === "none") return notCounted(seat, weight, "no_show", "no_commit");
  if (commitment === "equivocation") return notCounted(seat, weight, "void", "equivocation");

  const reveals = revealsBy.get(seat.validatorId) ?? [];
  if (reveals.length === 0) return notCounted(seat, weight, "no_show", "no_reveal");
  // With several failed reveals, the reported reason is the most telling one
  // by a fixed priority (VOID_REASONS), so it does not depend on arrival order either.
  let reasonRank: number = VOID_REASONS.length;
  for (const r of reveals) {
    let failure: VoidReason;
    if (!isReveal(r)) failure = "malformed";
    else if (r.assemblyId !== input.assemblyId) failure = "assembly_mismatch";
    else if (r.round !== input.round) failure = "round_mismatch";
    else if (commitmentOf(r) === commitment) {
      // Every opening reveal has the same preimage, so which one is found first
      // cannot change the vote: the tally stays independent of input order.
      const ballot: Ballot = {
        validatorId: seat.validatorId,
        weight: seat.weight,
        status: "revealed",
        reason: null,
        verdict: r.verdict,
        stabilityScore: r.stabilityScore,
      };
      return { ballot, weight, reveal: r };
    } else failure = "commitment_mismatch";
    reasonRank = Math.min(reasonRank, VOID_REASONS.indexOf(failure));
  }
  return notCounted(seat, weight, "void", VOID_REASONS[reasonRank] ?? "commitment_mismatch");
}

/** Why a seat's reveals did not count, most telling first. */
const VOID_REASONS = ["commitment_mismatch", "round_mismatch", "assembly_mismatch", "malformed"] as const;
type VoidReason = (typeof VOID_REASONS)[number];

function groupBy<T>(items: readonly T[], key: (item: T) => string | undefined): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === undefined) continue;
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}

function reaches(part: bigint, whole: bigint, params: AssemblyParams): boolean {
  return whole > 0n && part * BigInt(params.supermajorityDenominator) >= BigInt(params.supermajorityNumerator) * whole;
}

export function tallyRound(input: TallyInput): RoundTally {
  const { params } = input;
  const seatIds = new Set<string>();
  for (const seat of input.seats) {
    if (seatIds.has(seat.validatorId)) throw new AssemblyError("INVALID_INPUT", `seat ${seat.validatorId} appears twice`);
    seatIds.add(seat.validatorId);
  }
  const commitsBy = groupBy(input.commits, (c) => c.validatorId);
  const revealsBy = groupBy(input.reveals, (r) => {
    const id = (r as { validatorId?: unknown } | null)?.validatorId;
    return typeof id === "string" ? id : undefined;
  });
  const counted = input.seats.map((seat) => countSeat(seat, input, commitsBy, revealsBy)).sort((a, b) => byId(a.ballot, b.ballot));

  let seatedWeight = 0n;
  let quorumWeight = 0n;
  let committedSeats = 0;
  let revealedWeight = 0n;
  let certifyWeight = 0n;
  let rejectWeight = 0n;
  for (const c of counted) {
    seatedWeight += c.weight;
    if (committed(c)) {
      quorumWeight += c.weight;
      committedSeats++;
    }
    if (c.reveal === null) continue;
    revealedWeight += c.weight;
    if (c.reveal.verdict === "certify") certifyWeight += c.weight;
    else rejectWeight += c.weight;
  }
  const revealed = counted.filter((c): c is Counted & { reveal: Reveal } => c.reveal !== null);

  const criticalVeto = input.findings.some((f) => f.severity === "critical");
  const bar = BigInt(params.minParticipationBps);
  const participationOk =
    revealedWeight > 0n && revealedWeight * 10_000n >= bar * quorumWeight && BigInt(committedSeats) * 10_000n >= bar * BigInt(counted.length);
  const winner: Verdict | null = reaches(certifyWeight, revealedWeight, params)
    ? "certify"
    : reaches(rejectWeight, revealedWeight, params)
      ? "reject"
      : null;

  const claimVotes = tallyClaimVotes(input.claims, revealed, revealedWeight, params);
  const anyGrantable = claimVotes.some((c) => c.reason === null);

  let outcome: TallyOutcome;
  if (participationOk && winner === "reject") outcome = { kind: "resolved", verdict: "reject", reason: null };
  else if (participationOk && winner === "certify") {
    outcome = criticalVeto
      ? { kind: "escalate", reason: "critical_veto" }
      : anyGrantable
        ? { kind: "resolved", verdict: "certify", reason: null }
        : { kind: "resolved", verdict: "reject", reason: "no_claim_granted" };
  } else if (input.round >= params.maxRounds) outcome = { kind: "escalate", reason: "max_rounds" };
  else {
    outcome = {
      kind: "roll",
      reason: participationOk ? "no_supermajority" : "participation",
      nextRound: input.round + 1,
      nextSeatCount: seatCountForRound(input.round + 1, params),
    };
  }

  return {
    format: TALLY_FORMAT,
    assemblyId: input.assemblyId,
    round: input.round,
    seatCount: input.seats.length,
    seatedWeight: amountText(seatedWeight),
    quorumWeight: amountText(quorumWeight),
    committedSeats,
    revealedWeight: amountText(revealedWeight),
    participationBps: ratioBps(revealedWeight, seatedWeight),
    certifyWeight: amountText(certifyWeight),
    rejectWeight: amountText(rejectWeight),
    stabilityScore: weightedMedian(revealed.map((c) => ({ validatorId: c.ballot.validatorId, score: c.reveal.stabilityScore, weight: c.weight }))),
    criticalVeto,
    ballots: counted.map((c) => c.ballot),
    findings: tallyFindings(input.findings, revealed, params),
    claims: claimVotes.map((c) => {
      const certified = outcome.kind === "resolved" && outcome.verdict === "certify";
      const reason = c.reason ?? (certified ? null : "not_certified");
      return { srip: c.srip, grantWeight: c.grantWeight, denyWeight: c.denyWeight, granted: reason === null, reason };
    }),
    outcome,
  };
}

type ClaimVote = Omit<ClaimTally, "granted" | "reason"> & { reason: Exclude<ClaimTally["reason"], "not_certified"> };

/** Grant and deny weight per claim, and whether the claim could be granted if the round certifies. */
function tallyClaimVotes(
  claims: readonly ClaimRef[],
  revealed: readonly (Counted & { reveal: Reveal })[],
  revealedWeight: bigint,
  params: AssemblyParams,
): ClaimVote[] {
  const statuses = new Map<string, ClaimRef["status"]>();
  for (const c of claims) {
    const known = statuses.get(c.srip);
    if (known !== undefined && known !== c.status) throw new AssemblyError("INVALID_INPUT", `claim ${c.srip} appears twice with different statuses`);
    statuses.set(c.srip, c.status);
  }
  return [...statuses.keys()].sort().map((srip) => {
    let grant = 0n;
    let deny = 0n;
    for (const c of revealed) {
      const verdict = (c.reveal.claims as Record<string, string | undefined>)[srip];
      if (verdict === "grant") grant += c.weight;
      else if (verdict === "deny") deny += c.weight;
    }
    const status = statuses.get(srip)!;
    // Only "evidenced" can ever be granted: any other status, even a malformed one, withholds the claim.
    const reason: ClaimVote["reason"] =
      status !== "evidenced" ? (status === "not-tested" ? "not_tested" : "not_evidenced") : reaches(grant, revealedWeight, params) ? null : "no_supermajority";
    return { srip, grantWeight: amountText(grant), denyWeight: amountText(deny), reason };
  });
}

function tallyFindings(findings: readonly FindingRef[], revealed: readonly (Counted & { reveal: Reveal })[], params: AssemblyParams): FindingTally[] {
  const severities = new Map<string, Severity>();
  for (const f of findings) {
    const key = findingKey(f);
    const known = severities.get(key);
    if (!known || SEVERITY_RANK[f.severity] > SEVERITY_RANK[known]) severities.set(key, f.severity);
  }
  return [...severities.keys()].sort().map((key) => {
    let confirm = 0n;
    let dispute = 0n;
    for (const c of revealed) {
      const opinion = c.reveal.findingOpinions[key];
      if (opinion === "confirm") confirm += c.weight;
      else if (opinion === "dispute") dispute += c.weight;
    }
    const voiced = confirm + dispute;
    const consensus: FindingTally["consensus"] =
      voiced === 0n ? "no_opinion" : reaches(confirm, voiced, params) ? "confirmed" : reaches(dispute, voiced, params) ? "disputed" : "split";
    return { key, severity: severities.get(key)!, confirmWeight: amountText(confirm), disputeWeight: amountText(dispute), consensus };
  });
}
