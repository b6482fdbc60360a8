// CPU time of a live child process, read from /proc (Linux). Why: the audit's
// wall-clock limit stands for "this runtime takes too long", but on an
// overloaded machine a child can reach it having had a fraction of a core; a
// verdict taken then (a timeout, and a replay pair that differs only because
// one run was cut) depends on the machine, not on the runtime. The parent
// compares the CPU the audit actually got with the wall clock it waited.
import { readFileSync } from "node:fs";

/** USER_HZ: the unit of utime/stime in /proc/<pid>/stat; 100 on every Linux architecture Node supports. */
const CLOCK_TICKS_PER_SECOND = 100;

/** User + system CPU milliseconds of a process, or null where /proc is not available (macOS, Windows) or it has gone. */
export function processCpuMs(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return null;
  }
  // Fields after the command name (which may contain spaces and parentheses): state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) return null;
  return ((utime + stime) * 1000) / CLOCK_TICKS_PER_SECOND;
}

/**
 * Below this share of the wall clock the audit's processes were starved of CPU:
 * a runtime that really runs too long keeps its process busy, so at the limit it
 * has used about as much CPU as wall time (one core per child).
 */
export const STARVED_CPU_SHARE = 0.25;
