// A populated API for the contract suites: one real credential per plane, a
// certified submission with its certificate, an assembly collecting beacon
// contributions, a pending validator to act on, and a sample request per route
// that reaches its success answer. Routes without a sample (added later) are
// still exercised with requests generated from their schemas.
import { createHash, generateKeyPairSync, randomBytes, randomUUID, sign } from "node:crypto";
import fc from "fast-check";
import { generate } from "otplib";
import { captureEntry, grantEntry, holdEntry, rewardEntry, samplePackedRuntime, sampleUnsignedCertificate, seedFinishedAssembly } from "@assay/platform";
import { digestOf, REPORT_FORMAT } from "@assay/protocol";
import type { RouteContract } from "../../src/http/contract";
import { jsonSchemaOf } from "../../src/http/zod-pipe";
import { startApi, type CallResult, type TestApi } from "../helpers";
import { validOf } from "./arbitraries";

export type Credentials = { public: null; developer: string; agent: string; operator: string };
export type RouteRequest = { params?: Record<string, string>; query?: Record<string, string>; body?: unknown; rawBody?: string | Buffer; token?: string | null };
export type World = {
  t: TestApi;
  credentials: Credentials;
  /** A request per route key ("get /v1/…") that should succeed. */
  samples: Map<string, () => Promise<RouteRequest>>;
  call(route: RouteContract, request: RouteRequest): Promise<CallResult>;
  close(): Promise<void>;
};

const hex32 = () => `0x${randomBytes(32).toString("hex")}`;

function edKey() {
  const key = generateKeyPairSync("ed25519");
  return { publicKey: (key.publicKey.export({ format: "jwk" }) as { x: string }).x, privateKey: key.privateKey };
}

