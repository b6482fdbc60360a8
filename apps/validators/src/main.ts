// `npm start -w @assay/validators`: the demo validator agents as a separate
// process talking HTTP to the API (ASSAY_API_URL, default the local API).
// ASSAY_VALIDATORS sets the population (default honest:5,lazy:1,contrarian:1,colluding:1).
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { ValidatorKeysFileSchema, type ValidatorKeysFile } from "@assay/protocol";
import { DEFAULT_MIX, parseMix } from "./profiles";
import { ValidatorRunner } from "./agent-runner";

const log = (message: string) => process.stdout.write(`validators: ${message}\n`);

async function waitForApi(baseUrl: string): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      const response = await fetch(`${baseUrl}/v1/public/health`);
      if (response.ok) return;
    } catch {
      // not up yet
    }
    if (i % 10 === 0) log(`waiting for the API at ${baseUrl}`);
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

/**
 * Keys live in the launcher's state directory (validators.json, like demo.json),
 * so a restart brings back the same validators instead of activating new ones
 * and leaving the old ones drawn into seats nobody fills.
 */
function keysFile(): string {
  const repoRoot = resolve(__dirname, "..", "..", "..");
  const stateDir = process.env.ASSAY_STATE_DIR ?? join(repoRoot, ".assay");
  return join(isAbsolute(stateDir) ? stateDir : resolve(repoRoot, stateDir), "validators.json");
}

function readKeys(file: string): Record<string, string> {
  try {
    return existsSync(file) ? ValidatorKeysFileSchema.parse(JSON.parse(readFileSync(file, "utf8"))).keys : {};
  } catch {
    log(`ignoring unreadable ${file}`);
    return {};
  }
}

async function main(): Promise<void> {
  const baseUrl = (process.env.ASSAY_API_URL ?? process.env.ASSAY_PUBLIC_URL ?? `http://127.0.0.1:${process.env.ASSAY_API_PORT ?? "3000"}`).replace(/\/$/, "");
  const profiles = parseMix(process.env.ASSAY_VALIDATORS ?? DEFAULT_MIX);
  const pollMs = Number(process.env.ASSAY_VALIDATORS_POLL_MS ?? "1000");
  await waitForApi(baseUrl);
  const file = keysFile();
  const runner = new ValidatorRunner({ baseUrl, profiles, pollMs, log, keys: readKeys(file) });
  await runner.activateAll();
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ keys: runner.keys() } satisfies ValidatorKeysFile, null, 2));
  chmodSync(file, 0o600);
  runner.start();
  log(`validators started: ${runner.agents.map((a) => a.name).join(", ")}`);
  const report = setInterval(() => {
    runner
      .reputations()
      .then((rows) => log(`reputation ${rows.map((r) => `${r.name}=${r.reputationBps}bps/${r.standing}/${r.payable}cr`).join(" ")}`))
      .catch((error: unknown) => log(`reputation report failed: ${(error as Error).message}`));
  }, 30_000);
  const stop = () => {
    runner.stop();
    clearInterval(report);
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`validators: failed to start: ${(error as Error).message}\n`);
  process.exit(1);
});
