import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { keccak256, parseEther, toHex, zeroAddress, zeroHash } from "viem";

const { viem, networkHelpers } = await network.create();
const DISTRIBUTOR_ROLE = keccak256(toHex("DISTRIBUTOR_ROLE"));
const SUBMISSION = keccak256(toHex("submission-1"));

async function deployTreasury() {
  const [admin, distributor, payer, alice, bob] = await viem.getWalletClients();
  if (!admin || !distributor || !payer || !alice || !bob) throw new Error("need five accounts");
  const treasury = await viem.deployContract("Treasury", [admin.account.address]);
  await treasury.write.grantRole([DISTRIBUTOR_ROLE, distributor.account.address]);
  const publicClient = await viem.getPublicClient();
  const asDistributor = { account: distributor.account };
  return { treasury, publicClient, distributor, payer, alice, bob, asDistributor };
}

async function fundedTreasury() {
  const fixture = await deployTreasury();
  await fixture.treasury.write.depositFee([SUBMISSION], { account: fixture.payer.account, value: parseEther("1") });
  return fixture;
}

describe("Treasury", () => {
  it("rejects the zero admin at deployment", async () => {
    await assert.rejects(viem.deployContract("Treasury", [zeroAddress]), /ZeroAddress/);
  });

  describe("depositFee", () => {
    it("records the fee per submission, adds it to unallocated and emits FeeDeposited", async () => {
      const { treasury, payer } = await networkHelpers.loadFixture(deployTreasury);
      const value = parseEther("0.25");
      await viem.assertions.emitWithArgs(treasury.write.depositFee([SUBMISSION], { account: payer.account, value }), treasury, "FeeDeposited", [
        SUBMISSION,
        payer.account.address,
        value,
      ]);
      await treasury.write.depositFee([SUBMISSION], { account: payer.account, value });
      assert.equal(await treasury.read.feesOf([SUBMISSION]), 2n * value);
      assert.equal(await treasury.read.unallocated(), 2n * value);
    });

    it("reverts on a zero submission id or a zero fee", async () => {
      const { treasury, payer } = await networkHelpers.loadFixture(deployTreasury);
      await viem.assertions.revertWithCustomError(treasury.write.depositFee([zeroHash], { account: payer.account, value: 1n }), treasury, "ZeroValue");
      await viem.assertions.revertWithCustomError(treasury.write.depositFee([SUBMISSION], { account: payer.account, value: 0n }), treasury, "ZeroValue");
    });
  });

  describe("receive", () => {
    it("accepts plain transfers as unallocated funds and emits FundsReceived", async () => {
      const { treasury, payer } = await networkHelpers.loadFixture(deployTreasury);
      await viem.assertions.emitWithArgs(payer.sendTransaction({ to: treasury.address, value: 5n }), treasury, "FundsReceived", [payer.account.address, 5n]);
      assert.equal(await treasury.read.unallocated(), 5n);
    });

    it("reverts on a zero-value transfer", async () => {
      const { treasury, payer } = await networkHelpers.loadFixture(deployTreasury);
      await assert.rejects(payer.sendTransaction({ to: treasury.address, value: 0n }), /ZeroValue|reverted/);
    });
  });

  describe("creditRewards", () => {
    it("credits each recipient out of unallocated funds and emits RewardsCredited", async () => {
      const { treasury, alice, bob, distributor, asDistributor } = await networkHelpers.loadFixture(fundedTreasury);
      const hash = treasury.write.creditRewards([[alice.account.address, bob.account.address], [parseEther("0.3"), parseEther("0.2")]], asDistributor);
      await viem.assertions.emitWithArgs(hash, treasury, "RewardsCredited", [alice.account.address, parseEther("0.3"), distributor.account.address]);
      assert.equal(await treasury.read.rewardsOf([alice.account.address]), parseEther("0.3"));
      assert.equal(await treasury.read.rewardsOf([bob.account.address]), parseEther("0.2"));
      assert.equal(await treasury.read.unallocated(), parseEther("0.5"));
      assert.equal(await treasury.read.totalCredited(), parseEther("0.5"));
    });

    it("reverts when credits exceed the unallocated funds", async () => {
      const { treasury, alice, bob, asDistributor } = await networkHelpers.loadFixture(fundedTreasury);
      await treasury.write.creditRewards([[alice.account.address], [parseEther("0.6")]], asDistributor);
      await viem.assertions.revertWithCustomErrorWithArgs(
        treasury.write.creditRewards([[bob.account.address], [parseEther("0.5")]], asDistributor),
        treasury,
        "InsufficientFunds",
        [parseEther("0.5"), parseEther("0.4")],
      );
    });

    it("reverts on mismatched or empty lists", async () => {
      const { treasury, alice, asDistributor } = await networkHelpers.loadFixture(fundedTreasury);
      await viem.assertions.revertWithCustomErrorWithArgs(treasury.write.creditRewards([[alice.account.address], [1n, 2n]], asDistributor), treasury, "LengthMismatch", [1n, 2n]);
      await viem.assertions.revertWithCustomErrorWithArgs(treasury.write.creditRewards([[], []], asDistributor), treasury, "LengthMismatch", [0n, 0n]);
    });

    it("reverts on a zero recipient or a zero amount", async () => {
      const { treasury, alice, asDistributor } = await networkHelpers.loadFixture(fundedTreasury);
      await viem.assertions.revertWithCustomError(treasury.write.creditRewards([[zeroAddress], [1n]], asDistributor), treasury, "ZeroAddress");
      await viem.assertions.revertWithCustomError(treasury.write.creditRewards([[alice.account.address], [0n]], asDistributor), treasury, "ZeroValue");
    });

    it("reverts for a caller without the distributor role", async () => {
      const { treasury, alice } = await networkHelpers.loadFixture(fundedTreasury);
      await viem.assertions.revertWithCustomErrorWithArgs(
        treasury.write.creditRewards([[alice.account.address], [1n]], { account: alice.account }),
        treasury,
        "AccessControlUnauthorizedAccount",
        [alice.account.address, DISTRIBUTOR_ROLE],
      );
    });
  });

  describe("withdrawRewards", () => {
    it("pays the caller its credit once, clears it and emits RewardsWithdrawn", async () => {
      const { treasury, alice, asDistributor } = await networkHelpers.loadFixture(fundedTreasury);
      const amount = parseEther("0.4");
      await treasury.write.creditRewards([[alice.account.address], [amount]], asDistributor);
      await viem.assertions.balancesHaveChanged(treasury.write.withdrawRewards({ account: alice.account }), [
        { address: alice.account.address, amount },
        { address: treasury.address, amount: -amount },
      ]);
      assert.equal(await treasury.read.rewardsOf([alice.account.address]), 0n);
      assert.equal(await treasury.read.totalCredited(), 0n);
      await viem.assertions.revertWithCustomError(treasury.write.withdrawRewards({ account: alice.account }), treasury, "NothingToWithdraw");
    });

    it("emits RewardsWithdrawn", async () => {
      const { treasury, bob, asDistributor } = await networkHelpers.loadFixture(fundedTreasury);
      await treasury.write.creditRewards([[bob.account.address], [3n]], asDistributor);
      await viem.assertions.emitWithArgs(treasury.write.withdrawRewards({ account: bob.account }), treasury, "RewardsWithdrawn", [bob.account.address, 3n]);
    });

    it("reverts when nothing is credited", async () => {
      const { treasury, bob } = await networkHelpers.loadFixture(fundedTreasury);
      await viem.assertions.revertWithCustomError(treasury.write.withdrawRewards({ account: bob.account }), treasury, "NothingToWithdraw");
    });
  });
});
