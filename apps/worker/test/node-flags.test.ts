// The worker's Node flags (src/node-flags.ts) are the ones `npm start` runs it with,
// and they cap the heap as stated: a start script edited without them, or a flag
// that tsx does not pass on to Node, fails here.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { WORKER_HEAP_LIMIT_MIB, WORKER_NODE_FLAGS } from "../src/node-flags";

const WORKER_DIR = join(__dirname, "..");
const TSX_CLI = join(WORKER_DIR, "..", "..", "node_modules", "tsx", "dist", "cli.mjs");
const PRINT_HEAP_LIMIT = "process.stdout.write(String(require('node:v8').getHeapStatistics().heap_size_limit / 1048576))";

function heapLimitMiB(args: string[]): number {
  return Number(execFileSync(process.execPath, args, { cwd: WORKER_DIR, encoding: "utf8" }));
}

describe("worker Node flags", () => {
  it("are the ones the start script (what the launcher runs) passes", () => {
    const scripts = JSON.parse(readFileSync(join(WORKER_DIR, "package.json"), "utf8")).scripts as Record<string, string>;
    expect(scripts.start).toBe(`tsx ${WORKER_NODE_FLAGS.join(" ")} src/main.ts`);
  });

  it("cap the old generation at the stated size, through tsx as through node", () => {
    const viaTsx = heapLimitMiB([TSX_CLI, ...WORKER_NODE_FLAGS, "-e", PRINT_HEAP_LIMIT]);
    const viaNode = heapLimitMiB([...WORKER_NODE_FLAGS, "-e", PRINT_HEAP_LIMIT]);
    const uncapped = heapLimitMiB(["-e", PRINT_HEAP_LIMIT]);
    for (const limit of [viaTsx, viaNode]) {
      // The heap limit is the old generation's cap plus the young generation (a few tens of MiB).
      expect(limit).toBeGreaterThanOrEqual(WORKER_HEAP_LIMIT_MIB);
      expect(limit).toBeLessThan(WORKER_HEAP_LIMIT_MIB + 128);
    }
    expect(uncapped).not.toBe(viaNode);
  });
});
