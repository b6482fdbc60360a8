// The flows as a client sees them, over HTTP only: submit a runtime with the
// developer's API key, read a submission, change a certificate's status as the
// operator. Every answer is recorded as it came (status, Retry-After, error
// code) or as "no answer" when the connection failed or timed out.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { MANIFEST_FILE } from "@assay/protocol";
import { REPO_ROOT } from "./processes";
import type { Stack } from "./stack";

export type Answer = { status: number; retryAfter: string | null; code: string | null; body: unknown } | { status: 0; error: string };

export async function call(stack: Stack, method: string, path: string, options: { body?: unknown; token?: string; timeoutMs?: number } = {}): Promise<Answer> {
  try {
    const response = await fetch(`${stack.apiUrl}${path}`, {
      method,
      headers: {
        ...(options.body !== undefined ? { "content-type": "application/json" } : {}),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      },
      body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: kept as text
    }
    const code = (body as { error?: { code?: unknown } } | null)?.error?.code;
    return { status: response.status, retryAfter: response.headers.get("retry-after"), code: typeof code === "string" ? code : null, body };
  } catch (error) {
    return { status: 0, error: (error as Error).message };
  }
}

/** The reference runtime as a submission body; `variant` changes its version (another artifact, another blob). */
export function packedReference(variant?: string): unknown {
  const dir = join(REPO_ROOT, "examples", "runtimes", "reference");
  const manifest = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), "utf8")) as { entry: string; version: string };
  if (variant) manifest.version = `1.0.0-${variant}`;
  const manifestText = JSON.stringify(manifest, null, 2);
  return {
    manifest,
    files: [
      { path: MANIFEST_FILE, contentBase64: Buffer.from(manifestText).toString("base64") },
      { path: manifest.entry, contentBase64: readFileSync(join(dir, manifest.entry)).toString("base64") },
    ],
  };
}

export function submit(stack: Stack, variant?: string): Promise<Answer> {
  return call(stack, "POST", "/v1/developer/submissions", { body: packedReference(variant), token: stack.developerKey, timeoutMs: 30_000 });
}

export function idOf(answer: Answer): string | null {
  if (answer.status !== 201) return null;
  const id = (answer.body as { id?: unknown }).id;
  return typeof id === "string" ? id : null;
}

/** Submits until the API accepts (a client retrying after 503 or no answer); the submission's id. */
export async function submitUntilAccepted(stack: Stack, timeoutMs = 120_000, variant?: string): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last: Answer | null = null;
  while (Date.now() < deadline) {
    last = await submit(stack, variant);
    const id = idOf(last);
    if (id) return id;
    await new Promise((r) => setTimeout(r, 1_000));
  }
  throw new Error(`the API did not accept a submission within ${timeoutMs} ms; last answer ${JSON.stringify(last).slice(0, 500)}`);
}

export function getSubmission(stack: Stack, id: string): Promise<Answer> {
  return call(stack, "GET", `/v1/developer/submissions/${id}`, { token: stack.developerKey, timeoutMs: 10_000 });
}

export function changeCertificateStatus(stack: Stack, certificateId: string, status: "suspended" | "active"): Promise<Answer> {
  return call(stack, "POST", `/v1/operator/certificates/${certificateId}/status`, { body: { status, reasonCode: "fault_matrix" }, token: stack.operatorToken });
}

/** An answer that breaks the contract while a dependency is down: any 5xx other than 503, or a 503 without Retry-After or the error body. */
export function contractViolationOf(answer: Answer): string | null {
  if ("error" in answer || answer.status < 500) return null;
  if (answer.status !== 503) return `answered ${answer.status} (${answer.code ?? "no code"})`;
  if (!answer.retryAfter || !/^\d+$/.test(answer.retryAfter)) return "503 without a numeric Retry-After";
  if (!answer.code) return "503 without the error body";
  return null;
}