export async function createWorld(): Promise<World> {
  // Limits high enough that the suites exercise validation, not the limiter (the limiter has its own tests).
  // (The operator login limiter is fixed at 10 per minute, so most login cases are answered 429, a documented refusal.)
  const t = await startApi({
    ASSAY_PUBLIC_RATE_LIMIT: "1000000",
    ASSAY_AGENT_ACTIVATE_LIMIT: "1000000",
    ASSAY_AGENT_AUTH_LIMIT: "1000000",
    ASSAY_AGENT_KEY_LIMIT: "1000000",
  });
  const { platform } = t;

  const developer = await platform.developers.create({ email: `contract-${randomUUID()}@example.test`, name: "Contract" });
  const apiKey = (await platform.apiKeys.create(developer.id, "contract")).key;

  const agentKey = edKey();
  const validator = await platform.validators.activate({ publicKey: agentKey.publicKey, stake: "1000", kind: "person" });
  await platform.db.validator.update({ where: { id: validator.id }, data: { standing: "active" } });
  const agent = (await platform.tokens.issue("agent", validator.id)).token;
  // A settled reward for the agent (grant → hold → capture with an assembly share → reward), so GET /v1/agent/rewards has history.
  const paidSubmission = randomUUID();
  await platform.ledger.post(grantEntry({ requestKey: `contract-${paidSubmission}`, developerId: developer.id, amount: 100n, actor: "test" }));
  await platform.ledger.post(holdEntry({ submissionId: paidSubmission, developerId: developer.id, amount: 100n }));
  await platform.ledger.post(captureEntry({ submissionId: paidSubmission, developerId: developer.id, held: 100n, captured: 100n, rewardsShare: 30n, outcome: "certified" }));
  await platform.ledger.post(rewardEntry({ assemblyId: randomUUID(), submissionId: paidSubmission, share: 30n, rewards: [{ validatorId: validator.id, amount: 21n }] }));

  const password = "contract operator password";
  const { operator, totpSecret } = await platform.operators.create({ email: `ops-${randomUUID()}@example.test`, password, role: "admin" });
  const operatorToken = (await platform.tokens.issue("operator", operator.id, { role: operator.role })).token;

  // A certified submission with its certificate (issuing appends to the transparency log).
  const submission = await platform.submissions.create(developer.id, samplePackedRuntime());
  await platform.submissions.transition(submission.id, "auditing", { actor: "test" });
  await platform.submissions.transition(submission.id, "in_assembly", { actor: "test" });
  const certificate = await platform.certificates.issue(
    submission.id,
    sampleUnsignedCertificate({ name: submission.runtime.name, version: submission.runtime.version, digest: submission.subjectDigest }),
    "test",
  );

  // A renewal notice for it (docs/decisions/0020): the developer's renewals list is not empty.
  await platform.store.repos.renewals.record({
    certificateId: certificate.id,
    developerId: developer.id,
    trigger: "versions",
    targetVersion: "core@contract",
    status: "declined",
    reasonCode: "auto_renew_off",
    reasonMessage: "contract test",
  });

  // An assembly collecting beacon contributions, with the agent in its snapshot (a row fixture, as in agent-beacon.test.ts).
  const secret = hex32();
  const commitment = `0x${createHash("sha256").update(Buffer.from(secret.slice(2), "hex")).digest("hex")}`;
  const reportDigest = hex32();
  const endsAt = new Date(Date.now() + 10 * 60_000);
  // An empty (but well-formed) eligible snapshot: the operator's detail view rebuilds it and checks its digest.
  const snapshot = { format: "assay.eligible-snapshot/v1", weightRule: { reputationFloorBps: 2_500, probationWeightBps: 5_000 }, totalWeight: "0", validators: [] };
  const assembly = await platform.db.assembly.create({
    data: {
      submissionId: (await platform.submissions.create(developer.id, samplePackedRuntime({ entrySource: "export const c = 3;" }))).id,
      round: 1,
      phase: "beacon",
      phaseStartedAt: new Date(),
      phaseEndsAt: endsAt,
      params: {},
      findings: { findings: [], claims: [] },
      reportDigest,
      snapshot,
      snapshotDigest: digestOf(snapshot),
      beaconCommitment: commitment,
      beaconSecret: secret,
      beaconInputs: { format: "assay.beacon/v2", state: "collecting", reportDigest, commitment, windowEndsAt: endsAt.toISOString(), afterBlock: null },
    },
  });

  // A stored audit report for the certified submission, and an assembly in review with the agent seated (evidence, commit).
  const report = {
    format: REPORT_FORMAT,
    verdict: "pass",
    digest: hex32(),
    suite: { id: submission.suite, version: "1" },
    seed: submission.seed,
    engine: { name: "contract-fixture", version: "0" },
    profile: "standard",
    limits: { memoryBytes: 1, stackBytes: 1, stepBudget: 1, auditBudget: 1, outputBytes: 1, wallClockMs: 1 },
    subject: { name: submission.runtime.name, version: submission.runtime.version, digest: submission.subjectDigest },
    metrics: [],
    scenarios: [],
    findings: [],
    claims: [],
    usage: { modelCalls: 0, inputTokens: 0, outputTokens: 0 },
  };
  const run = await platform.store.repos.audits.latestRun(submission.id);
  await platform.store.repos.audits.saveReport({ auditRunId: run!.id, digest: report.digest, verdict: report.verdict, document: report, findings: [] });
  const review = await platform.db.assembly.create({
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
      beaconInputs: { format: "assay.beacon/v2", state: "collecting", reportDigest: report.digest, commitment, windowEndsAt: endsAt.toISOString(), afterBlock: null },
    },
  });
  await platform.db.assemblySeat.create({ data: { assemblyId: review.id, round: 1, position: 0, validatorId: validator.id, weight: "1000" } });
  // One settled seat in the agent's history (a row fixture, as the settle step writes it).
  await platform.db.reputationEvent.create({
    data: { validatorId: validator.id, assemblyId: assembly.id, round: 1, role: "coherent", reputationBefore: 5_000, reputationAfter: 5_200, stakeBefore: 1_000n, stakeSlashed: 0n, reward: 10n, stakeDelta: 10n },
  });

  const pending = async () => (await platform.validators.activate({ publicKey: edKey().publicKey, stake: "10", kind: "agent" })).id;
  const spareKey = async () => (await platform.apiKeys.create(developer.id, "spare")).id;

  const campaign = () => ({
    name: `contract ${randomUUID().slice(0, 8)}`,
    discount: { kind: "percent", bps: 500 },
    startsAt: new Date(Date.now() - 60_000).toISOString(),
    endsAt: new Date(Date.now() + 3_600_000).toISOString(),
  });

  const samples = new Map<string, () => Promise<RouteRequest>>([
    ["get /v1/public/health", async () => ({})],
    ["get /v1/public/certificates/{id}", async () => ({ params: { id: certificate.id } })],
    ["post /v1/public/verify", async () => ({ body: certificate })],
    ["get /v1/public/log/checkpoint", async () => ({})],
    ["get /v1/public/log/certificates/{id}", async () => ({ params: { id: certificate.id } })],
    ["get /v1/public/log/consistency", async () => ({ query: { from: "1", to: "1" } })],
    [
      "get /v1/public/status-list",
      async () => {
        await platform.statusList.publish({ validityMs: 86_400_000, refreshMs: 3_600_000 });
        return {};
      },
    ],
    ["post /v1/public/certificates/{id}/flags", async () => ({ params: { id: certificate.id }, body: { category: "other", text: "contract test" } })],
    ["get /v1/public/certificates/{id}/flags", async () => ({ params: { id: certificate.id } })],
    ["get /v1/public/registry/certificates", async () => ({ query: { claim: "SRIP-03", status: "certified", limit: "5" } })],
    ["get /badge/{id}.svg", async () => ({ params: { id: certificate.id } })],
    ["get /v1/public/certificates/{id}/chain", async () => ({ params: { id: certificate.id } })],
    [
      "get /v1/public/certificates/{id}/assembly",
      async () => {
        // A certificate naming a real finished assembly record (decision 0031).
        const sub = await platform.submissions.create(developer.id, samplePackedRuntime({ entrySource: "export const assembly = 1;" }));
        await platform.submissions.transition(sub.id, "auditing", { actor: "test" });
        await platform.submissions.transition(sub.id, "in_assembly", { actor: "test" });
        const certify = { verdict: "certify" as const, stabilityScore: 8_000, findingOpinions: {}, claims: { "SRIP-03": "grant" as const, "SRIP-05": "grant" as const } };
        const seeded = await seedFinishedAssembly(platform, sub.id, [
          { stake: "1000", vote: certify },
          { stake: "2000", vote: certify },
          { stake: "3000", vote: null },
        ]);
        const unsigned = sampleUnsignedCertificate({ name: sub.runtime.name, version: sub.runtime.version, digest: sub.subjectDigest });
        const issued = await platform.certificates.issue(sub.id, { ...unsigned, assembly: seeded.certificateAssembly }, "test");
        return { params: { id: issued.id } };
      },
    ],
    ["get /.well-known/jwks.json", async () => ({})],
    ["get /.well-known/assay.json", async () => ({})],
    ["get /v1/developer/me", async () => ({})],
    ["post /v1/developer/api-keys", async () => ({ body: { name: "sample" } })],
    ["get /v1/developer/api-keys", async () => ({})],
    ["delete /v1/developer/api-keys/{id}", async () => ({ params: { id: await spareKey() } })],
    ["get /v1/developer/usage", async () => ({})],
    ["post /v1/developer/submissions", async () => ({ body: samplePackedRuntime({ entrySource: `export const n = ${Date.now()};` }) })],
    ["get /v1/developer/submissions", async () => ({ query: { limit: "5" } })],
    ["get /v1/developer/submissions/{id}", async () => ({ params: { id: submission.id } })],
    ["get /v1/developer/submissions/{id}/report", async () => ({ params: { id: submission.id } })],
    ["get /v1/developer/submissions/{id}/certificate", async () => ({ params: { id: submission.id } })],
    ["get /v1/developer/submissions/{id}/events", async () => ({ params: { id: submission.id } })],
    ["post /v1/developer/quotes", async () => ({ body: samplePackedRuntime() })],
    ["get /v1/developer/credits", async () => ({})],
    // POST /v1/developer/deposits needs a chain: its success answer is checked against the contract in deposits.test.ts.
    ["get /v1/developer/deposits", async () => ({})],
    ["get /v1/developer/auto-renew", async () => ({})],
    ["put /v1/developer/auto-renew", async () => ({ body: { enabled: true } })],
    ["get /v1/developer/renewals", async () => ({ query: { certificateId: certificate.id, limit: "10" } })],
    [
      "post /v1/developer/credits/redeem",
      async () => ({ body: { code: (await platform.vouchers.create({ amount: 10, maxUses: 5, expiresAt: new Date(Date.now() + 3_600_000).toISOString() }, "test")).code } }),
    ],
    ["post /v1/agent/activate", async () => ({ body: { publicKey: edKey().publicKey, stake: "5", kind: "person" } })],
    ["post /v1/agent/challenge", async () => ({ body: { publicKey: agentKey.publicKey } })],
    [
      "post /v1/agent/token",
      async () => {
        const challenge = await t.call("POST", "/v1/agent/challenge", { json: { publicKey: agentKey.publicKey } });
        return { body: { nonce: challenge.body.nonce, signature: sign(null, Buffer.from(challenge.body.message, "utf8"), agentKey.privateKey).toString("base64url") } };
      },
    ],
    ["get /v1/agent/me", async () => ({})],
    ["get /v1/agent/assignments", async () => ({})],
    ["get /v1/agent/history", async () => ({ query: { limit: "10" } })],
    ["get /v1/agent/rewards", async () => ({})],
    ["get /v1/agent/beacons", async () => ({})],
    ["get /v1/agent/assemblies/{id}/evidence", async () => ({ params: { id: review.id } })],
    ["post /v1/agent/commit", async () => ({ body: { assemblyId: review.id, round: 1, commitment: hex32() } })],
    ["post /v1/agent/assemblies/{id}/beacon", async () => ({ params: { id: assembly.id }, body: { value: hex32() } })],
    ["get /v1/agent/assemblies/{id}/beacon", async () => ({ params: { id: assembly.id } })],
    ["post /v1/operator/auth/login", async () => ({ body: { email: operator.email, password, totp: await generate({ secret: totpSecret }) } })],
    ["get /v1/operator/me", async () => ({})],
    ["get /v1/operator/submissions", async () => ({})],
    ["get /v1/operator/submissions/{id}", async () => ({ params: { id: submission.id } })],
    ["get /v1/operator/signing-keys", async () => ({})],
    ["post /v1/operator/signing-keys/rotate", async () => ({})],
    ["post /v1/operator/certificates/{id}/status", async () => ({ params: { id: certificate.id }, body: { status: "suspended", reasonCode: "contract_test" } })],
    ["get /v1/operator/flags", async () => ({})],
    ["put /v1/operator/flags", async () => ({ body: {} })],
    ["put /v1/operator/flags/{key}", async () => ({ params: { key: "srip13.mode" }, body: { value: "enforce" } })],
    ["get /v1/operator/audit-log", async () => ({})],
    ["get /v1/operator/audit-log/verify", async () => ({})],
    ["get /v1/operator/pricing/catalogue", async () => ({})],
    ["get /v1/operator/pricing/catalogue/versions", async () => ({})],
    ["post /v1/operator/pricing/catalogue", async () => ({ body: (await platform.pricing.current()).catalogue })],
    ["get /v1/operator/campaigns", async () => ({})],
    ["post /v1/operator/campaigns", async () => ({ body: campaign() })],
    ["post /v1/operator/campaigns/{id}/disable", async () => ({ params: { id: (await platform.pricing.createCampaign(campaign() as never, "test")).id } })],
    ["post /v1/operator/credits/grants", async () => ({ body: { developerId: developer.id, amount: 1000, requestKey: `grant-${randomUUID()}`, reason: "contract test" } })],
    ["get /v1/operator/certificate-flags", async () => ({})],
    [
      "post /v1/operator/certificate-flags/{id}/resolve",
      async () => ({ params: { id: (await platform.certificateFlags.submit(certificate.id, { category: "abuse", text: "contract test" }, "192.0.2.7")).id }, body: { action: "dismiss", outcome: "contract test" } }),
    ],
    ["get /v1/operator/vouchers", async () => ({})],
    ["get /v1/operator/deposits", async () => ({ query: { status: "unassigned", limit: "10" } })],
    ["get /v1/operator/payment-methods", async () => ({})],
    // Switches nothing off (every method is on already): the other routes' samples still succeed.
    ["put /v1/operator/payment-methods", async () => ({ body: { deposits: true } })],
    ["get /v1/operator/usage", async () => ({ query: { from: "2020-01-01T00:00:00.000Z", to: "2100-01-01T00:00:00.000Z" } })],
    ["get /v1/operator/usage.csv", async () => ({})],
    ["post /v1/operator/vouchers", async () => ({ body: { amount: 50, maxUses: 3, expiresAt: new Date(Date.now() + 3_600_000).toISOString() } })],
    [
      "post /v1/operator/vouchers/{id}/revoke",
      async () => ({ params: { id: (await platform.vouchers.create({ amount: 10, maxUses: 1, expiresAt: new Date(Date.now() + 3_600_000).toISOString() }, "test")).voucher.id } }),
    ],
    ["get /v1/operator/developers/{id}/credits", async () => ({ params: { id: developer.id } })],
    ["get /v1/operator/validators", async () => ({})],
    ["get /v1/operator/assemblies", async () => ({})],
    ["get /v1/operator/assemblies/{id}", async () => ({ params: { id: assembly.id } })],
    ["get /v1/operator/validators/{id}/rewards", async () => ({ params: { id: validator.id } })],
    ["post /v1/operator/validators/{id}/approve", async () => ({ params: { id: await pending() }, body: { stake: "100" } })],
    ["post /v1/operator/validators/{id}/suspend", async () => ({ params: { id: await pending() }, body: { reason: "contract test" } })],
    [
      "post /v1/operator/validators/{id}/reinstate",
      async () => {
        const id = await pending();
        await platform.admission.suspend(id, { reason: "contract test" }, "test");
        return { params: { id }, body: {} };
      },
    ],
    [
      "post /v1/operator/validators/{id}/slash",
      async () => {
        const id = await pending();
        await platform.admission.approve(id, { stake: "100" }, "test");
        return { params: { id }, body: { amount: "1", reason: "contract test" } };
      },
    ],
    ["post /v1/operator/validators/{id}/developer", async () => ({ params: { id: await pending() }, body: { developerId: developer.id } })],
    [
      "delete /v1/operator/validators/{id}/developer",
      async () => {
        const id = await pending();
        await platform.admission.bind(id, { developerId: developer.id }, "test");
        return { params: { id } };
      },
    ],
  ]);

  const credentials: Credentials = { public: null, developer: apiKey, agent, operator: operatorToken };
  return {
    t,
    credentials,
    samples,
    call: (route, request) => t.call(route.method.toUpperCase(), urlOf(route, request), {
      token: request.token === undefined ? credentials[route.plane] : request.token,
      ...(request.rawBody !== undefined ? { rawBody: request.rawBody } : request.body !== undefined ? { json: request.body } : {}),
    }),
    close: () => t.close(),
  };
}

export function keyOf(route: RouteContract): string {
  return `${route.method} ${route.path}`;
}

export function urlOf(route: RouteContract, request: RouteRequest): string {
  const path = route.path.replace(/\{([^}]+)\}/g, (_m, name: string) => request.params?.[name] ?? "missing");
  const query = request.query ? new URLSearchParams(request.query).toString() : "";
  return query ? `${path}?${query}` : path;
}

/** A request generated from the route's schemas (for routes without a hand-made sample). */
export function generatedRequest(route: RouteContract, seed: number): RouteRequest {
  const sample = <T>(schema: RouteContract["body"]) => (schema ? (fc.sample(validOf(jsonSchemaOf(schema)), { seed, numRuns: 1 })[0] as T) : undefined);
  const params = sample<Record<string, unknown>>(route.params);
  const query = sample<Record<string, unknown>>(route.query);
  return {
    ...(params ? { params: Object.fromEntries(Object.entries(params).map(([k, v]) => [k, encodeURIComponent(String(v))])) } : {}),
    ...(query ? { query: Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)])) } : {}),
    ...(route.body ? { body: sample(route.body) } : {}),
  };
}
