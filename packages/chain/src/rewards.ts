// The Treasury's reward side as the platform uses it (docs/money.md "Validator
// rewards"): RewardsWithdrawn logs by block range, typed, with their position
// (block, log index, tx) so an indexer can record each exactly once.
import type { Address, Hash, Log } from "viem";
import { treasuryAbi } from "./abi";
import type { RegistryContext } from "./clients";

export type RewardsWithdrawnEvent = { blockNumber: bigint; logIndex: number; transactionHash: Hash; recipient: Address; amount: bigint };

type DecodedLog = Log<bigint, number, false> & { eventName: string; args: Record<string, unknown> };

/** The Treasury's RewardsWithdrawn events in [fromBlock, toBlock], in chain order. */
export async function fetchRewardsWithdrawn(context: RegistryContext, fromBlock: bigint, toBlock: bigint): Promise<RewardsWithdrawnEvent[]> {
  if (toBlock < fromBlock) return [];
  const logs = (await context.publicClient.getContractEvents({
    address: context.addresses.treasury,
    abi: treasuryAbi,
    eventName: "RewardsWithdrawn",
    fromBlock,
    toBlock,
    strict: true,
  })) as unknown as DecodedLog[];
  return logs
    .filter((log) => log.blockNumber !== null && log.logIndex !== null && log.transactionHash !== null)
    .map((log) => ({ blockNumber: log.blockNumber!, logIndex: log.logIndex!, transactionHash: log.transactionHash!, recipient: log.args.recipient as Address, amount: log.args.amount as bigint }));
}

/** Treasury.rewardsOf(recipient): credited and not yet withdrawn, in wei. */
export async function readRewardsOf(context: RegistryContext, recipient: Address): Promise<bigint> {
  return context.publicClient.readContract({ address: context.addresses.treasury, abi: treasuryAbi, functionName: "rewardsOf", args: [recipient] });
}
