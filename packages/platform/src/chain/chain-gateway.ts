// The platform's one door to the registry chain (docs/decisions/0010): a lazy
// connection (the chain may be down at start-up; every call retries the connect),
// the anchor transaction split into sign → record → broadcast so its hash is
// stored before it can exist anywhere else, and the reads the anchor loop, the
// revocation mirror, the stake indexer and verify need. Services depend on the
// narrow interfaces below, not on this class.
import {
  certificateRegistryAbi,
  connectChain,
  depositReceipt,
  fetchFeeDeposits,
  fetchRewardsWithdrawn,
  fetchStakeEvents,
  readRewardsOf,
  readAnchorStatus,
  requireSigner,
  revokeOnChain,
  rethrowContractError,
  sendContractTransaction,
  validatorRegistryAbi,
  withAddresses,
  type AnchorStatus,
  type DepositReceipt,
  type FeeDeposit,
  type RegistryContext,
  type RewardsWithdrawnEvent,
  type StakeEvent,
  treasuryAbi,
} from "@assay/chain";
import { encodeFunctionData, keccak256, type Abi, type Hash, type Hex } from "viem";
import type { ChainConfig } from "../config/config";

export type SignedTransaction = { txHash: Hash; serialized: Hex };
export type MinedReceipt = { txHash: Hash; blockNumber: bigint; success: boolean };

/** What the anchor loop needs from the chain. */
export interface AnchorChain {
  chainId(): Promise<number>;
  /** The latest block number, read now (also: is the chain reachable). */
  head(): Promise<bigint>;
  readonly registry: string;
  /** The block at which the root was anchored (found from its BatchAnchored event), or null. */
  findBatchAnchoring(root: string): Promise<{ txHash: Hash; blockNumber: bigint } | null>;
  /** Simulates anchorBatch(root, count) (a revert surfaces here, before signing) and signs it with a fresh nonce. */
  signAnchorBatch(root: string, count: number): Promise<SignedTransaction>;
  broadcast(serialized: Hex): Promise<void>;
  receipt(txHash: Hash): Promise<MinedReceipt | null>;
  /** True when the node knows the transaction (mined or in its mempool). */
  transactionKnown(txHash: Hash): Promise<boolean>;
  /** Waits until the transaction has `confirmations` blocks, or throws after timeoutMs. */
  waitForReceipt(txHash: Hash, timeoutMs: number): Promise<MinedReceipt>;
  revokedAt(id: string): Promise<bigint>;
  revoke(id: string, reasonCode: number): Promise<{ txHash: Hash; blockNumber: bigint }>;
  /** Optional (docs/decisions/0012): the slash mirror runs only on chains that provide these two. */
  findSlash?(validator: string, reason: Hex): Promise<{ txHash: Hash; blockNumber: bigint } | null>;
  slash?(validator: string, amountWei: bigint, reason: Hex): Promise<{ txHash: Hash; blockNumber: bigint }>;
}

/** What verify needs: the on-chain status of an id (with proof and root for a batch member). */
export interface AnchorReader {
  chainId(): Promise<number>;
  readonly registry: string;
  readAnchor(id: string, proof?: readonly string[], root?: string): Promise<AnchorStatus>;
}

/** What the stake indexer needs. */
export interface StakeChain {
  chainId(): Promise<number>;
  head(): Promise<bigint>;
  stakeEvents(fromBlock: bigint, toBlock: bigint): Promise<StakeEvent[]>;
}

/** What the deposit indexer and `POST /v1/developer/deposits` need (docs/money.md "On-chain deposits"). */
export interface DepositChain {
  chainId(): Promise<number>;
  head(): Promise<bigint>;
  /** The Treasury's address (lowercase). */
  readonly treasury: string;
  feeDeposits(fromBlock: bigint, toBlock: bigint): Promise<FeeDeposit[]>;
  /** The transaction's receipt with the Treasury's FeeDeposited logs; null when not mined (or unknown). */
  depositReceipt(txHash: Hash): Promise<DepositReceipt | null>;
  /** The hash of the canonical block at this height (null above the head). */
  blockHash(blockNumber: bigint): Promise<Hash | null>;
  /** True when the node knows the transaction (mined or in its mempool). */
  transactionKnown(txHash: Hash): Promise<boolean>;
}

/** What validator payouts and the withdrawal indexer need (docs/money.md "Validator rewards"). */
export interface RewardChain {
  chainId(): Promise<number>;
  head(): Promise<bigint>;
  readonly treasury: string;
  /**
   * Simulates Treasury.creditRewards([recipient], [amountWei]) (a revert surfaces
   * here, before signing) and signs it; with `nonce` the transaction reuses it
   * (so it can only replace the recorded one, never add to it).
   */
  signCreditRewards(recipient: string, amountWei: bigint, nonce?: number): Promise<SignedTransaction & { nonce: number }>;
  broadcast(serialized: Hex): Promise<void>;
  receipt(txHash: Hash): Promise<MinedReceipt | null>;
  transactionKnown(txHash: Hash): Promise<boolean>;
  waitForReceipt(txHash: Hash, timeoutMs: number): Promise<MinedReceipt>;
  /** Transactions of the signer mined so far (its next unused nonce on chain). */
  minedNonce(): Promise<number>;
  rewardsWithdrawn(fromBlock: bigint, toBlock: bigint): Promise<RewardsWithdrawnEvent[]>;
  rewardsOf(recipient: string): Promise<bigint>;
}

