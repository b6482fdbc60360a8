// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { AccessControl } from "@openzeppelin/contracts/access/AccessControl.sol";
import { ReentrancyGuard } from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import { SafeCast } from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title ValidatorRegistry
/// @notice Holds validators' ETH stake: stake, request an unstake that unlocks after a cooldown, withdraw
///         it, and be slashed by an authorised role (slashed funds go to a configured sink, the Treasury).
/// @dev Stake waiting out its cooldown stays slashable, so requesting an unstake cannot dodge a slash.
contract ValidatorRegistry is AccessControl, ReentrancyGuard {
    /// @notice The role allowed to slash validators.
    bytes32 public constant SLASHER_ROLE = keccak256("SLASHER_ROLE");

    /// @notice The longest cooldown the admin may set.
    uint64 public constant MAX_COOLDOWN = 365 days;

    /// @notice One validator's stake.
    /// @param active Stake that counts for governance weight.
    /// @param pending Stake requested for withdrawal, still slashable until withdrawn.
    /// @param availableAt When the pending stake can be withdrawn.
    struct StakeRecord {
        uint128 active;
        uint128 pending;
        uint64 availableAt;
    }

    /// @notice Seconds between an unstake request and its withdrawal.
    uint64 public cooldown;

    /// @notice Where slashed funds are sent.
    address payable public slashSink;

    /// @dev Stake per validator.
    mapping(address validator => StakeRecord record) private _stakes;

    /// @notice Emitted when a validator adds stake.
    /// @param validator The validator.
    /// @param amount The amount added in wei.
    /// @param activeStake The validator's active stake afterwards.
    event Staked(address indexed validator, uint256 amount, uint256 activeStake);

    /// @notice Emitted when a validator asks to withdraw part of its stake.
    /// @param validator The validator.
    /// @param amount The amount requested in wei.
    /// @param pendingTotal All pending stake of the validator afterwards.
    /// @param availableAt When the pending stake can be withdrawn.
    event UnstakeRequested(address indexed validator, uint256 amount, uint256 pendingTotal, uint64 availableAt);

    /// @notice Emitted when a validator withdraws its pending stake.
    /// @param validator The validator.
    /// @param amount The amount paid in wei.
    event Withdrawn(address indexed validator, uint256 amount);

    /// @notice Emitted when a validator is slashed.
    /// @param validator The validator.
    /// @param amount The amount slashed in wei.
    /// @param reason The reason (e.g. a digest of the assembly record or a finding code).
    /// @param slasher The account that slashed.
    event Slashed(address indexed validator, uint256 amount, bytes32 indexed reason, address indexed slasher);

    /// @notice Emitted when the cooldown changes.
    /// @param cooldown The new cooldown in seconds.
    event CooldownChanged(uint64 cooldown);

    /// @notice Emitted when the slash sink changes.
    /// @param sink The new sink.
    event SlashSinkChanged(address indexed sink);

    /// @notice Thrown when an amount is zero.
    error ZeroAmount();

    /// @notice Thrown when the zero address is given.
    error ZeroAddress();

    /// @notice Thrown when a cooldown exceeds MAX_COOLDOWN.
    /// @param cooldown The rejected cooldown.
    error CooldownTooLong(uint64 cooldown);

    /// @notice Thrown when an unstake asks for more than the active stake.
    /// @param requested The amount requested.
    /// @param active The active stake.
    error InsufficientStake(uint256 requested, uint256 active);

    /// @notice Thrown when a slash asks for more than the validator holds.
    /// @param requested The amount requested.
    /// @param held Active plus pending stake.
    error SlashExceedsStake(uint256 requested, uint256 held);

    /// @notice Thrown when a withdrawal finds nothing pending.
    error NothingPending();

    /// @notice Thrown when a withdrawal comes before the cooldown ends.
    /// @param availableAt When the pending stake becomes withdrawable.
    error CooldownActive(uint64 availableAt);

    /// @notice Thrown when sending ether fails.
    error TransferFailed();

    /// @notice Creates the registry.
    /// @param admin The account that administers roles, the cooldown and the sink.
    /// @param sink Where slashed funds go (the Treasury).
    /// @param cooldownSeconds The unstake cooldown.
    constructor(address admin, address payable sink, uint64 cooldownSeconds) {
        if (admin == address(0) || sink == address(0)) revert ZeroAddress();
        if (cooldownSeconds > MAX_COOLDOWN) revert CooldownTooLong(cooldownSeconds);
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        slashSink = sink;
        cooldown = cooldownSeconds;
        emit SlashSinkChanged(sink);
        emit CooldownChanged(cooldownSeconds);
    }

    /// @notice Adds the sent ether to the caller's active stake.
    function stake() external payable {
        if (msg.value == 0) revert ZeroAmount();
        StakeRecord storage record = _stakes[msg.sender];
        uint256 active = record.active + msg.value;
        record.active = SafeCast.toUint128(active);
        emit Staked(msg.sender, msg.value, active);
    }

    /// @notice Moves part of the caller's active stake to pending; it unlocks after the cooldown.
    /// @dev A new request adds to any pending stake and restarts the cooldown for all of it.
    /// @param amount The amount to unstake in wei.
    function requestUnstake(uint256 amount) external {
        if (amount == 0) revert ZeroAmount();
        StakeRecord storage record = _stakes[msg.sender];
        uint256 active = record.active;
        if (amount > active) revert InsufficientStake(amount, active);

        uint256 pending = record.pending + amount;
        uint64 availableAt = uint64(block.timestamp) + cooldown;
        record.active = uint128(active - amount);
        record.pending = uint128(pending);
        record.availableAt = availableAt;
        emit UnstakeRequested(msg.sender, amount, pending, availableAt);
    }

    /// @notice Pays the caller its pending stake once the cooldown has passed.
    function withdraw() external nonReentrant {
        StakeRecord storage record = _stakes[msg.sender];
        uint256 amount = record.pending;
        if (amount == 0) revert NothingPending();
        if (block.timestamp < record.availableAt) revert CooldownActive(record.availableAt);

        record.pending = 0;
        record.availableAt = 0;
        emit Withdrawn(msg.sender, amount);

        (bool sent, ) = payable(msg.sender).call{ value: amount }("");
        if (!sent) revert TransferFailed();
    }

    /// @notice Slashes a validator: takes from its active stake first, then from its pending stake, and
    ///         sends the amount to the slash sink.
    /// @param validator The validator.
    /// @param amount The amount in wei.
    /// @param reason The reason (e.g. a digest of the assembly record or a finding code).
    function slash(address validator, uint256 amount, bytes32 reason) external onlyRole(SLASHER_ROLE) nonReentrant {
        if (amount == 0) revert ZeroAmount();
        StakeRecord storage record = _stakes[validator];
        uint256 active = record.active;
        uint256 pending = record.pending;
        if (amount > active + pending) revert SlashExceedsStake(amount, active + pending);

        uint256 fromActive = amount < active ? amount : active;
        record.active = uint128(active - fromActive);
        if (amount > fromActive) record.pending = uint128(pending - (amount - fromActive));
        emit Slashed(validator, amount, reason, msg.sender);

        (bool sent, ) = slashSink.call{ value: amount }("");
        if (!sent) revert TransferFailed();
    }

    /// @notice Changes the unstake cooldown (pending requests keep their unlock time).
    /// @param cooldownSeconds The new cooldown in seconds.
    function setCooldown(uint64 cooldownSeconds) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (cooldownSeconds > MAX_COOLDOWN) revert CooldownTooLong(cooldownSeconds);
        cooldown = cooldownSeconds;
        emit CooldownChanged(cooldownSeconds);
    }

    /// @notice Changes where slashed funds go.
    /// @param sink The new sink.
    function setSlashSink(address payable sink) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (sink == address(0)) revert ZeroAddress();
        slashSink = sink;
        emit SlashSinkChanged(sink);
    }

    /// @notice A validator's stake.
    /// @param validator The validator.
    /// @return The stake record.
    function stakeOf(address validator) external view returns (StakeRecord memory) {
        return _stakes[validator];
    }
}
