// Deploys Treasury, ValidatorRegistry (slashing into the Treasury) and CertificateRegistry from the
// committed compiled artifacts, and grants the operating roles, for the platform's start command.
import type { Abi, Address, Hex } from "viem";
import { certificateRegistryAbi, certificateRegistryBytecode, treasuryAbi, treasuryBytecode, validatorRegistryAbi, validatorRegistryBytecode } from "./abi";
import { connectChain, type SignerConnection, type SignerRegistryContext } from "./clients";
import { ChainError } from "./errors";
import { DISTRIBUTOR_ROLE, ISSUER_ROLE, SLASHER_ROLE } from "./roles";
import { sendContractTransaction } from "./transactions";
import { assertAddress, type RegistryAddresses } from "./types";

/** Seven days: long enough for an assembly to finish and its slashes to land before stake leaves. */
export const DEFAULT_UNSTAKE_COOLDOWN_SECONDS = 7 * 24 * 60 * 60;

export interface DeployRegistryOptions {
  rpcUrl: string;
  /** The deployer's key; it becomes admin of all three contracts. */
  privateKey: string;
  unstakeCooldownSeconds?: number;
  /** Accounts granted the operating roles (default: the deployer). */
  issuer?: string;
  slasher?: string;
  distributor?: string;
}

export interface DeployedRegistry extends RegistryAddresses {
  chainId: number;
  deployer: Address;
  /** The block of the first deployment: where event indexing can start. */
  deployedAtBlock: bigint;
}

async function deploy(connection: SignerConnection, abi: Abi, bytecode: Hex, args: readonly unknown[]): Promise<{ address: Address; blockNumber: bigint }> {
  const hash = await connection.walletClient.deployContract({ abi, bytecode, args } as never);
  const receipt = await connection.publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success" || receipt.contractAddress == null) {
    throw new ChainError("TX_REVERTED", `deployment transaction ${hash} failed`);
  }
  return { address: receipt.contractAddress, blockNumber: receipt.blockNumber };
}

export async function deployRegistry(options: DeployRegistryOptions): Promise<DeployedRegistry> {
  const cooldown = options.unstakeCooldownSeconds ?? DEFAULT_UNSTAKE_COOLDOWN_SECONDS;
  if (!Number.isInteger(cooldown) || cooldown < 0 || cooldown > 365 * 24 * 60 * 60) {
    throw new ChainError("CONFIG_INVALID", `unstakeCooldownSeconds must be an integer in [0, 365 days], got ${cooldown}`);
  }
  const connection = await connectChain({ rpcUrl: options.rpcUrl, privateKey: options.privateKey, pollingIntervalMs: 200 });
  if (connection.walletClient === undefined) throw new ChainError("CONFIG_INVALID", "privateKey is required to deploy");
  const signer = connection as SignerConnection;
  const deployer = signer.walletClient.account.address;
  const issuer = assertAddress(options.issuer ?? deployer, "issuer");
  const slasher = assertAddress(options.slasher ?? deployer, "slasher");
  const distributor = assertAddress(options.distributor ?? deployer, "distributor");

  const treasury = await deploy(signer, treasuryAbi, treasuryBytecode, [deployer]);
  const validatorRegistry = await deploy(signer, validatorRegistryAbi, validatorRegistryBytecode, [deployer, treasury.address, BigInt(cooldown)]);
  const certificateRegistry = await deploy(signer, certificateRegistryAbi, certificateRegistryBytecode, [deployer]);

  const addresses: RegistryAddresses = {
    certificateRegistry: certificateRegistry.address,
    validatorRegistry: validatorRegistry.address,
    treasury: treasury.address,
  };
  const context: SignerRegistryContext = { ...signer, addresses, deployedAtBlock: treasury.blockNumber };
  await sendContractTransaction(context, { address: addresses.certificateRegistry, abi: certificateRegistryAbi, functionName: "grantRole", args: [ISSUER_ROLE, issuer] });
  await sendContractTransaction(context, { address: addresses.validatorRegistry, abi: validatorRegistryAbi, functionName: "grantRole", args: [SLASHER_ROLE, slasher] });
  await sendContractTransaction(context, { address: addresses.treasury, abi: treasuryAbi, functionName: "grantRole", args: [DISTRIBUTOR_ROLE, distributor] });

  return { ...addresses, chainId: signer.chain.id, deployer, deployedAtBlock: treasury.blockNumber };
}
