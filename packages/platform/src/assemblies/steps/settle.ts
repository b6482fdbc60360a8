// Settle: reputation and stake after a decision, round by round against the
// final verdict (appeal rounds are judged by the final ruling; an escalation
// judges nobody but no-shows), one reputation event per seat and round. The
// events are unique per (assembly, round, validator): a replay adds none and
// aborts the decision's transaction. Stake moves by slashes and their
// redistribution only; the fee half of the reward rule is paid in credits (the
// submission's assembly share from validator_rewards_pool to the validators'
// payables, entry `reward:<assemblyId>`), posted by postAssemblyRewardsIn here
// or, when the fee is captured after the decision (the usual order), by the
// capture (docs/money.md "Validator rewards").
import { settleRound, type AssemblyRecord } from "@assay/assembly";
import { ConflictError } from "../../errors";
import { postAssemblyRewardsIn, type LedgerService } from "../../money";
import { repositoriesFor } from "../../repositories";
import type { Transaction, ValidatorStanding } from "../../repositories";
import { AssemblyRepository, type AssemblyState, type ReputationEventInput } from "../assembly-repository";
import { ValidatorRepository } from "../repositories";

/** Reputation below this puts an active validator on probation; at or above the restore line it is active again. */
export const PROBATION_BELOW_BPS = 2_000;
export const RESTORE_AT_BPS = 4_000;

type SettledState = { id: string; stake: bigint; reputationBps: number; standing: ValidatorStanding };

export async function settleAssembly(tx: Transaction, assembly: AssemblyState, record: AssemblyRecord, ledger?: Pick<LedgerService, "postIn">): Promise<void> {
  const validators = new ValidatorRepository(tx);
  const finalVerdict = record.outcome.kind === "escalate" ? null : record.outcome.kind;
  const states = new Map<string, SettledState>();
  for (const r of record.rounds) {
    for (const b of r.tally.ballots) {
      if (states.has(b.validatorId)) continue;
      const v = await validators.findById(b.validatorId);
      if (v) states.set(v.id, { id: v.id, stake: v.stake, reputationBps: v.reputationBps, standing: v.standing });
    }
  }
  const events: ReputationEventInput[] = [];
  record.rounds.forEach((r) => {
    // fee 0: the fee half of the reward rule is paid in credits (postAssemblyRewardsIn below / at capture), so stake moves
    // only by slashes and their redistribution to coherent voters; paying the fee into stake as well would pay it twice.
    const settlement = settleRound({ tally: r.tally, finalVerdict, validators: [...states.values()].map(settlementInput), fee: 0n, params: record.params });
    for (const e of settlement.entries) {
      const state = states.get(e.validatorId);
      if (!state) continue;
      state.stake = e.stakeBefore + e.stakeDelta;
      state.reputationBps = e.reputationAfter;
      state.standing = standingAfter(state.standing, e.reputationAfter);
      events.push({
        validatorId: e.validatorId,
        assemblyId: assembly.id,
        round: r.round,
        role: e.role,
        reputationBefore: e.reputationBefore,
        reputationAfter: e.reputationAfter,
        stakeBefore: e.stakeBefore,
        stakeSlashed: e.stakeSlashed,
        reward: e.reward,
        stakeDelta: e.stakeDelta,
      });
    }
  });
  if ((await new AssemblyRepository(tx).addReputationEvents(events)) !== events.length) {
    throw new ConflictError("assembly_settled", `assembly ${assembly.id} was settled already`);
  }
  for (const state of states.values()) await validators.applySettlement(state.id, { stake: state.stake, reputationBps: state.reputationBps, standing: state.standing });
  if (ledger) await postAssemblyRewardsIn(ledger, repositoriesFor(tx), assembly.submissionId);
}

/** settleRound needs stake and reputation; standing only decides probation afterwards. */
function settlementInput(state: SettledState): { id: string; stake: bigint; reputationBps: number } {
  return { id: state.id, stake: state.stake, reputationBps: state.reputationBps };
}

export function standingAfter(standing: ValidatorStanding, reputationBps: number): ValidatorStanding {
  if (standing === "active" && reputationBps < PROBATION_BELOW_BPS) return "probation";
  if (standing === "probation" && reputationBps >= RESTORE_AT_BPS) return "active";
  return standing;
}
