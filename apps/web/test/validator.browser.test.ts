// The validator portal in Chromium against the REAL API (`apps/api` as a child
// process on a fresh PostgreSQL database, as in real-api.browser.test.ts): a
// validator signs in with a key imported from the launcher's validators.json
// (the challenge signed in the browser), reviews the evidence of its seat,
// commits a vote with a verdict per claim (salt made and kept in the browser,
// downloadable), reveals it, and the database holds the commitment and the
// reveal. A key that is not a validator is refused in plain words, and no
// request ever carries the private key. The seat is set up as the assembly
// worker would leave it (a stored report and an assembly in review).
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID, type KeyObject } from "node:crypto";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { freePort } from "./support/ports";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Queue } from "bullmq";
import type { Page, Request } from "playwright-core";
import { createPlatform, createRedisConnection, createTestEnvironment, samplePackedRuntime, type Platform, type TestEnvironment } from "@assay/platform";
import { digestOf, REPORT_FORMAT, ValidatorKeyFileSchema, VoteBallotFileSchema, voteCommitmentDigest, type UnsignedAuditReport } from "@assay/protocol";
import * as protocol from "@assay/protocol";
import { apiProxy } from "../server/api-proxy";
import { createWebServer } from "../server/web-server";
import { buildApp, launchChromium, WEB_DIR } from "./support/browser";

const SCREENS = join(WEB_DIR, "test-results", "screens");

let env: TestEnvironment;
let platform: Platform;
let api: ChildProcess | undefined;
let apiOutput = "";
let web: Server;
let webUrl: string;
let distDir: string;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let work: string;

type Key = { privateKey: KeyObject; publicKey: string; pem: string; der: Buffer; seed: string };
function edKey(): Key {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const jwk = privateKey.export({ format: "jwk" }) as { d: string };
  return {
    privateKey,
    publicKey: (publicKey.export({ format: "jwk" }) as { x: string }).x,
    pem: privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
    der: privateKey.export({ format: "der", type: "pkcs8" }),
    seed: jwk.d,
  };
}

const validatorKey = edKey();
const otherKey = edKey();
const strangerKey = edKey();
let validatorId: string;
let assemblyId: string;

