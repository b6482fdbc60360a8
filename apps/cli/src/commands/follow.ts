// Following a submission from a command: the display, Ctrl-C, and the exit code
// of the final state (SPEC §11: certified 0; rejected or failed 1).
import type { AssayApi } from "../api";
import { ExitCode } from "../errors";
import type { CommandIo } from "../io";
import { followSubmission } from "../submission/follow";
import type { WatchState } from "../submission/watch-state";
import { pickWatchDisplay } from "./follow-display";

export async function followWithDisplay(api: AssayApi, id: string, json: boolean, io: CommandIo): Promise<WatchState> {
  const display = pickWatchDisplay(json, io);
  const releaseInterrupt = io.onInterrupt(() => display.stop());
  try {
    return await followSubmission(api, id, {
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
