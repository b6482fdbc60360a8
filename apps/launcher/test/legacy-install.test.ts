// An install from before decision 0013 (issue 14 §1): its signing key and demo
// operator's TOTP secret were sealed with the public development secret. The
// next `npm start` generates the install's own secrets, retires the key it can
// no longer open (audit-logged; still published, so old certificates verify),
// and makes demo credentials that work; the banner prints none of them.
import { rmSync } from "node:fs";
import { join } from "node:path";
import { createPlatform, dropDatabase, LEGACY_DEV_KEY_ENCRYPTION_SECRET, LEGACY_DEV_SESSION_SECRET, loadConfig } from "@assay/platform";
import { generate } from "otplib";
import { loadLauncherConfig } from "../src/config";
import { readDemoFile } from "../src/demo-file";
import { launch } from "../src/launch";
import { launcherEnv } from "./helpers";

jest.setTimeout(120_000);

let env: Record<string, string>;
beforeAll(async () => {
  env = { ...(await launcherEnv()), ASSAY_DEV_CHAIN: "false" };
});
afterAll(async () => {
  await dropDatabase(loadConfig(env).database);
  rmSync(env.ASSAY_STATE_DIR!, { recursive: true, force: true });
});

async function startOnce(extra: Record<string, string>): Promise<string[]> {
  const lines: string[] = [];
  const launched = await launch(loadLauncherConfig({ ...env, ...extra }), { write: (line) => lines.push(line), services: [] });
  await launched.stop();
  return lines;
}

it("generates the install's secrets, rotates away the key sealed with the public secret, and re-seeds a working operator", async () => {
  // The old install: everything sealed with the public development secrets.
  await startOnce({ ASSAY_KEY_ENCRYPTION_SECRET: LEGACY_DEV_KEY_ENCRYPTION_SECRET, ASSAY_SESSION_SECRET: LEGACY_DEV_SESSION_SECRET });
  const oldDemo = readDemoFile(join(env.ASSAY_STATE_DIR!, "demo.json"))!;
  const legacyPlatform = await createPlatform(loadConfig({ ...env, ASSAY_KEY_ENCRYPTION_SECRET: LEGACY_DEV_KEY_ENCRYPTION_SECRET, ASSAY_SESSION_SECRET: LEGACY_DEV_SESSION_SECRET }));
  const oldKid = await legacyPlatform.signingKeys.ensureActiveKey();
  await legacyPlatform.close();

  // The upgrade: no secret in the environment.
  const lines = await startOnce({});
  const output = lines.join("\n");
  expect(output).toContain(`secrets: ${join(env.ASSAY_STATE_DIR!, "secrets.json")}`);
  expect(output).toMatch(/the signing key was sealed with another key-encryption secret; rotated to \S+ \(audit-logged\)/);
  const demo = readDemoFile(join(env.ASSAY_STATE_DIR!, "demo.json"))!;
  for (const secret of [demo.developer.apiKey, demo.operator.password, demo.operator.totpSecret]) expect(output).not.toContain(secret);
  expect(demo.developer.apiKey).toBe(oldDemo.developer.apiKey);
  expect(demo.operator.totpSecret).not.toBe(oldDemo.operator.totpSecret);

  const platform = await createPlatform(loadConfig(env));
  try {
    expect(platform.config.secrets.keyEncryption).not.toBe(LEGACY_DEV_KEY_ENCRYPTION_SECRET);
    expect(await platform.signingKeys.activeKeyOpens()).toBe(true);
    const signer = await platform.signingKeys.signer();
    expect(signer.kid).not.toBe(oldKid);
    expect((await platform.signingKeys.jwks({ fresh: true })).keys.map((k) => k.kid)).toEqual(expect.arrayContaining([oldKid, signer.kid]));
    const rows = await platform.store.repos.auditLog.list({ action: "signing_key.rotate", limit: 5 });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor: "launcher", target: signer.kid, before: { activeKid: oldKid } });
    const operator = await platform.operators.login({ email: demo.operator.email, password: demo.operator.password, totp: await generate({ secret: demo.operator.totpSecret }) });
    expect(operator.role).toBe("admin");
  } finally {
    await platform.close();
  }

  // A third start finds nothing to repair.
  const again = (await startOnce({})).join("\n");
  expect(again).not.toMatch(/rotated/);
  expect(again).toMatch(/demo accounts reused/);
});
