// `npm run keys:rotate -w @assay/platform`: rotate the certificate-signing key
// (Ed25519) of the configured database through the signing-key service — a new
// active key, the previous one retired but still published in the JWKS so every
// certificate it signed keeps verifying. The rotation is recorded in audit_log
// (actor `script:keys:rotate`, with the OS user). Prints one JSON line: the new kid, the
// retired kids and every kid the JWKS publishes. Running API and worker
// processes pick the new key up within their JWKS cache time (5 s).
import { userInfo } from "node:os";
import { loadConfig } from "../src/config/config";
import type { JobPublisher } from "../src/jobs/publisher";
import { createPlatform } from "../src/platform";

/** Rotation touches only the database: no job is ever published. */
const NO_QUEUE: JobPublisher = {
  publish: () => Promise.reject(new Error("keys:rotate publishes no jobs")),
  ping: () => Promise.resolve(true),
  close: () => Promise.resolve(),
};

async function main(): Promise<void> {
  const platform = await createPlatform(loadConfig(), { publisher: NO_QUEUE });
  try {
    const kid = await platform.signingKeys.rotate({ actor: `script:keys:rotate (${osUser()})` });
    const keys = await platform.signingKeys.list();
    const jwks = await platform.signingKeys.jwks({ fresh: true });
    const line = {
      kid,
      retired: keys.filter((k) => k.status === "retired").map((k) => k.kid),
      published: jwks.keys.map((k) => k.kid),
    };
    console.log(JSON.stringify(line));
  } finally {
    await platform.close();
  }
}

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return "unknown user";
  }
}

main().catch((err: Error) => {
  console.error(`keys:rotate: ${err.message}`);
  process.exit(1);
});
