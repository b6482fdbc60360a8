// The anchor check read from the chain by this browser (docs/decisions/0031),
// with a viem public client against the RPC URL the discovery document names:
// the chain id, isAnchored(id, proof, root) and statusOf(id) on the
// CertificateRegistry at one block, and the anchoring transaction's receipt
// (mined in the block the document names, emitting BatchAnchored(root) from the
// registry). viem is loaded only here, with a dynamic import, so only the verify
// route pays for it.
//
// The registry's ABI is not imported (apps/web may import @assay/protocol only):
// the four signatures below are held equal to @assay/chain's generated ABI by
// apps/web/test/chain-abi.test.ts.
import type { CertificateAnchorState } from "@assay/protocol";
import { chainLabel } from "./explain";
import type { AnchorProof } from "./lookup";

export const REGISTRY_READ_SIGNATURES = [
  "function isAnchored(bytes32 id, bytes32[] proof, bytes32 root) view returns (bool)",
  "function statusOf(bytes32 id) view returns (uint8 status, (uint64 anchoredAt, uint64 validUntil, uint64 revokedAt, uint16 reasonCode) record)",
  "event BatchAnchored(bytes32 indexed merkleRoot, uint32 count, address indexed issuer)",
  "error UnknownRoot(bytes32 merkleRoot)",
] as const;

/** Hardhat's and Anvil's development chain id. */
export const LOCAL_DEV_CHAIN_ID = 31337;

export type ChainConfig = { chainId: number | null; registry: string; rpcUrl: string };

/**
 * The browser's reading: `computed` when the chain answered (state is what it
 * says, pass or fail), `unreachable` when no RPC answered (the page then shows
 * the server's reading, labelled as such).
 */
export type ChainAnchorReading =
  | { kind: "computed"; state: CertificateAnchorState; chainId: number; block: number; local: boolean; detail: string }
  | { kind: "unreachable"; detail: string };

const BYTES32 = /^0x[0-9a-fA-F]{64}$/;

/** Reads the anchor of `id` from the chain; null when there is nothing to read (no chain configured, or no anchor proof yet). */
export async function readAnchorFromChain(input: {
  id: string;
  proof: AnchorProof | null;
  /** The document's anchor block (tx, block), when it has one. */
  anchored: { tx: string; block: number } | null;
  chain: ChainConfig | null;
  timeoutMs?: number;
}): Promise<ChainAnchorReading | null> {
  const { id, proof, anchored, chain } = input;
  if (!chain || !chain.rpcUrl || !proof || !BYTES32.test(id)) return null;
  const { createPublicClient, http, parseAbi, zeroHash, parseEventLogs, BaseError, ContractFunctionRevertedError } = await import("viem");
  const abi = parseAbi(REGISTRY_READ_SIGNATURES);
  const client = createPublicClient({ transport: http(chain.rpcUrl, { timeout: input.timeoutMs ?? 5_000, retryCount: 0 }) });
  let chainId: number;
  let block: bigint;
  try {
    [chainId, block] = await Promise.all([client.getChainId(), client.getBlockNumber({ cacheTime: 0 })]);
  } catch (error) {
    return { kind: "unreachable", detail: `no answer from ${chain.rpcUrl}: ${firstLine(error)}` };
  }
  const local = chainId === LOCAL_DEV_CHAIN_ID;
  const where = `${chainLabel(chainId)}, block ${block}`;
  const computed = (state: CertificateAnchorState, detail: string): ChainAnchorReading => ({ kind: "computed", state, chainId, block: Number(block), local, detail: `${detail}; read in this browser from ${where}` });
  const failed = (error: string) => computed({ state: "failed", error }, error);

  if (proof.chainId !== null && proof.chainId !== chainId) return failed(`anchored on chain ${proof.chainId}, the RPC serves chain ${chainId}`);
  if (proof.registry !== null && proof.registry.toLowerCase() !== chain.registry.toLowerCase()) return failed(`anchored on registry ${proof.registry}, this deployment's registry is ${chain.registry}`);
  const address = chain.registry as `0x${string}`;
  const certificateId = id as `0x${string}`;
  try {
    const [, record] = await client.readContract({ address, abi, functionName: "statusOf", args: [certificateId], blockNumber: block });
    if (record.revokedAt !== 0n) return computed({ state: "revoked-on-chain", reason: `reason code ${record.reasonCode}` }, `revoked on chain (reason code ${record.reasonCode})`);
    let member: boolean;
    try {
      member = await client.readContract({ address, abi, functionName: "isAnchored", args: [certificateId, proof.proof as `0x${string}`[], (proof.root || zeroHash) as `0x${string}`], blockNumber: block });
    } catch (error) {
      const revert = error instanceof BaseError ? error.walk((e) => e instanceof ContractFunctionRevertedError) : null;
      if (revert instanceof ContractFunctionRevertedError && revert.data?.errorName === "UnknownRoot") return failed("the batch root is not anchored on this registry");
      throw error;
    }
    if (!member) return failed("the inclusion proof does not verify against the anchored root");
    if (!anchored) return failed("the chain has the root, but the document names no anchoring transaction");
    const receipt = await client.getTransactionReceipt({ hash: anchored.tx as `0x${string}` }).catch(() => null);
    if (!receipt) return failed(`transaction ${anchored.tx} is not on this chain`);
    if (Number(receipt.blockNumber) !== anchored.block) return failed(`transaction ${anchored.tx} was mined in block ${receipt.blockNumber}, not ${anchored.block}`);
    const batches = parseEventLogs({ abi, eventName: "BatchAnchored", logs: receipt.logs }).filter((l) => l.address.toLowerCase() === address.toLowerCase());
    if (!batches.some((l) => l.args.merkleRoot.toLowerCase() === proof.root.toLowerCase())) return failed(`transaction ${anchored.tx} did not anchor root ${proof.root}`);
    return computed({ state: "anchored", block: anchored.block, tx: anchored.tx }, `anchored in block ${anchored.block}, tx ${anchored.tx}`);
  } catch (error) {
    return { kind: "unreachable", detail: `the registry could not be read at ${chain.rpcUrl}: ${firstLine(error)}` };
  }
}

function firstLine(error: unknown): string {
  return ((error as Error)?.message ?? String(error)).split("\n")[0]!.slice(0, 200);
}
