// The API and the worker as real child processes, started the way the launcher
// starts them (`tsx src/main.ts` in the workspace, Node 22 from the repository),
// each leading its own process group so a kill takes what it started with it
// (the worker's audit sandboxes). The harness never imports an app.
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";

export const REPO_ROOT = join(__dirname, "..", "..", "..");

export type AppName = "api" | "worker" | "chain" | "validators";

export class AppProcess {
  private child: ChildProcess | null = null;
  private lines: string[] = [];
  /** Unexpected exits (not asked for by kill/stop), with their code or signal. */
  readonly exits: string[] = [];
  private expectingExit = false;

  constructor(
    readonly name: AppName,
    private readonly file: string,
    private readonly args: string[],
    private readonly cwd: string,
    private readonly env: () => Record<string, string>,
  ) {}

  static workspaceMain(name: "api" | "worker" | "validators", env: () => Record<string, string>): AppProcess {
    const dir = join(REPO_ROOT, "apps", name);
    return new AppProcess(name, join(REPO_ROOT, "node_modules", ".bin", "node"), ["--import", "tsx", join(dir, "src", "main.ts")], dir, env);
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  output(): string {
    return this.lines.join("");
  }

  start(): void {
    this.lines = [];
    this.expectingExit = false;
    const child = spawn(this.file, this.args, { cwd: this.cwd, env: { ...process.env, ...this.env() }, stdio: ["ignore", "pipe", "pipe"], detached: true });
    const keep = (d: Buffer) => {
      this.lines.push(d.toString());
      if (this.lines.length > 4_000) this.lines.splice(0, 2_000);
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    child.once("exit", (code, signal) => {
      if (!this.expectingExit) this.exits.push(signal ? `signal ${signal}` : `exit ${code}`);
    });
    this.child = child;
  }

  /** SIGKILL to the whole group (a crash: no shutdown handler runs). */
  async kill(): Promise<void> {
    await this.signalAndWait("SIGKILL");
  }

  /** SIGTERM (graceful), SIGKILL after graceMs. */
  async stop(graceMs = 15_000): Promise<void> {
    const child = this.child;
    if (!child) return;
    const done = this.signalAndWait("SIGTERM");
    const timer = setTimeout(() => this.signal("SIGKILL"), graceMs);
    await done;
    clearTimeout(timer);
    this.signal("SIGKILL");
  }

  /** SIGSTOP / SIGCONT: the process is frozen (sockets open, nothing answered), then thawed. */
  freeze(): void {
    this.signal("SIGSTOP");
  }

  thaw(): void {
    this.signal("SIGCONT");
  }

  private signal(signal: NodeJS.Signals): void {
    const pid = this.child?.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // gone already
    }
  }

  private async signalAndWait(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.expectingExit = true;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((r) => child.once("exit", () => r()));
      this.signal(signal);
      await exited;
    }
    this.signal("SIGKILL");
    this.child = null;
  }
}
