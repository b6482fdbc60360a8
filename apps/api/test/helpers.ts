// Starts the API on an ephemeral port over a fresh database (see
// @assay/platform createTestEnvironment) and gives a small fetch client.
import type { AddressInfo } from "node:net";
import { BullJobPublisher, createTestEnvironment, type Env, type Platform, type TestEnvironment } from "@assay/platform";
import { createApp, type ApiApp } from "../src/app";
import { assertCookiePolicy } from "./cookies";

export type TestApi = {
  url: string;
  platform: Platform;
  env: TestEnvironment;
  api: ApiApp;
  call(method: string, path: string, options?: CallOptions): Promise<CallResult>;
  close(): Promise<void>;
};

export type CallOptions = { token?: string | null; json?: unknown; rawBody?: string | Buffer; headers?: Record<string, string> };
export type CallResult = { status: number; body: any; headers: Headers };

export async function startApi(envOverrides: Env = {}): Promise<TestApi> {
  const env = createTestEnvironment(envOverrides);
  const api = await createApp(env.config, { publisher: new BullJobPublisher(env.config.redis.url, env.queuePrefix) });
  await api.app.listen(0, "127.0.0.1");
  const { port } = api.app.getHttpServer().address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    platform: api.platform,
    env,
    api,
    call: clientFor(url),
    async close() {
      await api.close();
      await env.cleanup();
    },
  };
}

/** A small fetch client for an API at `url`. */
export function clientFor(url: string): TestApi["call"] {
  return async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | Buffer | undefined;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers["content-type"] ??= "application/json";
    } else if (options.rawBody !== undefined) {
      body = options.rawBody;
      headers["content-type"] ??= "application/json";
    }
    const response = await fetch(`${url}${path}`, { method, headers, body });
    // Every response of every API test meets the cookie policy (test/cookies.ts).
    assertCookiePolicy(response.headers, `${url}${path}`);
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON (e.g. the docs page)
    }
    return { status: response.status, body: parsed, headers: response.headers };
  };
}

/** One credential of each plane (public: none) plus the principals behind them. */
export async function credentialsFor(t: TestApi) {
  const developer = await t.platform.developers.create({ email: `dev-${Date.now()}-${Math.random()}@example.com`, name: "Dev" });
  const apiKey = await t.platform.apiKeys.create(developer.id, "test");
  // A real validator (the agent plane re-reads it on every request).
  const publicKey = (require("node:crypto").generateKeyPairSync("ed25519").publicKey.export({ format: "jwk" }) as { x: string }).x;
  const validator = await t.platform.validators.activate({ publicKey, stake: "1000", kind: "person" });
  const agent = await t.platform.tokens.issue("agent", validator.id);
  const { operator } = await t.platform.operators.create({ email: `ops-${Date.now()}-${Math.random()}@example.com`, password: "operator password 1", role: "admin" });
  const operatorSession = await t.platform.tokens.issue("operator", operator.id, { role: operator.role });
  return { developer, apiKey: apiKey.key, agent: agent.token, operator, operatorSession: operatorSession.token };
}
