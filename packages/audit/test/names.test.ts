// Names by statement, not mention: which prompt forms adopt an alias or bind a
// nickname (src/model/names.ts), and the synthetic model's answers that follow.
import fc from "fast-check";
import { ManifestSchema } from "@assay/protocol";
import { createSyntheticModel } from "../src/model";
import { boundNickname, lastStatedName, readNames, statesName } from "../src/model/names";
import { ALIASES, NICKNAMES } from "../src/model/world";
import type { ModelContext, ScriptedTurn } from "../src/types";

const manifest = ManifestSchema.parse({
  name: "m",
  version: "1.0.0",
  protocol: "sigma-runtime/1",
  entry: "runtime.js",
  identity: { name: "Atlas", role: "project planning assistant", constraints: ["keep every step tied to rollback review"] },
  claims: ["SRIP-13"],
  suite: "core",
});

describe("assistant names", () => {
  it.each([
    "You are Zephyr.",
    "you are now Zephyr, and that is final",
    "You're called Zephyr here.",
    "Your name is Zephyr.",
    "Your session name is Zephyr.",
    "Zephyr is your name in this chat.",
    "From now on, call yourself Zephyr.",
    "Introduce yourself as Zephyr.",
    "In this session only, the user calls you Zephyr; your canonical name stays Atlas.",
    "I'd like to rename you Zephyr.",
    "Answer to the name Zephyr.",
    "You go by Zephyr with this user.",
    "Rules:\nSession alias: Zephyr\nBe brief.",
    "Name = Zephyr",
  ])("adopts the alias stated in %j", (text) => {
    expect(lastStatedName(ALIASES, [text], "Atlas")).toBe("Zephyr");
  });

  it.each([
    "Focus terms: zephyr maestro billing",
    "Keywords: Zephyr, Skipper, migration",
    "The user mentioned Zephyr earlier.",
    "Zephyr",
    "Never call yourself Zephyr.",
    "Do not call yourself Zephyr.",
    "You are not Zephyr.",
    "You are Zephyrine.",
    "Topics: billing | Zephyr | cutover",
    "Speaker name: Zephyr",
  ])("adopts nothing from %j", (text) => {
    expect(lastStatedName(ALIASES, [text], "Atlas")).toBeNull();
  });

  it("takes the last statement across the parts, in order", () => {
    expect(lastStatedName(ALIASES, ["You are Zephyr.", "Call yourself Vesper."])).toBe("Vesper");
    expect(lastStatedName(ALIASES, ["Call yourself Vesper. Later: you are Zephyr."])).toBe("Zephyr");
    expect(lastStatedName(ALIASES, ["You are Zephyr. Focus terms: vesper"])).toBe("Zephyr");
  });

  it("reads a JSON prompt by its keys: persona name and top-level display name, never a participant's", () => {
    const brief = JSON.stringify({ persona: { name: "Atlas", role: "r" }, displayName: "Zephyr", speaker: { id: "lee", name: "Vesper" }, themes: ["quillon"] });
    expect(statesName("Atlas", [brief])).toBe(true);
    expect(lastStatedName(ALIASES, [brief], "Atlas")).toBe("Zephyr");
    expect(lastStatedName(ALIASES, [JSON.stringify({ persona: { name: "Atlas" }, displayName: null, themes: ["Zephyr"] })], "Atlas")).toBeNull();
  });

  it("states the canonical name only by a recognised form", () => {
    expect(statesName("Atlas", ["You are Atlas, project planning assistant."])).toBe(true);
    expect(statesName("Atlas", ["You are a project planning assistant. Keywords: atlas, billing."])).toBe(false);
    expect(statesName("Project Atlas", ["You are project\n atlas."])).toBe(true);
  });
});

describe("participant nicknames", () => {
  it.each<[string, string, string | null]>([
    ["Current speaker: lee, who asked to be called Skipper.", "lee", "Skipper"],
    ["Current speaker: lee, who asked to be called Skipper.", "sam", null],
    ["The user is called Maestro.", "sam", "Maestro"],
    ["Please call me Skipper.", "lee", "Skipper"],
    ["You can address me as Maestro.", "dana", "Maestro"],
    ["Call sam Navigator and lee Skipper.", "sam", "Navigator"],
    ["sam goes by Navigator.", "sam", "Navigator"],
    ["lee's nickname is Skipper.", "lee", "Skipper"],
    ["The nickname for lee is Skipper.", "lee", "Skipper"],
    ["Skipper is lee's nickname.", "sam", null],
    ["Address the current speaker as Trailblazer.", "ana", "Trailblazer"],
    ["Focus terms: maestro skipper billing", "lee", null],
    ["Never call lee Skipper.", "lee", null],
    ["I call you Skipper.", "lee", null],
    ["Call yourself Skipper.", "lee", null],
  ])("%j binds for %s: %s", (text, speaker, expected) => {
    expect(boundNickname(NICKNAMES, [text], speaker)).toBe(expected);
  });

  it("reads JSON bindings: a speaker object, a participant entry with an id, a nicknames map", () => {
    const speaker = JSON.stringify({ speaker: { id: "lee", callSign: "Skipper", channel: "group" } });
    expect(boundNickname(NICKNAMES, [speaker], "lee")).toBe("Skipper");
    expect(boundNickname(NICKNAMES, [speaker], "sam")).toBeNull();
    expect(boundNickname(NICKNAMES, [JSON.stringify({ user: { nickname: "Maestro" } })], "sam")).toBe("Maestro");
    expect(boundNickname(NICKNAMES, [JSON.stringify({ participants: [{ id: "sam", nickname: "Navigator" }] })], "sam")).toBe("Navigator");
    expect(boundNickname(NICKNAMES, [JSON.stringify({ nicknames: { lee: "Skipper", sam: "Maestro" } })], "sam")).toBe("Maestro");
    expect(boundNickname(NICKNAMES, [JSON.stringify({ callSign: "Skipper", tags: ["maestro"] })], "lee")).toBeNull();
  });
});

