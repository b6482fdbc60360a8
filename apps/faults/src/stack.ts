// The private stack a fault matrix runs against: its own PostgreSQL cluster,
// redis-server and Hardhat node on free ports, the registry deployed on it, the
// API and one worker process, a seeded developer (API key) and operator
// (password + TOTP). Each component can be taken down the way the matrix asks
// (kill, crash, freeze) and brought back; nothing shared with other work on
// the machine is touched.
import { spawnSync } from "node:child_process";
import { createPrivateKey, createPublicKey } from "node:crypto";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deployRegistry } from "@assay/chain";
import { createPlatform, loadConfig } from "@assay/platform";
import { ValidatorKeysFileSchema } from "@assay/protocol";
import { generate } from "otplib";
import { AppProcess, REPO_ROOT } from "./processes";
import { freePort, waitFor } from "./ports";
import { PostgresCluster, postgresBinDir } from "./postgres-cluster";
import { RedisServer } from "./redis-server";

/** Hardhat's default account #0: a public test key, for the private dev chain only. */
const HARDHAT_DEV_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

export type Component = "api" | "worker" | "postgres" | "redis" | "chain";
export const COMPONENTS: readonly Component[] = ["api", "worker", "postgres", "redis", "chain"];

export type StackOptions = {
  chain?: boolean;
  artifactDir?: string;
  log?: (line: string) => void;
  /** Run the API and the worker under libfaketime so their wall clock can be stepped (clock cells); ignored when libfaketime is absent. */
  fakeClock?: boolean;
};

/**
 * Assemblies in the matrix: five honest demo validators and five seats, so every
 * round draws all of them and a phase closes early as soon as they have acted
 * (seconds); the commit and reveal deadlines (30 s) are long enough for a
 * component to come back and the validators to act before them, so a fault
 * does not turn into a lost round. The beacon window is the minimum (1 s).
 */
export const MATRIX_ASSEMBLY_PARAMS = { seatCount: 5, beaconSeconds: 1, reviewSeconds: 3, commitSeconds: 30, revealSeconds: 30 } as const;
export const MATRIX_VALIDATORS = "honest:5";
/** Every validator the matrix admits weighs the same (the demo stake). */
const VALIDATOR_STAKE = "1000000";

/** Debian's libfaketime (`apt-get install faketime`), or null when it is not installed. */
export function libfaketimePath(): string | null {
  for (const arch of ["x86_64-linux-gnu", "aarch64-linux-gnu"]) {
    const file = `/usr/lib/${arch}/faketime/libfaketime.so.1`;
    if (existsSync(file)) return file;
  }
  return null;
}

export class Stack {
  readonly dir = mkdtempSync(join(tmpdir(), "assay-faults-"));
  pg!: PostgresCluster;
  redis!: RedisServer;
  chain: AppProcess | null = null;
  validators: AppProcess | null = null;
  api!: AppProcess;
  worker!: AppProcess;
  env: Record<string, string> = {};
  apiUrl = "";
  chainRpcUrl = "";
  registry = "";
  developerKey = "";
  operatorToken = "";
  /** Filesystems mounted under dir (the disk-full case's tmpfs): unmounted before dir is removed. */
  readonly mounts: string[] = [];
  private operator = { email: "", password: "", totpSecret: "" };
  private readonly log: (line: string) => void;

  /** The file libfaketime reads the platform's clock offset from (null: real clock). */
  readonly clockFile: string | null;
  /** The platform processes' wall-clock offset, seconds. */
  clockOffsetSeconds = 0;
  private assemblyRequired = false;

  constructor(private readonly options: StackOptions = {}) {
    this.log = options.log ?? (() => undefined);
    this.clockFile = options.fakeClock && libfaketimePath() ? join(this.dir, "faketime") : null;
  }

