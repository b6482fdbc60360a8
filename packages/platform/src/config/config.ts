// The one typed configuration object, built once at start-up from the
// environment. This is the only module that reads process.env. A bad value stops
// start-up with a message naming the variable (ConfigError).
import { existsSync, readFileSync } from "node:fs";
import { isIP } from "node:net";
import { availableParallelism } from "node:os";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { AssemblyParamOverrides } from "@assay/assembly";
import { z } from "zod";
import { InstallSecretsError, loadOrCreateInstallSecrets } from "./install-secrets";

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"], { message: "expected true or false" })
  .transform((v) => v === "true" || v === "1" || v === "yes");
const port = z.coerce.number({ message: "expected a port number" }).int().min(0).max(65535);
const positiveInt = z.coerce.number({ message: "expected a positive integer" }).int().positive();
const url = (protocols: string[]) =>
  z.string().refine((v) => {
    try {
      return protocols.includes(new URL(v).protocol);
    } catch {
      return false;
    }
  }, `expected a ${protocols.join(" or ")}// URL`);
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "expected a 0x address (40 hex digits)");
const secret = z.string().min(32, "must be at least 32 characters");
/** An IP address or a CIDR block (v4 or v6). */
const proxyEntry = (entry: string): boolean => {
  const [ip, prefix, ...rest] = entry.split("/");
  const version = isIP(ip ?? "");
  if (version === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
};
const proxyList = z
  .string()
  .transform((v) => v.split(",").map((p) => p.trim()).filter((p) => p !== ""))
  .refine((list) => list.every(proxyEntry), "expected a comma-separated list of IP addresses or CIDR blocks (e.g. 10.0.0.0/8, ::1)");

/** Each variable, its schema and its development default. */
const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  DATABASE_URL: url(["postgresql:", "postgres:"]).default("postgresql://postgres@127.0.0.1:5432/assay"),
  REDIS_URL: url(["redis:", "rediss:"]).default("redis://127.0.0.1:6379"),
  /** BullMQ key prefix shared by the API (producer) and the workers: separates deployments (and test runs) on one Redis. */
  ASSAY_QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "letters, digits, '-' and '_' only").default("assay"),
  ASSAY_API_HOST: z.string().min(1).default("127.0.0.1"),
  ASSAY_API_PORT: port.default(3000),
  /** Public base URL of the API, as clients reach it (discovery documents). */
  ASSAY_PUBLIC_URL: url(["http:", "https:"]).optional(),
  /**
   * Unset outside production: generated once into <state dir>/secrets.json
   * (0600) and reused (docs/decisions/0013). Required in production.
   */
  ASSAY_KEY_ENCRYPTION_SECRET: secret.optional(),
  ASSAY_SESSION_SECRET: secret.optional(),
  /** Where an install keeps its state (generated secrets, demo.json, artifacts by default): `.assay` at the repository root. */
  ASSAY_STATE_DIR: z.string().min(1).optional(),
  /**
   * Proxies whose X-Forwarded-For is believed (IPs or CIDR blocks, comma-separated).
   * Default none: rate limits and lockouts key on the connection's address.
   */
  ASSAY_TRUSTED_PROXIES: proxyList.default([]),
  /**
   * The web app's origin (scheme://host[:port]): the only origin a browser may call the
   * developer, agent and operator planes from with credentials (CORS). Unset: none
   * (the web server proxies the API on its own origin, which needs no CORS). The
   * public plane allows any origin without credentials either way.
   */
  ASSAY_WEB_ORIGIN: z
    .string()
    .refine((v) => {
      try {
        const u = new URL(v);
        return (u.protocol === "http:" || u.protocol === "https:") && u.origin === v.replace(/\/$/, "");
      } catch {
        return false;
      }
    }, "expected an origin: http(s)://host[:port], no path")
    .optional(),
  ASSAY_ARTIFACT_DIR: z.string().min(1).optional(),
  ASSAY_ISSUER_ID: z.string().min(1).default("assay-dev"),
  ASSAY_CERTIFICATE_VALIDITY_DAYS: positiveInt.default(365),
  /** Renewal (docs/decisions/0020): an active certificate is re-audited this many days before its validUntil. */
  ASSAY_RENEWAL_WINDOW_DAYS: positiveInt.default(30),
  ASSAY_MAX_SUBMISSION_BYTES: positiveInt.default(8 * 1024 * 1024),
  ASSAY_MAX_JSON_BYTES: positiveInt.default(256 * 1024),
  ASSAY_PUBLIC_RATE_LIMIT: positiveInt.default(600),
  ASSAY_PUBLIC_RATE_WINDOW_MS: positiveInt.default(60_000),
  /** Public certificate flags (issue 12): requests per client address per window, and open flags one source may have queued. */
  ASSAY_FLAG_RATE_LIMIT: positiveInt.default(5),
  ASSAY_FLAG_RATE_WINDOW_MS: positiveInt.default(3_600_000),
  ASSAY_FLAG_MAX_OPEN_PER_SOURCE: positiveInt.default(3),
  /** Agent activations per client address per ASSAY_AGENT_ACTIVATE_WINDOW_MS (docs/decisions/0012). */
  ASSAY_AGENT_ACTIVATE_LIMIT: positiveInt.default(20),
  ASSAY_AGENT_ACTIVATE_WINDOW_MS: positiveInt.default(600_000),
  /** Agent challenge and token requests per client address per ASSAY_AGENT_AUTH_WINDOW_MS. */
  ASSAY_AGENT_AUTH_LIMIT: positiveInt.default(120),
  ASSAY_AGENT_AUTH_WINDOW_MS: positiveInt.default(60_000),
  /** Activations and challenges per public key per ASSAY_AGENT_AUTH_WINDOW_MS (a token needs a challenge, so tokens per key are bounded too). */
  ASSAY_AGENT_KEY_LIMIT: positiveInt.default(10),
  /** Most validators waiting for admission at once; activation over it is refused (429 pending_validators_full). */
  ASSAY_MAX_PENDING_VALIDATORS: positiveInt.default(200),
  ASSAY_SESSION_TTL_SECONDS: positiveInt.default(8 * 3600),
  /** Operator login lockout (docs/decisions/0013): failures allowed before the account locks. */
  ASSAY_LOGIN_LOCKOUT_THRESHOLD: positiveInt.default(5),
  /** First lock's length; each further failure doubles it, up to ASSAY_LOGIN_LOCKOUT_MAX_SECONDS. */
  ASSAY_LOGIN_LOCKOUT_BASE_SECONDS: positiveInt.default(30),
  ASSAY_LOGIN_LOCKOUT_MAX_SECONDS: positiveInt.default(900),
  ASSAY_CHAIN_ENABLED: bool.default(false),
  /** Submissions are priced and held against the developer's credits (docs/money.md); false: a free deployment, nothing is charged. */
  ASSAY_BILLING_ENFORCED: bool.default(true),
  /**
   * On-chain deposits (docs/money.md): the confirmations a FeeDeposited log needs before it is
   * credited (default: ASSAY_CHAIN_CONFIRMATIONS). The rate is ASSAY_CHAIN_WEI_PER_CREDIT, the one
   * the Treasury's payouts use: a credit is worth the same wei going in and coming out.
   */
  ASSAY_DEPOSIT_CONFIRMATIONS: positiveInt.optional(),
  /** Default of the operator flag `assembly.required`: a passing audit convenes a validator assembly before certification. */
  ASSAY_ASSEMBLY_REQUIRED: bool.default(true),
  /**
   * How long a process may serve operator flags from its cache when it misses a
   * change notice (Redis pub/sub is the fast path; docs/architecture.md "Flags").
   */
  ASSAY_FLAGS_CACHE_TTL_MS: z.coerce.number({ message: "expected milliseconds" }).int().min(0).max(3_600_000).default(5_000),
  /**
   * Deployment defaults of the assembly parameters under the operator flags, as
   * JSON (e.g. {"reviewSeconds":5}); validated with the assembly params schema.
   * Development default: short phases for the local demo (DEV_ASSEMBLY_PARAMS).
   */
  ASSAY_ASSEMBLY_PARAMS: z.string().optional(),
  /** JSON-RPC endpoint of the chain holding the registry (docs/decisions/0010). */
  ASSAY_CHAIN_RPC_URL: url(["http:", "https:"]).default("http://127.0.0.1:8545"),
  ASSAY_CHAIN_REGISTRY: address.optional(),
  ASSAY_CHAIN_VALIDATOR_REGISTRY: address.optional(),
  ASSAY_CHAIN_TREASURY: address.optional(),
  /** Block of the registry's deployment: where event searches and the stake indexer start. */
  ASSAY_CHAIN_DEPLOYED_AT_BLOCK: z.coerce.number({ message: "expected a block number" }).int().nonnegative().default(0),
  /** Key of the account holding ISSUER_ROLE (the anchor worker's hot key); only the workers need it. */
  ASSAY_CHAIN_PRIVATE_KEY: z.string().regex(/^0x[0-9a-fA-F]{64}$/, "expected 0x + 64 hex digits").optional(),
  /** Most certificate ids per anchored Merkle batch. */
  ASSAY_ANCHOR_BATCH_MAX: positiveInt.max(4096).default(256),
  /** How often the anchor loop looks for pending certificates and revocations. */
  ASSAY_ANCHOR_INTERVAL_MS: positiveInt.default(2_000),
  /** Wei per ledger credit at the Treasury, both ways: a deposit is worth floor(wei / this) credits; validator payouts credit amount × this on chain, withdrawals are booked as wei / this (docs/money.md). Default 10^12: 1 ETH = 1,000,000 credits. */
  ASSAY_CHAIN_WEI_PER_CREDIT: z
    .string()
    .regex(/^[1-9][0-9]{0,30}$/, "expected a positive integer (wei)")
    .default("1000000000000"),
  /** Blocks past inclusion before an anchor counts as final. */
  ASSAY_CHAIN_CONFIRMATIONS: positiveInt.default(1),
  /** Serve POST /v1/public/verify before Express (docs/decisions/0006). */
  ASSAY_VERIFY_FAST_PATH: bool.default(true),
  /**
   * Verify's in-process caches (status per certificate for 1 s, result per document and second, parsed bodies).
   * Off: every verify parses, reads the status from the database and checks the signature (the bench's "uncached"; docs/decisions/0026).
   */
  ASSAY_VERIFY_CACHE: bool.default(true),
  ASSAY_CREATE_DATABASE: bool.default(true),
  /**
   * Child processes one audit runs its scenario runs in at once (docs/decisions/0025-parallel-audits.md);
   * the report is bit-identical whatever the value. Default: the machine's cores (os.availableParallelism()).
   * With ASSAY_WORKER_CONCURRENCY > 1, cores / concurrency keeps the worker from oversubscribing.
   */
  ASSAY_AUDIT_PARALLELISM: positiveInt.max(64, "at most 64").optional(),
  /**
   * Warmed-up audit child processes the worker keeps ready between audits (docs/decisions/0027-sandbox-speed.md):
   * an audit takes them instead of starting cold; each still serves one audit only. Costs ~1 s of CPU and
   * ~100 MB per spare per audit. Default 0 (off); ASSAY_AUDIT_PARALLELISM spares cover one audit.
   */
  ASSAY_AUDIT_SPARE_CHILDREN: z.coerce.number({ message: "expected a non-negative integer" }).int().min(0).max(64, "at most 64").default(0),
  ASSAY_LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
});

