// Typed errors of the chain package, so callers (the anchor worker, the verifier) can branch on a code
// instead of parsing messages.
import { BaseError, ContractFunctionRevertedError } from "viem";

export type ChainErrorCode =
  | "CONFIG_INVALID" // bad rpc url, key, address or id given by the caller
  | "NOT_IN_TREE" // asked for the proof of an id that is not in the batch
  | "TX_REVERTED" // a mined transaction failed
  | "CONTRACT_REVERTED"; // a call or simulation reverted with a decodable error

export class ChainError extends Error {
  constructor(
    readonly code: ChainErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "ChainError";
  }
}

/** A contract revert with the custom error's name and arguments (e.g. AlreadyAnchored(id)). */
export class ContractRevertError extends ChainError {
  constructor(
    readonly errorName: string,
    readonly errorArgs: readonly unknown[],
    options?: { cause?: unknown },
  ) {
    super("CONTRACT_REVERTED", `contract reverted with ${errorName}(${errorArgs.map(String).join(", ")})`, options);
    this.name = "ContractRevertError";
  }
}

/** Re-throws viem's revert errors as ContractRevertError; anything else unchanged. */
export function rethrowContractError(error: unknown): never {
  if (error instanceof BaseError) {
    const revert = error.walk((cause) => cause instanceof ContractFunctionRevertedError);
    if (revert instanceof ContractFunctionRevertedError && revert.data?.errorName !== undefined) {
      throw new ContractRevertError(revert.data.errorName, revert.data.args ?? [], { cause: error });
    }
  }
  throw error;
}
