// The platform commands against the real API (apps/api createApp) over a fresh
// PostgreSQL database and Redis (as apps/api's own tests run it): login, submit,
// status, certificate and verify end to end. No worker runs here: the test moves
// the submission through its states with the platform's services and issues the
// certificate with the platform's signing key, as the workers would.
import { createServer, type AddressInfo } from "node:net";
import { join } from "node:path";
import { readFileSync } from "node:fs";
import { Queue } from "bullmq";
import { BullJobPublisher, createRedisConnection, createTestEnvironment, sampleUnsignedCertificate, type TestEnvironment } from "@assay/platform";
import { createApp, type ApiApp } from "@assay/api";
import { CERTIFICATE_CHECKS, LOG_CHECK_NAMES, STATUS_LIST_CHECK_NAME } from "@assay/protocol";
import { z } from "zod";
import { loadRuntimeDirectory } from "../src/runtime-dir";
import { REPO_ROOT, removeTempDirs, runCli, tempDir, type CliResult } from "./helpers";

jest.setTimeout(90_000);

/** `assay verify --json`: the certificate's checks, then the transparency log's. */
const VerifyJsonSchema = z.object({ valid: z.boolean(), checks: z.array(z.object({ name: z.string(), ok: z.boolean(), detail: z.string() })) });

const REFERENCE = join(REPO_ROOT, "examples/runtimes/reference");

let env: TestEnvironment;
let app: ApiApp;
let url: string;
let apiKey: string;
let developerId: string;
let home: string;

beforeAll(async () => {
  // discovery names the JWKS by the configured public URL, so the port is chosen first.
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  env = createTestEnvironment({ ASSAY_PUBLIC_URL: url, ASSAY_ISSUER_ID: "assay:issuer:cli-real-api" });
  app = await createApp(env.config, { publisher: new BullJobPublisher(env.config.redis.url, env.queuePrefix) });
  await app.app.listen(port, "127.0.0.1");
  const developer = await app.platform.developers.create({ email: `cli-${Date.now()}@example.com`, name: "CLI Test" });
  developerId = developer.id;
  apiKey = (await app.platform.apiKeys.create(developer.id, "cli")).key;
  home = tempDir("assay-home-");
});

afterAll(async () => {
  const redis = createRedisConnection(env.config.redis.url, { forWorker: true });
  const queue = new Queue("audit", { connection: redis, prefix: env.queuePrefix });
  await queue.obliterate({ force: true }).catch(() => undefined);
  await queue.close();
  redis.disconnect();
  await app.close();
  await env.cleanup();
  removeTempDirs();
});

function assay(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return runCli(args, { env: { HOME: home, XDG_CONFIG_HOME: "", XDG_CACHE_HOME: "", NO_COLOR: "1", ASSAY_API_URL: "", ASSAY_API_KEY: "", ...extraEnv } });
}

describe("assay against the real API", () => {
  it("login → submit → status → certificate → verify", async () => {
    const login = await assay(["login", "--api-url", url, "--api-key", apiKey, "--json"]);
    expect(login.stderr).toBe("");
    expect(login.code).toBe(0);
    expect(JSON.parse(login.stdout)).toMatchObject({ apiUrl: url, developer: { id: developerId, name: "CLI Test" } });

    const submit = await assay(["submit", REFERENCE, "--json"]);
    expect(submit.stderr).toBe("");
    expect(submit.code).toBe(0);
    const created = JSON.parse(submit.stdout) as { id: string; status: string };
    expect(created.status).toBe("received");
    const runtime = await loadRuntimeDirectory(REFERENCE);
    const stored = await app.platform.submissions.get(created.id);
    expect(stored.subjectDigest).toBe(runtime.subjectDigest);

    const received = await assay(["status", created.id, "--json"]);
    expect(JSON.parse(received.stdout)).toEqual({ id: created.id, status: "received" });

    // Watch while the audit and assembly workers' work happens (done here with the platform's services).
    const watching = assay(["status", created.id, "--watch"], { ASSAY_POLL_INTERVAL_MS: "100" });
    await sleep(1500);
    await app.platform.submissions.transition(created.id, "auditing", { actor: "test" });
    await sleep(800);
    await app.platform.submissions.transition(created.id, "in_assembly", { actor: "test" });
    await sleep(800);
    const document = await app.platform.certificates.issue(
      created.id,
      sampleUnsignedCertificate({ name: runtime.manifest.name, version: runtime.manifest.version, digest: runtime.subjectDigest }),
      "test",
    );
    const watched = await watching;
    expect(watched.code).toBe(0);
    expect(watched.stdout).toBe(`${created.id} certified\n  certificate  ${document.id}\n`);
    // A watcher samples the submission (SSE of a DB-polled view), so a state that
    // lasts less than one poll may be skipped under load: the states it reports
    // must follow the state machine's order and end certified with the certificate.
    const seen = [...watched.stderr.matchAll(new RegExp(`submission ${created.id}: (\\w+)`, "g"))].map((m) => m[1]!);
    const order = ["received", "auditing", "in_assembly", "certified"];
    expect(seen.map((state) => order.indexOf(state))).toEqual([...seen.map((state) => order.indexOf(state))].sort((a, b) => a - b));
    expect(seen.filter((state) => !order.includes(state))).toEqual([]);
    expect(seen.at(-1)).toBe("certified");
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(watched.stderr).toContain(`submission ${created.id}: certified certificate ${document.id}\n`);

    const certified = await assay(["status", created.id, "--watch", "--json"]);
    expect(certified.code).toBe(0);
    expect(JSON.parse(certified.stdout)).toEqual({ id: created.id, status: "certified", certificateId: document.id });

    const out = join(tempDir(), "certificate.json");
    const certificate = await assay(["certificate", created.id, "--out", out]);
    expect(certificate.code).toBe(0);
    expect(JSON.parse(readFileSync(out, "utf8"))).toEqual(JSON.parse(JSON.stringify(document)));

    const verify = await assay(["verify", out, "--artifact", REFERENCE, "--json"]);
    expect(verify.stderr).toBe("");
    const result = VerifyJsonSchema.parse(JSON.parse(verify.stdout));
    expect(result.checks.map((c) => c.name)).toEqual([...CERTIFICATE_CHECKS, STATUS_LIST_CHECK_NAME, ...LOG_CHECK_NAMES]);
    expect(result.checks.filter((c) => !c.ok)).toEqual([]);
    expect(verify.code).toBe(0);

    // The operator revokes it: the status check fails, exit 1.
    await app.platform.certificates.changeStatus(document.id, "revoked", { reasonCode: "key_compromise", actor: "test" });
    const revoked = await assay(["verify", document.id, "--json"]);
    expect(revoked.code).toBe(1);
    expect(VerifyJsonSchema.parse(JSON.parse(revoked.stdout)).checks.filter((c) => !c.ok)).toEqual([
      { name: "status", ok: false, detail: "revoked: key_compromise" },
    ]);
  });

  it("a rejected API key is exit 2 with the message naming it", async () => {
    const result = await assay(["status", "3f2c0000-0000-4000-8000-000000000000", "--json"], { ASSAY_API_URL: url, ASSAY_API_KEY: "ak_000000000000_0000000000000000000000000000000000000000000" });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`API key rejected by ${url.replace(/\./g, "\\.")}`));
  });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
