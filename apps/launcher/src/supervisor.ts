// Child processes with prefixed logs. Each child leads its own process group so
// that stopping it also stops what it started (sh → node → the audit sandbox).
// Nothing is restarted silently: an unexpected exit is reported to the caller,
// which stops everything.
import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { LauncherError } from "./errors";
import type { ReadyCheck, ResolvedCommand } from "./services";

export type Managed = {
  name: string;
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves once the child's stdout and stderr are closed (every line it wrote has been relayed). */
  closed: Promise<void>;
};

const COLORS = [36, 33, 35, 32, 34, 31];

export class Supervisor {
  private readonly running: Managed[] = [];
  private stopping = false;
  private width = 6;

  constructor(
    private readonly write: (line: string) => void,
    private readonly onUnexpectedExit: (name: string, code: number | null, signal: NodeJS.Signals | null) => void,
    private readonly color = process.stdout.isTTY === true,
  ) {}

  get processes(): readonly Managed[] {
    return this.running;
  }

  start(name: string, command: ResolvedCommand, env: Record<string, string>): Managed {
    this.width = Math.max(this.width, name.length);
    const path = [...command.pathPrefix, env.PATH ?? process.env.PATH ?? ""].filter(Boolean).join(":");
    const child = spawn(command.file, command.args, { cwd: command.cwd, env: { ...env, PATH: path }, stdio: ["ignore", "pipe", "pipe"], detached: true });
    const prefix = this.prefix(name, this.running.length);
    for (const stream of [child.stdout, child.stderr]) {
      if (stream) createInterface({ input: stream }).on("line", (line) => this.write(`${prefix} ${line}`));
    }
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.once("error", (error) => {
        this.write(`${prefix} failed to start: ${error.message}`);
        resolve({ code: null, signal: null });
      });
      child.once("exit", (code, signal) => resolve({ code, signal }));
    });
    const closed = new Promise<void>((resolve) => {
      child.once("close", () => resolve());
      child.once("error", () => resolve());
    });
    const managed = { name, child, exited, closed };
    this.running.push(managed);
    void exited.then(({ code, signal }) => {
      if (!this.stopping) this.onUnexpectedExit(name, code, signal);
    });
    return managed;
  }

  /** Resolves when the service is ready; rejects when it exits first or the check times out. */
  async waitReady(managed: Managed, check: ReadyCheck, output: () => string = () => ""): Promise<void> {
    const timeoutMs = check.timeoutMs ?? 90_000;
    const deadline = Date.now() + timeoutMs;
    let lines = "";
    const collect = (d: Buffer) => {
      lines += d.toString();
      if (lines.length > 200_000) lines = lines.slice(-100_000);
    };
    managed.child.stdout?.on("data", collect);
    managed.child.stderr?.on("data", collect);
    let exited = false;
    void managed.exited.then(() => (exited = true));
    try {
      for (;;) {
        if (exited) throw new LauncherError(`${managed.name} exited before it was ready`, output() || undefined);
        if (await isReady(check, lines)) return;
        if (Date.now() > deadline) throw new LauncherError(`${managed.name} was not ready after ${Math.round(timeoutMs / 1000)} s`);
        await new Promise((r) => setTimeout(r, 200));
      }
    } finally {
      managed.child.stdout?.off("data", collect);
      managed.child.stderr?.off("data", collect);
    }
  }

  /**
   * SIGTERM to every group, newest first; SIGKILL what is still there after graceMs.
   * The group leader is a shell (`sh -c "tsx src/main.ts"`) that dies at once on
   * SIGTERM, while the service it started is still shutting down: waiting for the
   * leader alone and then killing the group cut services off mid-shutdown (their
   * "stopping" line lost) whenever the machine was loaded. So this waits for every
   * live member of the group.
   */
  async stopAll(graceMs = 15_000): Promise<void> {
    this.stopping = true;
    for (const managed of [...this.running].reverse()) {
      const pgid = managed.child.pid;
      signalGroup(managed.child, "SIGTERM");
      const deadline = Date.now() + graceMs;
      const leaderDone = await Promise.race([managed.exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), graceMs))]);
      let groupDone = leaderDone;
      while (groupDone && pgid !== undefined && liveGroupMembers(pgid) > 0) {
        if (Date.now() > deadline) {
          groupDone = false;
          break;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      if (!groupDone) {
        this.write(`${this.prefix(managed.name, this.running.indexOf(managed))} did not stop within ${graceMs / 1000} s; killing it`);
        signalGroup(managed.child, "SIGKILL");
        await managed.exited;
      }
      // Whatever the group left behind (e.g. a grandchild that ignores SIGTERM).
      signalGroup(managed.child, "SIGKILL");
      // Relay the last lines it wrote; a pipe held open by a stray process does not hold us up.
      await Promise.race([managed.closed, new Promise((r) => setTimeout(r, 2_000))]);
    }
  }

  private prefix(name: string, index: number): string {
    const label = `${name.padEnd(this.width)} |`;
    return this.color ? `\u001b[${COLORS[index % COLORS.length]}m${label}\u001b[0m` : label;
  }
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is gone already.
  }
}

/**
 * How many processes of group `pgid` are alive (zombies, which a container's init
 * may never reap, do not count). Reads /proc; without it, asks the kernel whether
 * the group exists at all.
 */
function liveGroupMembers(pgid: number): number {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    try {
      process.kill(-pgid, 0);
      return 1;
    } catch {
      return 0;
    }
  }
  let live = 0;
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // gone meanwhile
    }
    // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(pgrp) === pgid && state !== "Z") live += 1;
  }
  return live;
}

async function isReady(check: ReadyCheck, output: string): Promise<boolean> {
  switch (check.kind) {
    case "log":
      return check.pattern.test(output);
    case "probe":
      return check.probe().catch(() => false);
    case "http":
      try {
        const response = await fetch(check.url, { signal: AbortSignal.timeout(1_000) });
        return response.ok;
      } catch {
        return false;
      }
  }
}
