// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { Treasury } from "../../contracts/Treasury.sol";
import { ValidatorRegistry } from "../../contracts/ValidatorRegistry.sol";
import { CheatsTest } from "./Cheats.sol";

/// @title EtherRefuser
/// @notice A contract that refuses ether: as a validator it cannot be paid, as a sink it cannot take slashes.
contract EtherRefuser {
    /// @notice Stakes through the registry, so the registry sees this contract as the validator.
    function stakeInto(ValidatorRegistry registry) external payable {
        registry.stake{ value: msg.value }();
    }

    /// @notice Requests an unstake of the given amount.
    function unstakeFrom(ValidatorRegistry registry, uint256 amount) external {
        registry.requestUnstake(amount);
    }

    /// @notice Withdraws pending stake (the payment back to this contract fails).
    function withdrawFrom(ValidatorRegistry registry) external {
        registry.withdraw();
    }
}

/// @title ValidatorRegistryFuzzTest
/// @notice Property tests: stake is conserved across unstake, withdraw and slash; the cooldown holds;
///         slashed funds reach the treasury.
contract ValidatorRegistryFuzzTest is CheatsTest {
    uint64 internal constant COOLDOWN = 7 days;
    address internal constant VALIDATOR = address(0x7A11);
    Treasury internal treasury;
    ValidatorRegistry internal registry;

    /// @notice Deploys a treasury and a registry slashing into it; this contract is admin and slasher.
    function setUp() public {
        treasury = new Treasury(address(this));
        registry = new ValidatorRegistry(address(this), payable(address(treasury)), COOLDOWN);
        registry.grantRole(registry.SLASHER_ROLE(), address(this));
        vm.deal(VALIDATOR, type(uint128).max);
    }

    /// @notice Whatever is staked, unstaked and slashed, active + pending + withdrawn + slashed == staked,
    ///         and the registry's balance holds exactly active + pending.
    function testFuzz_stakeConserved(uint96 staked, uint96 unstaked, uint96 slashed) public {
        staked = uint96(bound(staked, 1, type(uint96).max));
        unstaked = uint96(bound(unstaked, 1, staked));
        slashed = uint96(bound(slashed, 1, staked));

        vm.prank(VALIDATOR);
        registry.stake{ value: staked }();
        vm.prank(VALIDATOR);
        registry.requestUnstake(unstaked);
        registry.slash(VALIDATOR, slashed, keccak256("no-show"));

        ValidatorRegistry.StakeRecord memory record = registry.stakeOf(VALIDATOR);
        assertEq(uint256(record.active) + record.pending + slashed, staked, "conserved");
        assertEq(address(registry).balance, uint256(record.active) + record.pending, "balance");
        assertEq(treasury.unallocated(), slashed, "slash reached the treasury");
        // Slashing takes from active stake before pending stake.
        uint256 activeBefore = uint256(staked) - unstaked;
        assertEq(record.active, slashed >= activeBefore ? 0 : activeBefore - slashed, "active first");
    }

    /// @notice A withdrawal before the cooldown ends reverts; at its end it pays the pending stake.
    function testFuzz_cooldownHolds(uint96 amount, uint64 early) public {
        amount = uint96(bound(amount, 1, type(uint96).max));
        vm.prank(VALIDATOR);
        registry.stake{ value: amount }();
        vm.prank(VALIDATOR);
        registry.requestUnstake(amount);
        uint64 availableAt = uint64(block.timestamp) + COOLDOWN;

        vm.warp(bound(early, block.timestamp, availableAt - 1));
        vm.expectRevert(abi.encodeWithSelector(ValidatorRegistry.CooldownActive.selector, availableAt));
        vm.prank(VALIDATOR);
        registry.withdraw();

        vm.warp(availableAt);
        uint256 before = VALIDATOR.balance;
        vm.prank(VALIDATOR);
        registry.withdraw();
        assertEq(VALIDATOR.balance - before, amount, "paid");
        assertEq(registry.stakeOf(VALIDATOR).pending, 0, "pending cleared");
    }

    /// @notice No slash can take more than the validator holds.
    function testFuzz_slashBoundedByStake(uint96 staked, uint256 excess) public {
        staked = uint96(bound(staked, 1, type(uint96).max));
        excess = bound(excess, 1, type(uint128).max);
        vm.prank(VALIDATOR);
        registry.stake{ value: staked }();
        vm.expectRevert(
            abi.encodeWithSelector(ValidatorRegistry.SlashExceedsStake.selector, uint256(staked) + excess, uint256(staked))
        );
        registry.slash(VALIDATOR, uint256(staked) + excess, bytes32(0));
    }

    /// @notice A withdrawal to an account that refuses ether reverts and leaves the pending stake intact.
    function test_withdrawToRefuserFails() public {
        EtherRefuser refuser = new EtherRefuser();
        vm.deal(address(this), 1 ether);
        refuser.stakeInto{ value: 1 ether }(registry);
        refuser.unstakeFrom(registry, 1 ether);
        vm.warp(block.timestamp + COOLDOWN);
        vm.expectRevert(abi.encodeWithSelector(ValidatorRegistry.TransferFailed.selector));
        refuser.withdrawFrom(registry);
        assertEq(registry.stakeOf(address(refuser)).pending, 1 ether, "pending kept");
    }

    /// @notice A slash into a sink that refuses ether reverts and leaves the stake intact.
    function test_slashIntoRefusingSinkFails() public {
        registry.setSlashSink(payable(address(new EtherRefuser())));
        vm.prank(VALIDATOR);
        registry.stake{ value: 1 ether }();
        vm.expectRevert(abi.encodeWithSelector(ValidatorRegistry.TransferFailed.selector));
        registry.slash(VALIDATOR, 1 ether, bytes32(0));
        assertEq(registry.stakeOf(VALIDATOR).active, 1 ether, "stake kept");
    }
}
