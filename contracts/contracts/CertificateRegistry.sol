// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { AccessControl } from "@openzeppelin/contracts/access/AccessControl.sol";
import { MerkleProof } from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";

/// @title CertificateRegistry
/// @notice Anchors Assay certificate ids (SHA-256 of the JCS payload, a bytes32) on chain, one by one or
///         as the Merkle root of a batch, and records revocations with a reason code.
/// @dev One storage slot per single anchor, per batch root and per revocation keeps a single anchor under
///      60k gas. The subject digest is emitted, not stored: the certificate id already commits to it.
///      Batch leaves follow the StandardMerkleTree of ["bytes32"] from the OpenZeppelin merkle-tree
///      package: leaf = keccak256(bytes.concat(keccak256(abi.encode(id)))).
contract CertificateRegistry is AccessControl {
    /// @notice The role allowed to anchor and revoke certificates.
    bytes32 public constant ISSUER_ROLE = keccak256("ISSUER_ROLE");

    /// @notice Where a certificate stands on chain, as far as `statusOf` can tell without a proof.
    enum Status {
        /// Nothing recorded for the id (a batch member reads so until revoked: use `isAnchored` with its proof).
        None,
        /// Anchored on its own and not revoked.
        Anchored,
        /// Revoked (a single anchor or a batch member).
        Revoked
    }

    /// @notice What the registry holds for one certificate id, packed into one slot.
    /// @param anchoredAt Timestamp of a single anchor, zero when the id was not anchored on its own.
    /// @param validUntil Expiry declared at anchoring (zero: no expiry declared).
    /// @param revokedAt Timestamp of the revocation, zero when not revoked.
    /// @param reasonCode Reason code given at revocation.
    struct CertificateRecord {
        uint64 anchoredAt;
        uint64 validUntil;
        uint64 revokedAt;
        uint16 reasonCode;
    }

    /// @notice What the registry holds for one batch root, packed into one slot.
    /// @param anchoredAt Timestamp of the anchoring, zero for an unknown root.
    /// @param count Number of certificates in the batch, as declared by the issuer.
    struct BatchRecord {
        uint64 anchoredAt;
        uint32 count;
    }

    /// @dev Records of single anchors and of revocations, by certificate id.
    mapping(bytes32 certificateId => CertificateRecord record) private _certificates;

    /// @dev Anchored batch roots.
    mapping(bytes32 merkleRoot => BatchRecord record) private _batches;

    /// @notice Emitted when a certificate id is anchored on its own.
    /// @param id The certificate id.
    /// @param subjectDigest The digest of the certified runtime artifact.
    /// @param validUntil The declared expiry (zero: none).
    /// @param issuer The account that anchored it.
    event CertificateAnchored(bytes32 indexed id, bytes32 indexed subjectDigest, uint64 validUntil, address indexed issuer);

    /// @notice Emitted when the Merkle root of a batch of certificate ids is anchored.
    /// @param merkleRoot The StandardMerkleTree root.
    /// @param count The number of certificates in the batch.
    /// @param issuer The account that anchored it.
    event BatchAnchored(bytes32 indexed merkleRoot, uint32 count, address indexed issuer);

    /// @notice Emitted when a certificate (single or batch member) is revoked.
    /// @param id The certificate id.
    /// @param reasonCode The reason code.
    /// @param issuer The account that revoked it.
    event CertificateRevoked(bytes32 indexed id, uint16 reasonCode, address indexed issuer);

    /// @notice Thrown when the zero value is given as a certificate id or a root.
    error ZeroValue();

    /// @notice Thrown when a declared expiry is already in the past.
    /// @param validUntil The declared expiry.
    error ExpiryInPast(uint64 validUntil);

    /// @notice Thrown when an id is anchored twice, or anchored after it was revoked.
    /// @param id The certificate id.
    error AlreadyAnchored(bytes32 id);

    /// @notice Thrown when a batch root is anchored twice.
    /// @param merkleRoot The root.
    error BatchAlreadyAnchored(bytes32 merkleRoot);

    /// @notice Thrown when a batch declares no certificates.
    error EmptyBatch();

    /// @notice Thrown when a proof is checked against a root that was never anchored.
    /// @param merkleRoot The root.
    error UnknownRoot(bytes32 merkleRoot);

    /// @notice Thrown when a certificate is revoked twice.
    /// @param id The certificate id.
    error AlreadyRevoked(bytes32 id);

    /// @notice Creates the registry.
    /// @param admin The account that administers roles (and may grant ISSUER_ROLE).
    constructor(address admin) {
        if (admin == address(0)) revert ZeroValue();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /// @notice Anchors one certificate id.
    /// @param id The certificate id (SHA-256 of the canonical payload).
    /// @param subjectDigest The digest of the certified artifact (emitted, not stored).
    /// @param validUntil The declared expiry as a unix timestamp (zero: none).
    function anchor(bytes32 id, bytes32 subjectDigest, uint64 validUntil) external onlyRole(ISSUER_ROLE) {
        if (id == bytes32(0)) revert ZeroValue();
        if (validUntil != 0 && validUntil <= block.timestamp) revert ExpiryInPast(validUntil);

        CertificateRecord storage record = _certificates[id];
        // A revoked id cannot be anchored afterwards: the revocation would otherwise be masked.
        if (record.anchoredAt != 0 || record.revokedAt != 0) revert AlreadyAnchored(id);

        record.anchoredAt = uint64(block.timestamp);
        record.validUntil = validUntil;

        emit CertificateAnchored(id, subjectDigest, validUntil, msg.sender);
    }

    /// @notice Anchors the Merkle root of a batch of certificate ids.
    /// @param merkleRoot The StandardMerkleTree(["bytes32"]) root of the ids.
    /// @param count The number of ids in the batch.
    function anchorBatch(bytes32 merkleRoot, uint32 count) external onlyRole(ISSUER_ROLE) {
        if (merkleRoot == bytes32(0)) revert ZeroValue();
        if (count == 0) revert EmptyBatch();

        BatchRecord storage record = _batches[merkleRoot];
        if (record.anchoredAt != 0) revert BatchAlreadyAnchored(merkleRoot);

        record.anchoredAt = uint64(block.timestamp);
        record.count = count;

        emit BatchAnchored(merkleRoot, count, msg.sender);
    }

    /// @notice Revokes a certificate, anchored on its own or as a batch member.
    /// @dev Batch members are revoked by id alone (no proof): a revocation is the issuer's statement and
    ///      an id that was never anchored stays unanchored, so it cannot make anything look valid.
    /// @param id The certificate id.
    /// @param reasonCode The reason code (see the platform's revocation reasons).
    function revoke(bytes32 id, uint16 reasonCode) external onlyRole(ISSUER_ROLE) {
        if (id == bytes32(0)) revert ZeroValue();

        CertificateRecord storage record = _certificates[id];
        if (record.revokedAt != 0) revert AlreadyRevoked(id);

        record.revokedAt = uint64(block.timestamp);
        record.reasonCode = reasonCode;

        emit CertificateRevoked(id, reasonCode, msg.sender);
    }

    /// @notice Tells whether a certificate id is anchored, on its own or in a batch (revocation aside).
    /// @param id The certificate id.
    /// @param proof The inclusion proof (empty for a single anchor).
    /// @param root The batch root (zero for a single anchor).
    /// @return True when the id was anchored on its own (root zero) or is proven a member of an anchored batch.
    function isAnchored(bytes32 id, bytes32[] calldata proof, bytes32 root) external view returns (bool) {
        if (root == bytes32(0)) return proof.length == 0 && _certificates[id].anchoredAt != 0;
        if (_batches[root].anchoredAt == 0) revert UnknownRoot(root);
        return MerkleProof.verifyCalldata(proof, root, leafOf(id));
    }

    /// @notice The status of a certificate id and its record.
    /// @param id The certificate id.
    /// @return status The status as far as the id alone tells.
    /// @return record The stored record (all zero when nothing is recorded).
    function statusOf(bytes32 id) external view returns (Status status, CertificateRecord memory record) {
        record = _certificates[id];
        if (record.revokedAt != 0) status = Status.Revoked;
        else if (record.anchoredAt != 0) status = Status.Anchored;
        else status = Status.None;
    }

    /// @notice The record of an anchored batch root.
    /// @param merkleRoot The root.
    /// @return The batch record (all zero for an unknown root).
    function batchOf(bytes32 merkleRoot) external view returns (BatchRecord memory) {
        return _batches[merkleRoot];
    }

    /// @notice The Merkle leaf of a certificate id, as the OpenZeppelin StandardMerkleTree(["bytes32"]) builds it.
    /// @param id The certificate id.
    /// @return The double-hashed leaf.
    function leafOf(bytes32 id) public pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(id))));
    }
}
