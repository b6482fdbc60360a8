// Which live display a following command uses: none with --json, bars on a
// terminal, plain lines otherwise (all on stderr).
import type { CommandIo } from "../io";
import { plainWatch, silentWatch, terminalWatch, type WatchDisplay } from "../render/watch";

export function pickWatchDisplay(json: boolean, io: CommandIo): WatchDisplay {
  if (json) return silentWatch;
  if (io.stderrIsTty) return terminalWatch(io.stderrStream);
  return plainWatch((line) => io.stderr(line));
}
