import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { keccak256, parseEther, toHex, zeroAddress } from "viem";

const { viem, networkHelpers } = await network.create();
const SLASHER_ROLE = keccak256(toHex("SLASHER_ROLE"));
const COOLDOWN = 7n * 24n * 3600n;
const REASON = keccak256(toHex("no-show"));

async function deployRegistry() {
  const [admin, slasher, validator, outsider] = await viem.getWalletClients();
  if (!admin || !slasher || !validator || !outsider) throw new Error("need four accounts");
  const treasury = await viem.deployContract("Treasury", [admin.account.address]);
  const registry = await viem.deployContract("ValidatorRegistry", [admin.account.address, treasury.address, COOLDOWN]);
  await registry.write.grantRole([SLASHER_ROLE, slasher.account.address]);
  return { registry, treasury, admin, slasher, validator, outsider, asValidator: { account: validator.account }, asSlasher: { account: slasher.account } };
}

async function stakedRegistry() {
  const fixture = await deployRegistry();
  await fixture.registry.write.stake({ ...fixture.asValidator, value: parseEther("10") });
  return fixture;
}

describe("ValidatorRegistry", () => {
  describe("constructor", () => {
    it("rejects a zero admin or sink and a cooldown over MAX_COOLDOWN", async () => {
      const [admin] = await viem.getWalletClients();
      const self = admin!.account.address;
      await assert.rejects(viem.deployContract("ValidatorRegistry", [zeroAddress, self, COOLDOWN]), /ZeroAddress/);
      await assert.rejects(viem.deployContract("ValidatorRegistry", [self, zeroAddress, COOLDOWN]), /ZeroAddress/);
      await assert.rejects(viem.deployContract("ValidatorRegistry", [self, self, 366n * 24n * 3600n]), /CooldownTooLong/);
    });

    it("starts with the given cooldown and sink", async () => {
      const { registry, treasury } = await networkHelpers.loadFixture(deployRegistry);
      assert.equal(await registry.read.cooldown(), COOLDOWN);
      assert.equal((await registry.read.slashSink()).toLowerCase(), treasury.address.toLowerCase());
    });
  });

  describe("stake", () => {
    it("adds to the active stake and emits Staked with the new total", async () => {
      const { registry, validator, asValidator } = await networkHelpers.loadFixture(deployRegistry);
      await registry.write.stake({ ...asValidator, value: parseEther("1") });
      await viem.assertions.emitWithArgs(registry.write.stake({ ...asValidator, value: parseEther("2") }), registry, "Staked", [
        validator.account.address,
        parseEther("2"),
        parseEther("3"),
      ]);
      assert.equal((await registry.read.stakeOf([validator.account.address])).active, parseEther("3"));
    });

    it("reverts on a zero stake", async () => {
      const { registry, asValidator } = await networkHelpers.loadFixture(deployRegistry);
      await viem.assertions.revertWithCustomError(registry.write.stake({ ...asValidator, value: 0n }), registry, "ZeroAmount");
    });
  });

  describe("requestUnstake", () => {
    it("moves stake to pending with an unlock time one cooldown ahead", async () => {
      const { registry, validator, asValidator } = await networkHelpers.loadFixture(stakedRegistry);
      const next = BigInt(await networkHelpers.time.latest()) + 100n;
      await networkHelpers.time.setNextBlockTimestamp(next);
      await viem.assertions.emitWithArgs(registry.write.requestUnstake([parseEther("4")], asValidator), registry, "UnstakeRequested", [
        validator.account.address,
        parseEther("4"),
        parseEther("4"),
        next + COOLDOWN,
      ]);
      const record = await registry.read.stakeOf([validator.account.address]);
      assert.deepEqual(record, { active: parseEther("6"), pending: parseEther("4"), availableAt: next + COOLDOWN });
    });

    it("accumulates a second request and restarts the cooldown", async () => {
      const { registry, validator, asValidator } = await networkHelpers.loadFixture(stakedRegistry);
      await registry.write.requestUnstake([parseEther("1")], asValidator);
      await networkHelpers.time.increase(3600);
      await registry.write.requestUnstake([parseEther("2")], asValidator);
      const record = await registry.read.stakeOf([validator.account.address]);
      assert.equal(record.pending, parseEther("3"));
      assert.equal(record.availableAt, BigInt(await networkHelpers.time.latest()) + COOLDOWN);
    });

    it("reverts on zero and on more than the active stake", async () => {
      const { registry, asValidator } = await networkHelpers.loadFixture(stakedRegistry);
      await viem.assertions.revertWithCustomError(registry.write.requestUnstake([0n], asValidator), registry, "ZeroAmount");
      await viem.assertions.revertWithCustomErrorWithArgs(registry.write.requestUnstake([parseEther("11")], asValidator), registry, "InsufficientStake", [
        parseEther("11"),
        parseEther("10"),
      ]);
    });
  });

  describe("withdraw", () => {
    it("reverts before the cooldown ends and pays the pending stake after it", async () => {
      const { registry, validator, asValidator } = await networkHelpers.loadFixture(stakedRegistry);
      await registry.write.requestUnstake([parseEther("4")], asValidator);
      const { availableAt } = await registry.read.stakeOf([validator.account.address]);
      await viem.assertions.revertWithCustomErrorWithArgs(registry.write.withdraw(asValidator), registry, "CooldownActive", [availableAt]);
      await networkHelpers.time.increaseTo(availableAt);
      await viem.assertions.balancesHaveChanged(registry.write.withdraw(asValidator), [
        { address: validator.account.address, amount: parseEther("4") },
        { address: registry.address, amount: -parseEther("4") },
      ]);
      assert.deepEqual(await registry.read.stakeOf([validator.account.address]), { active: parseEther("6"), pending: 0n, availableAt: 0n });
    });

    it("emits Withdrawn", async () => {
      const { registry, validator, asValidator } = await networkHelpers.loadFixture(stakedRegistry);
      await registry.write.requestUnstake([parseEther("1")], asValidator);
      await networkHelpers.time.increase(COOLDOWN);
      await viem.assertions.emitWithArgs(registry.write.withdraw(asValidator), registry, "Withdrawn", [validator.account.address, parseEther("1")]);
    });

    it("reverts when nothing is pending", async () => {
      const { registry, asValidator } = await networkHelpers.loadFixture(stakedRegistry);
      await viem.assertions.revertWithCustomError(registry.write.withdraw(asValidator), registry, "NothingPending");
    });
  });

  describe("slash", () => {
    it("takes from active stake, sends it to the treasury and emits Slashed", async () => {
      const { registry, treasury, validator, slasher, asSlasher } = await networkHelpers.loadFixture(stakedRegistry);
      const hash = registry.write.slash([validator.account.address, parseEther("1"), REASON], asSlasher);
      await viem.assertions.emitWithArgs(hash, registry, "Slashed", [validator.account.address, parseEther("1"), REASON, slasher.account.address]);
      assert.equal((await registry.read.stakeOf([validator.account.address])).active, parseEther("9"));
      assert.equal(await treasury.read.unallocated(), parseEther("1"));
    });

    it("reaches pending stake once active stake is exhausted", async () => {
      const { registry, validator, asValidator, asSlasher } = await networkHelpers.loadFixture(stakedRegistry);
      await registry.write.requestUnstake([parseEther("8")], asValidator);
      await registry.write.slash([validator.account.address, parseEther("5"), REASON], asSlasher);
      const record = await registry.read.stakeOf([validator.account.address]);
      assert.equal(record.active, 0n);
      assert.equal(record.pending, parseEther("5"));
    });

    it("reverts on zero and on more than the validator holds", async () => {
      const { registry, validator, asSlasher } = await networkHelpers.loadFixture(stakedRegistry);
      await viem.assertions.revertWithCustomError(registry.write.slash([validator.account.address, 0n, REASON], asSlasher), registry, "ZeroAmount");
      await viem.assertions.revertWithCustomErrorWithArgs(
        registry.write.slash([validator.account.address, parseEther("11"), REASON], asSlasher),
        registry,
        "SlashExceedsStake",
        [parseEther("11"), parseEther("10")],
      );
    });

    it("reverts for a caller without the slasher role", async () => {
      const { registry, validator, outsider } = await networkHelpers.loadFixture(stakedRegistry);
      await viem.assertions.revertWithCustomErrorWithArgs(
        registry.write.slash([validator.account.address, 1n, REASON], { account: outsider.account }),
        registry,
        "AccessControlUnauthorizedAccount",
        [outsider.account.address, SLASHER_ROLE],
      );
    });
  });

  describe("admin settings", () => {
    it("changes the cooldown and emits CooldownChanged; rejects too long a cooldown", async () => {
      const { registry } = await networkHelpers.loadFixture(deployRegistry);
      await viem.assertions.emitWithArgs(registry.write.setCooldown([3600n]), registry, "CooldownChanged", [3600n]);
      assert.equal(await registry.read.cooldown(), 3600n);
      const tooLong = 366n * 24n * 3600n;
      await viem.assertions.revertWithCustomErrorWithArgs(registry.write.setCooldown([tooLong]), registry, "CooldownTooLong", [tooLong]);
    });

    it("changes the slash sink and emits SlashSinkChanged; rejects the zero address", async () => {
      const { registry, outsider } = await networkHelpers.loadFixture(deployRegistry);
      await viem.assertions.emitWithArgs(registry.write.setSlashSink([outsider.account.address]), registry, "SlashSinkChanged", [outsider.account.address]);
      assert.equal((await registry.read.slashSink()).toLowerCase(), outsider.account.address.toLowerCase());
      await viem.assertions.revertWithCustomError(registry.write.setSlashSink([zeroAddress]), registry, "ZeroAddress");
    });

    it("reverts both settings for a caller without the admin role", async () => {
      const { registry, outsider } = await networkHelpers.loadFixture(deployRegistry);
      const asOutsider = { account: outsider.account };
      const adminRole = await registry.read.DEFAULT_ADMIN_ROLE();
      await viem.assertions.revertWithCustomErrorWithArgs(registry.write.setCooldown([1n], asOutsider), registry, "AccessControlUnauthorizedAccount", [
        outsider.account.address,
        adminRole,
      ]);
      await viem.assertions.revertWithCustomErrorWithArgs(registry.write.setSlashSink([outsider.account.address], asOutsider), registry, "AccessControlUnauthorizedAccount", [
        outsider.account.address,
        adminRole,
      ]);
    });
  });
});
