// The built web app in front of the REAL API (`src/main.ts` of @assay/api as a
// child process) on a fresh PostgreSQL database, with certificates issued through
// @assay/platform's services as the workers would. Shared by the public-pages
// browser tests and the verify bench. With `{ chain: true }`: a real Hardhat
// node with the registry deployed, the API reading it, certificates that name a
// real finished assembly record (issueWithAssembly) and anchoring on demand.
import { spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { freePort } from "./ports";
import { join } from "node:path";
import { Queue } from "bullmq";
import { deployRegistry } from "@assay/chain";
import {
  ANCHOR_TOPIC,
  anchorDedupeKey,
  AnchorRepository,
  AnchorService,
  ChainGateway,
  seedFinishedAssembly,
  type FinishedAssemblyFixture,
  BullJobPublisher,
  createPlatform,
  createRedisConnection,
  createTestEnvironment,
  sampleManifest,
  samplePackedRuntime,
  sampleUnsignedCertificate,
  type Platform,
  type TestEnvironment,
} from "@assay/platform";
import type { CertificateDocument, Vote } from "@assay/protocol";
import { DEV_KEYS, startHardhatNode, type HardhatNode } from "../../../../packages/chain/test/hardhat-node";
import { apiProxy } from "../../server/api-proxy";
import { createWebServer } from "../../server/web-server";
import { buildApp, WEB_DIR } from "./browser";

export type PublicStack = {
  platform: Platform;
  env: TestEnvironment;
  apiUrl: string;
  webUrl: string;
  issuer: string;
  /** Issues a certificate (with an assembly record summary) for a new submission of a runtime with this name. */
  issue: (name: string) => Promise<CertificateDocument>;
  /** Issues a certificate naming a real finished assembly record (validators seated and voting as given). */
  issueWithAssembly: (name: string, votes?: { stake: string; vote: Vote | null }[]) => Promise<{ document: CertificateDocument; assembly: FinishedAssemblyFixture }>;
  /** With a chain: anchors these certificates in one batch and waits for the receipt (the anchor worker's loop, run once). */
  anchor: (ids: string[]) => Promise<void>;
  /** The chain's RPC URL and registry, when started with one. */
  chain: { rpcUrl: string; registry: string } | null;
  stop: () => Promise<void>;
};

/** Three validators: two certify with every claim granted (one denies SRIP-05), one does not act. */
export const DEFAULT_VOTES: { stake: string; vote: Vote | null }[] = [
  { stake: "3000000", vote: { verdict: "certify", stabilityScore: 8_200, findingOpinions: {}, claims: { "SRIP-03": "grant", "SRIP-05": "grant" } } },
  { stake: "2000000", vote: { verdict: "certify", stabilityScore: 7_600, findingOpinions: {}, claims: { "SRIP-03": "grant", "SRIP-05": "deny" } } },
  { stake: "1000000", vote: null },
];

export async function startPublicStack(issuer: string, options: { chain?: boolean } = {}): Promise<PublicStack> {
  const port = await freePort();
  const apiUrl = `http://127.0.0.1:${port}`;
  let node: HardhatNode | null = null;
  let chainEnv: Record<string, string> = {};
  if (options.chain) {
    node = await startHardhatNode(120_000);
    const deployed = await deployRegistry({ rpcUrl: node.rpcUrl, privateKey: DEV_KEYS[0] });
    chainEnv = {
      ASSAY_CHAIN_ENABLED: "true",
      ASSAY_CHAIN_RPC_URL: node.rpcUrl,
      ASSAY_CHAIN_REGISTRY: deployed.certificateRegistry,
      ASSAY_CHAIN_VALIDATOR_REGISTRY: deployed.validatorRegistry,
      ASSAY_CHAIN_TREASURY: deployed.treasury,
      ASSAY_CHAIN_DEPLOYED_AT_BLOCK: String(deployed.deployedAtBlock),
    };
  }
  const env = createTestEnvironment({ ASSAY_PUBLIC_URL: apiUrl, ASSAY_ISSUER_ID: issuer, ...chainEnv });
  const [distDir, platform] = await Promise.all([buildApp(), createPlatform(env.config, { publisher: new BullJobPublisher(env.config.redis.url, env.queuePrefix) })]);
  const developer = await platform.developers.create({ email: `web-public-${Date.now()}@example.com`, name: "Web Public" });
  let n = 0;
  const issue = async (name: string) => {
    n += 1;
    const submission = await platform.submissions.create(developer.id, samplePackedRuntime({ manifest: sampleManifest({ name }), entrySource: `export const n = ${n};` }));
    await platform.submissions.transition(submission.id, "auditing", { actor: "test" });
    await platform.submissions.transition(submission.id, "in_assembly", { actor: "test" });
    return platform.certificates.issue(submission.id, sampleUnsignedCertificate({ ...submission.runtime, digest: submission.subjectDigest }), "test");
  };
  const issueWithAssembly = async (name: string, votes = DEFAULT_VOTES) => {
    n += 1;
    const submission = await platform.submissions.create(developer.id, samplePackedRuntime({ manifest: sampleManifest({ name }), entrySource: `export const n = ${n};` }));
    await platform.submissions.transition(submission.id, "auditing", { actor: "test" });
    await platform.submissions.transition(submission.id, "in_assembly", { actor: "test" });
    const assembly = await seedFinishedAssembly(platform, submission.id, votes);
    const unsigned = sampleUnsignedCertificate({ ...submission.runtime, digest: submission.subjectDigest });
    const claims = assembly.granted;
    const withheld = ["SRIP-03", "SRIP-05", "SRIP-13"].filter((c) => !claims.includes(c));
    const document = await platform.certificates.issue(
      submission.id,
      {
        ...unsigned,
        claims,
        claimsNotGranted: withheld.map((srip) => ({ srip, reason: srip === "SRIP-13" ? "not-evidenced" : "denied-by-assembly", findings: srip === "SRIP-13" ? ["ALIAS_SCOPE_LEAK"] : [] })),
        assembly: assembly.certificateAssembly,
      } as typeof unsigned,
      "test",
    );
    return { document, assembly };
  };
  const anchor = async (ids: string[]) => {
    if (!node) throw new Error("started without a chain");
    for (const id of ids) await platform.store.repos.outbox.add({ topic: ANCHOR_TOPIC, payload: { certificateId: id }, dedupeKey: anchorDedupeKey(id) });
    const anchorer = new AnchorService(new AnchorRepository(platform.db), new ChainGateway({ ...env.config.chain, privateKey: DEV_KEYS[0] }, { withSigner: true }), {
      batchMax: 16,
      intervalMs: 200,
      receiptTimeoutMs: 30_000,
    });
    try {
      await anchorer.runOnce();
    } finally {
      await anchorer.release();
    }
  };

  let output = "";
  const api: ChildProcess = spawn(process.execPath, [join(WEB_DIR, "..", "..", "node_modules", "tsx", "dist", "cli.mjs"), "src/main.ts"], {
    cwd: join(WEB_DIR, "..", "api"),
    env: {
      ...process.env,
      NODE_ENV: "test",
      DATABASE_URL: env.config.database.url,
      ASSAY_CREATE_DATABASE: "false",
      ASSAY_API_HOST: "127.0.0.1",
      ASSAY_API_PORT: String(port),
      ASSAY_PUBLIC_URL: apiUrl,
      ASSAY_ISSUER_ID: issuer,
      ASSAY_QUEUE_PREFIX: env.queuePrefix,
      ASSAY_LOG_LEVEL: "warn",
      // The browser tests load many pages from one address.
      ASSAY_PUBLIC_RATE_LIMIT: "100000",
      ...chainEnv,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  api.stdout!.on("data", (c: Buffer) => (output += c.toString()));
  api.stderr!.on("data", (c: Buffer) => (output += c.toString()));
  try {
    // Generous: on a loaded 2-core machine the API's start (tsx compile + migrations check) can take minutes.
    await waitForHealth(`${apiUrl}/v1/public/health`, 240_000, api, () => output);
  } catch (error) {
    if (api.exitCode === null) api.kill("SIGKILL");
    await platform.close();
    await env.cleanup();
    await node?.stop();
    rmSync(distDir, { recursive: true, force: true });
    throw error;
  }

  const web: Server = createWebServer({ distDir, api: apiProxy(apiUrl), connectOrigins: node ? [node.rpcUrl] : [] });
  await new Promise<void>((resolve) => web.listen(0, "127.0.0.1", resolve));
  const webUrl = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;

  const stop = async () => {
    web.closeAllConnections();
    await new Promise((resolve) => web.close(resolve));
    if (api.exitCode === null) {
      const exited = new Promise((resolve) => api.once("exit", resolve));
      api.kill("SIGTERM");
      await exited;
    }
    const redis = createRedisConnection(env.config.redis.url, { forWorker: true });
    const queue = new Queue("audit", { connection: redis, prefix: env.queuePrefix });
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    redis.disconnect();
    await platform.close();
    await env.cleanup();
    await node?.stop();
    rmSync(distDir, { recursive: true, force: true });
  };
  return { platform, env, apiUrl, webUrl, issuer, issue, issueWithAssembly, anchor, chain: node ? { rpcUrl: node.rpcUrl, registry: chainEnv.ASSAY_CHAIN_REGISTRY! } : null, stop };
}

async function waitForHealth(url: string, timeoutMs: number, api: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (api.exitCode !== null) throw new Error(`the API exited (${api.exitCode}): ${output()}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the API did not become healthy at ${url}: ${output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

