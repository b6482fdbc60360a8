// The platform commands end to end: the real `assay` executable against a fake
// Assay API in the test process (fake-api.ts), with its own HOME so the config
// file and the key-set cache are the test's.
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { join } from "node:path";
import { z } from "zod";
import { buildStatusList, CERTIFICATE_CHECKS, generateSigningKey, LOG_CHECK_NAMES, signStatusList, STATUS_LIST_CHECK_NAME, statusListId, type CertificateDocument, type SigningKey } from "@assay/protocol";
import { loadRuntimeDirectory } from "../src/runtime-dir";
import { API_KEY, DEVELOPER, issueCertificate, startFakeApi, type FakeApi, type Step } from "./fake-api";
import { REPO_ROOT, removeTempDirs, runCli, tempDir, type CliResult } from "./helpers";

jest.setTimeout(60_000);

const REFERENCE = join(REPO_ROOT, "examples/runtimes/reference");
const PASSTHROUGH = join(REPO_ROOT, "examples/runtimes/passthrough");

let key: SigningKey;
let api: FakeApi;
let home: string;
let referenceDigest: string;
let genuine: CertificateDocument;

beforeAll(async () => {
  key = await generateSigningKey();
  api = await startFakeApi([key]);
  referenceDigest = (await loadRuntimeDirectory(REFERENCE)).subjectDigest;
  genuine = await issueCertificate(key, referenceDigest);
  api.addCertificate(genuine);
});

afterAll(async () => {
  await api.close();
  removeTempDirs();
});

beforeEach(() => {
  home = tempDir("assay-home-");
  api.sse = true;
  api.nextScript = [];
});

/** The CLI with this test's HOME (config, cache) and, unless overridden, the fake API and its key. */
function assay(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return runCli(args, { env: { HOME: home, XDG_CONFIG_HOME: "", XDG_CACHE_HOME: "", NO_COLOR: "1", ASSAY_API_URL: api.url, ASSAY_API_KEY: API_KEY, ...env } });
}

/** A URL where nothing listens: a port the OS just handed out and took back. */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

function writeJson(value: unknown): string {
  const path = join(tempDir(), "certificate.json");
  writeFileSync(path, JSON.stringify(value, null, 2));
  return path;
}

/** `assay verify --json`: the certificate's checks (protocol order), the status list's, then the transparency log's. */
const VerifyJsonSchema = z.object({
  valid: z.boolean(),
  checks: z.array(z.object({ name: z.enum([...CERTIFICATE_CHECKS, STATUS_LIST_CHECK_NAME, ...LOG_CHECK_NAMES]), ok: z.boolean(), detail: z.string() })),
});
function verifyJson(result: CliResult) {
  return VerifyJsonSchema.parse(JSON.parse(result.stdout));
}

const failing = (result: CliResult) => verifyJson(result).checks.filter((c) => !c.ok).map((c) => c.name);

const AUDIT_TO_CERTIFIED: Step[] = [
  { event: "status", data: { status: "auditing" } },
  { event: "progress", data: { progress: { scenariosTotal: 2, scenariosCompleted: 0, currentScenario: "long-horizon@7", currentTurn: 60, currentTurnsTotal: 120, measuredDiBps: 3100, reportedDiBps: 3000 } } },
  { event: "progress", data: { progress: { scenariosCompleted: 1, currentScenario: "drift-pressure@7", currentTurn: 40, currentTurnsTotal: 80, measuredDiBps: 4200, reportedDiBps: 4100 } } },
  { event: "status", data: { status: "in_assembly" } },
  { event: "assembly", data: { assembly: { round: 1, phase: "commit", seats: 3, committed: 2 }, progress: { assemblyRound: 1 } } },
  { event: "status", data: { status: "certified", certificateId: "" } },
];

function scriptEndingIn(certificateId: string): Step[] {
  return AUDIT_TO_CERTIFIED.map((s) => (s.data.certificateId === "" ? { ...s, data: { status: "certified", certificateId } } : s));
}

