// The development chain (SPEC §7, docs/decisions/0010): a local Hardhat node
// (`hardhat node` from contracts/, offline, Node 22 from the repository), the
// registry deployed on it with Hardhat's first default account (a public test
// key: development only), and the environment that points the API and the
// workers at it. The addresses go to demo.json and, through the API, to
// /.well-known/assay.json.
import { join } from "node:path";
import { deployRegistry, setDevNodeLogging } from "@assay/chain";
import type { LauncherConfig } from "./config";
import type { ServiceSpec } from "./services";

/** Hardhat's default account #0: well known, never for real funds. */
export const HARDHAT_DEV_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

export type DevChain = {
  rpcUrl: string;
  chainId: number;
  registry: string;
  validatorRegistry: string;
  treasury: string;
  deployedAtBlock: number;
};

async function rpcAnswers(rpcUrl: string): Promise<boolean> {
  const response = await fetch(rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
    signal: AbortSignal.timeout(1_000),
  });
  return response.ok;
}

export function devChainRpcUrl(config: LauncherConfig): string {
  return `http://127.0.0.1:${config.chainPort}`;
}

/** Deploys the three registry contracts and returns what the platform's configuration needs. */
export async function deployDevRegistry(rpcUrl: string, options: { rpcLog: boolean }): Promise<{ chain: DevChain; env: Record<string, string>; notes: string[] }> {
  // A short cooldown: demo validators can unstake within a session.
  const deployed = await deployRegistry({ rpcUrl, privateKey: HARDHAT_DEV_KEY, unstakeCooldownSeconds: 600 });
  const chain: DevChain = {
    rpcUrl,
    chainId: deployed.chainId,
    registry: deployed.certificateRegistry,
    validatorRegistry: deployed.validatorRegistry,
    treasury: deployed.treasury,
    deployedAtBlock: Number(deployed.deployedAtBlock),
  };
  // Why off by default: `hardhat node` logs every JSON-RPC request and the workers' chain loops poll it
  // every second, which buried the platform's own lines. After the deployment, so its transactions stay.
  if (!options.rpcLog) await setDevNodeLogging(rpcUrl, false);
  return {
    chain,
    notes: [options.rpcLog ? "JSON-RPC request log on (ASSAY_DEV_CHAIN_RPC_LOG=true)" : "JSON-RPC request log off (ASSAY_DEV_CHAIN_RPC_LOG=true keeps it on)"],
    env: {
      ASSAY_CHAIN_ENABLED: "true",
      ASSAY_CHAIN_RPC_URL: rpcUrl,
      ASSAY_CHAIN_REGISTRY: chain.registry,
      ASSAY_CHAIN_VALIDATOR_REGISTRY: chain.validatorRegistry,
      ASSAY_CHAIN_TREASURY: chain.treasury,
      ASSAY_CHAIN_DEPLOYED_AT_BLOCK: String(chain.deployedAtBlock),
      ASSAY_CHAIN_PRIVATE_KEY: HARDHAT_DEV_KEY,
    },
  };
}

/** The chain as a service of the launcher's list: started first, deployed to once ready. */
export function devChainService(config: LauncherConfig): ServiceSpec {
  const repoRoot = config.app.repoRoot;
  const rpcUrl = devChainRpcUrl(config);
  return {
    name: "chain",
    command: {
      kind: "exec",
      // Node 22 from the repository (Hardhat 3 refuses the system Node 20).
      file: join(repoRoot, "node_modules", ".bin", "node"),
      args: [join(repoRoot, "node_modules", "hardhat", "dist", "src", "cli.js"), "node", "--hostname", "127.0.0.1", "--port", String(config.chainPort)],
      cwd: join(repoRoot, "contracts"),
    },
    ready: { kind: "probe", probe: () => rpcAnswers(rpcUrl), timeoutMs: 60_000 },
    afterReady: () => deployDevRegistry(rpcUrl, { rpcLog: config.devChainRpcLog }),
  };
}
