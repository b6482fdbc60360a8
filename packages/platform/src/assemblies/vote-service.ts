// What a seated validator does on the agent plane: list its assignments, read
// the evidence, commit, reveal. Every refusal is a typed 4xx and writes nothing:
// not seated or seat voided → 403; wrong phase, past the deadline, a second commit or reveal,
// no commitment → 409; a reveal that does not open its commitment → 400.
import { checkReveal, findingKey, phaseDeadlines, type AssemblyParams } from "@assay/assembly";
import { AgentCommitBody, AgentRevealBody, AssemblyEvidenceSchema, AuditReportSchema, type AssemblyEvidence } from "@assay/protocol";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "../errors";
import type { Store } from "../repositories";
import { isUniqueViolation } from "../services/unique-violation";
import type { AssemblyService } from "./assembly-service";
import { AssemblyRepository, type AssemblyState } from "./assembly-repository";
import { assemblyJobIds, type AssemblyScheduler } from "./scheduler";
import { isVotingPhase } from "./steps/context";

// The request bodies are the protocol's (the browser's validator portal builds them too).
export const CommitBody = AgentCommitBody;
export type CommitBody = AgentCommitBody;
export const RevealBody = AgentRevealBody;
export type RevealBody = AgentRevealBody;

export class VoteService {
  constructor(
    private readonly store: Store,
    private readonly assemblies: AssemblyService,
    private readonly scheduler: AssemblyScheduler,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  private repo() {
    return new AssemblyRepository(this.store.db);
  }

  /** Deadlines of the current round as now known (a phase that closed early has its real end). */
  private deadlines(a: AssemblyState, params: AssemblyParams) {
    const started = a.phaseStartedAt.getTime();
    const endsAt = a.phaseEndsAt.getTime();
    if (a.phase === "review") return { reviewEndsAt: endsAt, commitEndsAt: endsAt + params.commitSeconds * 1000, revealEndsAt: endsAt + (params.commitSeconds + params.revealSeconds) * 1000 };
    if (a.phase === "commit") return { reviewEndsAt: started, commitEndsAt: endsAt, revealEndsAt: endsAt + params.revealSeconds * 1000 };
    if (a.phase === "reveal") return { reviewEndsAt: started, commitEndsAt: started, revealEndsAt: endsAt };
    return phaseDeadlines(started, { reviewSeconds: 1, commitSeconds: 1, revealSeconds: 1 }, { reviewClosedAt: started, commitClosedAt: started, revealClosedAt: started });
  }

  async assignments(validatorId: string) {
    const seats = await this.repo().openSeatsOf(validatorId);
    const out = [];
    for (const seat of seats.filter((s) => s.voidedAt === null)) {
      const a = seat.assembly;
      const d = this.deadlines(a, a.params);
      const commit = await this.repo().commitment(a.id, a.round, validatorId);
      const revealed = await this.repo().hasReveal(a.id, a.round, validatorId);
      out.push({
        assemblyId: a.id,
        submissionId: a.submissionId,
        round: a.round,
        phase: a.phase,
        phaseEndsAt: a.phaseEndsAt.toISOString(),
        deadlines: { review: new Date(d.reviewEndsAt).toISOString(), commit: new Date(d.commitEndsAt).toISOString(), reveal: new Date(d.revealEndsAt).toISOString() },
        weight: seat.weight,
        committed: commit !== null,
        revealed,
      });
    }
    return { assignments: out };
  }

  private async seatedOrRefuse(validatorId: string, assemblyId: string, round?: number): Promise<AssemblyState> {
    const a = await this.repo().findById(assemblyId);
    if (!a) throw new NotFoundError("assembly_not_found", `no assembly ${assemblyId}`);
    const mine = round === undefined ? (await this.repo().seats(assemblyId)).filter((s) => s.validatorId === validatorId) : [await this.repo().seat(assemblyId, round, validatorId)].filter((s) => s !== null);
    if (mine.length === 0) throw new ForbiddenError("not_seated", round === undefined ? "you have no seat in this assembly" : `you have no seat in round ${round} of this assembly`);
    // A voided seat (its validator was suspended) no longer acts.
    if (mine.every((s) => s.voidedAt !== null)) throw new ForbiddenError("seat_voided", `your seat was voided (${mine[0]!.voidReason ?? "voided"})`);
    return a;
  }

  /** The audit evidence of an assembly's submission: report summary, per-scenario summaries, findings with their evidence, claims with their status. */
  async evidence(validatorId: string, assemblyId: string): Promise<AssemblyEvidence> {
    const a = await this.seatedOrRefuse(validatorId, assemblyId);
    const submission = await this.store.repos.submissions.findById(a.submissionId);
    const stored = await this.store.repos.audits.latestReportForSubmission(a.submissionId);
    if (!submission || !stored) throw new NotFoundError("report_not_found", "the assembly's audit report is missing");
    const report = AuditReportSchema.parse(stored.document);
    return AssemblyEvidenceSchema.parse({
      assemblyId: a.id,
      submissionId: a.submissionId,
      subject: report.subject,
      reportDigest: report.digest,
      auditVerdict: report.verdict,
      suite: report.suite,
      seed: report.seed,
      engine: report.engine,
      metrics: report.metrics,
      scenarios: report.scenarios.map((s) => ({ id: s.id, title: s.title, turns: s.turns, completed: s.completed, transcriptDigest: s.transcriptDigest, metrics: s.metrics })),
      findings: report.findings.map((f) => ({ key: findingKey(f), code: f.code, severity: f.severity, scenario: f.scenario, turn: f.turn, message: f.message, evidence: f.evidence })),
      claims: report.claims,
    });
  }

  async commit(validatorId: string, body: CommitBody) {
    const a = await this.seatedOrRefuse(validatorId, body.assemblyId, body.round);
    if (a.status !== "open" || a.round !== body.round) throw new ConflictError("round_closed", `round ${body.round} of this assembly is closed`);
    if (a.phase !== "review" && a.phase !== "commit") throw new ConflictError("commit_closed", `the commit phase is over (phase ${a.phase})`);
    const deadline = this.deadlines(a, a.params).commitEndsAt;
    if (this.clock().getTime() >= deadline) throw new ConflictError("deadline_passed", `the commit deadline ${new Date(deadline).toISOString()} has passed`);
    try {
      await this.repo().addCommitment({ assemblyId: a.id, round: a.round, validatorId, commitment: body.commitment });
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError("already_committed", "you have already committed in this round; a commitment cannot be changed");
      throw err;
    }
    await this.afterAction(a, "commit");
    return { assemblyId: a.id, round: a.round, commitment: body.commitment, accepted: true };
  }

  async reveal(validatorId: string, body: RevealBody) {
    if (body.validatorId !== undefined && body.validatorId !== validatorId) throw new ForbiddenError("not_your_vote", "a reveal can only be sent by the validator it names");
    const a = await this.seatedOrRefuse(validatorId, body.assemblyId, body.round);
    if (a.status !== "open" || a.round !== body.round) throw new ConflictError("round_closed", `round ${body.round} of this assembly is closed`);
    if (a.phase !== "reveal") throw new ConflictError("reveal_not_open", `reveals are accepted in the reveal phase (now ${a.phase})`);
    if (this.clock().getTime() >= a.phaseEndsAt.getTime()) throw new ConflictError("deadline_passed", `the reveal deadline ${a.phaseEndsAt.toISOString()} has passed`);
    const commitment = await this.repo().commitment(a.id, a.round, validatorId);
    if (!commitment) throw new ConflictError("no_commitment", "you did not commit in this round, so there is nothing to reveal");
    if (await this.repo().hasReveal(a.id, a.round, validatorId)) throw new ConflictError("already_revealed", "you have already revealed in this round");
    const reveal = { ...body, validatorId };
    const check = checkReveal({ assemblyId: a.id, round: a.round, validatorId, commitment: commitment.commitment }, reveal);
    if (!check.valid) throw new ValidationError("reveal_mismatch", `the reveal does not open your commitment (${check.reason})`, [{ path: "reveal", message: check.reason }]);
    try {
      await this.repo().addReveal({ assemblyId: a.id, round: a.round, validatorId, reveal });
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError("already_revealed", "you have already revealed in this round");
      throw err;
    }
    await this.afterAction(a, "reveal");
    return { assemblyId: a.id, round: a.round, accepted: true };
  }

  /** Progress for watchers, and an early close when every seat has acted. */
  private async afterAction(a: AssemblyState, kind: "commit" | "reveal"): Promise<void> {
    await this.assemblies.refreshProgress(a.id).catch(() => undefined);
    const phase = kind === "commit" ? a.phase : "reveal";
    if (!isVotingPhase(phase)) return;
    if (await this.assemblies.allActed(a.id, a.round, phase)) {
      // The job does the move (a compare-and-set); if Redis is down the deadline job still ends the phase.
      await this.scheduler.schedule({ action: "advance", assemblyId: a.id, round: a.round, phase }, { jobId: assemblyJobIds.early(a.id, a.round, phase), delayMs: 0 }).catch(() => undefined);
    }
  }
}
