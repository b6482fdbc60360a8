// Test helpers: temporary runtime directories and a real spawn of the CLI.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";

export const CLI_BIN = resolve(__dirname, "../bin/assay.cjs");
export const REPO_ROOT = resolve(__dirname, "../../..");

export const VALID_MANIFEST = {
  name: "fixture-runtime",
  version: "1.0.0",
  protocol: "sigma-runtime/1",
  entry: "src/index.ts",
  identity: { name: "Ada", role: "migration planner", constraints: ["stay on the migration plan"] },
  claims: ["SRIP-03", "SRIP-05"],
  suite: "core",
};

export const VALID_ENTRY = `import { reply } from "./reply";
export function createRuntime(host: { log(...args: unknown[]): void }) {
  return { step(turn: { text: string }) { host.log(turn.text); return { reply: reply(turn.text), packet: null }; } };
}
`;
export const VALID_HELPER = `export const reply = (text: string): string => \`noted: \${text}\`;\n`;

const created: string[] = [];

export function tempDir(prefix = "assay-cli-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Write files (path → content; objects are written as JSON) into a fresh temp dir. */
export function runtimeDir(files: Record<string, string | object>): string {
  const dir = tempDir();
  writeFiles(dir, files);
  return dir;
}

export function writeFiles(dir: string, files: Record<string, string | object>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), typeof content === "string" ? content : `${JSON.stringify(content, null, 2)}\n`);
  }
}

export function validRuntimeFiles(overrides: Record<string, string | object> = {}): Record<string, string | object> {
  return { "sigma-runtime.json": VALID_MANIFEST, "src/index.ts": VALID_ENTRY, "src/reply.ts": VALID_HELPER, ...overrides };
}

export type CliResult = { code: number | null; stdout: string; stderr: string };

/** Run the real `assay` executable (the bin shim) with the test's Node (Node 22 under npx). */
export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI_BIN, ...args], {
      cwd: options.cwd ?? REPO_ROOT,
      env: { ...process.env, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolvePromise({ code, stdout, stderr }));
  });
}