describe("assay login", () => {
  it("checks the key against the API, stores URL and key in a 0600 config file, and later commands use it", async () => {
    const result = await assay(["login", "--api-url", `${api.url}/`, "--api-key", API_KEY, "--json"], { ASSAY_API_URL: "", ASSAY_API_KEY: "" });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ apiUrl: api.url, developer: DEVELOPER });
    const file = join(home, ".config/assay/config.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({ apiUrl: api.url, apiKey: API_KEY });

    const submission = api.addSubmission({ status: "auditing" });
    const status = await assay(["status", submission.id, "--json"], { ASSAY_API_URL: "", ASSAY_API_KEY: "" });
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toEqual({ id: submission.id, status: "auditing" });

    // The environment overrides the file.
    const overridden = await assay(["status", submission.id, "--json"], { ASSAY_API_URL: "", ASSAY_API_KEY: "ak_000000000000_wrongwrongwrongwrongwrongwrongwrongwrongwro" });
    expect(overridden.code).toBe(2);
    expect(overridden.stderr).toMatch(/API key rejected by http:\/\/127\.0\.0\.1:\d+/);
  });

  it("refuses a rejected key without writing the config file (exit 2)", async () => {
    const result = await assay(["login", "--api-key", "ak_nope", "--json"]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/API key rejected/);
    expect(() => statSync(join(home, ".config/assay/config.json"))).toThrow();
  });
});

