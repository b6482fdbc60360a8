// Renewal on the CLI against the real API (apps/api createApp, PostgreSQL,
// Redis; docs/decisions/0020): `assay auto-renew`, `assay renewals`,
// `assay certificate <id> --chain [--json]`, and `assay verify` on both ends of
// a renewal — the new certificate passes, the superseded one fails its status
// check. No worker runs: the renewal sweep is called as the worker's job calls
// it (the platform knows a newer suite version than the certificate's, so it is
// due), and the re-audit submission is moved through its states by hand.
import { createServer, type AddressInfo } from "node:net";
import { Queue } from "bullmq";
import { BullJobPublisher, createRedisConnection, createTestEnvironment, samplePackedRuntime, sampleUnsignedCertificate, type TestEnvironment } from "@assay/platform";
import { createApp, type ApiApp } from "@assay/api";
import { CertificateChainSchema, CertificateRenewalListSchema } from "@assay/protocol";
import { z } from "zod";
import { removeTempDirs, runCli, tempDir, type CliResult } from "./helpers";

jest.setTimeout(120_000);

const VerifyJsonSchema = z.object({ valid: z.boolean(), checks: z.array(z.object({ name: z.string(), ok: z.boolean(), detail: z.string() })) });

let env: TestEnvironment;
let app: ApiApp;
let url: string;
let apiKey: string;
let developerId: string;
let home: string;

