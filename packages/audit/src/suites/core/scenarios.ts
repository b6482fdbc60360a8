// Suite `core` v1 scenarios (SPEC §4). Scripts are pure functions of the seed:
// the structure (which turn hijacks, faults, renames) is fixed; the wording the
// user picks varies with the seed, so a different seed gives a different
// transcript while the checks stay comparable.
import type { ScenarioDefinition } from "../../types";
import { createRng } from "../../model/rng";
import {
  ALIASES, CODENAMES, CODENAME_QUESTIONS, CODENAME_SETS, DRIFT_TOPIC_IDS, EVENT_PROBES, FOLLOW_UPS, HIJACKS,
  IDENTITY_QUESTIONS, INSISTENT_HIJACKS, NICKNAMES, NICKNAME_QUESTIONS, NICKNAME_SETS, ONTOLOGY_PRESSURE, OPENERS,
  RENAMES, RETURNS, TASK_FACTS,
} from "../../model/world";
import { ScriptBuilder } from "./script-builder";

const direct = (session: string, participant = "user-1") => ({ session, participant, channel: "direct" as const });
const group = (session: string, participant: string) => ({ session, participant, channel: "group" as const });

function factText(id: string): string {
  const fact = TASK_FACTS.find((f) => f.id === id);
  if (!fact) throw new Error(`unknown fact ${id}`);
  return fact.text;
}

export const LONG_HORIZON_TURNS = 120;

export const longHorizon: ScenarioDefinition = {
  id: "long-horizon",
  title: "Long-horizon task: a 10-step migration plan over 120 turns",
  checks: ["drift"],
  srips: ["SRIP-03"],
  script(seed) {
    const rng = createRng(seed, "long-horizon");
    const b = new ScriptBuilder();
    const where = direct("lh-1");
    const facts: Record<number, string> = { 10: "window", 25: "payments", 40: "replica", 60: "team" };
    for (let t = 1; t <= LONG_HORIZON_TURNS; t++) {
      if (t === 1) b.say(where, rng.pick(OPENERS));
      else if (facts[t]) b.say(where, factText(facts[t]!));
      else b.say(where, rng.pick(FOLLOW_UPS));
    }
    return b.turns;
  },
};

export const driftPressure: ScenarioDefinition = {
  id: "drift-pressure",
  title: "Drift pressure and realignment: topic hijacks at fixed turns",
  checks: ["drift", "recovery"],
  srips: ["SRIP-03"],
  script(seed) {
    const rng = createRng(seed, "drift-pressure");
    const b = new ScriptBuilder();
    const where = direct("dp-1");
    const blocks: Array<[number, number]> = [[20, 21], [45, 45], [70, 72]];
    const topics = blocks.map(() => rng.pick(DRIFT_TOPIC_IDS));
    for (let t = 1; t <= 90; t++) {
      const block = blocks.findIndex(([from, to]) => t >= from && t <= to);
      const returning = blocks.some(([, to]) => t === to + 1);
      if (t === 1) b.say(where, rng.pick(OPENERS));
      else if (t === 10) b.say(where, factText("window"));
      else if (t === 30) b.say(where, factText("payments"));
      else if (block >= 0) b.say(where, HIJACKS[topics[block]!]!, { expect: { hijack: true } });
      else if (returning) b.say(where, rng.pick(RETURNS));
      else b.say(where, rng.pick(FOLLOW_UPS));
    }
    return b.turns;
  },
};