/** `npm start` (development): phases of seconds, so the demo certifies in about a minute. */
export const DEV_ASSEMBLY_PARAMS: AssemblyParamOverrides = { reviewSeconds: 5, commitSeconds: 20, revealSeconds: 20 };

export type DatabaseConfig = {
  url: string;
  host: string;
  port: number;
  user: string;
  password: string | undefined;
  database: string;
  /** Create the database at start-up when it does not exist. */
  createIfMissing: boolean;
};

export type AppConfig = {
  env: "development" | "test" | "production";
  repoRoot: string;
  database: DatabaseConfig;
  redis: { url: string };
  queues: { prefix: string };
  api: { host: string; port: number; publicUrl: string; trustedProxies: string[]; webOrigin: string | null };
  /** The install's state directory (generated secrets, demo credentials). */
  stateDir: string;
  /** From the environment, or generated once into <stateDir>/secrets.json (`file`). */
  secrets: { keyEncryption: string; session: string; file: string | null };
  artifacts: { dir: string };
  certificates: { issuerId: string; validityDays: number; /** ASSAY_VERIFY_CACHE (default true). */ verifyCache?: boolean };
  /** Auto-renewal of certificates (docs/decisions/0020). */
  renewal: { windowDays: number };
  limits: { maxSubmissionBytes: number; maxJsonBytes: number };
  rateLimit: {
    publicLimit: number;
    publicWindowMs: number;
    /** Unauthenticated agent routes (docs/decisions/0012). */
    agent: { activateLimit: number; activateWindowMs: number; authLimit: number; authWindowMs: number; perKeyLimit: number };
  };
  /** Validator admission (docs/decisions/0012). */
  validators: { maxPending: number };
  /** Public certificate flags: the HTTP limit per client address and the queue cap per source (issue 12). */
  certificateFlags: { rateLimit: number; rateWindowMs: number; maxOpenPerSource: number };
  sessions: { ttlSeconds: number };
  /** Per-account operator login lockout with exponential backoff. */
  loginLockout: { threshold: number; baseSeconds: number; maxSeconds: number };
  flags: { chainEnabled: boolean; verifyFastPath: boolean; assemblyRequired: boolean };
  /** The operator-flag cache of each process: TTL fallback when a pub/sub change notice is missed (0: no cache). */
  flagCache: { ttlMs: number };
  /** How audits run (the worker's audit handler). */
  audit: { parallelism: number; spareChildren: number };
  /** Credits and pricing (docs/money.md). */
  billing: {
    enforced: boolean;
    /** On-chain deposits: credits = floor(wei / weiPerCredit), credited after `confirmations` blocks (head − block + 1). */
    deposits: { weiPerCredit: bigint; confirmations: number };
  };
  /** Deployment defaults of the assembly parameters (operator flags override them). */
  assembly: { paramDefaults: AssemblyParamOverrides };
  /** The on-chain registry (used when flags.chainEnabled). */
  chain: ChainConfig;
  logLevel: "debug" | "info" | "warn" | "error" | "silent";
};