beforeAll(async () => {
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  env = createTestEnvironment({ ASSAY_PUBLIC_URL: url, ASSAY_ISSUER_ID: "assay:issuer:cli-renewal" });
  // The suite's current version is newer than the sample certificates' (1.0.0): they are due for renewal.
  app = await createApp(env.config, { publisher: new BullJobPublisher(env.config.redis.url, env.queuePrefix), suiteVersions: () => ({ core: "9.0.0+test" }) });
  await app.app.listen(port, "127.0.0.1");
  const developer = await app.platform.developers.create({ email: `cli-renew-${Date.now()}@example.com`, name: "CLI Renewal" });
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

function assay(args: string[]): Promise<CliResult> {
  return runCli(args, { env: { HOME: home, XDG_CONFIG_HOME: "", XDG_CACHE_HOME: "", NO_COLOR: "1", ASSAY_API_URL: url, ASSAY_API_KEY: apiKey } });
}

async function certifyByHand(entry: string): Promise<string> {
  const platform = app.platform;
  const sub = await platform.submissions.create(developerId, samplePackedRuntime({ entrySource: entry }));
  await platform.submissions.transition(sub.id, "auditing", { actor: "test" });
  await platform.submissions.transition(sub.id, "in_assembly", { actor: "test" });
  return (await platform.certificates.issue(sub.id, sampleUnsignedCertificate({ name: sub.runtime.name, version: sub.runtime.version, digest: sub.subjectDigest }), "test")).id;
}

/** The re-audit of a renewal, done by hand: certified (a new certificate) or rejected. */
async function finishReaudit(submissionId: string, outcome: "certified" | "rejected"): Promise<void> {
  const platform = app.platform;
  await platform.submissions.transition(submissionId, "auditing", { actor: "test" });
  if (outcome === "rejected") {
    await platform.submissions.transition(submissionId, "rejected", { actor: "test", reasonCode: "critical_findings", reasonMessage: "the re-audit found a critical finding" });
    return;
  }
  await platform.submissions.transition(submissionId, "in_assembly", { actor: "test" });
  const sub = await platform.submissions.get(submissionId);
  await platform.certificates.issue(submissionId, sampleUnsignedCertificate({ name: sub.runtime.name, version: sub.runtime.version, digest: sub.subjectDigest }), "test");
}

it("auto-renew opt-in, a renewal that passes and one that fails, the chain, verify on both ends", async () => {
  const off = await assay(["auto-renew", "--json"]);
  expect(off.code).toBe(0);
  expect(JSON.parse(off.stdout)).toEqual({ enabled: false, windowDays: 30 });
  expect((await assay(["auto-renew"])).stdout).toContain("auto-renew is off");

  const oldId = await certifyByHand("export const a = 1;");
  const otherId = await certifyByHand("export const a = 2;");
  // Without the opt-in the sweep only leaves a notice.
  const declined = await app.platform.renewals.sweep();
  expect(declined.declined.sort()).toEqual([oldId, otherId].sort());
  const notices = CertificateRenewalListSchema.parse(JSON.parse((await assay(["renewals", "--json"])).stdout));
  expect(notices.items.map((r) => [r.status, r.reason?.code, r.submissionId])).toEqual([
    ["declined", "auto_renew_off", null],
    ["declined", "auto_renew_off", null],
  ]);

  const on = await assay(["auto-renew", "on", "--json"]);
  expect(on.code).toBe(0);
  expect(JSON.parse(on.stdout)).toEqual({ enabled: true, windowDays: 30 });
  const started = await app.platform.renewals.sweep();
  expect(started.started.map((s) => s.certificateId).sort()).toEqual([oldId, otherId].sort());
  const reauditOf = (id: string) => started.started.find((s) => s.certificateId === id)!.submissionId;
  await finishReaudit(reauditOf(oldId), "certified");
  await finishReaudit(reauditOf(otherId), "rejected");

  const renewals = CertificateRenewalListSchema.parse(JSON.parse((await assay(["renewals", "--json"])).stdout));
  const renewed = renewals.items.find((r) => r.certificateId === oldId)!;
  const failed = renewals.items.find((r) => r.certificateId === otherId)!;
  expect(renewed).toMatchObject({ status: "renewed", trigger: "versions", targetVersion: "core@9.0.0+test", reason: null });
  expect(failed).toMatchObject({ status: "failed", newCertificateId: null, reason: { code: "critical_findings", message: "the re-audit found a critical finding" } });
  const newId = renewed.newCertificateId!;
  const text = (await assay(["renewals", "--certificate", otherId])).stdout;
  expect(text).toContain(`${otherId}  failed  (versions, under core@9.0.0+test)`);
  expect(text).toContain("why: critical_findings — the re-audit found a critical finding");

  // The chain, newest → oldest, from the old id.
  const chainJson = await assay(["certificate", oldId, "--chain", "--json"]);
  expect(chainJson.code).toBe(0);
  const chain = CertificateChainSchema.parse(JSON.parse(chainJson.stdout));
  expect(chain.current).toBe(newId);
  expect(chain.items.map((i) => [i.id, i.status, i.reason, i.supersedes])).toEqual([
    [newId, "active", null, oldId],
    [oldId, "expired", "superseded", null],
  ]);
  const chainText = await assay(["certificate", oldId, "--chain"]);
  expect(chainText.stdout.split("\n")[0]).toBe(`Supersedes chain of ${oldId} (newest → oldest, 2 certificates):`);
  expect(chainText.stdout).toMatch(new RegExp(`${newId}  active .*\\[current\\]`));
  expect(chainText.stdout).toMatch(new RegExp(`${oldId}  expired \\(superseded\\) .*\\[asked\\]`));
  // The failed renewal left its certificate alone: a chain of one, still active.
  const alone = CertificateChainSchema.parse(JSON.parse((await assay(["certificate", otherId, "--chain", "--json"])).stdout));
  expect(alone.items.map((i) => [i.id, i.status])).toEqual([[otherId, "active"]]);

  // assay verify: the new certificate passes (its payload names the old one), the superseded one fails its status.
  const document = JSON.parse((await assay(["certificate", newId])).stdout) as { payload: { supersedes: string } };
  expect(document.payload.supersedes).toBe(oldId);
  const good = await assay(["verify", newId, "--json"]);
  expect(VerifyJsonSchema.parse(JSON.parse(good.stdout)).checks.filter((c) => !c.ok)).toEqual([]);
  expect(good.code).toBe(0);
  const ended = await assay(["verify", oldId, "--json"]);
  expect(ended.code).toBe(1);
  // Superseded = expired before its validUntil: the status list (first published on this verify's fetch, after the
  // renewal) has its bit set too (docs/decisions/0022).
  expect(VerifyJsonSchema.parse(JSON.parse(ended.stdout)).checks.filter((c) => !c.ok).map((c) => c.name)).toEqual(["status", "status-list"]);
  const stillGood = await assay(["verify", otherId, "--json"]);
  expect(stillGood.code).toBe(0);

  // --chain with --out is a usage error.
  expect((await assay(["certificate", oldId, "--chain", "--out", "x.json"])).code).toBe(2);
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
