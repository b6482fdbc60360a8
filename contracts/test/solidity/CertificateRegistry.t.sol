// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { CertificateRegistry } from "../../contracts/CertificateRegistry.sol";
import { CheatsTest } from "./Cheats.sol";

/// @title CertificateRegistryFuzzTest
/// @notice Property tests of anchoring, Merkle membership and revocation over random ids.
contract CertificateRegistryFuzzTest is CheatsTest {
    CertificateRegistry internal registry;

    /// @notice Deploys a registry with this contract as admin and issuer.
    function setUp() public {
        registry = new CertificateRegistry(address(this));
        registry.grantRole(registry.ISSUER_ROLE(), address(this));
    }

    /// @notice Any nonzero id anchors once, reads back as anchored, and cannot be anchored again.
    function testFuzz_anchorOnceThenReject(bytes32 id, bytes32 subject, uint64 validUntil) public {
        vm.assume(id != bytes32(0));
        validUntil = uint64(bound(validUntil, block.timestamp + 1, type(uint64).max));
        registry.anchor(id, subject, validUntil);

        (CertificateRegistry.Status status, CertificateRegistry.CertificateRecord memory record) = registry.statusOf(id);
        assertEq(uint256(status), uint256(CertificateRegistry.Status.Anchored), "status");
        assertEq(record.validUntil, validUntil, "validUntil");
        assertTrue(registry.isAnchored(id, new bytes32[](0), bytes32(0)), "isAnchored");

        vm.expectRevert(abi.encodeWithSelector(CertificateRegistry.AlreadyAnchored.selector, id));
        registry.anchor(id, subject, validUntil);
    }

    /// @notice In a two-leaf batch, each id proves with its sibling's leaf, and any other id does not.
    function testFuzz_twoLeafBatchMembership(bytes32 a, bytes32 b, bytes32 other) public {
        vm.assume(a != b && other != a && other != b);
        bytes32 leafA = registry.leafOf(a);
        bytes32 leafB = registry.leafOf(b);
        // OpenZeppelin's commutative pair hash: the smaller leaf first.
        bytes32 root = leafA < leafB ? keccak256(abi.encode(leafA, leafB)) : keccak256(abi.encode(leafB, leafA));
        registry.anchorBatch(root, 2);

        bytes32[] memory proofA = new bytes32[](1);
        proofA[0] = leafB;
        bytes32[] memory proofB = new bytes32[](1);
        proofB[0] = leafA;
        assertTrue(registry.isAnchored(a, proofA, root), "a is a member");
        assertTrue(registry.isAnchored(b, proofB, root), "b is a member");
        assertTrue(!registry.isAnchored(other, proofA, root), "other is not a member");
    }

    /// @notice Revocation works once for any id, anchored or not, and is final.
    function testFuzz_revokeOnce(bytes32 id, uint16 reasonCode, bool anchoredFirst) public {
        vm.assume(id != bytes32(0));
        if (anchoredFirst) registry.anchor(id, bytes32(0), 0);
        registry.revoke(id, reasonCode);

        (CertificateRegistry.Status status, CertificateRegistry.CertificateRecord memory record) = registry.statusOf(id);
        assertEq(uint256(status), uint256(CertificateRegistry.Status.Revoked), "status");
        assertEq(record.reasonCode, reasonCode, "reasonCode");

        vm.expectRevert(abi.encodeWithSelector(CertificateRegistry.AlreadyRevoked.selector, id));
        registry.revoke(id, reasonCode);
        vm.expectRevert(abi.encodeWithSelector(CertificateRegistry.AlreadyAnchored.selector, id));
        registry.anchor(id, bytes32(0), 0);
    }

    /// @notice Only the issuer role anchors, for any caller without it.
    function testFuzz_onlyIssuerAnchors(address caller, bytes32 id) public {
        vm.assume(caller != address(this) && id != bytes32(0));
        bytes32 issuerRole = registry.ISSUER_ROLE();
        vm.expectRevert(abi.encodeWithSignature("AccessControlUnauthorizedAccount(address,bytes32)", caller, issuerRole));
        vm.prank(caller);
        registry.anchor(id, bytes32(0), 0);
    }
}
