// The built web app in front of the REAL API (`src/main.ts` of @assay/api as a
// child process) on a fresh PostgreSQL database, with certificates issued through
// @assay/platform's services as the workers would. Shared by the public-pages
// browser test and the verify bench.
import { spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { freePort } from "./ports";
import { join } from "node:path";
import { Queue } from "bullmq";
import {
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
import type { CertificateDocument } from "@assay/protocol";
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
  stop: () => Promise<void>;
};

export async function startPublicStack(issuer: string): Promise<PublicStack> {
  const port = await freePort();
  const apiUrl = `http://127.0.0.1:${port}`;
  const env = createTestEnvironment({ ASSAY_PUBLIC_URL: apiUrl, ASSAY_ISSUER_ID: issuer });
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
    rmSync(distDir, { recursive: true, force: true });
    throw error;
  }

  const web: Server = createWebServer({ distDir, api: apiProxy(apiUrl) });
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
    rmSync(distDir, { recursive: true, force: true });
  };
  return { platform, env, apiUrl, webUrl, issuer, issue, stop };
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

