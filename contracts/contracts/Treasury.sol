// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { AccessControl } from "@openzeppelin/contracts/access/AccessControl.sol";
import { ReentrancyGuard } from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";

/// @title Treasury
/// @notice Holds submission fees and slashed stake, lets a distributor credit rewards out of them, and pays
///         rewards by pull: each recipient withdraws its own credit.
/// @dev Invariant: address(this).balance == unallocated + totalCredited (forced ether aside, which only
///      adds to the balance). Credits can never exceed what was deposited.
contract Treasury is AccessControl, ReentrancyGuard {
    /// @notice The role allowed to credit rewards.
    bytes32 public constant DISTRIBUTOR_ROLE = keccak256("DISTRIBUTOR_ROLE");

    /// @notice Funds received and not yet credited to anyone.
    uint256 public unallocated;

    /// @notice Funds credited and not yet withdrawn.
    uint256 public totalCredited;

    /// @notice Fees deposited per submission id.
    mapping(bytes32 submissionId => uint256 amount) public feesOf;

    /// @notice Rewards credited and not yet withdrawn, per recipient.
    mapping(address recipient => uint256 amount) public rewardsOf;

    /// @notice Emitted when a fee is deposited for a submission.
    /// @param submissionId The submission the fee pays for.
    /// @param payer The account that paid.
    /// @param amount The fee in wei.
    event FeeDeposited(bytes32 indexed submissionId, address indexed payer, uint256 amount);

    /// @notice Emitted when funds arrive without a submission (e.g. slashed stake).
    /// @param from The sender.
    /// @param amount The amount in wei.
    event FundsReceived(address indexed from, uint256 amount);

    /// @notice Emitted when a reward is credited.
    /// @param recipient The account credited.
    /// @param amount The amount in wei.
    /// @param distributor The account that credited it.
    event RewardsCredited(address indexed recipient, uint256 amount, address indexed distributor);

    /// @notice Emitted when a recipient withdraws its rewards.
    /// @param recipient The account paid.
    /// @param amount The amount in wei.
    event RewardsWithdrawn(address indexed recipient, uint256 amount);

    /// @notice Thrown when an amount or an id is zero where a value is required.
    error ZeroValue();

    /// @notice Thrown when the zero address is given.
    error ZeroAddress();

    /// @notice Thrown when recipients and amounts differ in length, or are empty.
    /// @param recipients Number of recipients.
    /// @param amounts Number of amounts.
    error LengthMismatch(uint256 recipients, uint256 amounts);

    /// @notice Thrown when credits would exceed the unallocated funds.
    /// @param requested The total requested.
    /// @param available The unallocated funds.
    error InsufficientFunds(uint256 requested, uint256 available);

    /// @notice Thrown when a withdrawal finds nothing credited.
    error NothingToWithdraw();

    /// @notice Thrown when sending ether to the recipient fails.
    error TransferFailed();

    /// @notice Creates the treasury.
    /// @param admin The account that administers roles (and may grant DISTRIBUTOR_ROLE).
    constructor(address admin) {
        if (admin == address(0)) revert ZeroAddress();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /// @notice Accepts funds that belong to no submission (slashed stake, top-ups).
    receive() external payable {
        if (msg.value == 0) revert ZeroValue();
        unallocated += msg.value;
        emit FundsReceived(msg.sender, msg.value);
    }

    /// @notice Deposits the fee of a submission.
    /// @param submissionId The submission the fee pays for.
    function depositFee(bytes32 submissionId) external payable {
        if (submissionId == bytes32(0) || msg.value == 0) revert ZeroValue();
        feesOf[submissionId] += msg.value;
        unallocated += msg.value;
        emit FeeDeposited(submissionId, msg.sender, msg.value);
    }

    /// @notice Credits rewards to recipients out of the unallocated funds.
    /// @param recipients The accounts to credit.
    /// @param amounts The amounts in wei, one per recipient.
    function creditRewards(address[] calldata recipients, uint256[] calldata amounts) external onlyRole(DISTRIBUTOR_ROLE) {
        uint256 count = recipients.length;
        if (count == 0 || count != amounts.length) revert LengthMismatch(count, amounts.length);

        uint256 total;
        for (uint256 i = 0; i < count; ++i) {
            if (recipients[i] == address(0)) revert ZeroAddress();
            if (amounts[i] == 0) revert ZeroValue();
            total += amounts[i];
        }
        uint256 available = unallocated;
        if (total > available) revert InsufficientFunds(total, available);

        unallocated = available - total;
        totalCredited += total;
        for (uint256 i = 0; i < count; ++i) {
            rewardsOf[recipients[i]] += amounts[i];
            emit RewardsCredited(recipients[i], amounts[i], msg.sender);
        }
    }

    /// @notice Pays the caller everything credited to it.
    function withdrawRewards() external nonReentrant {
        uint256 amount = rewardsOf[msg.sender];
        if (amount == 0) revert NothingToWithdraw();

        // Effects before the interaction (checks-effects-interactions).
        rewardsOf[msg.sender] = 0;
        totalCredited -= amount;
        emit RewardsWithdrawn(msg.sender, amount);

        (bool sent, ) = payable(msg.sender).call{ value: amount }("");
        if (!sent) revert TransferFailed();
    }
}
