// Anchoring, revoking and reading certificate anchors on the CertificateRegistry. Reads go to the chain
// only: the answer of readAnchorStatus never comes from a database.
import { zeroHash, type Address, type Hash } from "viem";
import { certificateRegistryAbi } from "./abi";
import { requireSigner, type RegistryContext } from "./clients";
import { ContractRevertError, rethrowContractError } from "./errors";
import { buildCertificateBatch, type CertificateBatch } from "./merkle";
import { sendContractTransaction, type MinedTransaction, type TransactionOptions } from "./transactions";
import { assertBytes32, type Bytes32 } from "./types";

export interface AnchorSingleInput {
  id: string;
  subjectDigest: string;
  /** Expiry as unix seconds (0: none declared). */
  validUntil: bigint | number;
}

/** Anchors one certificate id. Throws ContractRevertError "AlreadyAnchored" when it already is. */
export async function anchorSingle(context: RegistryContext, input: AnchorSingleInput, options?: TransactionOptions): Promise<MinedTransaction> {
  const id = assertBytes32(input.id, "certificate id");
  const subjectDigest = assertBytes32(input.subjectDigest, "subject digest");
  return sendContractTransaction(
    requireSigner(context),
    { address: context.addresses.certificateRegistry, abi: certificateRegistryAbi, functionName: "anchor", args: [id, subjectDigest, BigInt(input.validUntil)] },
    options,
  );
}

/** An anchored batch: the transaction and the tree whose proofs go into each certificate. */
export interface AnchoredBatch extends MinedTransaction {
  batch: CertificateBatch;
}

/** Builds the Merkle tree of the ids and anchors its root (one transaction for the whole batch). */
export async function anchorBatch(context: RegistryContext, ids: readonly string[], options?: TransactionOptions): Promise<AnchoredBatch> {
  const batch = buildCertificateBatch(ids);
  const mined = await sendContractTransaction(
    requireSigner(context),
    { address: context.addresses.certificateRegistry, abi: certificateRegistryAbi, functionName: "anchorBatch", args: [batch.root, batch.ids.length] },
    options,
  );
  return { ...mined, batch };
}

/** Revokes a certificate (single or batch member) with a reason code (uint16). */
export async function revokeOnChain(context: RegistryContext, id: string, reasonCode: number, options?: TransactionOptions): Promise<MinedTransaction> {
  if (!Number.isInteger(reasonCode) || reasonCode < 0 || reasonCode > 0xffff) {
    throw new RangeError(`reasonCode must be an integer in [0, 65535], got ${reasonCode}`);
  }
  return sendContractTransaction(
    requireSigner(context),
    { address: context.addresses.certificateRegistry, abi: certificateRegistryAbi, functionName: "revoke", args: [assertBytes32(id, "certificate id"), reasonCode] },
    options,
  );
}

/** Where the anchoring of an id was found on chain. */
export interface AnchorEvidence {
  kind: "single" | "batch";
  /** The batch root (batch only). */
  root?: Bytes32;
  anchoredAt: bigint;
  blockNumber: bigint;
  transactionHash: Hash;
  issuer: Address;
}

/** The on-chain state of one certificate id, read at one block. */
export interface AnchorStatus {
  id: Bytes32;
  /** Read at this block (all reads are pinned to it). */
  blockNumber: bigint;
  /** The id is anchored on its own, or proven a member of an anchored batch. */
  anchored: boolean;
  /** How and where it was anchored (undefined when not anchored). */
  anchor?: AnchorEvidence;
  /** Declared expiry of a single anchor (0: none; batches carry none on chain). */
  validUntil: bigint;
  revoked: boolean;
  revocation?: { revokedAt: bigint; reasonCode: number };
  /** A root was given: membership was checked against a batch. */
  checkedBatch: boolean;
  /** A root was given but never anchored. */
  unknownRoot: boolean;
}

/**
 * Reads whether an id is anchored (on its own, or with proof+root as a batch member) and whether it is
 * revoked, from the chain at one block, with the anchoring transaction found from the registry's events.
 */
export async function readAnchorStatus(context: RegistryContext, id: string, proof?: readonly string[], root?: string): Promise<AnchorStatus> {
  const certificateId = assertBytes32(id, "certificate id");
  const batchRoot = root === undefined ? undefined : assertBytes32(root, "root");
  const proofNodes = (proof ?? []).map((node) => assertBytes32(node, "proof node"));
  const address = context.addresses.certificateRegistry;
  const client = context.publicClient;
  // cacheTime 0: a cached head could predate a transaction the caller just saw mined.
  const blockNumber = await client.getBlockNumber({ cacheTime: 0 });

  const [, record] = await client.readContract({ address, abi: certificateRegistryAbi, functionName: "statusOf", args: [certificateId], blockNumber });
  let anchored: boolean;
  let unknownRoot = false;
  try {
    anchored = await client.readContract({
      address,
      abi: certificateRegistryAbi,
      functionName: "isAnchored",
      args: [certificateId, proofNodes, batchRoot ?? zeroHash],
      blockNumber,
    });
  } catch (error) {
    try {
      rethrowContractError(error);
    } catch (typed) {
      if (!(typed instanceof ContractRevertError) || typed.errorName !== "UnknownRoot") throw typed;
    }
    anchored = false;
    unknownRoot = true;
  }

  const anchor = anchored ? await findAnchorEvidence(context, certificateId, batchRoot, record.anchoredAt, blockNumber) : undefined;
  const revoked = record.revokedAt !== 0n;
  return {
    id: certificateId,
    blockNumber,
    anchored,
    ...(anchor === undefined ? {} : { anchor }),
    validUntil: batchRoot === undefined ? record.validUntil : 0n,
    revoked,
    ...(revoked ? { revocation: { revokedAt: record.revokedAt, reasonCode: record.reasonCode } } : {}),
    checkedBatch: batchRoot !== undefined,
    unknownRoot,
  };
}

async function findAnchorEvidence(
  context: RegistryContext,
  id: Bytes32,
  root: Bytes32 | undefined,
  singleAnchoredAt: bigint,
  toBlock: bigint,
): Promise<AnchorEvidence | undefined> {
  const client = context.publicClient;
  const address = context.addresses.certificateRegistry;
  if (root === undefined) {
    const [event] = await client.getContractEvents({ address, abi: certificateRegistryAbi, eventName: "CertificateAnchored", args: { id }, fromBlock: context.deployedAtBlock, toBlock, strict: true });
    if (event === undefined) return undefined;
    return { kind: "single", anchoredAt: singleAnchoredAt, blockNumber: event.blockNumber, transactionHash: event.transactionHash, issuer: event.args.issuer };
  }
  const [event] = await client.getContractEvents({ address, abi: certificateRegistryAbi, eventName: "BatchAnchored", args: { merkleRoot: root }, fromBlock: context.deployedAtBlock, toBlock, strict: true });
  if (event === undefined) return undefined;
  const batch = await client.readContract({ address, abi: certificateRegistryAbi, functionName: "batchOf", args: [root], blockNumber: toBlock });
  return { kind: "batch", root, anchoredAt: batch.anchoredAt, blockNumber: event.blockNumber, transactionHash: event.transactionHash, issuer: event.args.issuer };
}
