// Measures the gas of the registry's hot paths from transaction receipts on Hardhat's in-process
// network, plus a baseline (a plain two-slot record contract) from the same run for comparison.
import { network } from "hardhat";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { keccak256, parseEther, toHex, type Hash } from "viem";

/** Gas units per operation, read from receipts. */
export interface GasFigures {
  anchorSingle: number;
  anchorBatch256PerCert: number;
  revoke: number;
  stake: number;
  slash: number;
}

/** The same figures for the baseline contract, for ratios. */
export interface BaselineFigures {
  recordSingle: number;
}

export const BATCH_SIZE = 256;
const ISSUER_ROLE = keccak256(toHex("ISSUER_ROLE"));
const SLASHER_ROLE = keccak256(toHex("SLASHER_ROLE"));

function certificateId(index: number): Hash {
  return keccak256(toHex(`assay-gas-certificate-${index}`));
}

export async function measureGas(): Promise<{ figures: GasFigures; baseline: BaselineFigures }> {
  const connection = await network.create();
  try {
    const { viem } = connection;
    const publicClient = await viem.getPublicClient();
    const [admin, validator] = await viem.getWalletClients();
    if (admin === undefined || validator === undefined) throw new Error("Hardhat network has fewer than two accounts");
    const gasOf = async (hash: Hash): Promise<number> => {
      const receipt = await publicClient.waitForTransactionReceipt({ hash });
      if (receipt.status !== "success") throw new Error(`transaction ${hash} reverted`);
      return Number(receipt.gasUsed);
    };

    const registry = await viem.deployContract("CertificateRegistry", [admin.account.address]);
    await gasOf(await registry.write.grantRole([ISSUER_ROLE, admin.account.address]));
    const validUntil = BigInt(Math.floor(Date.now() / 1000) + 365 * 24 * 3600);

    // A fresh id each time: the first write to a record is the realistic (cold, zero-to-nonzero) case.
    const anchorSingle = await gasOf(await registry.write.anchor([certificateId(0), keccak256(toHex("subject")), validUntil]));

    const ids = Array.from({ length: BATCH_SIZE }, (_, i) => [certificateId(i + 1)] as [Hash]);
    const tree = StandardMerkleTree.of(ids, ["bytes32"]);
    const batchGas = await gasOf(await registry.write.anchorBatch([tree.root as Hash, BATCH_SIZE]));
    const revoke = await gasOf(await registry.write.revoke([certificateId(0), 1]));

    const treasury = await viem.deployContract("Treasury", [admin.account.address]);
    const validators = await viem.deployContract("ValidatorRegistry", [admin.account.address, treasury.address, 7n * 24n * 3600n]);
    await gasOf(await validators.write.grantRole([SLASHER_ROLE, admin.account.address]));
    const stake = await gasOf(await validators.write.stake({ value: parseEther("1"), account: validator.account }));
    const slash = await gasOf(await validators.write.slash([validator.account.address, parseEther("0.1"), keccak256(toHex("no-show"))]));

    const baselineContract = await viem.deployContract("AnchorBaseline");
    const recordSingle = await gasOf(await baselineContract.write.record([certificateId(0), keccak256(toHex("subject")), validUntil]));

    return {
      figures: { anchorSingle, anchorBatch256PerCert: Math.ceil(batchGas / BATCH_SIZE), revoke, stake, slash },
      baseline: { recordSingle },
    };
  } finally {
    await connection.close();
  }
}
