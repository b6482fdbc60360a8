// `npm run demo`: submit examples/runtimes/reference as the demo developer and
// follow it to its verdict. Through the real CLI (`npx assay submit --wait
// --json`) when the CLI has `submit`; until then through the developer API over
// HTTP, as the CLI would. Prints the verify URL of the certificate.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { MANIFEST_FILE } from "@assay/protocol";
import { z } from "zod";
import type { LauncherConfig } from "./config";
import { readDemoFile, type DemoFile } from "./demo-file";
import { LauncherError } from "./errors";

const TERMINAL = new Set(["certified", "rejected", "failed"]);

const SubmissionSchema = z.object({ id: z.string(), status: z.string(), certificateId: z.string().nullable().optional() }).passthrough();
export type DemoSubmission = z.infer<typeof SubmissionSchema>;

export type DemoResult = { via: "cli" | "http"; submission: DemoSubmission; verifyUrl: string | null; certificateUrl: string | null };

export async function runDemo(config: LauncherConfig, options: { runtime?: string; write?: (line: string) => void; timeoutMs?: number } = {}): Promise<DemoResult> {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const demo = readDemoFile(config.demoFile);
  if (!demo) throw new LauncherError(`no demo credentials at ${config.demoFile}`, "Start the platform first: npm start");
  await expectHealthy(demo.apiUrl);
  const runtimeDir = join(config.app.repoRoot, "examples", "runtimes", options.runtime ?? "reference");
  const viaCli = cliHasSubmit(config.app.repoRoot);
  write(`submitting ${runtimeDir} ${viaCli ? "with `npx assay submit --wait --json`" : "over the developer API (the CLI has no submit command yet)"}`);
  const submission = viaCli ? submitWithCli(config.app.repoRoot, runtimeDir, demo) : await submitOverHttp(runtimeDir, demo, write, options.timeoutMs ?? 300_000);
  const certificateId = submission.certificateId ?? null;
  const result: DemoResult = {
    via: viaCli ? "cli" : "http",
    submission,
    verifyUrl: certificateId ? `${demo.webUrl}/verify/${certificateId}` : null,
    certificateUrl: certificateId ? `${demo.apiUrl}/v1/public/certificates/${certificateId}` : null,
  };
  if (viaCli) write(`submission ${submission.id}: ${submission.status}`);
  if (result.verifyUrl) {
    write(`certificate ${certificateId}`);
    write(`  verify in the browser: ${result.verifyUrl}`);
    write(`  the document:          ${result.certificateUrl}`);
    write(`  with the CLI:          npx assay verify ${certificateId}`);
  }
  return result;
}

async function expectHealthy(apiUrl: string): Promise<void> {
  try {
    const response = await fetch(`${apiUrl}/v1/public/health`, { signal: AbortSignal.timeout(3_000) });
    if (response.ok) return;
    throw new Error(`HTTP ${response.status}`);
  } catch (error) {
    throw new LauncherError(`the API at ${apiUrl} is not answering (${(error as Error).message})`, "Start the platform first: npm start");
  }
}

function cliHasSubmit(repoRoot: string): boolean {
  const help = spawnSync("npx", ["--no-install", "assay", "--help"], { cwd: repoRoot, encoding: "utf8", timeout: 30_000 });
  return help.status === 0 && /^\s+submit\b/m.test(help.stdout);
}

function submitWithCli(repoRoot: string, runtimeDir: string, demo: DemoFile): DemoSubmission {
  const run = spawnSync("npx", ["--no-install", "assay", "submit", runtimeDir, "--wait", "--json"], {
    cwd: repoRoot,
    encoding: "utf8",
    env: { ...process.env, ASSAY_API_URL: demo.apiUrl, ASSAY_API_KEY: demo.developer.apiKey },
    stdio: ["ignore", "pipe", "inherit"],
    timeout: 600_000,
  });
  if (run.status === 2 || run.stdout.trim() === "") throw new LauncherError(`assay submit failed (exit ${run.status})`);
  const submitted = SubmissionSchema.parse(JSON.parse(run.stdout));
  if (submitted.certificateId || submitted.status !== "certified") return submitted;
  // SPEC §11: submit answers { id, status }; status adds certificateId.
  const status = spawnSync("npx", ["--no-install", "assay", "status", submitted.id, "--json"], {
    cwd: repoRoot,
    encoding: "utf8",
    env: { ...process.env, ASSAY_API_URL: demo.apiUrl, ASSAY_API_KEY: demo.developer.apiKey },
    stdio: ["ignore", "pipe", "inherit"],
    timeout: 60_000,
  });
  return status.status === 0 ? SubmissionSchema.parse(JSON.parse(status.stdout)) : submitted;
}

export function packRuntimeDirectory(dir: string): { manifest: unknown; files: { path: string; contentBase64: string }[] } {
  const manifestText = readFileSync(join(dir, MANIFEST_FILE), "utf8");
  const manifest = JSON.parse(manifestText) as { entry: string };
  return {
    manifest,
    files: [
      { path: MANIFEST_FILE, contentBase64: Buffer.from(manifestText).toString("base64") },
      { path: manifest.entry, contentBase64: readFileSync(join(dir, manifest.entry)).toString("base64") },
    ],
  };
}

async function submitOverHttp(runtimeDir: string, demo: DemoFile, write: (line: string) => void, timeoutMs: number): Promise<DemoSubmission> {
  const headers = { "content-type": "application/json", authorization: `Bearer ${demo.developer.apiKey}`, "x-api-key": demo.developer.apiKey };
  const created = await fetch(`${demo.apiUrl}/v1/developer/submissions`, { method: "POST", headers, body: JSON.stringify(packRuntimeDirectory(runtimeDir)) });
  const body = (await created.json().catch(() => null)) as unknown;
  if (!created.ok) throw new LauncherError(`the API refused the submission: HTTP ${created.status} ${JSON.stringify(body)}`);
  let submission = SubmissionSchema.parse(body);
  write(`submission ${submission.id}: ${submission.status}`);
  const deadline = Date.now() + timeoutMs;
  let last = submission.status;
  while (!TERMINAL.has(submission.status)) {
    if (Date.now() > deadline) throw new LauncherError(`submission ${submission.id} is still ${submission.status} after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 500));
    const response = await fetch(`${demo.apiUrl}/v1/developer/submissions/${submission.id}`, { headers });
    if (!response.ok) throw new LauncherError(`reading submission ${submission.id} failed: HTTP ${response.status}`);
    submission = SubmissionSchema.parse(await response.json());
    if (submission.status !== last) write(`submission ${submission.id}: ${(last = submission.status)}`);
  }
  return submission;
}