  /**
   * The API's and the worker's environment: the stack's, plus libfaketime when the
   * clock is faked. FAKETIME_TIMESTAMP_FILE holds a relative offset ("+3600") that
   * the harness rewrites to step the clock; FAKETIME_CACHE_DURATION=1 re-reads it at
   * most once a second (FAKETIME_NO_CACHE=1 re-reads it on every time call: 24 µs
   * per Date.now() against 1 µs, measured; a step then takes effect within 1 s).
   * FAKETIME_DONT_FAKE_MONOTONIC=1: only the wall clock (CLOCK_REALTIME) is stepped,
   * as an NTP or operator step does — CLOCK_MONOTONIC never jumps on a real host, and
   * Node's timers, BullMQ's lock renewals and the sandbox's wall-clock kill run on it;
   * faking it would test a clock no machine has (timers an hour late or all at once).
   */
  platformEnv(): Record<string, string> {
    const lib = libfaketimePath();
    if (!this.clockFile || !lib) return this.env;
    return { ...this.env, LD_PRELOAD: lib, FAKETIME_TIMESTAMP_FILE: this.clockFile, FAKETIME_CACHE_DURATION: "1", FAKETIME_DONT_FAKE_MONOTONIC: "1" };
  }

  /** Steps the platform processes' wall clock by deltaSeconds (both at once: they read one file); effective within 1 s. */
  async stepClock(deltaSeconds: number): Promise<void> {
    if (!this.clockFile) throw new Error("the platform clock is not faked (libfaketime missing or fakeClock off)");
    this.clockOffsetSeconds += deltaSeconds;
    writeFileSync(this.clockFile, `${this.clockOffsetSeconds >= 0 ? "+" : ""}${this.clockOffsetSeconds}\n`);
    await new Promise((r) => setTimeout(r, 1_200));
  }

  get chainEnabled(): boolean {
    return this.chain !== null;
  }

  async start(): Promise<void> {
    // Traversable by the `postgres` user, which owns the private cluster's directory below it when we run as root.
    chmodSync(this.dir, 0o711);
    const binDir = postgresBinDir();
    if (!binDir) throw new Error("no PostgreSQL server binaries under /usr/lib/postgresql/<major>/bin");
    this.pg = new PostgresCluster(binDir, join(this.dir, "pg"), await freePort());
    this.pg.init();
    await this.pg.start();
    this.log(`postgres on ${this.pg.port}`);
    this.redis = new RedisServer(await freePort());
    await this.redis.start();
    this.log(`redis on ${this.redis.port}`);
    const apiPort = await freePort();
    this.apiUrl = `http://127.0.0.1:${apiPort}`;
    this.env = {
      NODE_ENV: "test",
      DATABASE_URL: this.pg.url("assay"),
      REDIS_URL: this.redis.url,
      ASSAY_API_HOST: "127.0.0.1",
      ASSAY_API_PORT: String(apiPort),
      ASSAY_PUBLIC_URL: this.apiUrl,
      ASSAY_STATE_DIR: join(this.dir, "state"),
      ASSAY_ARTIFACT_DIR: this.options.artifactDir ?? join(this.dir, "artifacts"),
      ASSAY_QUEUE_PREFIX: "assay-faults",
      ASSAY_LOG_LEVEL: "info",
      // One audit at a time: on a loaded 2-core machine two at once can reach the sandbox's wall-clock kill.
      ASSAY_WORKER_CONCURRENCY: "1",
      ASSAY_WORKER_LOCK_MS: "2000",
      ASSAY_WORKER_STALLED_INTERVAL_MS: "1000",
      ASSAY_RECONCILE_INTERVAL_MS: "500",
      ASSAY_RECONCILE_QUIET_MS: "2000",
      // Audit-only by default; assembly cells turn the operator flag on for their submissions (setAssemblyRequired).
      ASSAY_ASSEMBLY_REQUIRED: "false",
      ASSAY_ASSEMBLY_PARAMS: JSON.stringify(MATRIX_ASSEMBLY_PARAMS),
      ASSAY_FLAGS_CACHE_TTL_MS: "500",
      ASSAY_BILLING_ENFORCED: "false",
      ASSAY_ANCHOR_INTERVAL_MS: "500",
    };
    if (this.options.chain !== false) await this.startChain();
    await this.seed();
    if (this.clockFile) writeFileSync(this.clockFile, "+0\n");
    this.api = AppProcess.workspaceMain("api", () => this.platformEnv());
    this.worker = AppProcess.workspaceMain("worker", () => this.platformEnv());
    await this.startApi();
    await this.startWorker();
    await this.login();
  }

