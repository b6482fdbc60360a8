// What every lifecycle step of an assembly works with: the store, the services
// it hands effects to, the deadline scheduler, a clock and a log. The facade
// (AssemblyService) builds one; steps are plain functions over it.
import type { AssemblyParams } from "@assay/assembly";
import type { AssemblyPhase } from "../../repositories";
import type { DbClient, Store } from "../../repositories";
import type { CertificateIssuingService } from "../../services/certificate-issuing-service";
import type { CertificateService } from "../../services/certificate-service";
import type { SubmissionService } from "../../services/submission-service";
import { AssemblyRepository } from "../assembly-repository";
import type { BeaconChain } from "../beacon-chain";
import type { FlagService } from "../../flags";
import type { AssemblyScheduler } from "../scheduler";

export type AssemblyLog = (level: "info" | "warn" | "error", message: string) => void;

export type AssemblyContext = {
  readonly store: Store;
  readonly submissions: SubmissionService;
  readonly certificates: CertificateService;
  /** Builds unsigned certificate payloads (audit facts, claims) for assembly and operator certificates. */
  readonly issuing: CertificateIssuingService;
  readonly flags: FlagService;
  readonly scheduler: AssemblyScheduler;
  readonly clock: () => Date;
  readonly log: AssemblyLog;
  /** Who the lifecycle's own transitions are recorded as. */
  readonly actor: string;
  /** The chain whose next block joins the draw beacon (steps/beacon.ts); null without a chain. */
  readonly beaconChain: BeaconChain | null;
};

/** What a job step returns to the worker (logged as the job's result). */
export type AssemblyJobResult = { result: string } & Record<string, unknown>;

export type VotingPhase = "review" | "commit" | "reveal";

export function assemblyRepo(ctx: AssemblyContext, db: DbClient = ctx.store.db): AssemblyRepository {
  return new AssemblyRepository(db);
}

export const NEXT_PHASE: Record<VotingPhase, AssemblyPhase> = { review: "commit", commit: "reveal", reveal: "tally" };

export function isVotingPhase(phase: AssemblyPhase): phase is VotingPhase {
  return phase === "review" || phase === "commit" || phase === "reveal";
}

export function phaseSeconds(params: AssemblyParams, phase: AssemblyPhase): number {
  if (phase === "review") return params.reviewSeconds;
  if (phase === "commit") return params.commitSeconds;
  if (phase === "reveal") return params.revealSeconds;
  return 0;
}

export function secondsAfter(now: Date, seconds: number): Date {
  return new Date(now.getTime() + seconds * 1000);
}