export class ChainGateway implements AnchorChain, AnchorReader, StakeChain, DepositChain, RewardChain {
  private context: Promise<RegistryContext> | undefined;
  readonly registry: string;
  readonly treasury: string;

  constructor(
    private readonly config: ChainConfig,
    private readonly options: { pollingIntervalMs?: number; withSigner?: boolean } = {},
  ) {
    if (!config.addresses) throw new Error("the chain gateway needs the registry addresses (ASSAY_CHAIN_REGISTRY, …)");
    this.registry = config.addresses.certificateRegistry.toLowerCase();
    this.treasury = config.addresses.treasury.toLowerCase();
  }

  /** Connects on first use; a failed connect is forgotten so the next call tries again. */
  private connect(): Promise<RegistryContext> {
    this.context ??= (async () => {
      const connection = await connectChain({
        rpcUrl: this.config.rpcUrl,
        pollingIntervalMs: this.options.pollingIntervalMs ?? 250,
        ...(this.options.withSigner && this.config.privateKey ? { privateKey: this.config.privateKey } : {}),
      });
      const a = this.config.addresses!;
      return withAddresses(connection, {
        certificateRegistry: a.certificateRegistry as Hex,
        validatorRegistry: a.validatorRegistry as Hex,
        treasury: a.treasury as Hex,
        deployedAtBlock: BigInt(this.config.deployedAtBlock),
      });
    })().catch((error: unknown) => {
      this.context = undefined;
      throw error;
    });
    return this.context;
  }

  private async signer() {
    const context = await this.connect();
    if (!context.walletClient) throw new Error("sending anchor transactions needs ASSAY_CHAIN_PRIVATE_KEY");
    return { context, wallet: context.walletClient };
  }

  async chainId(): Promise<number> {
    return (await this.connect()).chain.id;
  }

  async head(): Promise<bigint> {
    return (await this.connect()).publicClient.getBlockNumber({ cacheTime: 0 });
  }

  async readAnchor(id: string, proof?: readonly string[], root?: string): Promise<AnchorStatus> {
    return readAnchorStatus(await this.connect(), id, proof, root);
  }

  async findBatchAnchoring(root: string): Promise<{ txHash: Hash; blockNumber: bigint } | null> {
    const context = await this.connect();
    const batch = await context.publicClient.readContract({
      address: context.addresses.certificateRegistry,
      abi: certificateRegistryAbi,
      functionName: "batchOf",
      args: [root as Hex],
    });
    if (batch.anchoredAt === 0n) return null;
    const [event] = await context.publicClient.getContractEvents({
      address: context.addresses.certificateRegistry,
      abi: certificateRegistryAbi,
      eventName: "BatchAnchored",
      args: { merkleRoot: root as Hex },
      fromBlock: context.deployedAtBlock,
      strict: true,
    });
    if (!event) throw new Error(`root ${root} is anchored but its BatchAnchored event was not found`);
    return { txHash: event.transactionHash, blockNumber: event.blockNumber };
  }

  async signAnchorBatch(root: string, count: number): Promise<SignedTransaction> {
    const { context } = await this.signer();
    const { txHash, serialized } = await this.simulateAndSign({ address: context.addresses.certificateRegistry, abi: certificateRegistryAbi, functionName: "anchorBatch", args: [root as Hex, count] });
    return { txHash, serialized };
  }

  /**
   * Simulates the call from the signer's account (a revert surfaces here, as a
   * typed error, before anything is signed), then signs it; with `nonce` the
   * transaction reuses that nonce.
   */
  private async simulateAndSign(call: { address: Hex; abi: Abi; functionName: string; args: readonly unknown[] }, nonce?: number): Promise<SignedTransaction & { nonce: number }> {
    const { context, wallet } = await this.signer();
    try {
      await context.publicClient.simulateContract({ ...call, account: wallet.account } as never);
    } catch (error) {
      rethrowContractError(error);
    }
    const request = await wallet.prepareTransactionRequest({
      account: wallet.account,
      chain: context.chain,
      to: call.address,
      data: encodeFunctionData({ abi: call.abi, functionName: call.functionName, args: call.args } as never),
      ...(nonce !== undefined ? { nonce } : {}),
    });
    const serialized = await wallet.signTransaction(request as never);
    return { txHash: keccak256(serialized), serialized, nonce: request.nonce as number };
  }

  async broadcast(serialized: Hex): Promise<void> {
    await (await this.connect()).publicClient.sendRawTransaction({ serializedTransaction: serialized });
  }

