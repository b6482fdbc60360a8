// The lifecycle of an assembly on the platform (SPEC §5; docs/decisions/0009):
// open (snapshot at open, beacon, draw, seats) → review → commit → reveal →
// tally, each phase ended by a delayed job or early when every seat has acted
// → roll to 2n+1 seats, or decide (certify / reject / escalate) → settle
// (reputation events) → certificate or rejection.
//
// This class is a thin facade: each step is a function in ./steps over one
// AssemblyContext. Idempotency lives in the steps: every phase move is a
// compare-and-set on (round, phase) of an open assembly; the decision is a
// compare-and-set from the tally phase written in one transaction with the
// settlement; post-decision effects are re-derived from the stored decision by
// finish, which any redelivery or the sweep may run again.
import { NotFoundError } from "../errors";
import type { Store } from "../repositories";
import { CertificateIssuingService } from "../services/certificate-issuing-service";
import { decodeInstantCursor, encodeInstantCursor, pageOf, type Page } from "../services/page-cursor";
import type { CertificateService } from "../services/certificate-service";
import type { SubmissionService } from "../services/submission-service";
import type { AssemblyDetail, AssemblyState } from "./assembly-repository";
import { withoutBeaconSecret } from "./beacon";
import type { BeaconChain } from "./beacon-chain";
import type { FlagService } from "../flags";
import type { AssemblyScheduler } from "./scheduler";
import { advancePhase, allActed } from "./steps/advance";
import { assemblyRepo, type AssemblyContext, type AssemblyJobResult, type AssemblyLog, type VotingPhase } from "./steps/context";
import { finishAssembly } from "./steps/finish";
import { openAssembly } from "./steps/open";
import { progressOf, refreshProgress, type AssemblyProgress } from "./steps/progress";
import { resolveEscalation, type ResolveInput } from "./steps/resolve";
import { sweepAssemblies } from "./steps/sweep";
import { voidSeatsOf } from "./steps/void-seats";

export { phaseSeconds, type AssemblyJobResult } from "./steps/context";
export { DEFAULT_ASSEMBLY_FEE } from "./steps/open";
export { PROBATION_BELOW_BPS, RESTORE_AT_BPS } from "./steps/settle";

export class AssemblyService {
  private readonly ctx: AssemblyContext;

  constructor(
    store: Store,
    submissions: SubmissionService,
    certificates: CertificateService,
    flags: FlagService,
    scheduler: AssemblyScheduler,
    clock: () => Date = () => new Date(),
    log: AssemblyLog = () => undefined,
    actor = "system:worker-assembly",
    /** The chain whose next block joins the draw beacon (docs/decisions/0009); null without a chain. */
    beaconChain: BeaconChain | null = null,
  ) {
    const issuing = new CertificateIssuingService(store, certificates, submissions, { assemblyRequired: true }, actor);
    this.ctx = { store, submissions, certificates, issuing, flags, scheduler, clock, log, actor, beaconChain };
  }

  /** Opens the submission's assembly (job `assembly {action:"open"}`). */
  open(submissionId: string, attempt = 0): Promise<AssemblyJobResult> {
    return openAssembly(this.ctx, submissionId, attempt);
  }

  /** Ends `phase` of `round` (deadline or early close); tallies after the reveal. */
  advance(assemblyId: string, round: number, phase: VotingPhase | "beacon"): Promise<AssemblyJobResult> {
    return advancePhase(this.ctx, assemblyId, round, phase);
  }

  /** Whether every seat has acted in `phase` (the API schedules an early close then). */
  allActed(assemblyId: string, round: number, phase: VotingPhase | "tally"): Promise<boolean> {
    return allActed(this.ctx, assemblyId, round, phase);
  }

  /** Effects of a decided assembly on its submission; safe to run any number of times. */
  finish(assemblyId: string): Promise<AssemblyJobResult> {
    return finishAssembly(this.ctx, assemblyId);
  }

  /** Lost deadline jobs and unfinished decisions (the reconciler). */
  sweep(graceMs: number): Promise<number> {
    return sweepAssemblies(this.ctx, graceMs);
  }

  progressOf(assemblyId: string): Promise<AssemblyProgress | null> {
    return progressOf(this.ctx, assemblyId);
  }

  refreshProgress(assemblyId: string): Promise<void> {
    return refreshProgress(this.ctx, assemblyId);
  }

  /** One assembly with its snapshot, beacon inputs and record (operators); never the secret beacon share. */
  async get(id: string): Promise<AssemblyDetail> {
    const a = await assemblyRepo(this.ctx).detail(id);
    if (!a) throw new NotFoundError("assembly_not_found", `no assembly ${id}`);
    return withoutBeaconSecret(a);
  }

  async list(filter: { escalated?: boolean }, limit = 100): Promise<AssemblyState[]> {
    return (await assemblyRepo(this.ctx).list(filter, limit)).map(withoutBeaconSecret);
  }

  /** One page, newest first, filtered on the server (decision 0032). */
  async page(filter: { escalated?: boolean; status?: AssemblyState["status"]; cursor?: string; limit?: number }): Promise<Page<AssemblyState>> {
    const limit = filter.limit ?? 100;
    const before = filter.cursor ? decodeInstantCursor(filter.cursor) : undefined;
    const rows = await assemblyRepo(this.ctx).list({ escalated: filter.escalated, status: filter.status, before }, limit + 1);
    return pageOf(rows, limit, withoutBeaconSecret, (a) => encodeInstantCursor({ at: a.createdAt, id: a.id }));
  }

  /**
   * Voids the validator's seats in the current round of open assemblies (it
   * was suspended) and draws replacements from each stored snapshot while
   * commits are open; returns how many seats were voided. Idempotent.
   */
  voidSeatsOf(validatorId: string, reason: string): Promise<number> {
    return voidSeatsOf(this.ctx, validatorId, reason);
  }

  /** An operator's decision on an escalated assembly. */
  resolve(id: string, input: ResolveInput): Promise<{ status: string; certificateId: string | null }> {
    return resolveEscalation(this.ctx, id, input);
  }
}
