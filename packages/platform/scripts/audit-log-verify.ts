// `npm run audit-log:verify -w @assay/platform`: recompute the hash chain of the
// operator audit log of the configured database (docs/money.md). Prints one
// JSON line; exit 0 when the chain holds, 1 naming the first broken entry
// (its seq and id, and whether its own hash or its link to the previous one broke).
import { loadConfig } from "../src/config/config";
import { prepareDatabase } from "../src/db/setup";
import { Store } from "../src/repositories";
import { AuditLogChainService } from "../src/services/audit-log-chain";

async function main(): Promise<number> {
  const { db } = await prepareDatabase(loadConfig());
  try {
    const result = await new AuditLogChainService(new Store(db)).verify();
    console.log(JSON.stringify(result));
    if (!result.ok) console.error(`audit log broken at entry seq ${result.firstBroken.seq} (id ${result.firstBroken.id}): ${result.firstBroken.reason}`);
    return result.ok ? 0 : 1;
  } finally {
    await db.$disconnect();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(2);
  },
);
