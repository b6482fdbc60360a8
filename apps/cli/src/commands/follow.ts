// Following a submission from a command: the display, Ctrl-C, and the exit code
// of the final state (SPEC §11: certified 0; rejected or failed 1).
import { z } from "zod";
import type { AssayApi } from "../api";
import { ExitCode, UsageError } from "../errors";
import type { CommandIo } from "../io";
import { DEFAULT_POLL_INTERVAL_MS, followSubmission } from "../submission/follow";
import type { WatchState } from "../submission/watch-state";
import { pickWatchDisplay } from "./follow-display";

/** ASSAY_POLL_INTERVAL_MS: milliseconds between two reads when polling (100..60000; default 1000). */
const PollIntervalSchema = z.coerce.number().int().min(100).max(60_000);

export function pollIntervalFrom(env: NodeJS.ProcessEnv): number {
  const raw = env.ASSAY_POLL_INTERVAL_MS;
  if (raw === undefined || raw === "") return DEFAULT_POLL_INTERVAL_MS;
  const parsed = PollIntervalSchema.safeParse(raw);
  if (!parsed.success) throw new UsageError(`invalid ASSAY_POLL_INTERVAL_MS: must be a whole number of milliseconds between 100 and 60000`);
  return parsed.data;
}

export async function followWithDisplay(api: AssayApi, id: string, json: boolean, io: CommandIo, env: NodeJS.ProcessEnv): Promise<WatchState> {
  const pollIntervalMs = pollIntervalFrom(env);
  const display = pickWatchDisplay(json, io);
  const releaseInterrupt = io.onInterrupt(() => display.stop());
  try {
    return await followSubmission(api, id, {
      pollIntervalMs,
      onState: (state) => display.update(state),
      onFallback: (reason) => display.note(`no live event stream (${reason}); polling instead`),
    });
  } finally {
    releaseInterrupt();
    display.stop();
  }
}

/** certified or still in progress → 0; rejected or failed → 1 (a negative result). */
export function exitCodeOfStatus(status: WatchState["status"]): ExitCode {
  return status === "rejected" || status === "failed" ? ExitCode.Negative : ExitCode.Ok;
}
