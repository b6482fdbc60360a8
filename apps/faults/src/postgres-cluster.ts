// A private PostgreSQL cluster for the fault matrix: Debian's server binaries
// (initdb, pg_ctl) on a data directory in a temporary folder and a free port,
// trust authentication, its socket in the same folder. Never the machine's
// shared server on 5432, which other work uses: stopping that one is exactly
// what a fault matrix must not do. `crash()` is `pg_ctl stop -m immediate`
// (no checkpoint, crash recovery on the next start), the closest thing to a
// killed server that leaves a cluster we can start again.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { waitFor } from "./ports";

/** Where Debian puts a server's binaries (/usr/lib/postgresql/<major>/bin), newest first, or null. */
export function postgresBinDir(): string | null {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return null;
  const majors = readdirSync(root)
    .filter((d) => /^\d+$/.test(d) && existsSync(join(root, d, "bin", "pg_ctl")))
    .sort((a, b) => Number(b) - Number(a));
  return majors.length ? join(root, majors[0]!, "bin") : null;
}

export class PostgresCluster {
  readonly dataDir: string;
  readonly socketDir: string;
  private readonly logFile: string;

  constructor(
    private readonly binDir: string,
    private readonly dir: string,
    readonly port: number,
  ) {
    this.dataDir = join(dir, "data");
    this.socketDir = join(dir, "socket");
    this.logFile = join(dir, "postgres.log");
  }

  url(database: string): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/${database}`;
  }

  /** initdb (once) as the current user; PostgreSQL refuses to run as root, so as root the cluster belongs to `postgres`. */
  init(): void {
    mkdirSync(this.socketDir, { recursive: true });
    this.chownToServerUser(this.dir);
    this.run("initdb", ["-D", this.dataDir, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8"]);
  }

  async start(): Promise<void> {
    const options = `-p ${this.port} -k ${this.socketDir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=200`;
    this.run("pg_ctl", ["-D", this.dataDir, "-l", this.logFile, "-o", options, "-w", "-t", "120", "start"]);
    await waitFor(() => this.answers(), `private PostgreSQL on port ${this.port}`, 60_000, 200);
  }

  /** Immediate shutdown: every connection cut, no checkpoint (recovery on the next start). */
  crash(): void {
    this.run("pg_ctl", ["-D", this.dataDir, "-m", "immediate", "-w", "stop"], true);
  }

  stop(): void {
    this.run("pg_ctl", ["-D", this.dataDir, "-m", "fast", "-w", "-t", "30", "stop"], true);
  }

  async answers(): Promise<boolean> {
    const client = new pg.Client({ host: "127.0.0.1", port: this.port, user: "postgres", database: "postgres", connectionTimeoutMillis: 1_000 });
    client.on("error", () => undefined);
    try {
      await client.connect();
      await client.query("SELECT 1");
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  destroy(): void {
    this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private asRoot(): boolean {
    return typeof process.getuid === "function" && process.getuid() === 0;
  }

  private chownToServerUser(path: string): void {
    if (this.asRoot()) spawnSync("chown", ["-R", "postgres:postgres", path]);
  }

  private run(tool: string, args: string[], tolerateFailure = false): void {
    const file = join(this.binDir, tool);
    const result = this.asRoot()
      ? spawnSync("runuser", ["-u", "postgres", "--", file, ...args], { encoding: "utf8" })
      : spawnSync(file, args, { encoding: "utf8" });
    if (result.status !== 0 && !tolerateFailure) {
      throw new Error(`${tool} ${args.join(" ")} failed (${result.status}): ${result.stderr || result.stdout}`);
    }
  }
}
