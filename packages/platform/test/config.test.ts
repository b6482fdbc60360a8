import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { ConfigError, loadConfig, withDatabase } from "../src/config/config";
import { LEGACY_DEV_KEY_ENCRYPTION_SECRET, LEGACY_DEV_SESSION_SECRET } from "../src/testing";

const dirs: string[] = [];
const stateDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "assay-state-"));
  dirs.push(dir);
  return join(dir, "state");
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe("loadConfig", () => {
  it("needs no environment at all in development", () => {
    const config = loadConfig({ ASSAY_STATE_DIR: stateDir() });
    expect(config.env).toBe("development");
    expect(config.database).toMatchObject({ host: "127.0.0.1", port: 5432, user: "postgres", database: "assay", createIfMissing: true });
    expect(config.redis.url).toBe("redis://127.0.0.1:6379");
    expect(config.api.port).toBe(3000);
    expect(config.api.publicUrl).toBe("http://127.0.0.1:3000");
    expect(config.secrets.file).toBe(join(config.stateDir, "secrets.json"));
    expect(config.artifacts.dir.endsWith("/.assay/artifacts")).toBe(true);
    expect(config.flags.chainEnabled).toBe(false);
    expect(config.audit.parallelism).toBe(Math.max(1, availableParallelism()));
  });

  it("reads the audit parallelism (ASSAY_AUDIT_PARALLELISM) and refuses a bad one", () => {
    expect(loadConfig({ ASSAY_STATE_DIR: stateDir(), ASSAY_AUDIT_PARALLELISM: "3" }).audit.parallelism).toBe(3);
    for (const bad of ["0", "-2", "1.5", "many", "65"]) {
      expect(() => loadConfig({ ASSAY_STATE_DIR: stateDir(), ASSAY_AUDIT_PARALLELISM: bad })).toThrow(/ASSAY_AUDIT_PARALLELISM/);
    }
  });

  it("reads the spare audit children (ASSAY_AUDIT_SPARE_CHILDREN, default 0) and refuses a bad count", () => {
    expect(loadConfig({ ASSAY_STATE_DIR: stateDir() }).audit.spareChildren).toBe(0);
    expect(loadConfig({ ASSAY_STATE_DIR: stateDir(), ASSAY_AUDIT_SPARE_CHILDREN: "2" }).audit.spareChildren).toBe(2);
    for (const bad of ["-1", "1.5", "many", "65"]) {
      expect(() => loadConfig({ ASSAY_STATE_DIR: stateDir(), ASSAY_AUDIT_SPARE_CHILDREN: bad })).toThrow(/ASSAY_AUDIT_SPARE_CHILDREN/);
    }
  });

  it("resolves the artifact directory against the repository root, not the working directory", () => {
    const config = loadConfig({ ASSAY_ARTIFACT_DIR: "blobs" }, { repoRoot: "/srv/assay" });
    expect(config.artifacts.dir).toBe("/srv/assay/blobs");
  });

  it.each([
    ["ASSAY_API_PORT", "not-a-port"],
    ["ASSAY_API_PORT", "70000"],
    ["DATABASE_URL", "mysql://localhost/db"],
    ["REDIS_URL", "not a url"],
    ["ASSAY_KEY_ENCRYPTION_SECRET", "short"],
    ["ASSAY_CHAIN_ENABLED", "maybe"],
    ["ASSAY_MAX_SUBMISSION_BYTES", "-1"],
    ["NODE_ENV", "staging"],
  ])("a bad %s stops start-up naming the variable", (variable, value) => {
    let error: unknown;
    try {
      loadConfig({ [variable]: value });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.variable)).toEqual([variable]);
    expect((error as Error).message).toContain(variable);
  });

  it("production needs both secrets in the environment and never generates them", () => {
    const dir = stateDir();
    expect(() => loadConfig({ NODE_ENV: "production", ASSAY_STATE_DIR: dir })).toThrow(/ASSAY_KEY_ENCRYPTION_SECRET.*ASSAY_SESSION_SECRET/);
    const ok = loadConfig({ NODE_ENV: "production", ASSAY_STATE_DIR: dir, ASSAY_KEY_ENCRYPTION_SECRET: "k".repeat(40), ASSAY_SESSION_SECRET: "s".repeat(40) });
    expect(ok.env).toBe("production");
    expect(ok.secrets).toEqual({ keyEncryption: "k".repeat(40), session: "s".repeat(40), file: null });
    expect(() => statSync(join(dir, "secrets.json"))).toThrow();
  });

  it("a fresh install generates random secrets once (0600), reuses them on restart, and has no public default", () => {
    const dir = stateDir();
    const first = loadConfig({ ASSAY_STATE_DIR: dir });
    const file = join(dir, "secrets.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(first.secrets.session).not.toBe(first.secrets.keyEncryption);
    for (const value of [first.secrets.session, first.secrets.keyEncryption]) {
      expect(value.length).toBeGreaterThanOrEqual(43);
      expect([LEGACY_DEV_SESSION_SECRET, LEGACY_DEV_KEY_ENCRYPTION_SECRET]).not.toContain(value);
    }
    const again = loadConfig({ ASSAY_STATE_DIR: dir, NODE_ENV: "test" });
    expect(again.secrets).toEqual(first.secrets);
    const other = loadConfig({ ASSAY_STATE_DIR: stateDir() });
    expect(other.secrets.session).not.toBe(first.secrets.session);
    // The environment wins, variable by variable.
    const mixed = loadConfig({ ASSAY_STATE_DIR: dir, ASSAY_SESSION_SECRET: "e".repeat(40) });
    expect(mixed.secrets).toEqual({ session: "e".repeat(40), keyEncryption: first.secrets.keyEncryption, file });
  });

  it("processes starting together agree on one generated file", async () => {
    const dir = stateDir();
    const script = `const { loadConfig } = require(${JSON.stringify(join(__dirname, "../src/config/config.ts"))}); process.stdout.write(loadConfig({ ASSAY_STATE_DIR: ${JSON.stringify(dir)} }).secrets.session);`;
    const run = () => promisify(execFile)(process.execPath, ["--import", "tsx", "-e", script], { cwd: join(__dirname, "..") }).then((r) => r.stdout);
    const sessions = await Promise.all([run(), run(), run()]);
    expect(new Set(sessions).size).toBe(1);
    expect(JSON.parse(readFileSync(join(dir, "secrets.json"), "utf8")).sessionSecret).toBe(sessions[0]);
  }, 60_000);

  it("an unusable secrets file stops start-up with a ConfigError naming it", () => {
    const dir = stateDir();
    loadConfig({ ASSAY_STATE_DIR: dir });
    const file = join(dir, "secrets.json");
    chmodSync(file, 0o644);
    expect(() => loadConfig({ ASSAY_STATE_DIR: dir })).toThrow(/readable by other users/);
    chmodSync(file, 0o600);
    writeFileSync(file, "{}");
    expect(() => loadConfig({ ASSAY_STATE_DIR: dir })).toThrow(ConfigError);
  });

  it("trusted proxies: default none; IPs and CIDR blocks; anything else names the variable", () => {
    const dir = stateDir();
    expect(loadConfig({ ASSAY_STATE_DIR: dir }).api.trustedProxies).toEqual([]);
    expect(loadConfig({ ASSAY_STATE_DIR: dir, ASSAY_TRUSTED_PROXIES: "10.0.0.0/8, 127.0.0.1,::1,fd00::/8" }).api.trustedProxies).toEqual(["10.0.0.0/8", "127.0.0.1", "::1", "fd00::/8"]);
    for (const bad of ["loopback", "10.0.0.0/33", "1.2.3", "*"]) {
      expect(() => loadConfig({ ASSAY_STATE_DIR: dir, ASSAY_TRUSTED_PROXIES: bad })).toThrow(/ASSAY_TRUSTED_PROXIES/);
    }
  });

  it("parses database URLs into discrete connection settings", () => {
    const config = loadConfig({ DATABASE_URL: "postgresql://alice:p%40ss@db.internal:6543/assay_prod" });
    expect(config.database).toMatchObject({ host: "db.internal", port: 6543, user: "alice", password: "p@ss", database: "assay_prod" });
    expect(withDatabase(config, "other").database.url).toBe("postgresql://alice:p%40ss@db.internal:6543/other");
  });
});
