// `assay verify` and the status list (docs/decisions/0022) against the real API,
// a real worker (its repeatable statusList job on Redis) and PostgreSQL: a
// suspended or revoked certificate's bit is set after the worker's next
// publication and `assay verify` names the status-list check; an untouched one
// passes; offline, the cached (or a saved) list answers for the status; a
// tampered list fails its signature.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { join } from "node:path";
import { z } from "zod";
import { BullJobPublisher, createTestEnvironment, JOB_NAMES, samplePackedRuntime, sampleUnsignedCertificate, type TestEnvironment } from "@assay/platform";
import { createApp, type ApiApp } from "@assay/api";
import { startWorkerApp, defaultHandlers, type WorkerApp } from "@assay/worker";
import { bitstringOf, canonicalBytes, encodeBitstring, type CertificateDocument, type StatusListResponse } from "@assay/protocol";
import { removeTempDirs, runCli, tempDir, type CliResult } from "./helpers";

jest.setTimeout(180_000);

let env: TestEnvironment;
let app: ApiApp;
let worker: WorkerApp;
let url: string;
let developerId: string;

beforeAll(async () => {
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  env = createTestEnvironment({ ASSAY_PUBLIC_URL: url, ASSAY_ISSUER_ID: "assay:issuer:cli-status" });
  const config = { ...env.config, queues: { prefix: env.queuePrefix } };
  app = await createApp(config, { publisher: new BullJobPublisher(config.redis.url, env.queuePrefix) });
  await app.app.listen(port, "127.0.0.1");
  worker = await startWorkerApp(
    {
      app: config,
      worker: {
        queuePrefix: env.queuePrefix,
        concurrency: 1,
        lockDurationMs: 5_000,
        stalledIntervalMs: 2_000,
        reconcileIntervalMs: 1_000,
        reconcileQuietMs: 5_000,
        expiryIntervalMs: 60_000,
        renewalIntervalMs: 60_000,
        statusList: { intervalMs: 400, validityMs: 86_400_000, refreshMs: 3_600_000 },
      },
    },
    {
      log: () => undefined,
      reconcile: false,
      chainLoops: false,
      expirySchedule: false,
      // The test moves its submissions by hand: no real audit may race it.
      handlers: (services) => ({ ...defaultHandlers(services), audit: { name: "audit", handle: async () => ({ result: "not_audited_in_this_test" }) } }),
    },
  );
  developerId = (await app.platform.developers.create({ email: `status-${Date.now()}@example.com`, name: "Status" })).id;
});

afterAll(async () => {
  await worker?.close();
  const publisher = new BullJobPublisher(env.config.redis.url, env.queuePrefix);
  for (const name of JOB_NAMES) await publisher.queue(name).obliterate({ force: true }).catch(() => undefined);
  await publisher.close();
  await app?.close().catch(() => undefined);
  await env?.cleanup();
  removeTempDirs();
});

const VerifyJsonSchema = z.object({ valid: z.boolean(), checks: z.array(z.object({ name: z.string(), ok: z.boolean(), detail: z.string() })) });
const parsed = (result: CliResult) => VerifyJsonSchema.parse(JSON.parse(result.stdout));
const check = (result: CliResult, name: string) => parsed(result).checks.find((c) => c.name === name);
const failing = (result: CliResult) => parsed(result).checks.filter((c) => !c.ok).map((c) => c.name);

function assay(home: string, args: string[]): Promise<CliResult> {
  return runCli(args, { env: { HOME: home, XDG_CONFIG_HOME: "", XDG_CACHE_HOME: "", XDG_STATE_HOME: "", NO_COLOR: "1", ASSAY_API_URL: url, ASSAY_API_KEY: "" } });
}

let counter = 0;
async function certify(): Promise<CertificateDocument> {
  const sub = await app.platform.submissions.create(developerId, samplePackedRuntime({ entrySource: `export const s = ${++counter};` }));
  await app.platform.submissions.transition(sub.id, "auditing", { actor: "test" });
  await app.platform.submissions.transition(sub.id, "in_assembly", { actor: "test" });
  return app.platform.certificates.issue(sub.id, sampleUnsignedCertificate({ name: sub.runtime.name, version: sub.runtime.version, digest: sub.subjectDigest }), "test");
}

function file(value: unknown, name = "document.json"): string {
  const path = join(tempDir(), name);
  writeFileSync(path, typeof value === "string" ? value : JSON.stringify(value, null, 2));
  return path;
}

async function latestSequence(): Promise<number> {
  const row = await app.platform.db.statusListPublication.findFirst({ orderBy: { sequence: "desc" } });
  return row?.sequence ?? 0;
}