beforeAll(async () => {
  const port = await freePort();
  const apiUrl = `http://127.0.0.1:${port}`;
  env = createTestEnvironment({ ASSAY_PUBLIC_URL: apiUrl });
  const [launched, built, created] = await Promise.all([launchChromium(), buildApp(), createPlatform(env.config)]);
  browser = launched;
  distDir = built;
  platform = created;
  work = mkdtempSync(join(tmpdir(), "assay-validator-portal-"));
  mkdirSync(SCREENS, { recursive: true });

  // Two admitted validators (the launcher's file holds both), as an operator's approval leaves them.
  for (const [key, name] of [
    [validatorKey, "honest-1"],
    [otherKey, "honest-2"],
  ] as const) {
    const v = await platform.validators.activate({ publicKey: key.publicKey, stake: "1000", kind: "agent", modelFamily: "claude", name });
    await platform.db.validator.update({ where: { id: v.id }, data: { standing: "active", stake: 1000n } });
    if (name === "honest-1") validatorId = v.id;
  }
  // Two earlier settlements of the validator, as the settle step writes them: coherent (+reward), then a no-show (slashed).
  const t0 = Date.now() - 3 * 86_400_000;
  await platform.db.reputationEvent.create({
    data: { validatorId, assemblyId: randomUUID(), round: 1, role: "coherent", reputationBefore: 5_000, reputationAfter: 5_400, stakeBefore: 1_000n, stakeSlashed: 0n, reward: 20n, stakeDelta: 20n, createdAt: new Date(t0) },
  });
  await platform.db.reputationEvent.create({
    data: { validatorId, assemblyId: randomUUID(), round: 1, role: "no_show", reputationBefore: 5_400, reputationAfter: 4_900, stakeBefore: 1_020n, stakeSlashed: 50n, reward: 0n, stakeDelta: -50n, createdAt: new Date(t0 + 86_400_000) },
  });
  await platform.db.validator.update({ where: { id: validatorId }, data: { reputationBps: 4_900, stake: 970n } });

  assemblyId = await openSeat(validatorId);

  api = spawn(process.execPath, [join(WEB_DIR, "..", "..", "node_modules", "tsx", "dist", "cli.mjs"), "src/main.ts"], {
    cwd: join(WEB_DIR, "..", "api"),
    env: {
      ...process.env,
      NODE_ENV: "test",
      DATABASE_URL: env.config.database.url,
      ASSAY_CREATE_DATABASE: "false",
      ASSAY_API_HOST: "127.0.0.1",
      ASSAY_API_PORT: String(port),
      ASSAY_PUBLIC_URL: apiUrl,
      ASSAY_QUEUE_PREFIX: env.queuePrefix,
      ASSAY_LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  api.stdout!.on("data", (c: Buffer) => (apiOutput += c.toString()));
  api.stderr!.on("data", (c: Buffer) => (apiOutput += c.toString()));
  await waitForHealth(`${apiUrl}/v1/public/health`, 90_000);

  web = createWebServer({ distDir, api: apiProxy(apiUrl) });
  await new Promise<void>((resolve) => web.listen(0, "127.0.0.1", resolve));
  webUrl = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
}, 240_000);

/** A submission with its stored audit report (two claims, one withheld by a major finding) and an assembly in review seating the validator, as the assembly worker leaves it. */
async function openSeat(seated: string): Promise<string> {
  const developer = await platform.developers.create({ email: `validator-portal-${randomUUID()}@example.test`, name: "Portal" });
  const submission = await platform.submissions.create(developer.id, samplePackedRuntime());
  await platform.submissions.transition(submission.id, "auditing", { actor: "test" });
  await platform.submissions.transition(submission.id, "in_assembly", { actor: "test" });
  const unsigned: UnsignedAuditReport = {
    format: REPORT_FORMAT,
    verdict: "pass",
    suite: { id: submission.suite, version: "1" },
    seed: submission.seed,
    engine: { name: "quickjs", version: "test" },
    profile: "standard",
    limits: { memoryBytes: 1, stackBytes: 1, stepBudget: 1, auditBudget: 1, outputBytes: 1, wallClockMs: 1 },
    subject: { name: submission.runtime.name, version: submission.runtime.version, digest: submission.subjectDigest },
    metrics: [{ id: "srs.composite_drift_index.v1", value: 3_100, unit: "bps", validity: "valid" }],
    scenarios: [
      { id: "long-horizon", title: "Long-horizon task", seed: 1, turns: 120, completed: true, transcriptDigest: digestOf("t1"), metrics: [{ id: "srs.composite_drift_index.v1", value: 3_100, unit: "bps", validity: "valid" }] },
      { id: "sync-containment", title: "Sync containment", seed: 1, turns: 60, completed: true, transcriptDigest: digestOf("t2"), metrics: [] },
    ],
    findings: [{ code: "RECENTER_MISSING", severity: "major", scenario: "sync-containment", turn: 31, message: "no recenter at DI ≥ 0.6", evidence: {} }],
    claims: [
      { srip: "SRIP-03", status: "evidenced", findings: [] },
      { srip: "SRIP-05", status: "not-evidenced", findings: ["RECENTER_MISSING"] },
    ],
    usage: { modelCalls: 0, inputTokens: 0, outputTokens: 0 },
  };
  const report = { ...unsigned, digest: digestOf(unsigned) };
  const run = await platform.store.repos.audits.latestRun(submission.id);
  await platform.store.repos.audits.saveReport({ auditRunId: run!.id, digest: report.digest, verdict: report.verdict, document: JSON.parse(JSON.stringify(report)), findings: JSON.parse(JSON.stringify(report.findings)) });
  const snapshot = { format: "assay.eligible-snapshot/v1", weightRule: { reputationFloorBps: 2_500, probationWeightBps: 5_000 }, totalWeight: "0", validators: [] };
  const endsAt = new Date(Date.now() + 30 * 60_000);
  const assembly = await platform.db.assembly.create({
    data: {
      submissionId: submission.id,
      round: 1,
      phase: "review",
      phaseStartedAt: new Date(),
      phaseEndsAt: endsAt,
      params: {},
      findings: { findings: [], claims: [] },
      reportDigest: report.digest,
      snapshot,
      snapshotDigest: digestOf(snapshot),
      beaconInputs: { format: "assay.beacon/v2", state: "collecting", reportDigest: report.digest, commitment: digestOf("beacon"), windowEndsAt: endsAt.toISOString(), afterBlock: null },
    },
  });
  await platform.db.assemblySeat.create({ data: { assemblyId: assembly.id, round: 1, position: 0, validatorId: seated, weight: "1000" } });
  return assembly.id;

}

afterAll(async () => {
  await browser?.close();
  if (web) {
    web.closeAllConnections();
    await new Promise((resolve) => web.close(resolve));
  }
  if (api && api.exitCode === null) {
    const exited = new Promise((resolve) => api!.once("exit", resolve));
    api.kill("SIGTERM");
    await exited;
  }
  if (env) {
    const redis = createRedisConnection(env.config.redis.url, { forWorker: true });
    for (const name of ["audit", "assembly"]) {
      const queue = new Queue(name, { connection: redis, prefix: env.queuePrefix });
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
    }
    redis.disconnect();
  }
  await platform?.close();
  await env?.cleanup();
  if (distDir) rmSync(distDir, { recursive: true, force: true });
  if (work) rmSync(work, { recursive: true, force: true });
});

let page: Page;
let requests: { url: string; headers: Record<string, string>; body: string }[];
beforeEach(async () => {
  page = await browser.context.newPage();
  requests = [];
  page.on("request", (r: Request) => requests.push({ url: r.url(), headers: r.headers(), body: r.postData() ?? "" }));
});
afterEach(async () => {
  await page?.close();
});

/** Everything of a private key that could travel: PEM text, its base64 body, the DER as base64/base64url/hex, the 32-byte seed. */
function secretsOf(key: Key): string[] {
  const body = key.pem.replace(/-----(BEGIN|END) PRIVATE KEY-----|\s/g, "");
  return [body, body.slice(0, 40), key.der.toString("base64url"), key.der.toString("hex"), key.seed, Buffer.from(key.seed, "base64url").toString("hex"), Buffer.from(key.seed, "base64url").toString("base64")];
}

function expectNoSecretSent(keys: Key[]) {
  expect(requests.length).toBeGreaterThan(0);
  for (const r of requests) {
    const seen = `${r.url}\n${JSON.stringify(r.headers)}\n${r.body}`;
    for (const key of keys) for (const secret of secretsOf(key)) expect(seen.includes(secret)).toBe(false);
    expect(seen).not.toContain("PRIVATE KEY");
  }
}

test("a validator signs in with a key from validators.json, reviews its seat, commits per claim, downloads the salt, reveals; the server records both", async () => {
  const file = join(work, "validators.json");
  writeFileSync(file, JSON.stringify({ keys: { "honest-2": otherKey.pem, "honest-1": validatorKey.pem } }, null, 2));
  await page.goto(`${webUrl}/validator`);
  await page.getByLabel("Validator key file").setInputFiles(file);
  await page.getByLabel("Key in this file").selectOption({ label: "honest-1" });
  await page.screenshot({ path: join(SCREENS, "validator-sign-in.png"), fullPage: true });
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.getByTestId("validator-id").waitFor();
  expect(await page.getByTestId("validator-id").innerText()).toBe(validatorId);
  expect(await page.getByTestId("standing").innerText()).toBe("active");

  // Reputation and stake over time, from GET /v1/agent/history: before, after each settlement, now.
  const history = page.getByTestId("history");
  await history.waitFor();
  expect(await history.locator("figure.history-chart").count()).toBe(2);
  expect(await history.locator("figure.history-chart").first().locator("circle").count()).toBe(4);
  expect(await history.locator("figure.history-chart figcaption").first().innerText()).toContain("from 0.50 to 0.49, lowest 0.49, highest 0.54");
  expect(await history.locator("figure.history-chart figcaption").nth(1).innerText()).toContain("from 1000 to 970, lowest 970, highest 1020");
  expect(await history.locator("table.history tbody tr").count()).toBe(2);

  // Payable balance: shown where the protocol has the rewards schema and the API the route (validator payables), absent otherwise.
  await page.locator(`tr[data-assembly="${assemblyId}"]`).waitFor();
  if ((protocol as Record<string, unknown>).ValidatorRewardsSchema) await page.getByTestId("rewards").waitFor();
  else expect(await page.getByTestId("rewards").count()).toBe(0);

  // The assignment, with phase and deadlines.
  const row = page.locator(`tr[data-assembly="${assemblyId}"]`);
  await row.waitFor();
  expect(await row.getAttribute("data-phase")).toBe("review");
  expect(await row.getByTestId("vote-state").innerText()).toBe("not committed");
  await row.getByRole("button", { name: /Review assembly/ }).click();

  // The evidence: digests, the command that re-runs the audit, claims, findings, scenarios.
  const evidence = page.getByTestId("evidence");
  await evidence.getByTestId("report-digest").waitFor();
  const stored = await platform.store.repos.audits.latestReportForSubmission((await platform.db.assembly.findUniqueOrThrow({ where: { id: assemblyId } })).submissionId);
  expect(await evidence.getByTestId("report-digest").innerText()).toBe(stored!.digest);
  expect(await evidence.getByTestId("revalidate-command").innerText()).toMatch(/^npx assay validate <runtime-dir> --suite \S+ --seed \d+ --json$/);
  expect(await evidence.locator("table.claims tbody tr").count()).toBe(2);
  expect(await evidence.locator("table.findings tbody tr").count()).toBe(1);
  expect(await evidence.locator("tr[data-scenario]").count()).toBe(2);
  // A claim the audit withholds cannot be granted.
  expect(await page.locator('#claim-SRIP-05 option[value="grant"]').isDisabled()).toBe(true);

  // Vote: grant SRIP-03, deny SRIP-05, dispute the finding, certify, 7200 bps.
  await page.getByLabel(/^SRIP-03/).selectOption("grant");
  await page.getByLabel(/^SRIP-05/).selectOption("deny");
  await page.getByLabel("RECENTER_MISSING@sync-containment").selectOption("dispute");
  await page.getByLabel("Verdict", { exact: true }).selectOption("certify");
  await page.getByLabel(/Stability score/).fill("7200");
  await page.getByLabel(/Notes/).fill("recovers; recenter missing once");
  await page.screenshot({ path: join(SCREENS, "validator-evidence.png"), fullPage: true });
  // The same screen on a 390 px phone: nothing wider than the viewport.
  await page.setViewportSize({ width: 390, height: 844 });
  const wide = await page.evaluate(() =>
    Array.from(document.querySelectorAll("body *"))
      .filter((e) => e.getBoundingClientRect().right > 391 && !e.parentElement?.closest(".table-scroll"))
      .slice(0, 8)
      .map((e) => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`),
  );
  expect(wide).toEqual([]);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.screenshot({ path: join(SCREENS, "validator-evidence-390.png"), fullPage: true });
  await page.setViewportSize({ width: 1200, height: 900 });
  // Decision 0031: the notes field says, visibly, that notes and the reveal become public in the certificate's assembly record.
  expect(await page.getByTestId("notes-public-notice").isVisible()).toBe(true);
  expect(await page.getByLabel("Notes (optional, bound by the commitment)").getAttribute("aria-describedby")).toBe("vote-notes-public");
  expect(await page.getByTestId("notes-public-notice").textContent()).toMatch(/reveal — verdicts, salt and these notes — is published in the certificate's assembly record/);
  await page.getByRole("button", { name: "Commit vote" }).click();
  await page.getByTestId("ballot-result").waitFor();

  // The server holds the commitment the browser computed; the commit request carried no vote and no salt.
  const committed = await platform.db.voteCommitment.findFirstOrThrow({ where: { assemblyId, validatorId } });
  const kept = VoteBallotFileSchema.parse(
    JSON.parse((await page.evaluate(([v, a]) => localStorage.getItem(`assay.validator-ballot:${v}:${a}:1`), [validatorId, assemblyId]))!),
  );
  expect(committed.commitment).toBe(kept.commitment);
  expect(kept.claims).toEqual({ "SRIP-03": "grant", "SRIP-05": "deny" });
  expect(kept.findingOpinions).toEqual({ "RECENTER_MISSING@sync-containment": "dispute" });
  const { format: _f, commitment: _c, ...preimage } = kept;
  expect(voteCommitmentDigest(preimage)).toBe(committed.commitment);
  const commitRequest = requests.find((r) => r.url.endsWith("/v1/agent/commit"))!;
  expect(JSON.parse(commitRequest.body)).toEqual({ assemblyId, round: 1, commitment: kept.commitment });

  // The salt file downloads and is the kept ballot.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download salt file" }).click()]);
  const saltPath = join(work, download.suggestedFilename());
  await download.saveAs(saltPath);
  expect(VoteBallotFileSchema.parse(JSON.parse(readFileSync(saltPath, "utf8")))).toEqual(kept);

  // The commit phase ends (the assembly worker's move), the reveal opens.
  await platform.db.assembly.update({ where: { id: assemblyId }, data: { phase: "reveal", phaseStartedAt: new Date(), phaseEndsAt: new Date(Date.now() + 30 * 60_000) } });
  await page.getByRole("button", { name: "Refresh" }).click();
  await page.locator(`tr[data-assembly="${assemblyId}"][data-phase="reveal"]`).waitFor();
  await page.getByRole("button", { name: "Reveal my vote" }).click();
  await page.getByTestId("revealed").waitFor();
  await page.screenshot({ path: join(SCREENS, "validator-revealed.png"), fullPage: true });

  const revealed = await platform.db.voteReveal.findFirstOrThrow({ where: { assemblyId, validatorId } });
  expect(revealed.reveal).toMatchObject({ verdict: "certify", stabilityScore: 7200, claims: { "SRIP-03": "grant", "SRIP-05": "deny" }, salt: kept.salt, validatorId });
  expect(await page.locator(`tr[data-assembly="${assemblyId}"]`).getByTestId("vote-state").innerText()).toBe("revealed");

  expectNoSecretSent([validatorKey, otherKey]);
});

async function signInWithFile(file: string, name?: string) {
  await page.goto(`${webUrl}/validator`);
  await page.getByLabel("Validator key file").setInputFiles(file);
  if (name) await page.getByLabel("Key in this file").selectOption({ label: name });
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.getByTestId("validator-id").waitFor();
}

test("a browser that lost its ballot reveals with the uploaded salt file; an edited salt file is refused before it is sent", async () => {
  const seat = await openSeat(validatorId);
  const file = join(work, "validators.json");
  writeFileSync(file, JSON.stringify({ keys: { "honest-1": validatorKey.pem } }));
  await signInWithFile(file);
  await page.locator(`tr[data-assembly="${seat}"]`).getByRole("button", { name: /Review assembly/ }).click();
  await page.getByLabel(/^SRIP-05/).selectOption("deny");
  await page.getByLabel("Verdict", { exact: true }).selectOption("reject");
  await page.getByRole("button", { name: "Commit vote" }).click();
  await page.getByTestId("ballot-result").waitFor();
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download salt file" }).click()]);
  const saltPath = join(work, `upload-${download.suggestedFilename()}`);
  await download.saveAs(saltPath);

  // The browser forgets everything; the reveal phase opens.
  await page.evaluate(() => localStorage.clear());
  await platform.db.assembly.update({ where: { id: seat }, data: { phase: "reveal", phaseStartedAt: new Date(), phaseEndsAt: new Date(Date.now() + 30 * 60_000) } });
  await signInWithFile(file);
  await page.locator(`tr[data-assembly="${seat}"][data-phase="reveal"]`).getByRole("button", { name: /Review assembly/ }).click();
  await page.getByLabel("Salt file").waitFor();
  expect(await page.getByRole("button", { name: "Reveal my vote" }).count()).toBe(0);

  // An edited ballot (verdict flipped after the commit) does not hash to its commitment: refused here, nothing sent.
  const ballot = JSON.parse(readFileSync(saltPath, "utf8")) as Record<string, unknown>;
  const edited = join(work, "edited-ballot.json");
  writeFileSync(edited, JSON.stringify({ ...ballot, verdict: "certify" }));
  const before = requests.length;
  await page.getByLabel("Salt file").setInputFiles(edited);
  await page.getByText("it was edited after the commit").waitFor();
  expect(requests.slice(before).filter((r) => r.url.endsWith("/v1/agent/reveal"))).toHaveLength(0);

  await page.getByLabel("Salt file").setInputFiles(saltPath);
  await page.getByRole("button", { name: "Reveal my vote" }).click();
  await page.getByTestId("revealed").waitFor();
  const revealed = await platform.db.voteReveal.findFirstOrThrow({ where: { assemblyId: seat, validatorId } });
  expect(revealed.reveal).toMatchObject({ verdict: "reject", salt: ballot.salt, claims: { "SRIP-03": "grant", "SRIP-05": "deny" } });
  expectNoSecretSent([validatorKey]);
});

test("a new validator generates its key in the browser, downloads it, activates (pending) and is signed in; the key never travels", async () => {
  await page.goto(`${webUrl}/validator`);
  await page.getByLabel("Name (optional)").fill("portal person");
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Generate and download a key" }).click()]);
  const keyPath = join(work, download.suggestedFilename());
  await download.saveAs(keyPath);
  const file = ValidatorKeyFileSchema.parse(JSON.parse(readFileSync(keyPath, "utf8")));
  expect(await page.getByTestId("generated-public-key").innerText()).toBe(file.publicKey);
  // The downloaded PEM is the key whose public half the page shows.
  const derived = (createPublicKey(createPrivateKey(file.privateKeyPem)).export({ format: "jwk" }) as { x: string }).x;
  expect(derived).toBe(file.publicKey);
  await page.getByLabel("Declared stake").fill("250");
  await page.getByRole("button", { name: "Activate and sign in" }).click();
  await page.getByTestId("validator-id").waitFor();
  expect(await page.getByTestId("standing").innerText()).toBe("pending");
  const row = await platform.db.validator.findUniqueOrThrow({ where: { publicKey: file.publicKey } });
  expect([row.id, row.name, row.kind, row.declaredStake.toString()]).toEqual([await page.getByTestId("validator-id").innerText(), "portal person", "person", "250"]);
  await page.screenshot({ path: join(SCREENS, "validator-new-pending.png"), fullPage: true });
  const der = createPrivateKey(file.privateKeyPem).export({ format: "der", type: "pkcs8" });
  const seed = (createPrivateKey(file.privateKeyPem).export({ format: "jwk" }) as { d: string }).d;
  expectNoSecretSent([{ pem: file.privateKeyPem, der, seed } as Key]);
});

test("an admitted validator adds browser-made randomness to an open draw beacon, once", async () => {
  const developer = await platform.developers.create({ email: `beacon-portal-${randomUUID()}@example.test`, name: "Beacon" });
  const submission = await platform.submissions.create(developer.id, samplePackedRuntime({ entrySource: "export const beacon = 1;" }));
  const endsAt = new Date(Date.now() + 30 * 60_000);
  const reportDigest = digestOf("beacon report");
  const snapshot = { format: "assay.eligible-snapshot/v1", weightRule: { reputationFloorBps: 2_500, probationWeightBps: 5_000 }, totalWeight: "0", validators: [] };
  const beaconAssembly = await platform.db.assembly.create({
    data: {
      submissionId: submission.id,
      round: 1,
      phase: "beacon",
      phaseStartedAt: new Date(),
      phaseEndsAt: endsAt,
      params: {},
      findings: { findings: [], claims: [] },
      reportDigest,
      snapshot,
      snapshotDigest: digestOf(snapshot),
      beaconCommitment: digestOf("secret"),
      beaconInputs: { format: "assay.beacon/v2", state: "collecting", reportDigest, commitment: digestOf("secret"), windowEndsAt: endsAt.toISOString(), afterBlock: null },
    },
  });
  const file = join(work, "validators.json");
  writeFileSync(file, JSON.stringify({ keys: { "honest-1": validatorKey.pem } }));
  await signInWithFile(file);
  const item = page.locator("li", { hasText: beaconAssembly.id.slice(0, 8) });
  await item.getByRole("button", { name: "Contribute randomness" }).click();
  await item.getByText("contributed").waitFor();
  const rows = await platform.db.beaconContribution.findMany({ where: { assemblyId: beaconAssembly.id, validatorId } });
  expect(rows).toHaveLength(1);
  expect(rows[0]!.value).toMatch(/^0x[0-9a-f]{64}$/);
  const sent = requests.filter((r) => r.url.endsWith(`/v1/agent/assemblies/${beaconAssembly.id}/beacon`) && r.body);
  expect(sent.map((r) => JSON.parse(r.body))).toEqual([{ value: rows[0]!.value }]);
  expectNoSecretSent([validatorKey]);
});

test("a key that is not a validator is refused with a clear message, and nothing of it is sent but its public key", async () => {
  const file = join(work, "stranger.json");
  writeFileSync(file, JSON.stringify({ format: "assay.validator-key/v1", publicKey: strangerKey.publicKey, privateKeyPem: strangerKey.pem, name: "stranger" }));
  await page.goto(`${webUrl}/validator`);
  await page.getByLabel("Validator key file").setInputFiles(file);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  const error = page.getByTestId("sign-in-error");
  await error.waitFor();
  expect(await error.innerText()).toContain("This key is not a registered validator");
  expect(await page.getByTestId("validator-id").count()).toBe(0);
  await page.screenshot({ path: join(SCREENS, "validator-wrong-key.png"), fullPage: true });
  const challenge = requests.filter((r) => r.url.endsWith("/v1/agent/challenge"));
  expect(challenge.map((r) => JSON.parse(r.body))).toEqual([{ publicKey: strangerKey.publicKey }]);
  expectNoSecretSent([strangerKey]);
});

test("a file that holds no key is refused before anything is sent", async () => {
  const file = join(work, "not-a-key.json");
  writeFileSync(file, JSON.stringify({ hello: "world" }));
  await page.goto(`${webUrl}/validator`);
  await page.getByLabel("Validator key file").setInputFiles(file);
  const error = page.getByTestId("sign-in-error");
  await error.waitFor();
  expect(await error.innerText()).toContain("holds no validator key");
  expect(requests.filter((r) => r.url.includes("/v1/agent/")).length).toBe(0);
});

async function waitForHealth(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (api?.exitCode !== null) throw new Error(`the API exited (${api?.exitCode}): ${apiOutput}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the API did not become healthy at ${url}: ${apiOutput}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

