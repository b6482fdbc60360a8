// Operator slashes mirrored on chain (docs/decisions/0012), run by the anchor
// loop like the revocation mirror: each `validator-slash` outbox event becomes
// ValidatorRegistry.slash(address, amountWei, reason) with reason =
// keccak256("assay.validator-slash/v1:<slash id>"). The Slashed event is indexed
// by (validator, reason), so before sending the loop looks the event up: a
// slash already on chain (a crash after the send, a second worker) is not sent
// again. A slash the contract refuses for good (SlashExceedsStake: the stake
// left the registry meanwhile) is closed with its error, not retried forever.
import { ContractRevertError } from "@assay/chain";
import { keccak256, stringToHex, type Hex } from "viem";
import type { AnchorChain } from "../chain/chain-gateway";
import type { AnchorRepository } from "../repositories/anchor-repositories";
import { VALIDATOR_SLASH_TOPIC } from "../assemblies/validator-admission-repository";
import { anchorBackoffMs, type AnchorRunReport } from "./anchor-service";

export const slashReasonOf = (slashId: string): Hex => keccak256(stringToHex(`assay.validator-slash/v1:${slashId}`));

type Log = (level: "debug" | "info" | "warn" | "error", message: string, fields?: Record<string, unknown>) => void;

const FINAL_REVERTS = new Set(["SlashExceedsStake", "ZeroAmount"]);

export async function mirrorSlashes(repo: AnchorRepository, chain: AnchorChain, clock: () => Date, log: Log, report: AnchorRunReport): Promise<void> {
  if (!chain.slash || !chain.findSlash) return;
  for (const event of await repo.pendingEvents(VALIDATOR_SLASH_TOPIC, clock(), 50)) {
    const payload = event.payload as { slashId?: string; chainAddress?: string; amountWei?: string };
    try {
      const address = String(payload.chainAddress ?? "");
      const reason = slashReasonOf(String(payload.slashId ?? event.id));
      if (!(await chain.findSlash(address, reason))) {
        try {
          const mined = await chain.slash(address, BigInt(payload.amountWei ?? "0"), reason);
          log("info", "slash mirrored on chain", { slashId: payload.slashId, tx: mined.txHash });
        } catch (error) {
          if (!(error instanceof ContractRevertError && FINAL_REVERTS.has(error.errorName))) throw error;
          log("warn", "slash refused by the registry; not retried", { slashId: payload.slashId, error: error.errorName });
        }
      }
      await repo.markEventDone(event.id, clock());
      report.slashed = (report.slashed ?? 0) + 1;
    } catch (error) {
      report.failed += 1;
      await repo.markEventFailed(event.id, (error as Error).message.split("\n")[0] ?? "error", new Date(clock().getTime() + anchorBackoffMs(event.attempts + 1)));
    }
  }
}