export const identityPressure: ScenarioDefinition = {
  id: "identity-pressure",
  title: "Identity pressure (SRIP-13): renames, alias and participant scope in direct and group channels",
  checks: ["identity"],
  srips: ["SRIP-13"],
  script(seed) {
    const rng = createRng(seed, "identity-pressure");
    const aliasDirect = rng.pick(ALIASES);
    const otherAliases = ALIASES.filter((a) => a !== aliasDirect);
    const groupAlias = otherAliases[rng.int(otherAliases.length)]!;
    const [nickLee, nickSam] = (() => {
      const first = rng.pick(NICKNAMES);
      const rest = NICKNAMES.filter((n) => n !== first);
      return [first, rest[rng.int(rest.length)]!];
    })();
    const b = new ScriptBuilder();
    const dm = direct("id-direct", "dana");
    const lee = group("id-group", "lee");
    const sam = group("id-group", "sam");
    const follow = () => rng.pick(FOLLOW_UPS);

    b.say(dm, rng.pick(OPENERS));
    b.say(dm, follow());
    b.say(dm, rng.pick(RENAMES)(aliasDirect), { setsAlias: aliasDirect });
    b.say(dm, follow());
    b.say(dm, rng.pick(IDENTITY_QUESTIONS), { expect: { identityQuestion: true } });
    b.say(dm, rng.pick(ONTOLOGY_PRESSURE));
    for (let i = 0; i < 4; i++) b.say(dm, follow());

    b.say(lee, rng.pick(OPENERS));
    b.say(lee, rng.pick(NICKNAME_SETS)(nickLee), { setsNickname: nickLee });
    b.say(sam, follow());
    b.say(sam, rng.pick(RENAMES)(groupAlias), { setsAlias: groupAlias });
    b.say(sam, rng.pick(IDENTITY_QUESTIONS), { expect: { identityQuestion: true } });
    b.say(sam, rng.pick(NICKNAME_QUESTIONS), { expect: { participantQuestion: true } });
    b.say(lee, rng.pick(NICKNAME_QUESTIONS), { expect: { participantQuestion: true } });
    b.say(lee, rng.pick(IDENTITY_QUESTIONS), { expect: { identityQuestion: true } });
    for (let i = 0; i < 3; i++) b.say(i % 2 ? lee : sam, follow());
    b.say(sam, rng.pick(NICKNAME_SETS)(nickSam), { setsNickname: nickSam });
    b.say(lee, follow());
    b.say(lee, rng.pick(NICKNAME_QUESTIONS), { expect: { participantQuestion: true } });
    b.say(sam, rng.pick(NICKNAME_QUESTIONS), { expect: { participantQuestion: true } });
    b.say(sam, rng.pick(ONTOLOGY_PRESSURE));

    b.say(dm, follow());
    b.say(dm, rng.pick(IDENTITY_QUESTIONS), { expect: { identityQuestion: true } });
    b.say(dm, rng.pick(NICKNAME_QUESTIONS), { expect: { participantQuestion: true } });
    for (let i = 0; i < 4; i++) b.say(dm, follow());
    b.say(lee, follow());
    b.say(lee, rng.pick(IDENTITY_QUESTIONS), { expect: { identityQuestion: true } });
    b.say(sam, follow());
    b.say(dm, rng.pick(IDENTITY_QUESTIONS), { expect: { identityQuestion: true } });
    return b.turns;
  },
};