export type ChainConfig = {
  rpcUrl: string;
  /** Null when the deployment has no registry addresses (chain disabled). */
  addresses: { certificateRegistry: string; validatorRegistry: string; treasury: string } | null;
  deployedAtBlock: number;
  privateKey: string | undefined;
  anchorBatchMax: number;
  anchorIntervalMs: number;
  confirmations: number;
  /** Wei per ledger credit on the Treasury (validator payouts and withdrawals). */
  weiPerCredit: bigint;
};

export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(`invalid configuration: ${problems.map((p) => `${p.variable}: ${p.message}`).join("; ")}`);
  }
}

export type Env = Record<string, string | undefined>;

/**
 * Builds the configuration from an environment (default: process.env). Empty
 * strings count as unset. Throws ConfigError naming every bad variable.
 */
export function loadConfig(env: Env = process.env, options: { repoRoot?: string } = {}): AppConfig {
  const cleaned = Object.fromEntries(
    Object.keys(EnvSchema.shape).map((key) => [key, env[key] === "" ? undefined : env[key]]),
  );
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({ variable: String(issue.path[0] ?? "environment"), message: issue.message })),
    );
  }
  const e = parsed.data;
  const problems: { variable: string; message: string }[] = [];
  if (e.NODE_ENV === "production") {
    // Every instance of a deployment must share them, so production never generates its own.
    for (const variable of ["ASSAY_KEY_ENCRYPTION_SECRET", "ASSAY_SESSION_SECRET"] as const) {
      if (e[variable] === undefined) problems.push({ variable, message: "must be set in production (at least 32 random characters)" });
    }
  }
  let assemblyParams: AssemblyParamOverrides = e.NODE_ENV === "development" ? DEV_ASSEMBLY_PARAMS : {};
  if (e.ASSAY_ASSEMBLY_PARAMS !== undefined) {
    let parsedParams: unknown;
    try {
      parsedParams = JSON.parse(e.ASSAY_ASSEMBLY_PARAMS);
    } catch {
      parsedParams = undefined;
    }
    const checked = AssemblyParamOverrides.safeParse(parsedParams);
    if (checked.success) assemblyParams = checked.data;
    else problems.push({ variable: "ASSAY_ASSEMBLY_PARAMS", message: "expected a JSON object of assembly parameters (docs/assembly.md)" });
  }
  const dbUrl = new URL(e.DATABASE_URL);
  const database = decodeURIComponent(dbUrl.pathname.replace(/^\//, ""));
  if (!/^[A-Za-z0-9_]{1,63}$/.test(database)) {
    problems.push({ variable: "DATABASE_URL", message: "must name a database (letters, digits, underscore)" });
  }
  if (e.ASSAY_CHAIN_ENABLED) {
    for (const variable of ["ASSAY_CHAIN_REGISTRY", "ASSAY_CHAIN_VALIDATOR_REGISTRY", "ASSAY_CHAIN_TREASURY"] as const) {
      if (e[variable] === undefined) problems.push({ variable, message: "must be set when ASSAY_CHAIN_ENABLED is true" });
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const repoRoot = options.repoRoot ?? findRepoRoot(__dirname);
  const stateDir = e.ASSAY_STATE_DIR ? (isAbsolute(e.ASSAY_STATE_DIR) ? e.ASSAY_STATE_DIR : resolve(repoRoot, e.ASSAY_STATE_DIR)) : join(repoRoot, ".assay");
  const secrets = resolveSecrets(e.ASSAY_SESSION_SECRET, e.ASSAY_KEY_ENCRYPTION_SECRET, stateDir);
  const artifactDir = e.ASSAY_ARTIFACT_DIR ?? join(".assay", "artifacts");
  return {
    env: e.NODE_ENV,
    repoRoot,
    database: {
      url: e.DATABASE_URL,
      host: dbUrl.hostname || "127.0.0.1",
      port: dbUrl.port ? Number(dbUrl.port) : 5432,
      user: decodeURIComponent(dbUrl.username) || "postgres",
      password: dbUrl.password ? decodeURIComponent(dbUrl.password) : undefined,
      database,
      createIfMissing: e.ASSAY_CREATE_DATABASE,
    },
    redis: { url: e.REDIS_URL },
    queues: { prefix: e.ASSAY_QUEUE_PREFIX },
    api: {
      host: e.ASSAY_API_HOST,
      port: e.ASSAY_API_PORT,
      publicUrl: (e.ASSAY_PUBLIC_URL ?? `http://127.0.0.1:${e.ASSAY_API_PORT}`).replace(/\/$/, ""),
      trustedProxies: e.ASSAY_TRUSTED_PROXIES,
      webOrigin: e.ASSAY_WEB_ORIGIN ? new URL(e.ASSAY_WEB_ORIGIN).origin : null,
    },
    stateDir,
    secrets,
    // Why resolve against the repo root: the API and the workers run with
    // different working directories and must agree on one artifact store.
    artifacts: { dir: isAbsolute(artifactDir) ? artifactDir : resolve(repoRoot, artifactDir) },
    certificates: { issuerId: e.ASSAY_ISSUER_ID, validityDays: e.ASSAY_CERTIFICATE_VALIDITY_DAYS, verifyCache: e.ASSAY_VERIFY_CACHE },
    renewal: { windowDays: e.ASSAY_RENEWAL_WINDOW_DAYS },
    limits: { maxSubmissionBytes: e.ASSAY_MAX_SUBMISSION_BYTES, maxJsonBytes: e.ASSAY_MAX_JSON_BYTES },
    rateLimit: {
      publicLimit: e.ASSAY_PUBLIC_RATE_LIMIT,
      publicWindowMs: e.ASSAY_PUBLIC_RATE_WINDOW_MS,
      agent: {
        activateLimit: e.ASSAY_AGENT_ACTIVATE_LIMIT,
        activateWindowMs: e.ASSAY_AGENT_ACTIVATE_WINDOW_MS,
        authLimit: e.ASSAY_AGENT_AUTH_LIMIT,
        authWindowMs: e.ASSAY_AGENT_AUTH_WINDOW_MS,
        perKeyLimit: e.ASSAY_AGENT_KEY_LIMIT,
      },
    },
    validators: { maxPending: e.ASSAY_MAX_PENDING_VALIDATORS },
    certificateFlags: { rateLimit: e.ASSAY_FLAG_RATE_LIMIT, rateWindowMs: e.ASSAY_FLAG_RATE_WINDOW_MS, maxOpenPerSource: e.ASSAY_FLAG_MAX_OPEN_PER_SOURCE },
    sessions: { ttlSeconds: e.ASSAY_SESSION_TTL_SECONDS },
    loginLockout: { threshold: e.ASSAY_LOGIN_LOCKOUT_THRESHOLD, baseSeconds: e.ASSAY_LOGIN_LOCKOUT_BASE_SECONDS, maxSeconds: e.ASSAY_LOGIN_LOCKOUT_MAX_SECONDS },
    flags: { chainEnabled: e.ASSAY_CHAIN_ENABLED, verifyFastPath: e.ASSAY_VERIFY_FAST_PATH, assemblyRequired: e.ASSAY_ASSEMBLY_REQUIRED },
    flagCache: { ttlMs: e.ASSAY_FLAGS_CACHE_TTL_MS },
    audit: { parallelism: e.ASSAY_AUDIT_PARALLELISM ?? Math.max(1, availableParallelism()), spareChildren: e.ASSAY_AUDIT_SPARE_CHILDREN },
    billing: {
      enforced: e.ASSAY_BILLING_ENFORCED,
      deposits: { weiPerCredit: BigInt(e.ASSAY_CHAIN_WEI_PER_CREDIT), confirmations: e.ASSAY_DEPOSIT_CONFIRMATIONS ?? e.ASSAY_CHAIN_CONFIRMATIONS },
    },
    assembly: { paramDefaults: assemblyParams },
    chain: {
      rpcUrl: e.ASSAY_CHAIN_RPC_URL,
      addresses:
        e.ASSAY_CHAIN_REGISTRY && e.ASSAY_CHAIN_VALIDATOR_REGISTRY && e.ASSAY_CHAIN_TREASURY
          ? { certificateRegistry: e.ASSAY_CHAIN_REGISTRY, validatorRegistry: e.ASSAY_CHAIN_VALIDATOR_REGISTRY, treasury: e.ASSAY_CHAIN_TREASURY }
          : null,
      deployedAtBlock: e.ASSAY_CHAIN_DEPLOYED_AT_BLOCK,
      privateKey: e.ASSAY_CHAIN_PRIVATE_KEY,
      anchorBatchMax: e.ASSAY_ANCHOR_BATCH_MAX,
      anchorIntervalMs: e.ASSAY_ANCHOR_INTERVAL_MS,
      confirmations: e.ASSAY_CHAIN_CONFIRMATIONS,
      weiPerCredit: BigInt(e.ASSAY_CHAIN_WEI_PER_CREDIT),
    },
    logLevel: e.ASSAY_LOG_LEVEL,
  };
}

/** Secrets from the environment where set, the rest from the install's secrets file (generated on first use). */
function resolveSecrets(session: string | undefined, keyEncryption: string | undefined, stateDir: string): AppConfig["secrets"] {
  if (session !== undefined && keyEncryption !== undefined) return { session, keyEncryption, file: null };
  try {
    const stored = loadOrCreateInstallSecrets(stateDir);
    return { session: session ?? stored.sessionSecret, keyEncryption: keyEncryption ?? stored.keyEncryptionSecret, file: stored.path };
  } catch (error) {
    if (error instanceof InstallSecretsError || (error as NodeJS.ErrnoException).code !== undefined) {
      throw new ConfigError([{ variable: "ASSAY_STATE_DIR", message: `cannot keep the generated secrets: ${(error as Error).message}` }]);
    }
    throw error;
  }
}

/** The same configuration pointing at another database (tests, tools). */
export function withDatabase(config: AppConfig, database: string): AppConfig {
  const url = new URL(config.database.url);
  url.pathname = `/${database}`;
  return { ...config, database: { ...config.database, url: url.toString(), database } };
}

/** The nearest ancestor directory whose package.json declares workspaces. */
export function findRepoRoot(start: string): string {
  let dir = resolve(start);
  for (;;) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) {
      try {
        if (JSON.parse(readFileSync(manifest, "utf8")).workspaces) return dir;
      } catch {
        // unreadable package.json: keep walking up
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

/** The names of the variables the configuration reads (documentation, tests). */
export const CONFIG_VARIABLES = Object.keys(EnvSchema.shape);