async function waitFor(condition: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function fetchList(): Promise<StatusListResponse> {
  const response = await fetch(`${url}/v1/public/status-list`);
  expect(response.status).toBe(200);
  expect(response.headers.get("cache-control")).toMatch(/^public, max-age=([1-5]?[0-9]|60)$/);
  expect(response.headers.get("etag")).toMatch(/^"status-list-\d+"$/);
  return (await response.json()) as StatusListResponse;
}

it("bits follow suspensions and revocations after the worker's next publication; verify names status-list; offline the list answers; a tampered list is refused", async () => {
  const home = tempDir("assay-status-home-");
  const kept = await certify();
  const suspended = await certify();
  const revoked = await certify();
  await waitFor(async () => (await latestSequence()) >= 1, "the worker's first publication");

  const untouched = await assay(home, ["verify", file(kept), "--json"]);
  expect(untouched.stderr).toBe("");
  expect(untouched.code).toBe(0);
  expect(check(untouched, "status-list")).toMatchObject({ ok: true, detail: expect.stringMatching(/^not revoked or suspended: bit clear at index \d+ of list #\d+ .*\(fetched from http/) });

  const before = await latestSequence();
  await app.platform.certificates.changeStatus(suspended.id, "suspended", { reasonCode: "under_review", actor: "operator:test" });
  await app.platform.certificates.changeStatus(revoked.id, "revoked", { reasonCode: "key_compromise", actor: "operator:test" });
  await waitFor(async () => (await latestSequence()) > before, "the worker's next publication");
  await new Promise((r) => setTimeout(r, 2_100)); // the API's 2 s read cache of the latest publication

  const [s, r, k] = (await Promise.all([suspended, revoked, kept].map((doc) => assay(home, ["verify", file(doc), "--json"])))) as [CliResult, CliResult, CliResult];
  expect(s.code).toBe(1);
  expect(failing(s)).toEqual(["status", "status-list"]);
  expect(check(s, "status-list")?.detail).toMatch(/^revoked or suspended: bit set at index \d+ of list #/);
  expect(r.code).toBe(1);
  expect(failing(r)).toEqual(["status", "status-list"]);
  expect(k.code).toBe(0);

  // Saved list with one bit cleared, keeping the issuer's signature: refused (exit 1, named).
  const list = await fetchList();
  expect(list.list.sequence).toBeGreaterThan(before);
  const saved = file(list, "status-list.json");
  const [h, , sig] = list.jws.split(".");
  const cleared = { ...list.list, encodedList: await encodeBitstring(bitstringOf(list.list.size, [])) };
  const forged = file({ jws: `${h}.${Buffer.from(canonicalBytes(cleared)).toString("base64url")}.${sig}`, list: cleared }, "forged.json");
  const tampered = await assay(home, ["verify", file(revoked), "--status-list", forged, "--json"]);
  expect(tampered.code).toBe(1);
  expect(check(tampered, "status-list")).toMatchObject({ ok: false, detail: expect.stringMatching(/^status list rejected \(file .*forged\.json\): the signature does not verify/) });
  const fromFile = await assay(home, ["verify", file(kept), "--status-list", saved, "--json"]);
  expect(fromFile.code).toBe(0);
  expect(check(fromFile, "status-list")?.detail).toMatch(/\(file .*status-list\.json\)$/);

  // An unreadable --status-list is bad input: exit 2 naming it.
  const missing = await assay(home, ["verify", file(kept), "--status-list", join(tempDir(), "nope.json"), "--json"]);
  expect(missing.code).toBe(2);
  expect(missing.stderr).toMatch(/--status-list .*nope\.json is not a file/);

  // Roll-back: someone with database access removes the newest publication, so the API serves an older list
  // (with the suspension's bit clear). This machine accepted the newer one before: refused, and not cached.
  await worker.close();
  await app.platform.db.statusListPublication.deleteMany({ where: { sequence: { gt: before } } });
  await new Promise((r) => setTimeout(r, 2_100));
  const rolledBack = await assay(home, ["verify", file(suspended), "--json"]);
  expect(check(rolledBack, "status-list")).toMatchObject({ ok: false, detail: expect.stringMatching(new RegExp(`^status list rolled back: fetched from .* is list #${before}, older than #${list.list.sequence} accepted before$`)) });

  // Offline: the API is gone; keys and the list come from this machine's cache.
  await app.close();
  const offlineKept = await assay(home, ["verify", file(kept), "--json"]);
  expect(offlineKept.code).toBe(1); // the log checks need the API
  expect(failing(offlineKept)).toEqual(["log-inclusion", "log-consistency"]);
  expect(check(offlineKept, "status")?.detail).toMatch(/^active according to the issuer's status list #\d+ published .* \(API unreachable\)$/);
  expect(check(offlineKept, "status-list")?.detail).toMatch(/saved copy fetched /);
  const offlineRevoked = await assay(home, ["verify", file(revoked), "--json"]);
  expect(failing(offlineRevoked)).toEqual(["status", "status-list", "log-inclusion", "log-consistency"]);
  expect(check(offlineRevoked, "status")?.detail).toMatch(/^revoked or suspended according to the issuer's status list/);
  const cachePath = join(home, ".cache/assay", `status-list-${new URL(url).host.replace(/[^A-Za-z0-9.-]/g, "_")}.json`);
  expect(JSON.parse(readFileSync(cachePath, "utf8"))).toMatchObject({ apiUrl: url, jws: expect.any(String) });
  // Offline with a saved file instead of the cache; and with neither, the check fails saying why.
  rmSync(cachePath);
  const withFile = await assay(home, ["verify", file(kept), "--status-list", saved, "--json"]);
  expect(failing(withFile)).toEqual(["log-inclusion", "log-consistency"]);
  const noList = await assay(home, ["verify", file(kept), "--json"]);
  expect(failing(noList)).toEqual(["status", "status-list", "log-inclusion", "log-consistency"]);
  expect(check(noList, "status-list")?.detail).toMatch(/^no status list: offline: the API at .* is unreachable, and no saved copy/);
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