  private async startChain(): Promise<void> {
    const port = await freePort();
    this.chainRpcUrl = `http://127.0.0.1:${port}`;
    this.chain = new AppProcess(
      "chain",
      join(REPO_ROOT, "node_modules", ".bin", "node"),
      [join(REPO_ROOT, "node_modules", "hardhat", "dist", "src", "cli.js"), "node", "--hostname", "127.0.0.1", "--port", String(port)],
      join(REPO_ROOT, "contracts"),
      () => ({}),
    );
    this.chain.start();
    await waitFor(() => this.chainAnswers(), "the private Hardhat node", 120_000, 250);
    const deployed = await deployRegistry({ rpcUrl: this.chainRpcUrl, privateKey: HARDHAT_DEV_KEY, unstakeCooldownSeconds: 600 });
    this.registry = deployed.certificateRegistry;
    Object.assign(this.env, {
      ASSAY_CHAIN_ENABLED: "true",
      ASSAY_CHAIN_RPC_URL: this.chainRpcUrl,
      ASSAY_CHAIN_REGISTRY: deployed.certificateRegistry,
      ASSAY_CHAIN_VALIDATOR_REGISTRY: deployed.validatorRegistry,
      ASSAY_CHAIN_TREASURY: deployed.treasury,
      ASSAY_CHAIN_DEPLOYED_AT_BLOCK: String(deployed.deployedAtBlock),
      ASSAY_CHAIN_PRIVATE_KEY: HARDHAT_DEV_KEY,
    });
    this.log(`chain on ${port}, registry ${this.registry}`);
  }

  /**
   * The demo validator agents as a separate process (as `npm start` runs them), on the
   * real clock, then admitted the way the launcher admits its demo agents: through the
   * platform's admission service, one audit-log row each.
   */
  async startValidators(): Promise<void> {
    if (this.validators) return;
    this.validators = AppProcess.workspaceMain("validators", () => ({
      ...this.env,
      ASSAY_API_URL: this.apiUrl,
      ASSAY_VALIDATORS: MATRIX_VALIDATORS,
      ASSAY_VALIDATORS_POLL_MS: "500",
    }));
    this.validators.start();
    await waitFor(
      async () => {
        if (!this.validators!.running) throw new Error(`the validators exited while starting:\n${this.validators!.output().slice(-3000)}`);
        return this.validators!.output().includes("validators started");
      },
      "the validators to start",
      180_000,
      250,
    );
    const file = join(this.env.ASSAY_STATE_DIR!, "validators.json");
    const keys = ValidatorKeysFileSchema.parse(JSON.parse(readFileSync(file, "utf8"))).keys;
    const platform = await createPlatform(loadConfig(this.env));
    try {
      for (const [name, pem] of Object.entries(keys)) {
        const publicKey = (createPublicKey(createPrivateKey(pem)).export({ format: "jwk" }) as { x: string }).x;
        const validator = await platform.validators.findByPublicKey(publicKey);
        if (!validator) throw new Error(`validator ${name} is not activated`);
        if (validator.standing === "pending") await platform.admission.approve(validator.id, { stake: VALIDATOR_STAKE, reason: "fault matrix validator" }, "faults:harness");
      }
    } finally {
      await platform.close();
    }
    this.log(`validators started and admitted: ${Object.keys(keys).join(", ")}`);
  }

  /** SIGSTOP / SIGCONT of the validator agents: no seat acts, so an open phase closes only at its deadline (the clock cells). */
  freezeValidators(): void {
    this.validators?.freeze();
  }

  thawValidators(): void {
    this.validators?.thaw();
  }

  /** Sets the operator flag `assembly.required` (read once per audit completion), as an operator does, and waits out the flag cache. */
  async setAssemblyRequired(on: boolean): Promise<void> {
    if (this.assemblyRequired === on) return;
    if (on) await this.startValidators();
    const response = await fetch(`${this.apiUrl}/v1/operator/flags/assembly.required`, {
      method: "PUT",
      headers: { "content-type": "application/json", authorization: `Bearer ${this.operatorToken}` },
      body: JSON.stringify({ value: on }),
    });
    if (!response.ok) throw new Error(`setting assembly.required failed: ${response.status} ${await response.text()}`);
    this.assemblyRequired = on;
    await new Promise((r) => setTimeout(r, 1_500));
  }

