// Every secret a launcher install and a demo run created, for grepping logs
// (issue 14 §5: no API key, password, TOTP secret, private key or session token
// in any log line). Not included: Hardhat's default account keys, which the
// development chain prints on purpose (public test keys, docs/decisions/0010).
import { createPrivateKey, sign } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createPlatform, loadConfig } from "@assay/platform";
import { ValidatorKeysFileSchema } from "@assay/protocol";
import { generate } from "otplib";
import { DemoFileSchema } from "../src/demo-file";

export type NamedSecret = { name: string; value: string };

/** Reads demo.json, secrets.json, validators.json and the sealed signing keys, and opens one operator and one agent session over HTTP. */
export async function secretsOfInstall(env: Record<string, string>): Promise<NamedSecret[]> {
  const stateDir = env.ASSAY_STATE_DIR!;
  const demo = DemoFileSchema.parse(JSON.parse(readFileSync(join(stateDir, "demo.json"), "utf8")));
  const install = JSON.parse(readFileSync(join(stateDir, "secrets.json"), "utf8")) as { sessionSecret: string; keyEncryptionSecret: string };
  const secrets: NamedSecret[] = [
    { name: "developer API key", value: demo.developer.apiKey },
    { name: "operator password", value: demo.operator.password },
    { name: "operator TOTP secret", value: demo.operator.totpSecret },
    { name: "install session secret", value: install.sessionSecret },
    { name: "install key-encryption secret", value: install.keyEncryptionSecret },
  ];
  const validators = ValidatorKeysFileSchema.parse(JSON.parse(readFileSync(join(stateDir, "validators.json"), "utf8")));
  for (const [name, pem] of Object.entries(validators.keys)) {
    const key = createPrivateKey(pem);
    secrets.push({ name: `validator ${name} private key (JWK d)`, value: (key.export({ format: "jwk" }) as { d: string }).d });
    secrets.push({ name: `validator ${name} private key (PKCS#8 base64)`, value: key.export({ format: "der", type: "pkcs8" }).toString("base64") });
  }
  const platform = await createPlatform(loadConfig(env));
  try {
    for (const row of await platform.store.repos.signingKeys.listAll()) {
      const jwk = JSON.parse(platform.secrets.open("signing-key", row.privateJwkEncrypted)) as { d: string };
      secrets.push({ name: `signing key ${row.kid} (JWK d)`, value: jwk.d });
    }
  } finally {
    await platform.close();
  }
  // Session tokens that went through the API during the run.
  const login = await fetch(`${demo.apiUrl}/v1/operator/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: demo.operator.email, password: demo.operator.password, totp: await generate({ secret: demo.operator.totpSecret }) }),
  });
  if (login.status !== 200) throw new Error(`operator login failed: HTTP ${login.status}`);
  const operatorToken = ((await login.json()) as { token: string }).token;
  secrets.push({ name: "operator session token", value: operatorToken });
  if ((await fetch(`${demo.apiUrl}/v1/operator/me`, { headers: { authorization: `Bearer ${operatorToken}` } })).status !== 200) throw new Error("operator session did not open");
  const [name, pem] = Object.entries(validators.keys)[0]!;
  const key = createPrivateKey(pem);
  const publicKey = (key.export({ format: "jwk" }) as { x: string }).x;
  const post = (path: string, body: unknown) => fetch(`${demo.apiUrl}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const challenge = (await (await post("/v1/agent/challenge", { publicKey })).json()) as { nonce: string; message: string };
  const signature = sign(null, Buffer.from(challenge.message, "utf8"), key).toString("base64url");
  const token = await post("/v1/agent/token", { nonce: challenge.nonce, signature });
  if (token.status !== 200) throw new Error(`agent token for ${name} failed: HTTP ${token.status} ${await token.text()}`);
  const agentToken = ((await token.json()) as { token: string }).token;
  secrets.push({ name: `agent session token (${name})`, value: agentToken });
  if ((await fetch(`${demo.apiUrl}/v1/agent/me`, { headers: { authorization: `Bearer ${agentToken}` } })).status !== 200) throw new Error("agent session did not open");
  return secrets;
}

/** Which secrets appear in which log (empty: none). */
export function secretsIn(logs: Record<string, string>, secrets: NamedSecret[]): string[] {
  const found: string[] = [];
  for (const [log, text] of Object.entries(logs)) {
    for (const secret of secrets) if (secret.value.length >= 8 && text.includes(secret.value)) found.push(`${secret.name} in ${log}`);
  }
  return found;
}
