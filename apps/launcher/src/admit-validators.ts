// `npm start` admits its own demo validators (docs/decisions/0012): activation
// leaves a validator pending, and only an operator (or its indexed on-chain
// stake) makes it drawable. The launcher acts as the demo operator would:
// through the platform's admission service, one audit-log row per validator
// (actor `operator:<demo operator id>`), and only for the keys the demo agents
// keep in the state directory (validators.json) — never for anybody else's
// pending validator. A restart finds them admitted already and does nothing.
import { createPublicKey, createPrivateKey } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createPlatform } from "@assay/platform";
import { ValidatorKeysFileSchema } from "@assay/protocol";
import type { LauncherConfig } from "./config";
import { readDemoFile } from "./demo-file";

/** Every demo validator weighs the same: the stake its agents declare by default. */
export const DEMO_VALIDATOR_STAKE = "1000000";

/** Public keys (base64url) of the demo agents in the state directory, by agent name. */
export function demoValidatorKeys(stateDir: string): Map<string, string> {
  const file = join(stateDir, "validators.json");
  if (!existsSync(file)) return new Map();
  const parsed = ValidatorKeysFileSchema.safeParse(JSON.parse(readFileSync(file, "utf8")));
  if (!parsed.success) return new Map();
  return new Map(
    Object.entries(parsed.data.keys).map(([name, pem]) => [name, (createPublicKey(createPrivateKey(pem)).export({ format: "jwk" }) as { x: string }).x]),
  );
}

export type AdmissionReport = { admitted: string[]; alreadyAdmitted: string[]; missing: string[] };

export async function admitDemoValidators(config: LauncherConfig): Promise<AdmissionReport> {
  const report: AdmissionReport = { admitted: [], alreadyAdmitted: [], missing: [] };
  const keys = demoValidatorKeys(config.stateDir);
  if (keys.size === 0) return report;
  const demo = readDemoFile(config.demoFile);
  const platform = await createPlatform(config.app);
  try {
    const operator = demo ? await platform.store.repos.operators.findByEmail(demo.operator.email) : null;
    const actor = operator ? `operator:${operator.id}` : "launcher:npm-start";
    for (const [name, publicKey] of keys) {
      const validator = await platform.validators.findByPublicKey(publicKey);
      if (!validator) report.missing.push(name);
      else if (validator.standing !== "pending") report.alreadyAdmitted.push(name);
      else {
        await platform.admission.approve(validator.id, { stake: DEMO_VALIDATOR_STAKE, reason: "demo validator admitted by npm start" }, actor);
        report.admitted.push(name);
      }
    }
  } finally {
    await platform.close();
  }
  return report;
}
