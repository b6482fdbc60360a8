// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @title Vm
/// @notice The few Foundry-compatible cheatcodes these tests use, as Hardhat 3's Solidity test runner (EDR)
///         serves them at the standard cheatcode address. Declared here because forge-std is not on npm in
///         a current version and nothing may be fetched from outside npm.
interface Vm {
    /// @notice Sets msg.sender for the next call.
    function prank(address sender) external;
    /// @notice Sets the balance of an account.
    function deal(address account, uint256 newBalance) external;
    /// @notice Sets block.timestamp.
    function warp(uint256 newTimestamp) external;
    /// @notice Expects the next call to revert with exactly this data.
    function expectRevert(bytes calldata revertData) external;
    /// @notice Discards the fuzz input when the condition is false.
    function assume(bool condition) external;
}

/// @title CheatsTest
/// @notice Shared base: the cheatcode handle and small assertion helpers that fail the test by reverting.
abstract contract CheatsTest {
    /// @notice The cheatcode address: address(uint160(uint256(keccak256("hevm cheat code")))).
    Vm internal constant vm = Vm(0x7109709ECfa91a80626fF3989D68f67F5b1DD12D);

    /// @notice Thrown when an assertion fails.
    /// @param message What was expected.
    /// @param left The actual value.
    /// @param right The expected value.
    error AssertionFailed(string message, uint256 left, uint256 right);

    /// @notice Fails unless two numbers are equal.
    function assertEq(uint256 left, uint256 right, string memory message) internal pure {
        if (left != right) revert AssertionFailed(message, left, right);
    }

    /// @notice Fails unless the condition holds.
    function assertTrue(bool condition, string memory message) internal pure {
        if (!condition) revert AssertionFailed(message, 0, 1);
    }

    /// @notice Maps any value into [min, max] (forge-std's bound, without its logging).
    function bound(uint256 value, uint256 min, uint256 max) internal pure returns (uint256) {
        if (max < min) revert AssertionFailed("bound: max < min", min, max);
        uint256 size = max - min;
        if (size == type(uint256).max) return value;
        return min + (value % (size + 1));
    }
}
