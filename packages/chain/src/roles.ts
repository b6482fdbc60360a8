// Role ids of the registry contracts (keccak256 of the role name, as the contracts define them).
import { keccak256, toHex, zeroHash } from "viem";

export const DEFAULT_ADMIN_ROLE = zeroHash;
export const ISSUER_ROLE = keccak256(toHex("ISSUER_ROLE"));
export const SLASHER_ROLE = keccak256(toHex("SLASHER_ROLE"));
export const DISTRIBUTOR_ROLE = keccak256(toHex("DISTRIBUTOR_ROLE"));
