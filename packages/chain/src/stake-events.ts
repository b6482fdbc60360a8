// The ValidatorRegistry's stake events as typed values, fetched by block range and followed by polling,
// so the platform can index stakes from the chain (idempotently: each event carries block, log index, tx).
import type { Address, Hash, Log } from "viem";
import { validatorRegistryAbi } from "./abi";
import type { RegistryContext } from "./clients";

interface EventPosition {
  blockNumber: bigint;
  logIndex: number;
  transactionHash: Hash;
}

export type StakeEvent = EventPosition &
  (
    | { kind: "Staked"; validator: Address; amount: bigint; activeStake: bigint }
    | { kind: "UnstakeRequested"; validator: Address; amount: bigint; pendingTotal: bigint; availableAt: bigint }
    | { kind: "Withdrawn"; validator: Address; amount: bigint }
    | { kind: "Slashed"; validator: Address; amount: bigint; reason: Hash; slasher: Address }
  );

export const STAKE_EVENT_NAMES = ["Staked", "UnstakeRequested", "Withdrawn", "Slashed"] as const;

type DecodedLog = Log<bigint, number, false> & { eventName: string; args: Record<string, unknown> };

function toStakeEvent(log: DecodedLog): StakeEvent | undefined {
  if (log.blockNumber === null || log.logIndex === null || log.transactionHash === null) return undefined; // pending logs
  const position: EventPosition = { blockNumber: log.blockNumber, logIndex: log.logIndex, transactionHash: log.transactionHash };
  const a = log.args;
  switch (log.eventName) {
    case "Staked":
      return { ...position, kind: "Staked", validator: a.validator as Address, amount: a.amount as bigint, activeStake: a.activeStake as bigint };
    case "UnstakeRequested":
      return {
        ...position,
        kind: "UnstakeRequested",
        validator: a.validator as Address,
        amount: a.amount as bigint,
        pendingTotal: a.pendingTotal as bigint,
        availableAt: a.availableAt as bigint,
      };
    case "Withdrawn":
      return { ...position, kind: "Withdrawn", validator: a.validator as Address, amount: a.amount as bigint };
    case "Slashed":
      return { ...position, kind: "Slashed", validator: a.validator as Address, amount: a.amount as bigint, reason: a.reason as Hash, slasher: a.slasher as Address };
    default:
      return undefined; // role and settings events are not stake events
  }
}

/** The stake events in [fromBlock, toBlock], in chain order. */
export async function fetchStakeEvents(context: RegistryContext, fromBlock: bigint, toBlock: bigint): Promise<StakeEvent[]> {
  if (toBlock < fromBlock) return [];
  const logs = await context.publicClient.getContractEvents({
    address: context.addresses.validatorRegistry,
    abi: validatorRegistryAbi,
    fromBlock,
    toBlock,
    strict: true,
  });
  return (logs as unknown as DecodedLog[]).map(toStakeEvent).filter((event): event is StakeEvent => event !== undefined);
}

export interface WatchStakeEventsOptions {
  /** Called with each non-empty run of new events, in chain order, and the last block they cover. */
  onEvents: (events: StakeEvent[], throughBlock: bigint) => void | Promise<void>;
  onError?: (error: unknown) => void;
  pollingIntervalMs?: number;
}

export interface StakeEventWatcher {
  /** Stops polling; resolves once no poll is in flight. */
  stop(): Promise<void>;
}

/**
 * Delivers every stake event from `fromBlock` on: first the backlog, then new blocks as they come. A block
 * range is only marked done after onEvents resolved, so a failing handler sees the same events again.
 */
export function watchStakeEvents(context: RegistryContext, fromBlock: bigint, options: WatchStakeEventsOptions): StakeEventWatcher {
  const interval = options.pollingIntervalMs ?? 1_000;
  let nextBlock = fromBlock;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> = Promise.resolve();

  const poll = async (): Promise<void> => {
    try {
      const head = await context.publicClient.getBlockNumber({ cacheTime: 0 });
      if (head >= nextBlock) {
        const events = await fetchStakeEvents(context, nextBlock, head);
        if (events.length > 0) await options.onEvents(events, head);
        nextBlock = head + 1n;
      }
    } catch (error) {
      options.onError?.(error);
    }
  };
  const loop = (): void => {
    if (stopped) return;
    inFlight = poll().finally(() => {
      if (!stopped) timer = setTimeout(loop, interval);
    });
  };
  loop();

  return {
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      await inFlight;
    },
  };
}
