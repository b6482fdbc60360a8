// Regression tests of the security probe (issue 14 §1): with no secret in the
// environment, an install generates its own (docs/decisions/0013), so tokens
// forged with the formerly public development secret open no plane, and what
// was sealed at rest does not open with the formerly public key-encryption secret.
import { createHmac, generateKeyPairSync, hkdfSync } from "node:crypto";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LEGACY_DEV_KEY_ENCRYPTION_SECRET, LEGACY_DEV_SESSION_SECRET, SecretBox } from "@assay/platform";
import { startApi, type TestApi } from "./helpers";

let t: TestApi;
let stateDir: string;
let ids: { developer: string; validator: string; operator: string };

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), "assay-api-state-"));
  t = await startApi({ ASSAY_STATE_DIR: stateDir });
  const developer = await t.platform.developers.create({ email: "forge@example.com", name: "Forge" });
  const publicKey = (generateKeyPairSync("ed25519").publicKey.export({ format: "jwk" }) as { x: string }).x;
  const validator = await t.platform.validators.activate({ publicKey, stake: "1000", kind: "person" });
  const { operator } = await t.platform.operators.create({ email: "admin@example.com", password: "admin password 12", role: "admin" });
  ids = { developer: developer.id, validator: validator.id, operator: operator.id };
});
afterAll(async () => {
  await t.close();
  rmSync(stateDir, { recursive: true, force: true });
});

/** An HS256 JWT as the platform made them before 0013: per-plane HKDF key, or the raw secret. */
function forge(plane: string, subject: string, keyKind: "hkdf" | "raw"): string {
  const key = keyKind === "hkdf" ? Buffer.from(hkdfSync("sha256", LEGACY_DEV_SESSION_SECRET, "assay-session-tokens", `assay:${plane}`, 32)) : Buffer.from(LEGACY_DEV_SESSION_SECRET);
  const now = Math.floor(Date.now() / 1000);
  const part = (v: object) => Buffer.from(JSON.stringify(v)).toString("base64url");
  const unsigned = `${part({ alg: "HS256", typ: "JWT" })}.${part({ iss: "assay", aud: `assay:${plane}`, sub: subject, role: "admin", iat: now, exp: now + 3600 })}`;
  return `${unsigned}.${createHmac("sha256", key).update(unsigned).digest("base64url")}`;
}

it("generated the install's secrets under the state directory (0600), none of them the old public value", () => {
  const file = join(stateDir, "secrets.json");
  expect(t.env.config.secrets.file).toBe(file);
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(t.env.config.secrets.session).not.toBe(LEGACY_DEV_SESSION_SECRET);
  expect(t.env.config.secrets.keyEncryption).not.toBe(LEGACY_DEV_KEY_ENCRYPTION_SECRET);
});

describe.each(["hkdf", "raw"] as const)("a token forged with the old public session secret (%s key)", (keyKind) => {
  it.each([
    ["operator", "/v1/operator/me", () => ids.operator],
    ["operator", "/v1/operator/signing-keys", () => ids.operator],
    ["developer", "/v1/developer/me", () => ids.developer],
    ["developer", "/v1/developer/submissions", () => ids.developer],
    ["agent", "/v1/agent/me", () => ids.validator],
  ] as const)("gets 401 on the %s route %s", async (plane, path, subject) => {
    const res = await t.call("GET", path, { token: forge(plane, subject(), keyKind) });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe("token_invalid");
  });

  it("cannot rotate the signing key", async () => {
    const before = await t.platform.signingKeys.list();
    const res = await t.call("POST", "/v1/operator/signing-keys/rotate", { token: forge("operator", ids.operator, keyKind) });
    expect(res.status).toBe(401);
    expect(await t.platform.signingKeys.list()).toEqual(before);
  });
});

it("stored TOTP secrets and signing keys open with the install's key-encryption secret only", async () => {
  const operator = await t.platform.store.repos.operators.findById(ids.operator);
  const keys = await t.platform.store.repos.signingKeys.listAll();
  expect(keys.length).toBeGreaterThan(0);
  const legacy = new SecretBox(LEGACY_DEV_KEY_ENCRYPTION_SECRET);
  const install = new SecretBox(t.env.config.secrets.keyEncryption);
  expect(() => legacy.open("totp-secret", operator!.totpSecretEncrypted)).toThrow();
  expect(install.open("totp-secret", operator!.totpSecretEncrypted)).toMatch(/^[A-Z2-7]+=*$/);
  for (const key of keys) {
    expect(() => legacy.open("signing-key", key.privateJwkEncrypted)).toThrow();
    expect(JSON.parse(install.open("signing-key", key.privateJwkEncrypted))).toMatchObject({ kty: "OKP", crv: "Ed25519" });
  }
});

it("real sessions still work: the operator plane's own token, the developer plane's API key", async () => {
  const operatorToken = (await t.platform.tokens.issue("operator", ids.operator, { role: "admin" })).token;
  expect((await t.call("GET", "/v1/operator/me", { token: operatorToken })).status).toBe(200);
  const apiKey = (await t.platform.apiKeys.create(ids.developer, "k")).key;
  expect((await t.call("GET", "/v1/developer/me", { token: apiKey })).status).toBe(200);
});
