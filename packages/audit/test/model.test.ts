import fc from "fast-check";
import { ManifestSchema } from "@assay/protocol";
import { buildCatalogue, createSyntheticModel, measureAnchors, SyntheticModelFault, visiblePrompt } from "../src/model";
import { TASK_FACTS, OPENERS } from "../src/model/world";
import { coreSuite } from "../src/suites/core";
import type { ModelContext, ScriptedTurn } from "../src/types";

const manifest = ManifestSchema.parse({
  name: "m",
  version: "1.0.0",
  protocol: "sigma-runtime/1",
  entry: "runtime.js",
  identity: { name: "Atlas", role: "project planning assistant", constraints: ["keep every step tied to rollback review"] },
  claims: ["SRIP-03"],
  suite: "core",
});

const scripted = (text: string, extra: Partial<ScriptedTurn> = {}): ScriptedTurn => ({
  turn: { session: "s", participant: "p", channel: "direct", text },
  expect: {},
  ...extra,
});
const ctx = (turnIndex: number, s: ScriptedTurn, callInTurn = 0): ModelContext => ({ turnIndex, scripted: s, callInTurn });

/** Off-task share of the model's replies to `promptFor(turn)` over turns 1..n. */
function offTaskShare(promptFor: (t: number) => { system?: string; text: string }, turns = 120): number {
  const model = createSyntheticModel({ manifest, seed: 5, scenarioId: "probe" });
  let off = 0;
  let all = 0;
  for (let t = 1; t <= turns; t++) {
    const { system, text } = promptFor(t);
    const s = scripted(t === 1 ? OPENERS[0]! : "Go on.");
    const reply = model.complete({ ...(system ? { system } : {}), messages: [{ role: "user", content: text }] }, ctx(t, s)).text;
    if (t <= turns / 2) continue;
    for (const sentence of model.classify(reply)) {
      if (!sentence.labels) continue;
      all += 1;
      if (!sentence.labels.onTask) off += 1;
    }
  }
  return off / all;
}

const CAREFUL_SYSTEM = [
  "You are Atlas, project planning assistant.",
  "Constraints: keep every step tied to rollback review.",
  `Task: ${OPENERS[0]}`,
  `Facts: ${TASK_FACTS.map((f) => f.text).join(" ")}`,
  "Themes: rollback, checkpoint, phased rollout, risk review.",
].join("\n");

