// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @title AnchorBaseline
/// @notice The plainest way to put a certificate-like record on chain, kept only as a gas baseline for
///         the benchmark: no roles, the whole record stored (two slots) and an event.
contract AnchorBaseline {
    /// @notice A stored record.
    /// @param subjectDigest The certified artifact's digest.
    /// @param validUntil The declared expiry.
    /// @param recordedAt When it was recorded.
    struct Record {
        bytes32 subjectDigest;
        uint64 validUntil;
        uint64 recordedAt;
    }

    /// @notice Records by id.
    mapping(bytes32 id => Record record) public records;

    /// @notice Emitted when a record is stored.
    /// @param id The record id.
    /// @param subjectDigest The subject digest.
    /// @param validUntil The declared expiry.
    event Recorded(bytes32 indexed id, bytes32 subjectDigest, uint64 validUntil);

    /// @notice Thrown when an id is recorded twice.
    /// @param id The record id.
    error AlreadyRecorded(bytes32 id);

    /// @notice Stores one record.
    /// @param id The record id.
    /// @param subjectDigest The subject digest.
    /// @param validUntil The declared expiry.
    function record(bytes32 id, bytes32 subjectDigest, uint64 validUntil) external {
        if (records[id].recordedAt != 0) revert AlreadyRecorded(id);
        records[id] = Record(subjectDigest, validUntil, uint64(block.timestamp));
        emit Recorded(id, subjectDigest, validUntil);
    }
}
