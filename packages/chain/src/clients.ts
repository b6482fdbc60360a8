// viem clients bound to one JSON-RPC endpoint, and typed contract handles for the registry.
import {
  createPublicClient,
  createWalletClient,
  defineChain,
  getContract,
  http,
  type Account,
  type Chain,
  type PublicClient,
  type Transport,
  type WalletClient,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { certificateRegistryAbi, treasuryAbi, validatorRegistryAbi } from "./abi";
import { ChainError } from "./errors";
import { assertAddress, type RegistryAddresses } from "./types";

/** Read access to the chain, plus write access when a signer was given. */
export interface ChainConnection {
  chain: Chain;
  publicClient: PublicClient<Transport, Chain>;
  walletClient?: WalletClient<Transport, Chain, Account>;
}

/** A connection with a signer: what every write needs. */
export interface SignerConnection extends ChainConnection {
  walletClient: WalletClient<Transport, Chain, Account>;
}

/** A connection plus the registry's addresses: the context every registry function takes. */
export interface RegistryContext extends ChainConnection {
  addresses: RegistryAddresses;
  /** The registry's deployment block: where event searches start (0 when unknown). */
  deployedAtBlock: bigint;
}

export interface SignerRegistryContext extends RegistryContext {
  walletClient: WalletClient<Transport, Chain, Account>;
}

export interface ConnectOptions {
  rpcUrl: string;
  /** 0x + 64 hex; omit for read-only use. */
  privateKey?: string;
  /** How often receipts and events are polled (ms); short on a local node. */
  pollingIntervalMs?: number;
}

const PRIVATE_KEY = /^0x[0-9a-fA-F]{64}$/;

/** Connects to an RPC endpoint, asking it for its chain id so no chain table is needed. */
export async function connectChain(options: ConnectOptions): Promise<ChainConnection> {
  let url: URL;
  try {
    url = new URL(options.rpcUrl);
  } catch (cause) {
    throw new ChainError("CONFIG_INVALID", `rpcUrl is not a URL: ${JSON.stringify(options.rpcUrl)}`, { cause });
  }
  if (options.privateKey !== undefined && !PRIVATE_KEY.test(options.privateKey)) {
    throw new ChainError("CONFIG_INVALID", "privateKey must be 0x + 64 hex digits");
  }
  const transport = http(url.toString(), { retryCount: 2 });
  const pollingInterval = options.pollingIntervalMs ?? 1_000;
  const probe = createPublicClient({ transport });
  const chainId = await probe.getChainId();
  const chain = defineChain({
    id: chainId,
    name: `chain ${chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [url.toString()] } },
  });
  const publicClient = createPublicClient({ chain, transport, pollingInterval });
  if (options.privateKey === undefined) return { chain, publicClient };
  const account = privateKeyToAccount(options.privateKey as `0x${string}`);
  const walletClient = createWalletClient({ chain, transport, account, pollingInterval });
  return { chain, publicClient, walletClient };
}

/** Binds a connection to deployed addresses (a DeployedRegistry also brings its deployment block). */
export function withAddresses<C extends ChainConnection>(
  connection: C,
  addresses: RegistryAddresses & { deployedAtBlock?: bigint },
): C & { addresses: RegistryAddresses; deployedAtBlock: bigint } {
  return {
    ...connection,
    deployedAtBlock: addresses.deployedAtBlock ?? 0n,
    addresses: {
      certificateRegistry: assertAddress(addresses.certificateRegistry, "certificateRegistry address"),
      validatorRegistry: assertAddress(addresses.validatorRegistry, "validatorRegistry address"),
      treasury: assertAddress(addresses.treasury, "treasury address"),
    },
  };
}

export function requireSigner(context: RegistryContext): SignerRegistryContext {
  if (context.walletClient === undefined) throw new ChainError("CONFIG_INVALID", "this operation sends a transaction: connect with a privateKey");
  return context as SignerRegistryContext;
}

/** Typed handle of the CertificateRegistry: reads, and `write` when given a signer context. */
export function certificateRegistryContract(context: SignerRegistryContext): ReturnType<typeof signerHandles>["certificateRegistry"];
export function certificateRegistryContract(context: RegistryContext): ReturnType<typeof readHandles>["certificateRegistry"];
export function certificateRegistryContract(context: RegistryContext) {
  return handlesOf(context).certificateRegistry;
}

/** Typed handle of the ValidatorRegistry. */
export function validatorRegistryContract(context: SignerRegistryContext): ReturnType<typeof signerHandles>["validatorRegistry"];
export function validatorRegistryContract(context: RegistryContext): ReturnType<typeof readHandles>["validatorRegistry"];
export function validatorRegistryContract(context: RegistryContext) {
  return handlesOf(context).validatorRegistry;
}

/** Typed handle of the Treasury. */
export function treasuryContract(context: SignerRegistryContext): ReturnType<typeof signerHandles>["treasury"];
export function treasuryContract(context: RegistryContext): ReturnType<typeof readHandles>["treasury"];
export function treasuryContract(context: RegistryContext) {
  return handlesOf(context).treasury;
}

function readHandles(context: RegistryContext) {
  const client = context.publicClient;
  return {
    certificateRegistry: getContract({ address: context.addresses.certificateRegistry, abi: certificateRegistryAbi, client }),
    validatorRegistry: getContract({ address: context.addresses.validatorRegistry, abi: validatorRegistryAbi, client }),
    treasury: getContract({ address: context.addresses.treasury, abi: treasuryAbi, client }),
  };
}

function signerHandles(context: SignerRegistryContext) {
  const client = { public: context.publicClient, wallet: context.walletClient };
  return {
    certificateRegistry: getContract({ address: context.addresses.certificateRegistry, abi: certificateRegistryAbi, client }),
    validatorRegistry: getContract({ address: context.addresses.validatorRegistry, abi: validatorRegistryAbi, client }),
    treasury: getContract({ address: context.addresses.treasury, abi: treasuryAbi, client }),
  };
}

function handlesOf(context: RegistryContext) {
  return context.walletClient === undefined ? readHandles(context) : signerHandles(context as SignerRegistryContext);
}
