// The launcher admits the demo validators of its state directory (and nobody
// else's pending validator) through the admission service, with an audit-log
// row by the demo operator; a second run changes nothing. Real PostgreSQL.
import { generateKeyPairSync, createPublicKey } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { createPlatform, dropDatabase, type Platform } from "@assay/platform";
import { admitDemoValidators, demoValidatorKeys } from "../src/admit-validators";
import { loadLauncherConfig, type LauncherConfig } from "../src/config";
import { writeDemoFile } from "../src/demo-file";
import { launcherEnv } from "./helpers";

jest.setTimeout(60_000);

let config: LauncherConfig;
let platform: Platform;

const keyPair = () => {
  const { privateKey } = generateKeyPairSync("ed25519");
  return { pem: privateKey.export({ format: "pem", type: "pkcs8" }).toString(), publicKey: (createPublicKey(privateKey).export({ format: "jwk" }) as { x: string }).x };
};

beforeAll(async () => {
  config = loadLauncherConfig(await launcherEnv());
  platform = await createPlatform(config.app);
});
afterAll(async () => {
  await platform?.close();
  await dropDatabase(config.app.database).catch(() => undefined);
});

it("admits the demo agents' pending validators as the demo operator, leaves others pending, and is idempotent", async () => {
  const { operator } = await platform.operators.create({ email: "demo-operator@example.test", password: "demo operator password", role: "admin" });
  writeDemoFile(config.demoFile, {
    apiUrl: config.apiUrl,
    webUrl: config.webUrl,
    developer: { apiKey: "assay_dev_placeholder" },
    operator: { email: operator.email, password: "demo operator password", totpSecret: "JBSWY3DPEHPK3PXPJBSWY3DP" },
  });
  const [a, b, stranger] = [keyPair(), keyPair(), keyPair()];
  writeFileSync(join(config.stateDir, "validators.json"), JSON.stringify({ keys: { "honest-1": a.pem, "lazy-1": b.pem, "never-activated": keyPair().pem } }));
  expect([...demoValidatorKeys(config.stateDir).values()].slice(0, 2)).toEqual([a.publicKey, b.publicKey]);
  const ids = [];
  for (const k of [a, b, stranger]) ids.push((await platform.validators.activate({ publicKey: k.publicKey, stake: "5", kind: "agent", modelFamily: "demo" })).id);

  const first = await admitDemoValidators(config);
  expect(first).toEqual({ admitted: ["honest-1", "lazy-1"], alreadyAdmitted: [], missing: ["never-activated"] });
  const rows = await platform.db.validator.findMany({ where: { id: { in: ids } } });
  const byId = new Map(rows.map((r) => [r.id, r]));
  expect(byId.get(ids[0]!)).toMatchObject({ standing: "active", stake: 1_000_000n, declaredStake: 5n, admittedBy: `operator:${operator.id}` });
  expect(byId.get(ids[1]!)).toMatchObject({ standing: "active", stake: 1_000_000n });
  expect(byId.get(ids[2]!)).toMatchObject({ standing: "pending", stake: 0n });
  const audit = await platform.db.auditLogEntry.findMany({ where: { action: "validator.approve" } });
  expect(audit.map((r) => r.target).sort()).toEqual([ids[0], ids[1]].sort());
  expect(audit.every((r) => r.actor === `operator:${operator.id}`)).toBe(true);

  const second = await admitDemoValidators(config);
  expect(second).toEqual({ admitted: [], alreadyAdmitted: ["honest-1", "lazy-1"], missing: ["never-activated"] });
  expect(await platform.db.auditLogEntry.count({ where: { action: "validator.approve" } })).toBe(2);
});
