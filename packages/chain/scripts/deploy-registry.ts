// `npm run deploy -w @assay/chain`: deploys the registry to ASSAY_CHAIN_RPC_URL with
// ASSAY_CHAIN_PRIVATE_KEY and prints the addresses as one JSON line (for start scripts to read).
import { deployRegistry } from "../src";

async function main(): Promise<number> {
  const rpcUrl = process.env.ASSAY_CHAIN_RPC_URL;
  const privateKey = process.env.ASSAY_CHAIN_PRIVATE_KEY;
  if (rpcUrl === undefined || privateKey === undefined) {
    console.error("set ASSAY_CHAIN_RPC_URL and ASSAY_CHAIN_PRIVATE_KEY");
    return 2;
  }
  const cooldown = process.env.ASSAY_CHAIN_UNSTAKE_COOLDOWN_SECONDS;
  const deployed = await deployRegistry({ rpcUrl, privateKey, ...(cooldown === undefined ? {} : { unstakeCooldownSeconds: Number(cooldown) }) });
  process.stdout.write(`${JSON.stringify(deployed, (_, value: unknown) => (typeof value === "bigint" ? value.toString() : value))}\n`);
  return 0;
}

// CommonJS package: no top-level await.
main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
