// `npm run bench -w contracts`: measures the registry's gas and a baseline contract in the same run on
// Hardhat's in-process network and writes bench-results/gas.json with the ratios. Exits non-zero when a
// figure is over its target.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { BATCH_SIZE, measureGas } from "./gas-figures.ts";
import { exceededTargets, GAS_TARGETS } from "./gas-targets.ts";

// Not measured here: @ethereum-attestation-service/eas-contracts on npm depends on Hardhat 2 (211 more
// packages beside Hardhat 3), so it is not installed. These are the figures measured for EAS 1.4 on
// Hardhat 3.18 / EDR (osaka) in /work/shared/RECIPES.md, kept as a labelled reference only.
const EAS_REFERENCE = {
  source: "RECIPES.md 'Gas reference points' (EAS 1.4, Hardhat 3.18, EDR, osaka); not measured in this run",
  attest: 229_718,
  multiAttestPerItem: 191_000,
  timestamp: 45_869,
  multiTimestampPerItemAt256: 24_600,
  revoke: 68_559,
};

const ratio = (value: number, base: number): number => Math.round((value / base) * 1000) / 1000;

const { figures, baseline } = await measureGas();
const report = {
  measuredAt: new Date().toISOString(),
  network: "Hardhat 3 in-process (EDR, default hardfork)",
  unit: "gas",
  batchSize: BATCH_SIZE,
  figures,
  targets: GAS_TARGETS,
  overTarget: exceededTargets(figures),
  baseline: {
    contract: "contracts/baseline/AnchorBaseline.sol: the whole record in two slots plus an event, no roles",
    recordSingle: baseline.recordSingle,
  },
  ratios: {
    anchorSingleVsBaselineRecord: ratio(figures.anchorSingle, baseline.recordSingle),
    anchorBatch256PerCertVsBaselineRecord: ratio(figures.anchorBatch256PerCert, baseline.recordSingle),
    anchorSingleVsEasAttestReference: ratio(figures.anchorSingle, EAS_REFERENCE.attest),
    anchorBatch256PerCertVsEasMultiAttestReference: ratio(figures.anchorBatch256PerCert, EAS_REFERENCE.multiAttestPerItem),
    revokeVsEasRevokeReference: ratio(figures.revoke, EAS_REFERENCE.revoke),
  },
  easReference: EAS_REFERENCE,
};

const outFile = join(dirname(fileURLToPath(import.meta.url)), "..", "bench-results", "gas.json");
mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, `${JSON.stringify(report, null, 2)}\n`);
console.log(JSON.stringify(report, null, 2));
if (report.overTarget.length > 0) {
  console.error(`over gas target: ${report.overTarget.join("; ")}`);
  process.exit(1);
}
