// `assay search` against the real API (apps/api createApp over a fresh
// PostgreSQL database): filters, pages (--cursor, --all), --json parsed with the
// protocol's schema, exit codes (0 matches, 1 none, 2 bad usage or an
// unreachable API), and a hostile runtime name that cannot reach the terminal
// as control characters.
import { createServer, type AddressInfo } from "node:net";
import { BullJobPublisher, createTestEnvironment, sampleManifest, samplePackedRuntime, sampleUnsignedCertificate, type TestEnvironment } from "@assay/platform";
import { createApp, type ApiApp } from "@assay/api";
import { RegistryPageSchema } from "@assay/protocol";
import { removeTempDirs, runCli, tempDir, type CliResult } from "./helpers";

jest.setTimeout(120_000);

let env: TestEnvironment;
let app: ApiApp;
let url: string;
let home: string;
const ids: string[] = [];

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  env = createTestEnvironment({ ASSAY_PUBLIC_URL: url });
  app = await createApp(env.config, { publisher: new BullJobPublisher(env.config.redis.url, env.queuePrefix) });
  await app.app.listen(port, "127.0.0.1");
  const { platform } = app;
  const names = ["drift-guard", "drift-sentinel", "keeper\u001b[31mRED", "attractor"];
  for (const [i, name] of names.entries()) {
    const developer = await platform.developers.create({ email: `s-${i}-${Date.now()}@example.com`, name: "S" });
    const submission = await platform.submissions.create(developer.id, samplePackedRuntime({ manifest: sampleManifest({ name: `runtime-${i}` }), entrySource: `export const n = ${i};` }));
    await platform.submissions.transition(submission.id, "auditing", { actor: "test" });
    await platform.submissions.transition(submission.id, "in_assembly", { actor: "test" });
    const unsigned = sampleUnsignedCertificate({ name, version: `1.${i}.0`, digest: submission.subjectDigest });
    if (i % 2 === 1) {
      unsigned.claims = ["SRIP-03", "SRIP-05", "SRIP-13"];
      unsigned.claimsNotGranted = [];
    }
    ids.push((await platform.certificates.issue(submission.id, unsigned, "test")).id);
  }
  await platform.certificates.changeStatus(ids[1]!, "revoked", { reasonCode: "key_compromise", actor: "test" });
  home = tempDir("assay-home-");
});

afterAll(async () => {
  await app.close();
  await env.cleanup();
  removeTempDirs();
});

function assay(args: string[], apiUrl = url): Promise<CliResult> {
  return runCli(args, { env: { HOME: home, XDG_CONFIG_HOME: "", XDG_CACHE_HOME: "", NO_COLOR: "1", ASSAY_API_URL: apiUrl, ASSAY_API_KEY: "" } });
}

describe("assay search", () => {
  it("--json prints the registry page (protocol schema) with the filters applied; no API key needed", async () => {
    const result = await assay(["search", "DRIFT", "--json"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const page = RegistryPageSchema.parse(JSON.parse(result.stdout));
    expect(page.items.map((i) => i.runtime.name).sort()).toEqual(["drift-guard", "drift-sentinel"]);

    const claim = RegistryPageSchema.parse(JSON.parse((await assay(["search", "--claim", "srip-13", "--json"])).stdout));
    expect(claim.items.map((i) => i.id).sort()).toEqual([ids[1], ids[3]].sort());

    const revoked = RegistryPageSchema.parse(JSON.parse((await assay(["search", "--status", "revoked", "--json"])).stdout));
    expect(revoked.items.map((i) => [i.id, i.status, i.statusReason])).toEqual([[ids[1], "revoked", "key_compromise"]]);

    const suite = RegistryPageSchema.parse(JSON.parse((await assay(["search", "--suite", "core", "--suite-version", "1.0.0", "--issued-from", "2000-01-01", "--json"])).stdout));
    expect(suite.items).toHaveLength(4);
  });

  it("pages with --limit and --cursor, and --all follows every page", async () => {
    const first = RegistryPageSchema.parse(JSON.parse((await assay(["search", "--limit", "3", "--json"])).stdout));
    expect(first.items).toHaveLength(3);
    expect(first.nextCursor).not.toBeNull();
    const second = RegistryPageSchema.parse(JSON.parse((await assay(["search", "--limit", "3", "--cursor", first.nextCursor!, "--json"])).stdout));
    expect(second.nextCursor).toBeNull();
    const paged = [...first.items, ...second.items].map((i) => i.id);
    const all = RegistryPageSchema.parse(JSON.parse((await assay(["search", "--limit", "1", "--all", "--json"])).stdout));
    expect(all.items.map((i) => i.id)).toEqual(paged);
    expect(all.nextCursor).toBeNull();
    expect(new Set(paged)).toEqual(new Set(ids));
  });

  it("prints a table without the control characters of a hostile name, and says how to get more", async () => {
    const result = await assay(["search", "--limit", "2"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^CERTIFICATE\s+RUNTIME\s+VERSION\s+STATUS\s+CLAIMS/);
    expect(result.stdout).toContain("more: --cursor ");
    const keeper = await assay(["search", "keeper"]);
    expect(keeper.stdout).not.toContain("\u001b");
    expect(keeper.stdout).toContain("keeper\ufffd[31mRED");
    expect(keeper.stdout).toContain("SRIP-03 · SRIP-05");
  });

  it("exits 1 when nothing matches, 2 on a bad filter (before any request) or an unreachable API", async () => {
    const none = await assay(["search", "no-such-runtime", "--json"]);
    expect(none.code).toBe(1);
    expect(JSON.parse(none.stdout)).toEqual({ items: [], nextCursor: null });

    for (const args of [
      ["search", "--claim", "SRIP-X"],
      ["search", "--status", "active"],
      ["search", "--limit", "0"],
      ["search", "--issued-from", "2026-02-30"],
      ["search", "--all", "--cursor", "abc"],
    ]) {
      const bad = await assay([...args, "--json"], "http://127.0.0.1:9");
      expect({ args, code: bad.code, stdout: bad.stdout }).toEqual({ args, code: 2, stdout: "" });
      expect(bad.stderr).toMatch(/^assay: /m);
    }
    const cursor = await assay(["search", "--cursor", "not-a-cursor", "--json"]);
    expect(cursor.code).toBe(2);
    expect(cursor.stderr).toMatch(/cursor/);
    const unreachable = await assay(["search", "--json"], "http://127.0.0.1:9");
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toMatch(/cannot reach the Assay API/);
  });
});
