// The anchor check of `assay verify`, read from the chain by the CLI itself
// (SPEC §6-7, docs/decisions/0010): the document's `anchor` says where to look
// (root, proof, chain id, registry); discovery (or ASSAY_CHAIN_RPC_URL) says
// which RPC endpoint to ask; the answer comes from the registry's isAnchored and
// statusOf at one block, never from the server's database. A chain that cannot
// be read is reported as such.
import { connectChain, readAnchorStatus, toCertificateAnchorState, withAddresses } from "@assay/chain";
import type { CertificateAnchorState } from "@assay/protocol";
import type { Discovery } from "../api";

export type ChainTarget = { rpcUrl: string; registry: string; validatorRegistry?: string; treasury?: string; chainId: number | null; deployedAtBlock?: number };

export type DocumentAnchor = { root: string; proof: string[]; chainId?: number; registry?: string; tx?: string; block?: number };

const BYTES32 = /^0x[0-9a-fA-F]{64}$/;

/** The proof block of a certificate document, or null when it carries none. */
export function documentAnchorOf(document: unknown): DocumentAnchor | null {
  const anchor = (document as { anchor?: unknown } | null)?.anchor;
  if (typeof anchor !== "object" || anchor === null) return null;
  const a = anchor as Record<string, unknown>;
  if (typeof a.root !== "string" || !BYTES32.test(a.root) || !Array.isArray(a.proof) || !a.proof.every((n) => typeof n === "string" && BYTES32.test(n))) return null;
  return {
    root: a.root,
    proof: a.proof as string[],
    ...(typeof a.chainId === "number" ? { chainId: a.chainId } : {}),
    ...(typeof a.registry === "string" ? { registry: a.registry } : {}),
  };
}

/** Where to read the chain: discovery's registry and RPC URL; ASSAY_CHAIN_RPC_URL overrides the URL. */
export function chainTargetOf(discovery: Discovery | null, env: NodeJS.ProcessEnv): ChainTarget | null {
  const chain = discovery?.chain;
  const rpcUrl = env.ASSAY_CHAIN_RPC_URL || chain?.rpcUrl;
  if (!chain || !rpcUrl) return null;
  return {
    rpcUrl,
    registry: chain.registry,
    chainId: chain.chainId,
    ...(chain.validatorRegistry ? { validatorRegistry: chain.validatorRegistry } : {}),
    ...(chain.treasury ? { treasury: chain.treasury } : {}),
    ...(chain.deployedAtBlock !== undefined ? { deployedAtBlock: chain.deployedAtBlock } : {}),
  };
}

/** Reads the anchor of `id` with its proof from the chain. */
export async function readAnchorFromChain(id: string, anchor: DocumentAnchor, target: ChainTarget): Promise<CertificateAnchorState> {
  if (anchor.registry !== undefined && anchor.registry.toLowerCase() !== target.registry.toLowerCase()) {
    return { state: "failed", error: `the document is anchored on registry ${anchor.registry}, the issuer publishes ${target.registry}` };
  }
  try {
    const connection = await connectChain({ rpcUrl: target.rpcUrl, pollingIntervalMs: 250 });
    if (anchor.chainId !== undefined && connection.chain.id !== anchor.chainId) {
      return { state: "failed", error: `the document is anchored on chain ${anchor.chainId}, ${target.rpcUrl} serves chain ${connection.chain.id}` };
    }
    const registry = target.registry as `0x${string}`;
    const context = withAddresses(connection, {
      certificateRegistry: registry,
      validatorRegistry: (target.validatorRegistry ?? registry) as `0x${string}`,
      treasury: (target.treasury ?? registry) as `0x${string}`,
      deployedAtBlock: BigInt(target.deployedAtBlock ?? 0),
    });
    return toCertificateAnchorState(await readAnchorStatus(context, id, anchor.proof, anchor.root));
  } catch (error) {
    return { state: "failed", error: `could not read the chain at ${target.rpcUrl}: ${((error as Error).message.split("\n")[0] ?? "").slice(0, 160)}` };
  }
}
