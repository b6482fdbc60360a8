// `npx tsx bench/anchor-latency.ts [--out file]` (apps/worker): end-to-end
// latency of the anchor loop for one batch — certificates issued off-chain
// (document + anchor outbox event), then one anchor run (claim, Merkle tree,
// batch row, sign, record, broadcast, receipt, proofs written onto every
// certificate) — against a real `npx hardhat node` and a fresh PostgreSQL
// database, for several batch sizes. Writes JSON (default
// bench-results/anchor-latency.json) and prints it.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { createPlatform, createTestEnvironment, createDeveloperForBench } from "./bench-support";
import { ChainLoops } from "../src/chain/chain-loops";
import { issueCertificates, NO_QUEUE, startTestChain } from "../test/chain-helpers";

const SIZES = [1, 16, 64, 256];
const ROUNDS = 3;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function main(): Promise<void> {
  const outArg = process.argv.indexOf("--out");
  const out = outArg > 0 ? process.argv[outArg + 1]! : join(__dirname, "..", "bench-results", "anchor-latency.json");
  const chain = await startTestChain({ ASSAY_ANCHOR_BATCH_MAX: "256" });
  const env = createTestEnvironment(chain.env);
  const platform = await createPlatform(env.config, { publisher: NO_QUEUE, chainSigner: true });
  const loops = ChainLoops.forPlatform(platform, () => undefined)!;
  const developerId = await createDeveloperForBench(platform);
  const results: Record<string, unknown>[] = [];
  try {
    for (const size of SIZES) {
      const runs: { issueMs: number; anchorMs: number; gasUsed: number }[] = [];
      for (let round = 0; round < ROUNDS; round += 1) {
        const t0 = performance.now();
        const documents = await issueCertificates(platform, developerId, size);
        const t1 = performance.now();
        const report = await loops.anchor!.runOnce();
        const t2 = performance.now();
        if (report.anchoredCertificates !== size) throw new Error(`expected ${size} anchored, got ${JSON.stringify(report)}`);
        const row = await platform.db.certificate.findUniqueOrThrow({ where: { id: documents[0]!.id } });
        const tx = (row.anchor as { tx: `0x${string}` }).tx;
        const receipt = await fetch(chain.node.rpcUrl, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_getTransactionReceipt", params: [tx] }),
        }).then((r) => r.json() as Promise<{ result: { gasUsed: string } }>);
        runs.push({ issueMs: t1 - t0, anchorMs: t2 - t1, gasUsed: Number(BigInt(receipt.result.gasUsed)) });
      }
      const anchorMs = runs.map((r) => r.anchorMs);
      results.push({
        batchSize: size,
        rounds: ROUNDS,
        anchorRunMs: { median: Math.round(percentile(anchorMs, 50)), max: Math.round(Math.max(...anchorMs)) },
        anchorRunMsPerCertificate: Number((percentile(anchorMs, 50) / size).toFixed(2)),
        issueMsPerCertificate: Number((percentile(runs.map((r) => r.issueMs), 50) / size).toFixed(1)),
        gasPerCertificate: Math.round(runs[0]!.gasUsed / size),
        gasPerBatch: runs[0]!.gasUsed,
      });
    }
  } finally {
    await loops.stop();
    await platform.close();
    await env.cleanup();
    await chain.stop();
  }
  const document = {
    bench: "anchor-latency",
    what: "issued certificates → one anchor run (batch, sign, record, broadcast, receipt with 1 confirmation, proofs stored); excludes the loop's wait for its next tick (ASSAY_ANCHOR_INTERVAL_MS, default 2000 ms: add up to that)",
    chain: "npx hardhat node (automine), local PostgreSQL",
    at: new Date().toISOString(),
    results,
  };
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(document, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(document)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