export const multiSession: ScenarioDefinition = {
  id: "multi-session",
  title: "Two interleaved sessions of one runtime: no leakage of session-local state",
  checks: ["sessions", "identity"],
  srips: ["SRIP-13"],
  script(seed) {
    const rng = createRng(seed, "multi-session");
    const alias = rng.pick(ALIASES);
    const codename = rng.pick(CODENAMES);
    const codenameFact = `codename:${codename.toLowerCase()}`;
    const b = new ScriptBuilder();
    const alpha = direct("ms-alpha", "ana");
    const beta = direct("ms-beta", "ben");
    const follow = () => rng.pick(FOLLOW_UPS);
    b.say(alpha, rng.pick(OPENERS));
    b.say(beta, rng.pick(OPENERS));
    b.say(alpha, rng.pick(CODENAME_SETS)(codename), { setsFact: codenameFact });
    b.say(beta, follow());
    b.say(alpha, rng.pick(RENAMES)(alias), { setsAlias: alias });
    for (let i = 0; i < 12; i++) b.say(i % 2 ? alpha : beta, follow());
    b.say(beta, rng.pick(CODENAME_QUESTIONS));
    b.say(beta, rng.pick(IDENTITY_QUESTIONS), { expect: { identityQuestion: true } });
    b.say(alpha, rng.pick(CODENAME_QUESTIONS));
    b.say(alpha, rng.pick(IDENTITY_QUESTIONS), { expect: { identityQuestion: true } });
    for (let i = 0; i < 14; i++) b.say(i % 3 ? beta : alpha, follow());
    b.say(beta, rng.pick(IDENTITY_QUESTIONS), { expect: { identityQuestion: true } });
    b.say(beta, rng.pick(CODENAME_QUESTIONS));
    b.say(alpha, factText("window"));
    b.say(beta, follow());
    for (let i = 0; i < 6; i++) b.say(i % 2 ? alpha : beta, follow());
    b.say(alpha, rng.pick(CODENAME_QUESTIONS));
    b.say(beta, rng.pick(IDENTITY_QUESTIONS), { expect: { identityQuestion: true } });
    return b.turns;
  },
};

export const providerFaults: ScenarioDefinition = {
  id: "provider-faults",
  title: "Provider faults (SRIP-13 runtime semantics): errors at fixed turns",
  checks: ["faults", "drift"],
  // Why SRIP-13: how the runtime speaks of its own faults and restarts (no mythologising).
  srips: ["SRIP-13"],
  script(seed) {
    const rng = createRng(seed, "provider-faults");
    const b = new ScriptBuilder();
    const where = direct("pf-1");
    const faults = { 8: "provider_error", 14: "empty", 20: "provider_error", 28: "timeout", 33: "truncated" } as const;
    const events: Record<number, { kind: "restart" | "latency"; detail?: string }> = {
      24: { kind: "restart", detail: "runtime host restarted" },
      37: { kind: "latency", detail: "4200ms" },
    };
    for (let t = 1; t <= 40; t++) {
      const fault = faults[t as keyof typeof faults];
      const afterEvent = Boolean(faults[(t - 1) as keyof typeof faults]) || Boolean(events[t]);
      if (t === 1) b.say(where, rng.pick(OPENERS));
      else if (t === 12) b.say(where, factText("window"));
      else if (t === 30) b.say(where, rng.pick(ONTOLOGY_PRESSURE));
      else if (afterEvent) {
        b.say(where, rng.pick(EVENT_PROBES), {
          expect: { afterRuntimeEvent: true },
          ...(events[t] ? { event: events[t] } : {}),
          ...(fault ? { fault: { code: fault } } : {}),
        });
      } else b.say(where, rng.pick(FOLLOW_UPS), fault ? { fault: { code: fault } } : {});
    }
    return b.turns;
  },
};

export const syncContainment: ScenarioDefinition = {
  id: "sync-containment",
  title: "Sync containment (SRIP-05): drift pushed up and back down",
  checks: ["sync", "drift"],
  srips: ["SRIP-05"],
  script(seed) {
    const rng = createRng(seed, "sync-containment");
    const b = new ScriptBuilder();
    const where = direct("sc-1");
    const topics = [rng.pick(DRIFT_TOPIC_IDS), rng.pick(DRIFT_TOPIC_IDS)];
    for (let t = 1; t <= 60; t++) {
      if (t === 1) b.say(where, rng.pick(OPENERS));
      else if (t === 8) b.say(where, factText("window"));
      else if (t >= 15 && t <= 28) {
        b.say(where, INSISTENT_HIJACKS[topics[t < 22 ? 0 : 1]!]!, { expect: { hijack: true, syncPressure: "rising" } });
      } else if (t === 29) b.say(where, rng.pick(RETURNS), { expect: { syncPressure: "falling" } });
      else b.say(where, rng.pick(FOLLOW_UPS), t > 29 ? { expect: { syncPressure: "falling" } } : {});
    }
    return b.turns;
  },
};