  async chainAnswers(): Promise<boolean> {
    const response = await fetch(this.chainRpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      signal: AbortSignal.timeout(1_000),
    });
    return response.ok;
  }

  /** Migrates the private database and creates the developer and the operator the flows act as. */
  private async seed(): Promise<void> {
    const platform = await createPlatform(loadConfig(this.env));
    try {
      const developer = await platform.developers.create({ email: "faults@example.test", name: "Fault Matrix" });
      this.developerKey = (await platform.apiKeys.create(developer.id, "fault matrix")).key;
      this.operator.email = "operator@example.test";
      this.operator.password = "fault-matrix-operator-password";
      const created = await platform.operators.create({ email: this.operator.email, password: this.operator.password, role: "admin" });
      this.operator.totpSecret = created.totpSecret;
    } finally {
      await platform.close();
    }
  }

  private async login(): Promise<void> {
    const response = await fetch(`${this.apiUrl}/v1/operator/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: this.operator.email, password: this.operator.password, totp: await generate({ secret: this.operator.totpSecret }) }),
    });
    if (!response.ok) throw new Error(`operator login failed: ${response.status} ${await response.text()}`);
    this.operatorToken = ((await response.json()) as { token: string }).token;
  }

  async apiHealthy(): Promise<boolean> {
    const response = await fetch(`${this.apiUrl}/v1/public/health`, { signal: AbortSignal.timeout(2_000) });
    return response.ok;
  }

  async startApi(): Promise<void> {
    this.api.start();
    await waitFor(
      async () => {
        if (!this.api.running) throw new Error(`the API exited while starting:\n${this.api.output().slice(-3000)}`);
        return this.apiHealthy();
      },
      "the API to answer /v1/public/health",
      180_000,
      250,
    );
  }

  async startWorker(): Promise<void> {
    this.worker.start();
    await waitFor(
      async () => {
        if (!this.worker.running) throw new Error(`the worker exited while starting:\n${this.worker.output().slice(-3000)}`);
        return this.worker.output().includes("worker started");
      },
      "the worker to start",
      180_000,
      250,
    );
  }

  /** Takes a component down the way the matrix does: API and worker SIGKILLed, PostgreSQL crashed (immediate stop), Redis SIGKILLed (its data gone), the chain node frozen (SIGSTOP: Hardhat keeps its chain in memory only, so a kill would be a new chain, not a restart). */
  async down(component: Component): Promise<void> {
    this.taken.add(component);
    switch (component) {
      case "api":
        return this.api.kill();
      case "worker":
        return this.worker.kill();
      case "postgres":
        return this.pg.crash();
      case "redis":
        return this.redis.kill();
      case "chain":
        return this.chain?.freeze();
    }
  }

  /** Components taken down and not yet brought back (so an aborted cell restores only what it took down). */
  private readonly taken = new Set<Component>();

  /** Brings a component back if the matrix took it down (a second redis-server or API must never start beside the first). */
  async restore(component: Component): Promise<void> {
    if (this.taken.has(component)) await this.up(component);
  }

  /** Brings a component back and waits until it answers. */
  async up(component: Component): Promise<void> {
    this.taken.delete(component);
    switch (component) {
      case "api":
        return this.startApi();
      case "worker":
        return this.startWorker();
      case "postgres":
        return this.pg.start();
      case "redis":
        return this.redis.start();
      case "chain":
        this.chain?.thaw();
        await waitFor(() => this.chainAnswers(), "the chain node to answer again", 60_000, 200);
        return;
    }
  }

  /**
   * What a process supervisor (systemd, Kubernetes) does: a platform process that
   * died on its own is started again. Returns the names restarted, for the cell's notes.
   */
  async superviseRestarts(): Promise<string[]> {
    const restarted: string[] = [];
    if (!this.api.running) {
      await this.startApi();
      restarted.push("api");
    }
    if (!this.worker.running) {
      await this.startWorker();
      restarted.push("worker");
    }
    return restarted;
  }

  async stop(): Promise<void> {
    this.chain?.thaw();
    this.validators?.thaw();
    await this.validators?.stop(5_000).catch(() => undefined);
    await this.worker?.stop().catch(() => undefined);
    await this.api?.stop().catch(() => undefined);
    await this.chain?.kill().catch(() => undefined);
    await this.redis?.kill().catch(() => undefined);
    try {
      this.pg?.destroy();
    } catch {
      // best effort
    }
    for (const mount of this.mounts) spawnSync("umount", ["-l", mount]);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