  async receipt(txHash: Hash): Promise<MinedReceipt | null> {
    const client = (await this.connect()).publicClient;
    try {
      const receipt = await client.getTransactionReceipt({ hash: txHash });
      return { txHash, blockNumber: receipt.blockNumber, success: receipt.status === "success" };
    } catch (error) {
      if ((error as Error).name === "TransactionReceiptNotFoundError") return null;
      throw error;
    }
  }

  async transactionKnown(txHash: Hash): Promise<boolean> {
    const client = (await this.connect()).publicClient;
    try {
      await client.getTransaction({ hash: txHash });
      return true;
    } catch (error) {
      if ((error as Error).name === "TransactionNotFoundError") return false;
      throw error;
    }
  }

  async waitForReceipt(txHash: Hash, timeoutMs: number): Promise<MinedReceipt> {
    const client = (await this.connect()).publicClient;
    const receipt = await client.waitForTransactionReceipt({ hash: txHash, confirmations: this.config.confirmations, timeout: timeoutMs });
    return { txHash, blockNumber: receipt.blockNumber, success: receipt.status === "success" };
  }

  async revokedAt(id: string): Promise<bigint> {
    const context = await this.connect();
    const [, record] = await context.publicClient.readContract({
      address: context.addresses.certificateRegistry,
      abi: certificateRegistryAbi,
      functionName: "statusOf",
      args: [id as Hex],
    });
    return record.revokedAt;
  }

  async revoke(id: string, reasonCode: number): Promise<{ txHash: Hash; blockNumber: bigint }> {
    const { context } = await this.signer();
    const mined = await revokeOnChain(context, id, reasonCode, { confirmations: this.config.confirmations });
    return { txHash: mined.transactionHash, blockNumber: mined.blockNumber };
  }

  /** The Slashed event of (validator, reason) since the deployment, or null: a slash mirror is sent once per reason. */
  async findSlash(validator: string, reason: Hex): Promise<{ txHash: Hash; blockNumber: bigint } | null> {
    const context = await this.connect();
    const logs = await context.publicClient.getContractEvents({
      address: context.addresses.validatorRegistry,
      abi: validatorRegistryAbi,
      eventName: "Slashed",
      args: { validator: validator as Hex, reason },
      fromBlock: context.deployedAtBlock,
      toBlock: "latest",
    });
    const log = logs[0];
    return log && log.transactionHash && log.blockNumber !== null ? { txHash: log.transactionHash, blockNumber: log.blockNumber } : null;
  }

  /** ValidatorRegistry.slash(validator, amount, reason) with the worker's key (it needs SLASHER_ROLE). */
  async slash(validator: string, amountWei: bigint, reason: Hex): Promise<{ txHash: Hash; blockNumber: bigint }> {
    const { context } = await this.signer();
    const mined = await sendContractTransaction(
      requireSigner(context),
      { address: context.addresses.validatorRegistry, abi: validatorRegistryAbi, functionName: "slash", args: [validator as Hex, amountWei, reason] },
      { confirmations: this.config.confirmations },
    );
    return { txHash: mined.transactionHash, blockNumber: mined.blockNumber };
  }

  async stakeEvents(fromBlock: bigint, toBlock: bigint): Promise<StakeEvent[]> {
    return fetchStakeEvents(await this.connect(), fromBlock, toBlock);
  }

  async feeDeposits(fromBlock: bigint, toBlock: bigint): Promise<FeeDeposit[]> {
    return fetchFeeDeposits(await this.connect(), fromBlock, toBlock);
  }

  async depositReceipt(txHash: Hash): Promise<DepositReceipt | null> {
    const context = await this.connect();
    return depositReceipt(context, context.addresses.treasury, txHash);
  }

  async blockHash(blockNumber: bigint): Promise<Hash | null> {
    const client = (await this.connect()).publicClient;
    try {
      return (await client.getBlock({ blockNumber })).hash;
    } catch (error) {
      if ((error as Error).name === "BlockNotFoundError") return null;
      throw error;
    }
  }

  async signCreditRewards(recipient: string, amountWei: bigint, nonce?: number): Promise<SignedTransaction & { nonce: number }> {
    const { context } = await this.signer();
    return this.simulateAndSign({ address: context.addresses.treasury, abi: treasuryAbi, functionName: "creditRewards", args: [[recipient as Hex], [amountWei]] }, nonce);
  }

  async minedNonce(): Promise<number> {
    const { context, wallet } = await this.signer();
    return context.publicClient.getTransactionCount({ address: wallet.account.address, blockTag: "latest" });
  }

  async rewardsWithdrawn(fromBlock: bigint, toBlock: bigint): Promise<RewardsWithdrawnEvent[]> {
    return fetchRewardsWithdrawn(await this.connect(), fromBlock, toBlock);
  }

  async rewardsOf(recipient: string): Promise<bigint> {
    return readRewardsOf(await this.connect(), recipient as Hex);
  }
}
