// The chain as a draw beacon input (docs/decisions/0009, "Beacon"): the head
// when a beacon window opens, and the hash of the next block (mined after the
// window opened, so unknown to anyone at open). Reads only: a plain JSON-RPC
// client on the configured endpoint, created on first use.
import { createPublicClient, http, type PublicClient } from "viem";

export interface BeaconChain {
  head(): Promise<bigint>;
  /** Null while the block is not mined. */
  blockAt(number: bigint): Promise<{ number: bigint; hash: string } | null>;
}

export class RpcBeaconChain implements BeaconChain {
  private client: PublicClient | undefined;

  constructor(private readonly rpcUrl: string) {}

  private rpc(): PublicClient {
    this.client ??= createPublicClient({ transport: http(this.rpcUrl, { retryCount: 1, timeout: 5_000 }) });
    return this.client;
  }

  head(): Promise<bigint> {
    return this.rpc().getBlockNumber({ cacheTime: 0 });
  }

  async blockAt(number: bigint): Promise<{ number: bigint; hash: string } | null> {
    try {
      const block = await this.rpc().getBlock({ blockNumber: number });
      return block.hash ? { number, hash: block.hash } : null;
    } catch (error) {
      if ((error as Error).name === "BlockNotFoundError") return null;
      throw error;
    }
  }
}
