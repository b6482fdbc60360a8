// The Treasury's FeeDeposited logs as typed values (docs/money.md "On-chain
// deposits"): fetched by block range for the deposit indexer, decoded from one
// transaction's receipt for `POST /v1/developer/deposits`, and sent by
// `assay credits deposit`. Each carries its position (block number and hash,
// log index, transaction) so the platform can credit it exactly once.
import { parseEventLogs, type Address, type Hash, type Hex, type Log } from "viem";
import { treasuryAbi } from "./abi";
import type { SignerRegistryContext, RegistryContext, ChainConnection } from "./clients";
import { sendContractTransaction, type MinedTransaction } from "./transactions";

export interface FeeDeposit {
  blockNumber: bigint;
  blockHash: Hash;
  logIndex: number;
  transactionHash: Hash;
  /** The Treasury that emitted it (lowercase). */
  treasury: Address;
  /** depositFee's bytes32 argument (lowercase). */
  reference: Hex;
  payer: Address;
  /** Wei. */
  amount: bigint;
}

type DecodedLog = Log<bigint, number, false> & { eventName: string; args: Record<string, unknown> };

function toFeeDeposit(log: DecodedLog): FeeDeposit | undefined {
  if (log.eventName !== "FeeDeposited" || log.blockNumber === null || log.blockHash === null || log.logIndex === null || log.transactionHash === null) return undefined;
  return {
    blockNumber: log.blockNumber,
    blockHash: log.blockHash,
    logIndex: log.logIndex,
    transactionHash: log.transactionHash.toLowerCase() as Hash,
    treasury: log.address.toLowerCase() as Address,
    reference: (log.args.submissionId as Hex).toLowerCase() as Hex,
    payer: (log.args.payer as Address).toLowerCase() as Address,
    amount: log.args.amount as bigint,
  };
}

/** The FeeDeposited logs of the Treasury in [fromBlock, toBlock], in chain order. */
export async function fetchFeeDeposits(context: RegistryContext, fromBlock: bigint, toBlock: bigint): Promise<FeeDeposit[]> {
  if (toBlock < fromBlock) return [];
  const logs = await context.publicClient.getContractEvents({
    address: context.addresses.treasury,
    abi: treasuryAbi,
    eventName: "FeeDeposited",
    fromBlock,
    toBlock,
    strict: true,
  });
  return (logs as unknown as DecodedLog[]).map(toFeeDeposit).filter((d): d is FeeDeposit => d !== undefined);
}

/** What a transaction left: its block, whether it succeeded, and the FeeDeposited logs of `treasury` in it. */
export interface DepositReceipt {
  transactionHash: Hash;
  blockNumber: bigint;
  blockHash: Hash;
  success: boolean;
  deposits: FeeDeposit[];
}

/**
 * The receipt of a transaction with its FeeDeposited logs from `treasury` only
 * (a lookalike event of another contract is ignored); null when the node has
 * no receipt (unknown or not mined yet).
 */
export async function depositReceipt(connection: ChainConnection, treasury: Address, txHash: Hash): Promise<DepositReceipt | null> {
  let receipt;
  try {
    receipt = await connection.publicClient.getTransactionReceipt({ hash: txHash });
  } catch (error) {
    if ((error as Error).name === "TransactionReceiptNotFoundError") return null;
    throw error;
  }
  const own = receipt.logs.filter((l) => l.address.toLowerCase() === treasury.toLowerCase());
  const decoded = parseEventLogs({ abi: treasuryAbi, logs: own, eventName: "FeeDeposited", strict: true }) as unknown as DecodedLog[];
  return {
    transactionHash: receipt.transactionHash.toLowerCase() as Hash,
    blockNumber: receipt.blockNumber,
    blockHash: receipt.blockHash,
    success: receipt.status === "success",
    deposits: receipt.status === "success" ? decoded.map(toFeeDeposit).filter((d): d is FeeDeposit => d !== undefined) : [],
  };
}

/** Treasury.depositFee(reference) with `wei`, from the context's signer; waits for the receipt. */
export function depositFee(context: SignerRegistryContext, reference: Hex, wei: bigint, options: { confirmations?: number } = {}): Promise<MinedTransaction> {
  return sendContractTransaction(context, { address: context.addresses.treasury, abi: treasuryAbi, functionName: "depositFee", args: [reference], value: wei }, options);
}
