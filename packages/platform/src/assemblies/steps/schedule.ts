// Phase deadlines as delayed jobs with deterministic ids (scheduler.ts).
import { assemblyJobIds } from "../scheduler";
import type { AssemblyContext, VotingPhase } from "./context";

export async function scheduleDeadline(ctx: AssemblyContext, assemblyId: string, round: number, phase: VotingPhase, endsAt: Date, now: Date): Promise<void> {
  await ctx.scheduler.schedule({ action: "advance", assemblyId, round, phase }, { jobId: assemblyJobIds.deadline(assemblyId, round, phase), delayMs: endsAt.getTime() - now.getTime() });
}