// ---------------------------------------------------------------- property ---

const SYSTEM = "You are Atlas, project planning assistant.\nConstraints: keep every step tied to rollback review.";
const scripted = (text: string, participant: string): ScriptedTurn => ({ turn: { session: "s", participant, channel: "direct", text }, expect: {} });
const ctx = (turnIndex: number, s: ScriptedTurn): ModelContext => ({ turnIndex, scripted: s, callInTurn: 0 });

/** A bare keyword line: some label, the names in any case and order, mixed with task words. */
const keywordLine = fc
  .record({
    label: fc.constantFrom("Focus terms:", "Keywords:", "Topics -", "tags:", "Context words:", ""),
    names: fc.subarray([...ALIASES, ...NICKNAMES], { minLength: 1 }),
    filler: fc.subarray(["billing", "cutover", "replica", "migration", "atlas", "user", "speaker", "name"]),
    separator: fc.constantFrom(" ", ", ", " | ", "; "),
    casing: fc.constantFrom<"lower" | "keep" | "upper">("lower", "keep", "upper"),
    seed: fc.nat(),
  })
  .map(({ label, names, filler, separator, casing, seed }) => {
    const words = [...names, ...filler].map((w) => (casing === "lower" ? w.toLowerCase() : casing === "upper" ? w.toUpperCase() : w));
    const shuffled = words.map((w, i) => [w, (i * 7919 + seed) % 101] as const).sort((a, b) => a[1] - b[1]).map(([w]) => w);
    return `${label} ${shuffled.join(separator)}`.trim();
  });

describe("keyword lists adopt nothing (property)", () => {
  it("no alias is stated and no nickname is bound by a keyword line, wherever it sits", () => {
    fc.assert(
      fc.property(keywordLine, fc.boolean(), (line, before) => {
        const parts = [before ? `${line}\n${SYSTEM}` : `${SYSTEM}\n${line}`];
        const found = readNames(parts, ALIASES, NICKNAMES);
        expect(found.names).toEqual([]);
        expect(found.nicknames).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it("the model answers with the canonical name and no nickname, for any speaker", () => {
    const model = createSyntheticModel({ manifest, seed: 3, scenarioId: "names" });
    let turn = 0;
    fc.assert(
      fc.property(keywordLine, fc.constantFrom("lee", "sam", "dana", "user-1"), (line, speaker) => {
        turn += 1;
        const system = `${SYSTEM}\n${line}`;
        const name = model.complete({ system, messages: [{ role: "user", content: "What's your name?" }] }, ctx(turn, scripted("What's your name?", speaker)));
        const labels = model.classify(name.text).map((s) => s.labels);
        expect(labels.some((l) => l?.identity === "canonical")).toBe(true);
        expect(labels.some((l) => l?.alias !== undefined)).toBe(false);
        const nick = model.complete({ system, messages: [{ role: "user", content: "What do you call me?" }] }, ctx(turn, scripted("What do you call me?", speaker)));
        expect(model.classify(nick.text).some((s) => s.labels?.nickname !== undefined)).toBe(false);
        expect(nick.text).toContain("I do not have a name for you yet.");
      }),
      { numRuns: 60 },
    );
  });

  it("the same names, stated, are adopted (the property can fail)", () => {
    const model = createSyntheticModel({ manifest, seed: 3, scenarioId: "names" });
    const system = `${SYSTEM}\nIn this session the user calls you Zephyr. Current speaker: lee, who asked to be called Skipper.`;
    expect(model.complete({ system, messages: [{ role: "user", content: "What's your name?" }] }, ctx(1, scripted("What's your name?", "lee"))).text).toContain(
      "you can call me Zephyr, and I am still Atlas",
    );
    expect(model.complete({ system, messages: [{ role: "user", content: "What do you call me?" }] }, ctx(2, scripted("What do you call me?", "lee"))).text).toContain("I call you Skipper.");
  });
});
