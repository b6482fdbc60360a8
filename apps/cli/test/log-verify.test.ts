// `assay verify` and the transparency log (docs/decisions/0016) against the real
// API and database: the first verify saves the checkpoint in the CLI's state; a
// log later truncated, or rewritten (a fork that hides a certificate), by
// editing the database is caught against that saved checkpoint, and a
// certificate missing from the log fails the check named log-inclusion.
import { existsSync, readFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { join } from "node:path";
import { z } from "zod";
import { BullJobPublisher, createTestEnvironment, samplePackedRuntime, sampleUnsignedCertificate, type TestEnvironment } from "@assay/platform";
import { createApp, type ApiApp } from "@assay/api";
import { issuedEntry, type CertificateDocument } from "@assay/protocol";
import { removeTempDirs, runCli, tempDir, type CliResult } from "./helpers";

jest.setTimeout(120_000);

let env: TestEnvironment;
let app: ApiApp;
let url: string;
let developerId: string;

beforeAll(async () => {
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  env = createTestEnvironment({ ASSAY_PUBLIC_URL: url, ASSAY_ISSUER_ID: "assay:issuer:cli-log" });
  app = await createApp(env.config, { publisher: new BullJobPublisher(env.config.redis.url, env.queuePrefix) });
  await app.app.listen(port, "127.0.0.1");
  developerId = (await app.platform.developers.create({ email: `log-${Date.now()}@example.com`, name: "Log" })).id;
});

afterAll(async () => {
  await app.close();
  await env.cleanup();
  removeTempDirs();
});

const VerifyJsonSchema = z.object({ valid: z.boolean(), checks: z.array(z.object({ name: z.string(), ok: z.boolean(), detail: z.string() })) });
const check = (result: CliResult, name: string) => VerifyJsonSchema.parse(JSON.parse(result.stdout)).checks.find((c) => c.name === name);
const failing = (result: CliResult) => VerifyJsonSchema.parse(JSON.parse(result.stdout)).checks.filter((c) => !c.ok).map((c) => c.name);

function assay(home: string, args: string[]): Promise<CliResult> {
  return runCli(args, { env: { HOME: home, XDG_CONFIG_HOME: "", XDG_CACHE_HOME: "", XDG_STATE_HOME: "", NO_COLOR: "1", ASSAY_API_URL: url, ASSAY_API_KEY: "" } });
}

let counter = 0;
async function certify(): Promise<CertificateDocument> {
  const sub = await app.platform.submissions.create(developerId, samplePackedRuntime({ entrySource: `export const n = ${++counter};` }));
  await app.platform.submissions.transition(sub.id, "auditing", { actor: "test" });
  await app.platform.submissions.transition(sub.id, "in_assembly", { actor: "test" });
  return app.platform.certificates.issue(sub.id, sampleUnsignedCertificate({ name: sub.runtime.name, version: sub.runtime.version, digest: sub.subjectDigest }), "test");
}

function savedCheckpoint(home: string): { treeSize: number; rootHash: string } {
  const host = new URL(url).host.replace(/[^A-Za-z0-9.-]/g, "_");
  return JSON.parse(readFileSync(join(home, ".local/state/assay", `log-checkpoint-${host}.json`), "utf8"));
}

/** The log as an attacker with database access leaves it: only the first `size` entries (and their subtrees, and checkpoints). */
async function truncateLog(size: number): Promise<void> {
  await app.platform.db.$executeRaw`DELETE FROM log_entries WHERE "index" >= ${size}`;
  await app.platform.db.$executeRaw`DELETE FROM log_nodes WHERE ("index" + 1) * power(2, level) > ${size}`;
  await app.platform.db.$executeRaw`DELETE FROM log_checkpoints WHERE tree_size > ${size}`;
}

it("saves the first checkpoint, detects a truncated log against it and keeps the saved one", async () => {
  const home = tempDir("assay-log-home-");
  const a = await certify();
  const b = await certify();
  const first = await assay(home, ["verify", a.id, "--json"]);
  expect(first.stderr).toBe("");
  expect(first.code).toBe(0);
  expect(check(first, "log-inclusion")).toMatchObject({ ok: true });
  expect(check(first, "log-consistency")).toMatchObject({ ok: true, detail: expect.stringContaining("first checkpoint seen") });
  const saved = savedCheckpoint(home);
  const sizeAfterB = saved.treeSize;
  expect(sizeAfterB).toBe(await app.platform.transparencyLog.size());

  const second = await assay(home, ["verify", b.id, "--json"]);
  expect(second.code).toBe(0);
  expect(check(second, "log-consistency")?.detail).toBe(`same checkpoint as saved (size ${sizeAfterB})`);

  await truncateLog(sizeAfterB - 1); // drops b's issuance
  const truncated = await assay(home, ["verify", a.id, "--json"]);
  expect(truncated.code).toBe(1);
  expect(failing(truncated)).toEqual(["log-consistency"]);
  expect(check(truncated, "log-consistency")?.detail).toBe(`the log shrank from ${sizeAfterB} to ${sizeAfterB - 1} entries since the saved checkpoint (truncated or rolled back)`);
  const missing = await assay(home, ["verify", b.id, "--json"]);
  expect(missing.code).toBe(1);
  expect(check(missing, "log-inclusion")).toEqual({ name: "log-inclusion", ok: false, detail: `certificate ${b.id} is not in the issuer's transparency log` });
  expect(savedCheckpoint(home)).toEqual(saved);
});

it("detects a log rewritten by editing the database (a fork that hides a certificate), even once it has grown past the saved size", async () => {
  const home = tempDir("assay-log-home-");
  const c = await certify();
  const d = await certify();
  const e = await certify();
  expect((await assay(home, ["verify", c.id, "--json"])).code).toBe(0);
  const saved = savedCheckpoint(home);

  // Rewrite history: the same entries except d's issuance, replaced by another, then keep growing.
  const leaves = await app.platform.db.logEntry.findMany({ orderBy: { index: "asc" } });
  await truncateLog(0);
  const entries = leaves.map((row) => (row.certificateId === d.id ? issuedEntry(`0x${"d".repeat(64)}`, d.payload.issuedAt) : JSON.parse(row.leaf)));
  await app.platform.transparencyLog.append(entries);
  await certify();
  expect(await app.platform.transparencyLog.size()).toBeGreaterThan(saved.treeSize);

  const forked = await assay(home, ["verify", e.id, "--json"]);
  expect(forked.code).toBe(1);
  expect(check(forked, "log-inclusion")?.ok).toBe(true); // e itself is in the rewritten log…
  expect(check(forked, "log-consistency")).toMatchObject({ ok: false, detail: expect.stringContaining(`does not extend the saved checkpoint of size ${saved.treeSize} (forked or rewritten)`) });
  const hidden = await assay(home, ["verify", d.id, "--json"]);
  expect(failing(hidden)).toEqual(expect.arrayContaining(["log-inclusion", "log-consistency"]));
  expect(savedCheckpoint(home)).toEqual(saved);

  // A verifier that never saw the honest log has nothing to compare with: trust on first use.
  const newcomer = tempDir("assay-log-home-");
  expect((await assay(newcomer, ["verify", e.id, "--json"])).code).toBe(0);
  expect(existsSync(join(newcomer, ".local/state/assay"))).toBe(true);
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
