// One way to send a registry transaction: simulate first (a revert surfaces as a typed
// ContractRevertError before any gas is spent), send, then wait for the receipt.
import type { Abi, ContractFunctionArgs, ContractFunctionName, Hash } from "viem";
import type { SignerRegistryContext } from "./clients";
import { ChainError, rethrowContractError } from "./errors";

/** What a mined registry transaction left behind. */
export interface MinedTransaction {
  transactionHash: Hash;
  blockNumber: bigint;
  gasUsed: bigint;
}

export interface TransactionOptions {
  /** Blocks to wait past inclusion before the receipt counts as final (1 = included). */
  confirmations?: number;
}

export async function sendContractTransaction<
  const TAbi extends Abi,
  TName extends ContractFunctionName<TAbi, "nonpayable" | "payable">,
  TArgs extends ContractFunctionArgs<TAbi, "nonpayable" | "payable", TName>,
>(
  context: SignerRegistryContext,
  call: { address: `0x${string}`; abi: TAbi; functionName: TName; args: TArgs; value?: bigint },
  options: TransactionOptions = {},
): Promise<MinedTransaction> {
  let hash: Hash;
  try {
    // The generic call shape is what viem's own parameters accept; the casts only bridge its deep
    // conditional types, which TypeScript cannot relate for a generic function name.
    const { request } = await context.publicClient.simulateContract({ ...call, account: context.walletClient.account } as never);
    hash = await context.walletClient.writeContract(request as never);
  } catch (error) {
    rethrowContractError(error);
  }
  const receipt = await context.publicClient.waitForTransactionReceipt({ hash, confirmations: options.confirmations ?? 1 });
  if (receipt.status !== "success") {
    throw new ChainError("TX_REVERTED", `transaction ${hash} (${String(call.functionName)}) reverted in block ${receipt.blockNumber}`);
  }
  return { transactionHash: hash, blockNumber: receipt.blockNumber, gasUsed: receipt.gasUsed };
}