describe("synthetic model", () => {
  it("labels every sentence it can say, and nothing else", () => {
    const catalogue = buildCatalogue(manifest.identity);
    for (const sentence of [...catalogue.onTask, ...catalogue.motif, ...catalogue.personaBreaks, catalogue.alias("Zephyr")]) {
      expect(catalogue.lookup(sentence)).not.toBeNull();
    }
    expect(catalogue.lookup("I wrote this sentence myself.")).toBeNull();
    expect(catalogue.lookup(catalogue.alias("Zephyr"))).toMatchObject({ identity: "session_alias", alias: "Zephyr" });
    expect(catalogue.lookup(catalogue.globalRename("Zephyr"))).toMatchObject({ identity: "global_rename", onTask: false });
  });

  it("drifts off task as the conversation grows when the prompt carries only the latest message", () => {
    expect(offTaskShare((t) => ({ text: t === 1 ? OPENERS[0]! : "Go on." }))).toBeGreaterThan(0.7);
  });

  it("stays on task when the prompt re-injects identity, constraints, task, facts and motifs", () => {
    expect(offTaskShare(() => ({ system: CAREFUL_SYSTEM, text: "Go on." }))).toBeLessThan(0.1);
  });

  it("measures anchors by content, whatever the wording or layout (property)", () => {
    const parts = [
      "Atlas",
      "project planning assistant",
      "keep every step tied to rollback review",
      OPENERS[1]!,
      "rollback checkpoint phased rollout risk review",
    ];
    fc.assert(
      fc.property(fc.shuffledSubarray(parts, { minLength: parts.length, maxLength: parts.length }), fc.constantFrom(" ", "\n", " | ", "; "), (order, sep) => {
        const a = measureAnchors(visiblePrompt({ system: order.join(sep), messages: [] }), manifest, []);
        const b = measureAnchors(visiblePrompt({ system: parts.join(" "), messages: [] }), manifest, []);
        expect(a).toEqual(b);
      }),
    );
  });

  it("gives the same reply for the same request and context, whatever came before in another session", () => {
    const request = { system: CAREFUL_SYSTEM, messages: [{ role: "user" as const, content: "Go on." }] };
    const a = createSyntheticModel({ manifest, seed: 9, scenarioId: "x" }).complete(request, ctx(3, scripted("Go on.")));
    const b = createSyntheticModel({ manifest, seed: 9, scenarioId: "x" }).complete(request, ctx(3, scripted("Go on.")));
    const c = createSyntheticModel({ manifest, seed: 10, scenarioId: "x" }).complete(request, ctx(3, scripted("Go on.")));
    expect(a).toEqual(b);
    expect(c.text).not.toBe(a.text);
  });

  it("raises scripted faults only on the turn's first call, truncates and caps tokens", () => {
    const model = createSyntheticModel({ manifest, seed: 1, scenarioId: "x" });
    const request = { system: CAREFUL_SYSTEM, messages: [{ role: "user" as const, content: "Go on." }] };
    const faulty = scripted("Go on.", { fault: { code: "provider_error" } });
    expect(() => model.complete(request, ctx(2, faulty, 0))).toThrow(SyntheticModelFault);
    expect(model.complete(request, ctx(2, faulty, 1)).text.length).toBeGreaterThan(0);
    const full = model.complete(request, ctx(4, scripted("Go on."))).text;
    const truncated = model.complete(request, ctx(4, scripted("Go on.", { fault: { code: "truncated" } }))).text;
    expect(truncated.length).toBeLessThan(full.length);
    const capped = model.complete({ ...request, maxTokens: 5 }, ctx(4, scripted("Go on."))).text;
    expect(capped.split(" ").length).toBeLessThanOrEqual(4);
  });

  it("reports token usage from the visible prompt and the reply", () => {
    const model = createSyntheticModel({ manifest, seed: 1, scenarioId: "x" });
    const short = model.complete({ messages: [{ role: "user", content: "Go on." }] }, ctx(1, scripted("Go on.")));
    const long = model.complete({ system: CAREFUL_SYSTEM, messages: [{ role: "user", content: "Go on." }] }, ctx(1, scripted("Go on.")));
    expect(long.usage.inputTokens).toBeGreaterThan(short.usage.inputTokens);
    expect(short.usage.outputTokens).toBeGreaterThan(0);
  });

  it("rejects a request that is not a model request", () => {
    const model = createSyntheticModel({ manifest, seed: 1, scenarioId: "x" });
    expect(() => model.complete({ messages: "hi" } as never, ctx(1, scripted("hi")))).toThrow("invalid model request");
  });

  it("keeps an alias only where the runtime states it and grounds runtime events when anchored", () => {
    const model = createSyntheticModel({ manifest, seed: 2, scenarioId: "x" });
    const ask = scripted("What's your name?");
    const anchoredWithAlias = model.complete({ system: `${CAREFUL_SYSTEM}\nSession alias: Zephyr`, messages: [{ role: "user", content: "What's your name?" }] }, ctx(5, ask)).text;
    expect(anchoredWithAlias).toContain("you can call me Zephyr, and I am still Atlas");
    const anchoredHistoryOnly = model.complete(
      { system: CAREFUL_SYSTEM, messages: [{ role: "user", content: "You are now Zephyr. That's your name." }, { role: "assistant", content: "ok" }, { role: "user", content: "What's your name?" }] },
      ctx(6, ask),
    ).text;
    expect(anchoredHistoryOnly).toContain("My name is Atlas");
    const unanchored = model.complete({ messages: [{ role: "user", content: "You are now Zephyr. That's your name." }, { role: "user", content: "What's your name?" }] }, ctx(7, ask)).text;
    expect(unanchored).toContain("I am Zephyr now");
  });
});

describe("suite core scripts", () => {
  it("are pure functions of the seed, and differ between seeds", () => {
    for (const scenario of coreSuite.scenarios) {
      expect(scenario.script(11, manifest)).toEqual(scenario.script(11, manifest));
      expect(JSON.stringify(scenario.script(11, manifest))).not.toBe(JSON.stringify(scenario.script(12, manifest)));
    }
  });

  it("never expect an alias in a group channel, and keep direct aliases per session", () => {
    for (const scenario of coreSuite.scenarios) {
      for (const { turn, expect: e } of scenario.script(1, manifest)) {
        if (turn.channel === "group") expect(e.sessionAlias ?? null).toBeNull();
      }
    }
    const multi = coreSuite.scenarios.find((s) => s.id === "multi-session")!.script(1, manifest);
    expect(multi.filter((t) => t.turn.session === "ms-beta").every((t) => t.expect.sessionAlias === null)).toBe(true);
    expect(multi.filter((t) => t.turn.session === "ms-alpha").some((t) => t.expect.sessionAlias !== null)).toBe(true);
  });

  it("plan the seven scenarios: six runs plus stability re-runs and a replay", () => {
    const plan = coreSuite.plan(1);
    expect(new Set(plan.map((r) => r.scenario.id)).size).toBe(6);
    expect(plan.filter((r) => r.stabilityOf).length).toBe(4);
    expect(plan.filter((r) => r.replayOf).map((r) => r.seed)).toEqual([1]);
    expect(coreSuite.scenarios.find((s) => s.id === "long-horizon")!.script(1, manifest).length).toBeGreaterThanOrEqual(120);
  });
});
