// Demo accounts, idempotent across restarts: a developer with an API key and an
// operator with a password and a TOTP secret. What demo.json holds is reused
// when the database still agrees with it; otherwise fresh credentials are made
// (the platform never shows a key or a TOTP secret twice, so a lost file cannot
// be recovered, only replaced).
import { randomBytes } from "node:crypto";
import { grantEntry, type Platform } from "@assay/platform";
import type { DemoFile } from "./demo-file";

/** Prepaid credits of the demo developer (docs/money.md): about 600 submissions at the default catalogue. */
export const DEMO_DEVELOPER_CREDITS = 100_000n;

export type DemoAccounts = { developer: { id: string; email: string; apiKey: string; reused: boolean }; operator: DemoFile["operator"] & { reused: boolean } };

export async function seedDemoAccounts(
  platform: Platform,
  emails: { developerEmail: string; operatorEmail: string },
  previous: DemoFile | null,
): Promise<DemoAccounts> {
  const developer = (await platform.developers.findByEmail(emails.developerEmail)) ?? (await platform.developers.create({ email: emails.developerEmail, name: "Demo Developer" }));
  let apiKey = previous?.developer.apiKey;
  let keyReused = false;
  if (apiKey) {
    const principal = await platform.apiKeys.authenticate(apiKey).catch(() => null);
    keyReused = principal?.developerId === developer.id;
  }
  if (!keyReused) apiKey = (await platform.apiKeys.create(developer.id, "demo (npm start)")).key;
  // Granted once per developer (the key makes restarts a no-op), so the demo can submit with billing on.
  await platform.ledger.post(grantEntry({ requestKey: `demo-seed-${developer.id}`, developerId: developer.id, amount: DEMO_DEVELOPER_CREDITS, actor: "system:launcher" }));

  const operator = await seedOperator(platform, emails.operatorEmail, previous?.operator ?? null);
  return { developer: { id: developer.id, email: developer.email, apiKey: apiKey!, reused: keyReused }, operator };
}

async function seedOperator(platform: Platform, email: string, previous: DemoFile["operator"] | null): Promise<DemoAccounts["operator"]> {
  const wanted = previous?.email ?? email;
  const row = await platform.store.repos.operators.findByEmail(wanted);
  if (row && previous && previous.email === wanted) {
    const stored = (() => {
      try {
        return platform.secrets.open("totp-secret", row.totpSecretEncrypted);
      } catch {
        return null;
      }
    })();
    if (stored === previous.totpSecret && !row.disabledAt) return { ...previous, reused: true };
  }
  // The address is taken by an operator whose credentials we do not hold: make
  // a sibling address rather than touch that account. A fresh database with an
  // old demo.json gets the old address and password back (new TOTP secret).
  const address = row ? siblingAddress(email) : wanted;
  const password = previous && !row ? previous.password : randomBytes(18).toString("base64url");
  const created = await platform.operators.create({ email: address, password, role: "admin" });
  return { email: created.operator.email, password, totpSecret: created.totpSecret, reused: false };
}

function siblingAddress(email: string): string {
  const [local, domain] = email.split("@");
  return `${local}+${randomBytes(3).toString("hex")}@${domain}`;
}
