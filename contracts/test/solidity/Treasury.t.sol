// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { Treasury } from "../../contracts/Treasury.sol";
import { CheatsTest } from "./Cheats.sol";

/// @title ReenteringRecipient
/// @notice A reward recipient that tries to withdraw again from inside the payment.
contract ReenteringRecipient {
    Treasury internal immutable treasury;

    /// @notice Binds the attacker to a treasury.
    constructor(Treasury target) {
        treasury = target;
    }

    /// @notice Starts the withdrawal.
    function attack() external {
        treasury.withdrawRewards();
    }

    /// @notice Re-enters on payment; the guard must make this (and so the payment) fail.
    receive() external payable {
        treasury.withdrawRewards();
    }
}

/// @title TreasuryFuzzTest
/// @notice Property tests: credits never exceed deposits, the books balance, withdrawals are pull-only and
///         cannot be re-entered.
contract TreasuryFuzzTest is CheatsTest {
    Treasury internal treasury;
    address internal constant PAYER = address(0xFEE);

    /// @notice Deploys a treasury with this contract as admin and distributor.
    function setUp() public {
        treasury = new Treasury(address(this));
        treasury.grantRole(treasury.DISTRIBUTOR_ROLE(), address(this));
        vm.deal(PAYER, type(uint128).max);
    }

    /// @notice Deposits, credits and a withdrawal keep balance == unallocated + totalCredited.
    function testFuzz_booksBalance(uint96 fee, uint96 creditA, uint96 creditB, bytes32 submissionId) public {
        vm.assume(submissionId != bytes32(0));
        fee = uint96(bound(fee, 1, type(uint96).max));
        vm.prank(PAYER);
        treasury.depositFee{ value: fee }(submissionId);
        assertEq(treasury.feesOf(submissionId), fee, "fee recorded");

        uint256 a = bound(creditA, 1, fee);
        uint256 b = bound(creditB, 1, type(uint96).max);
        address[] memory recipients = new address[](2);
        recipients[0] = address(0xA11CE);
        recipients[1] = address(0xB0B);
        uint256[] memory amounts = new uint256[](2);
        amounts[0] = a;
        amounts[1] = b;
        if (a + b > fee) {
            vm.expectRevert(abi.encodeWithSelector(Treasury.InsufficientFunds.selector, a + b, uint256(fee)));
            treasury.creditRewards(recipients, amounts);
            return;
        }
        treasury.creditRewards(recipients, amounts);
        assertEq(address(treasury).balance, treasury.unallocated() + treasury.totalCredited(), "books after credit");

        vm.prank(address(0xA11CE));
        treasury.withdrawRewards();
        assertEq(address(0xA11CE).balance, a, "alice paid");
        assertEq(treasury.rewardsOf(address(0xA11CE)), 0, "alice credit cleared");
        assertEq(address(treasury).balance, treasury.unallocated() + treasury.totalCredited(), "books after withdraw");
    }

    /// @notice A recipient that re-enters withdrawRewards gets nothing and its credit stays intact.
    function testFuzz_reentrantWithdrawFails(uint96 amount) public {
        amount = uint96(bound(amount, 1, type(uint96).max));
        ReenteringRecipient attacker = new ReenteringRecipient(treasury);
        vm.prank(PAYER);
        treasury.depositFee{ value: uint256(amount) * 2 }(keccak256("submission"));
        address[] memory recipients = new address[](1);
        recipients[0] = address(attacker);
        uint256[] memory amounts = new uint256[](1);
        amounts[0] = amount;
        treasury.creditRewards(recipients, amounts);

        vm.expectRevert(abi.encodeWithSelector(Treasury.TransferFailed.selector));
        attacker.attack();
        assertEq(treasury.rewardsOf(address(attacker)), amount, "credit kept");
        assertEq(address(attacker).balance, 0, "nothing paid");
    }
}
