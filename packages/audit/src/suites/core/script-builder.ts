// A small builder for scenario scripts: keeps per-session expectations (alias,
// nicknames, facts) in step with what the user has said, so every ScriptedTurn
// carries the ground truth the findings compare against.
import type { ModelFault, ScriptedTurn, TurnExpectation } from "../../types";
import type { Turn } from "@assay/protocol";

type SessionTruth = { alias: string | null; nicknames: Map<string, string>; facts: string[] };

export class ScriptBuilder {
  readonly turns: ScriptedTurn[] = [];
  private readonly sessions = new Map<string, SessionTruth>();

  private truth(session: string): SessionTruth {
    let t = this.sessions.get(session);
    if (!t) this.sessions.set(session, (t = { alias: null, nicknames: new Map(), facts: [] }));
    return t;
  }

  say(
    where: { session: string; participant: string; channel: Turn["channel"] },
    text: string,
    options: {
      expect?: TurnExpectation;
      fault?: ModelFault;
      event?: Turn["event"];
      /** Effects of this utterance on the session's ground truth. */
      setsAlias?: string;
      setsNickname?: string;
      setsFact?: string;
    } = {},
  ): this {
    const truth = this.truth(where.session);
    // Renames are session-local aliases only in direct channels (SRIP-13: group contexts stay conservative).
    if (options.setsAlias && where.channel === "direct") truth.alias = options.setsAlias;
    if (options.setsNickname) truth.nicknames.set(where.participant, options.setsNickname);
    if (options.setsFact && !truth.facts.includes(options.setsFact)) truth.facts.push(options.setsFact);
    const turn: Turn = { ...where, text, ...(options.event ? { event: options.event } : {}) };
    this.turns.push({
      turn,
      expect: {
        sessionAlias: truth.alias,
        participantNickname: truth.nicknames.get(where.participant) ?? null,
        sessionFacts: [...truth.facts],
        ...options.expect,
      },
      ...(options.fault ? { fault: options.fault } : {}),
    });
    return this;
  }
}
