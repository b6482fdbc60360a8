// `npm run soak` (root) → `npm run soak -w @assay/launcher -- [options]`. Not CI:
// a long run on purpose (see soak.ts for what it measures and the flat-memory
// criterion). Options:
//   --minutes N            duration (default 30)
//   --sample-seconds N     sampling interval (default 60)
//   --submissions-per-minute N   steady submission rate (default 1)
//   --public-per-second N  public route requests per second (default 5)
//   --out DIR              where the JSON and SVG go (default docs/soak)
//   --web                  also build and serve the web app
// Exit code: 0 memory flat, 1 not flat, 2 could not run.
import { join } from "node:path";
import { parseArgs } from "node:util";
import { findRepoRoot } from "@assay/platform";
import { runSoak } from "./soak";

const { values } = parseArgs({
  options: {
    minutes: { type: "string", default: "30" },
    "sample-seconds": { type: "string", default: "60" },
    "submissions-per-minute": { type: "string", default: "1" },
    "public-per-second": { type: "string", default: "5" },
    out: { type: "string" },
    web: { type: "boolean", default: false },
  },
});

const positive = (name: string, raw: string | undefined): number => {
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) {
    process.stderr.write(`assay soak: --${name} must be a positive number, got ${raw}\n`);
    process.exit(2);
  }
  return n;
};

const repoRoot = findRepoRoot(__dirname);
runSoak({
  durationMs: positive("minutes", values.minutes) * 60_000,
  sampleMs: positive("sample-seconds", values["sample-seconds"]) * 1000,
  submissionsPerMinute: positive("submissions-per-minute", values["submissions-per-minute"]),
  publicPerSecond: positive("public-per-second", values["public-per-second"]),
  outDir: values.out ?? join(repoRoot, "docs", "soak"),
  web: values.web ?? false,
  write: (line) => process.stdout.write(`${line}\n`),
}).then(
  (result) => process.exit(result.flat ? 0 : 1),
  (error: unknown) => {
    process.stderr.write(`assay soak: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(2);
  },
);