describe("assay submit", () => {
  it("uploads the same artifact validate audits: the server computes the loader's subject digest", async () => {
    const result = await assay(["submit", "examples/runtimes/reference", "--json"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const created = JSON.parse(result.stdout) as { id: string; status: string };
    expect(created).toEqual({ id: expect.any(String), status: "received" });
    expect(api.submissions.get(created.id)?.subjectDigest).toBe(referenceDigest);
  });

  it("--wait follows the event stream to certified: exit 0 with the certificate id, nothing but JSON on stdout", async () => {
    api.nextScript = scriptEndingIn(genuine.id);
    const result = await assay(["submit", REFERENCE, "--wait", "--json"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ id: expect.any(String), status: "certified", certificateId: genuine.id });
    expect(api.requests).toContain(`GET /v1/developer/submissions/${JSON.parse(result.stdout).id}/events`);
  });

  it("--wait ends with exit 1 when the submission is rejected", async () => {
    api.nextScript = [
      { data: { status: "auditing" } },
      { data: { status: "rejected", outcome: { code: "critical_finding", message: "DRIFT_BAND_EXCEEDED" } } },
    ];
    const result = await assay(["submit", PASSTHROUGH, "--wait"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^[0-9a-f-]{36} rejected\n$/);
    expect(result.stderr).toMatch(/: rejected \(critical_finding: DRIFT_BAND_EXCEEDED\)/);
  });

  it("refuses an unreadable runtime directory before any request (exit 2)", async () => {
    const before = api.requests.length;
    const result = await assay(["submit", join(tempDir(), "missing"), "--json"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/runtime directory .*missing does not exist/);
    expect(api.requests.length).toBe(before);
  });
});

describe("assay status", () => {
  it("--json prints { id, status, certificateId? }; rejected and failed exit 1", async () => {
    const certified = api.addSubmission({ status: "certified", certificateId: genuine.id });
    const failed = api.addSubmission({ status: "failed", outcome: { code: "audit_crashed", message: null } });
    const [a, b] = await Promise.all([assay(["status", certified.id, "--json"]), assay(["status", failed.id, "--json"])]);
    expect(a.code).toBe(0);
    expect(JSON.parse(a.stdout)).toEqual({ id: certified.id, status: "certified", certificateId: genuine.id });
    expect(b.code).toBe(1);
    expect(JSON.parse(b.stdout)).toEqual({ id: failed.id, status: "failed" });
  });

  it("--watch falls back to polling without a stream and prints plain progress lines when stderr is not a terminal", async () => {
    api.sse = false;
    const submission = api.addSubmission({ script: scriptEndingIn(genuine.id) });
    const result = await assay(["status", submission.id, "--watch"], { ASSAY_POLL_INTERVAL_MS: "100" });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${submission.id} certified\n  certificate  ${genuine.id}\n`);
    expect(result.stderr).toContain(`no live event stream (${api.url} has no event stream route); polling instead\n`);
    expect(result.stderr).toMatch(new RegExp(`submission ${submission.id}: auditing\\n`));
    expect(result.stderr).toMatch(/ {2}scenario long-horizon@7 turn 60\/120, DI 0\.3100 \(reported 0\.3000\)\n/);
    // Polling sees what the submission record holds: the assembly round, not its phase.
    expect(result.stderr).toMatch(/ {2}assembly round 1\n/);
    expect(result.stderr).toMatch(/: certified certificate 0x[0-9a-f]{64}\n/);
    expect(result.stderr.match(/scenario drift-pressure@7/g)).toHaveLength(1);
    expect(result.stderr).not.toMatch(/\u001b\[/);
  });

  it("--watch on the event stream shows the assembly's phase and votes", async () => {
    const submission = api.addSubmission({ script: scriptEndingIn(genuine.id) });
    const result = await assay(["status", submission.id, "--watch"]);
    expect(result.code).toBe(0);
    expect(result.stderr).not.toMatch(/polling/);
    expect(result.stderr).toMatch(/ {2}scenario long-horizon@7 turn 60\/120, DI 0\.3100 \(reported 0\.3000\)\n/);
    expect(result.stderr).toMatch(/ {2}assembly round 1, phase commit, 2\/3 committed\n/);
  });

  it("--watch --json prints only the final JSON", async () => {
    const submission = api.addSubmission({ script: scriptEndingIn(genuine.id) });
    const result = await assay(["status", submission.id, "--watch", "--json"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ id: submission.id, status: "certified", certificateId: genuine.id });
  });

  it.each([
    [["status", "nope"], /invalid submission id "nope"/],
    [["status", "3f2c0000-0000-4000-8000-000000000000"], /no submission 3f2c0000-0000-4000-8000-000000000000/],
    [["certificate", "0x123"], /invalid id "0x123": expected a certificate id \(0x \+ 64 hex digits\) or a submission id/],
    [["certificate", `0x${"e".repeat(64)}`], /no certificate 0xe{64}/],
    [["verify", "nope"], /nope is neither a file nor a certificate id/],
  ])("assay %j → exit 2 naming the bad id", async (args, message) => {
    const result = await assay([...args, "--json"]);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(message);
    expect(result.code).toBe(2);
  });

  it("an unreachable API is exit 2 naming its URL", async () => {
    const unreachable = await closedPortUrl();
    const [status, verify] = await Promise.all([
      assay(["status", "3f2c0000-0000-4000-8000-000000000000", "--json"], { ASSAY_API_URL: unreachable }),
      assay(["verify", genuine.id, "--json"], { ASSAY_API_URL: unreachable }),
    ]);
    for (const result of [status, verify]) {
      expect(result.code).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr).toContain(`cannot reach the Assay API at ${unreachable} (ECONNREFUSED)`);
    }
  });
});

describe("assay certificate", () => {
  it("--out writes the document { id, payload, jws } by certificate id; by submission id it prints it", async () => {
    const out = join(tempDir(), "cert.json");
    const submission = api.addSubmission({ status: "certified", certificateId: genuine.id });
    const [written, printed] = await Promise.all([assay(["certificate", genuine.id, "--out", out]), assay(["certificate", submission.id])]);
    expect(written.code).toBe(0);
    expect(written.stdout).toMatch(/Wrote certificate 0x[0-9a-f]{64} to /);
    expect(written.stdout).toContain("  claims granted      SRIP-03, SRIP-05\n  claims not granted  SRIP-13 (not-evidenced: ALIAS_SCOPE_LEAK, SESSION_LEAK)\n");
    expect(JSON.parse(readFileSync(out, "utf8"))).toEqual(genuine);
    expect(printed.code).toBe(0);
    expect(JSON.parse(printed.stdout)).toEqual(genuine);
  });

  it("a submission without a certificate is a negative result (exit 1)", async () => {
    const rejected = api.addSubmission({ status: "rejected", outcome: { code: "critical_finding", message: null } });
    const result = await assay(["certificate", rejected.id]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/submission .* has no certificate: it is rejected \(critical_finding\)/);
  });
});

describe("assay verify", () => {
  it("verifies a genuine certificate file locally: exit 0, every check ok, in the protocol's order", async () => {
    const result = await assay(["verify", writeJson(genuine), "--json"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const verdict = verifyJson(result);
    expect(verdict.valid).toBe(true);
    expect(verdict.checks.map((c) => c.name)).toEqual([...CERTIFICATE_CHECKS, STATUS_LIST_CHECK_NAME, ...LOG_CHECK_NAMES]);
    expect(verdict.checks.every((c) => c.ok)).toBe(true);
  });

  it("verifies by id, and prints a readable table without --json", async () => {
    const result = await assay(["verify", genuine.id]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^VALID\n/);
    expect(result.stdout).toMatch(/\n {2}signature +yes +EdDSA signature verified with key /);
    expect(result.stdout).toMatch(/issuer assay:issuer:cli-test; keys fetched now/);
    expect(result.stdout).toContain("\n  claims granted      SRIP-03, SRIP-05\n");
    expect(result.stdout).toContain("\n  claims not granted  SRIP-13 (not-evidenced: ALIAS_SCOPE_LEAK, SESSION_LEAK)\n");
  });

  it.each<[string, () => Promise<unknown>, string]>([
    ["a payload field", async () => ({ ...genuine, payload: { ...genuine.payload, subject: { ...genuine.payload.subject, version: "9.9.9" } } }), "id"],
    ["the id", async () => ({ ...genuine, id: `0x${"f".repeat(64)}` }), "id"],
    ["the JWS signature", async () => ({ ...genuine, jws: `${genuine.jws.slice(0, genuine.jws.lastIndexOf(".") + 1)}${"A".repeat(86)}` }), "signature"],
    ["the signing key (another key's signature)", async () => issueCertificate(await generateSigningKey(), referenceDigest), "signature"],
  ])("tampering with %s → exit 1 with the failing check named", async (_label, tamper, check) => {
    const result = await assay(["verify", writeJson(await tamper()), "--json"]);
    expect(result.code).toBe(1);
    expect(verifyJson(result).valid).toBe(false);
    expect(failing(result)).toContain(check);
  });

  it("reports a revoked certificate's status check as failed (exit 1)", async () => {
    const revoked = await issueCertificate(key, referenceDigest, { supersedes: `0x${"1".repeat(64)}` });
    api.addCertificate(revoked, { state: "revoked", reason: "key_compromise" });
    const result = await assay(["verify", revoked.id, "--json"]);
    expect(result.code).toBe(1);
    expect(verifyJson(result).checks.find((c) => c.name === "status")).toEqual({ name: "status", ok: false, detail: "revoked: key_compromise" });
    expect(failing(result)).toEqual(["status"]);
  });

  it("--artifact compares the local directory's subject digest: match → ok, mismatch → exit 1 naming artifact", async () => {
    const file = writeJson(genuine);
    const [match, mismatch] = await Promise.all([
      assay(["verify", file, "--artifact", REFERENCE, "--json"]),
      assay(["verify", file, "--artifact", PASSTHROUGH, "--json"]),
    ]);
    expect(match.code).toBe(0);
    expect(verifyJson(match).checks.find((c) => c.name === "artifact")?.detail).toBe(`local artifact matches subject digest ${referenceDigest}`);
    expect(mismatch.code).toBe(1);
    expect(failing(mismatch)).toEqual(["artifact"]);
  });

  it("an unreadable file or artifact is exit 2", async () => {
    const notJson = join(tempDir(), "broken.json");
    writeFileSync(notJson, "{ not json");
    const dir = tempDir();
    mkdirSync(join(dir, "empty"));
    const [broken, artifact] = await Promise.all([
      assay(["verify", notJson, "--json"]),
      assay(["verify", writeJson(genuine), "--artifact", join(dir, "empty"), "--json"]),
    ]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/broken\.json is not JSON/);
    expect(artifact.code).toBe(2);
    expect(artifact.stderr).toMatch(/no sigma-runtime\.json in /);
  });

  it("status-list: a v3 certificate's bit in a saved list (clear → ok, set → exit 1, foreign signer → refused); none published → the check fails, exit 1", async () => {
    const index = 4242;
    const v3 = await issueCertificate(key, referenceDigest, { format: "assay.certificate/v3", credentialStatus: { list: statusListId("assay:issuer:cli-test"), index } } as never);
    api.addCertificate(v3);
    const listFile = async (set: number[], signer: SigningKey = key) => {
      const { payload } = await buildStatusList({ id: statusListId("assay:issuer:cli-test"), issuer: "assay:issuer:cli-test", sequence: 1, publishedAt: new Date(Date.now() - 60_000), validUntil: new Date(Date.now() + 3_600_000), highestIndex: index, withdrawn: set });
      const path = join(tempDir(), "list.json");
      writeFileSync(path, JSON.stringify({ jws: await signStatusList(payload, { privateKey: signer.privateJwk, kid: signer.kid }), list: payload }));
      return path;
    };
    const file = writeJson(v3);
    const [clear, set, foreign, none] = await Promise.all([
      assay(["verify", file, "--status-list", await listFile([1, 2]), "--json"]),
      assay(["verify", file, "--status-list", await listFile([index]), "--json"]),
      assay(["verify", file, "--status-list", await listFile([], await generateSigningKey()), "--json"]),
      assay(["verify", file, "--json"]),
    ]);
    expect(clear.code).toBe(0);
    expect(verifyJson(clear).checks.find((c) => c.name === "status-list")?.detail).toMatch(/^not revoked or suspended: bit clear at index 4242 of list #1 /);
    expect(set.code).toBe(1);
    expect(failing(set)).toEqual(["status-list"]);
    expect(foreign.code).toBe(1);
    expect(verifyJson(foreign).checks.find((c) => c.name === "status-list")?.detail).toMatch(/^status list rejected \(file .*\): the signature does not verify/);
    // The fake API is an Assay API without the status-list route (404 route_not_found): the check fails by name,
    // saying why; the command still answers (exit 1, not 2).
    expect(none.code).toBe(1);
    expect(failing(none)).toEqual(["status-list"]);
    expect(verifyJson(none).checks.find((c) => c.name === "status-list")?.detail).toMatch(/^no status list: the status list from http:\/\/127\.0\.0\.1:\d+ could not be read \(.*route_not_found.*\), and no saved copy/);
  });

  it("works offline after one online verify: keys from the cache, status reported as not checkable offline", async () => {
    const server = await startFakeApi([key]);
    server.addCertificate(genuine);
    const file = writeJson(genuine);
    const online = await assay(["verify", file, "--json"], { ASSAY_API_URL: server.url });
    expect(online.code).toBe(0);
    const host = new URL(server.url).host.replace(":", "_");
    expect(JSON.parse(readFileSync(join(home, `.cache/assay/jwks-${host}.json`), "utf8"))).toMatchObject({ issuer: "assay:issuer:cli-test", jwks: { keys: [{ kid: key.kid }] } });
    await server.close();

    const offline = await assay(["verify", file, "--json"], { ASSAY_API_URL: server.url });
    expect(offline.code).toBe(1);
    const verdict = verifyJson(offline);
    expect(failing(offline)).toEqual(["status", "log-inclusion", "log-consistency"]);
    expect(verdict.checks.find((c) => c.name === "status")?.detail).toBe(`status unknown: could not be checked offline: the API at ${server.url} is unreachable`);
    expect(verdict.checks.find((c) => c.name === "signature")?.ok).toBe(true);

    // Without a cache, offline verification cannot even start: exit 2 naming the URL.
    const noCache = await assay(["verify", file, "--json"], { ASSAY_API_URL: server.url, HOME: tempDir("assay-home-") });
    expect(noCache.code).toBe(2);
    expect(noCache.stderr).toMatch(/cannot reach the Assay API at http:\/\/127\.0\.0\.1:\d+ .*no cached key set/);
  });
});
