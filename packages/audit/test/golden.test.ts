// Golden digests of suite `core` and of the synthetic model, without the
// sandbox (whose CPU metering has its own engine version). A change to a
// scenario script or to what the model answers must come with a version bump:
// results of different versions are not comparable (docs/synthetic-model.md).
// To re-record after an intended change: bump the version, run this file, and
// add the printed digest under the new version.
import { digestOf, ManifestSchema } from "@assay/protocol";
import { createSyntheticModel, SYNTHETIC_MODEL_VERSION } from "../src/model";
import { coreSuite, CORE_SUITE_VERSION } from "../src/suites/core";
import type { ScriptedTurn } from "../src/types";

const manifest = ManifestSchema.parse({
  name: "golden",
  version: "1.0.0",
  protocol: "sigma-runtime/1",
  entry: "runtime.js",
  identity: { name: "Atlas", role: "project planning assistant for engineering teams", constraints: ["answer with numbered, concrete plan steps"] },
  claims: ["SRIP-03", "SRIP-05", "SRIP-13"],
  suite: "core",
});

/** Recorded digests per version. Never edit a recorded entry: add one for the new version. */
const SUITE_GOLDEN: Record<string, string> = {
  "1.1.0": "0x5a3897e640db296ed1e9bcb891d2d60ea73739e6ab0851923f093ee5842ba499",
};
const MODEL_GOLDEN: Record<string, string> = {
  "assay-synthetic/1.1.0": "0x7933649624377a5a33e7c0c5620f21ce45a64933c37e6a56509fed23d71b8248",
};

/** Every planned run's script under seed 1, with the SRIPs each scenario declares. */
function suitePlan(): unknown {
  return coreSuite.plan(1).map((p) => ({ runId: p.runId, seed: p.seed, srips: p.scenario.srips, checks: p.scenario.checks, script: p.scenario.script(p.seed, manifest) }));
}

/**
 * The model's replies to a fixed, simple prompt builder over every scenario of
 * the plan: the system prompt states the name, the valid session alias and the
 * speaker's nickname (the scenario's expectations); the last six messages of
 * the session follow.
 */
function modelTranscripts(): unknown {
  return coreSuite.plan(1).map((p) => {
    const model = createSyntheticModel({ manifest, seed: p.seed, scenarioId: p.scenario.id });
    const history = new Map<string, { role: "user" | "assistant"; content: string }[]>();
    return p.scenario.script(p.seed, manifest).map((s: ScriptedTurn, i) => {
      const { session, participant, text } = s.turn;
      // The scenario's truth stands in for a runtime's state: the valid alias and the speaker's nickname.
      const lines = [`You are ${manifest.identity.name}, ${manifest.identity.role}.`];
      if (s.expect.sessionAlias) lines.push(`The user calls you ${s.expect.sessionAlias}.`);
      if (s.expect.participantNickname) lines.push(`Current speaker: ${participant}, who asked to be called ${s.expect.participantNickname}.`);
      const messages = [...(history.get(session) ?? []).slice(-6), { role: "user" as const, content: text }];
      let reply: string;
      try {
        reply = model.complete({ system: lines.join("\n"), messages }, { turnIndex: i + 1, scripted: s, callInTurn: 0 }).text;
      } catch (error) {
        reply = `fault:${(error as { code?: string }).code ?? "unknown"}`;
      }
      history.set(session, [...messages, { role: "assistant", content: reply }]);
      return reply;
    });
  });
}

describe("golden digests", () => {
  it(`suite core ${CORE_SUITE_VERSION}: the plan and its scripts`, () => {
    const digest = digestOf(suitePlan());
    if (SUITE_GOLDEN[CORE_SUITE_VERSION] === "") console.log(`record SUITE_GOLDEN["${CORE_SUITE_VERSION}"] = "${digest}"`);
    expect(digest).toBe(SUITE_GOLDEN[CORE_SUITE_VERSION]);
  });

  it(`model ${SYNTHETIC_MODEL_VERSION}: its replies to a fixed prompt builder over suite core`, () => {
    const digest = digestOf(modelTranscripts());
    if (MODEL_GOLDEN[SYNTHETIC_MODEL_VERSION] === "") console.log(`record MODEL_GOLDEN["${SYNTHETIC_MODEL_VERSION}"] = "${digest}"`);
    expect(digest).toBe(MODEL_GOLDEN[SYNTHETIC_MODEL_VERSION]);
  });

  it("is deterministic: twice-run equals once-run", () => {
    expect(digestOf(modelTranscripts())).toBe(digestOf(modelTranscripts()));
  });
});
