import { ConfigError, DEV_KEY_ENCRYPTION_SECRET, loadConfig, withDatabase } from "../src/config/config";

describe("loadConfig", () => {
  it("needs no environment at all in development", () => {
    const config = loadConfig({});
    expect(config.env).toBe("development");
    expect(config.database).toMatchObject({ host: "127.0.0.1", port: 5432, user: "postgres", database: "assay", createIfMissing: true });
    expect(config.redis.url).toBe("redis://127.0.0.1:6379");
    expect(config.api.port).toBe(3000);
    expect(config.api.publicUrl).toBe("http://127.0.0.1:3000");
    expect(config.secrets.keyEncryption).toBe(DEV_KEY_ENCRYPTION_SECRET);
    expect(config.artifacts.dir.endsWith("/.assay/artifacts")).toBe(true);
    expect(config.flags.chainEnabled).toBe(false);
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

  it("refuses the development secrets in production", () => {
    expect(() => loadConfig({ NODE_ENV: "production" })).toThrow(/ASSAY_KEY_ENCRYPTION_SECRET.*ASSAY_SESSION_SECRET/);
    const ok = loadConfig({ NODE_ENV: "production", ASSAY_KEY_ENCRYPTION_SECRET: "k".repeat(40), ASSAY_SESSION_SECRET: "s".repeat(40) });
    expect(ok.env).toBe("production");
  });

  it("parses database URLs into discrete connection settings", () => {
    const config = loadConfig({ DATABASE_URL: "postgresql://alice:p%40ss@db.internal:6543/assay_prod" });
    expect(config.database).toMatchObject({ host: "db.internal", port: 6543, user: "alice", password: "p@ss", database: "assay_prod" });
    expect(withDatabase(config, "other").database.url).toBe("postgresql://alice:p%40ss@db.internal:6543/other");
  });
});
