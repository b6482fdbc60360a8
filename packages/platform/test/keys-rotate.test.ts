// `npm run keys:rotate`: the command, run as its own process against a database
// with a live platform, makes a new active key, retires the old one, keeps it in
// the JWKS, prints the new kid — and the running platform signs with it next.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { createPlatform, type JobPublisher, type Platform } from "../src";
import { createTestEnvironment, type TestEnvironment } from "../src/testing";

jest.setTimeout(120_000);

const NO_QUEUE: JobPublisher = { publish: () => Promise.reject(new Error("no queues here")), ping: () => Promise.resolve(true), close: () => Promise.resolve() };
const PLATFORM_DIR = join(__dirname, "..");

let env: TestEnvironment;
let platform: Platform;

beforeAll(async () => {
  env = createTestEnvironment();
  platform = await createPlatform(env.config, { publisher: NO_QUEUE });
});

afterAll(async () => {
  await platform?.close();
  await env?.cleanup();
});

async function rotateCommand(): Promise<{ kid: string; retired: string[]; published: string[] }> {
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", join("scripts", "rotate-signing-key.ts")], {
    cwd: PLATFORM_DIR,
    env: { ...process.env, DATABASE_URL: env.config.database.url, REDIS_URL: env.config.redis.url, ASSAY_LOG_LEVEL: "silent" },
  });
  return JSON.parse(stdout.trim().split("\n").pop()!);
}

it("rotates the signing key: new kid printed and active, old keys retired but still published", async () => {
  const first = await platform.signingKeys.ensureActiveKey();
  const rotated = await rotateCommand();
  expect(rotated.kid).not.toBe(first);
  expect(rotated.retired).toEqual([first]);
  expect(rotated.published.sort()).toEqual([first, rotated.kid].sort());

  const again = await rotateCommand();
  expect(new Set([first, rotated.kid, again.kid]).size).toBe(3);
  expect(again.retired.sort()).toEqual([first, rotated.kid].sort());
  const jwks = await platform.signingKeys.jwks({ fresh: true });
  expect(jwks.keys.map((k) => k.kid).sort()).toEqual([first, rotated.kid, again.kid].sort());
  expect(jwks.keys.every((k) => k.d === undefined)).toBe(true);
  // The platform that was running all along signs with the newest key.
  expect((await platform.signingKeys.signer()).kid).toBe(again.kid);
  expect((await platform.signingKeys.list()).filter((k) => k.status === "active").map((k) => k.kid)).toEqual([again.kid]);
  // Each rotation is in the audit log: who, the retired kid and the new one (issue 14 §8).
  const rows = await platform.store.repos.auditLog.list({ action: "signing_key.rotate", limit: 10 });
  expect(rows.map((r) => ({ target: r.target, before: r.before, after: r.after }))).toEqual([
    { target: again.kid, before: { activeKid: rotated.kid }, after: { activeKid: again.kid } },
    { target: rotated.kid, before: { activeKid: first }, after: { activeKid: rotated.kid } },
  ]);
  expect(rows.every((r) => r.actor.startsWith("script:keys:rotate"))).toBe(true);
});
