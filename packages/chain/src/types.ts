// Shared value types and their runtime checks.
import { isAddress, type Address, type Hex } from "viem";
import { ChainError } from "./errors";

/** 0x + 64 hex digits: a certificate id, subject digest, Merkle root or proof node. */
export type Bytes32 = Hex;

const BYTES32 = /^0x[0-9a-fA-F]{64}$/;

export function assertBytes32(value: string, what: string): Bytes32 {
  if (!BYTES32.test(value)) throw new ChainError("CONFIG_INVALID", `${what} must be 0x + 64 hex digits, got ${JSON.stringify(value)}`);
  return value as Bytes32;
}

export function assertAddress(value: string, what: string): Address {
  if (!isAddress(value, { strict: false })) throw new ChainError("CONFIG_INVALID", `${what} must be an address, got ${JSON.stringify(value)}`);
  return value as Address;
}

/** The deployed addresses of the three registry contracts. */
export interface RegistryAddresses {
  certificateRegistry: Address;
  validatorRegistry: Address;
  treasury: Address;
}
