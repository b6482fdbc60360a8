// Names by statement, end to end (issue 8 point 4): the alias-leak runtime with
// its alias and nickname sentences rewritten as bare keyword lists is not judged
// to adopt them, so its global memory no longer leaks them; the original, under
// the same seeds, does (so the property can fail).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { ManifestSchema, type Finding } from "@assay/protocol";
import { runSuite } from "../src/engine";
import { deriveFindings } from "../src/findings";
import { coreSuite, identityPressure, multiSession } from "../src/suites/core";
import { ALIASES, NICKNAMES } from "../src/model/world";
import type { ScenarioRun } from "../src/types";
import { EXAMPLES } from "./support/load-example";

jest.setTimeout(300_000);

const dir = join(EXAMPLES, "alias-leak");
const manifest = ManifestSchema.parse(JSON.parse(readFileSync(join(dir, "sigma-runtime.json"), "utf8")));
const original = readFileSync(join(dir, "runtime.js"), "utf8");

const STATEMENTS = [
  "        memory.alias ? `The user calls you ${memory.alias}.` : \"\",\n",
  "        memory.nickname ? `The user is called ${memory.nickname}.` : \"\",\n",
];

type KeywordStyle = { label: string; separator: string; casing: "lower" | "keep" | "upper"; withTask: boolean };

/** alias-leak with its two name sentences replaced by one keyword line of the same names. */
function keywordVariant(style: KeywordStyle): string {
  for (const s of STATEMENTS) if (!original.includes(s)) throw new Error(`alias-leak changed: ${s.trim()} not found`);
  const keywords = `const keywordLine = (...names) => {
  const words = [...names.filter(Boolean), ...(${style.withTask} ? ["billing", "cutover"] : [])]
    .map((w) => (${JSON.stringify(style.casing)} === "lower" ? w.toLowerCase() : ${JSON.stringify(style.casing)} === "upper" ? w.toUpperCase() : w));
  return names.some(Boolean) ? ${JSON.stringify(style.label)} + " " + words.join(${JSON.stringify(style.separator)}) : "";
};
`;
  return keywords + original.replace(STATEMENTS[0]!, "        keywordLine(memory.alias, memory.nickname),\n").replace(STATEMENTS[1]!, "");
}

async function audit(bundleSource: string, seed: number): Promise<{ runs: ScenarioRun[]; findings: Finding[] }> {
  const suite = { ...coreSuite, plan: undefined, scenarios: [identityPressure, multiSession] };
  const { runs } = await runSuite({ suite, seed, manifest, bundleSource });
  return { runs, findings: deriveFindings(runs) };
}

const codes = (findings: Finding[]) => new Set(findings.map((f) => f.code));

/** Every reply that names an alias outside the session that set it, or a nickname no turn expects. */
function namesOutOfScope(runs: ScenarioRun[]): string[] {
  const out: string[] = [];
  for (const run of runs) {
    for (const r of run.records) {
      for (const s of r.sentences) {
        if (s.labels?.alias !== undefined && s.labels.alias !== r.expect.sessionAlias) out.push(`${run.scenario.id}#${r.index}: alias ${s.labels.alias}`);
        if (s.labels?.nickname !== undefined && s.labels.nickname !== r.expect.participantNickname) out.push(`${run.scenario.id}#${r.index}: nickname ${s.labels.nickname}`);
      }
      const words = r.reply === null ? [] : [...ALIASES, ...NICKNAMES].filter((n) => new RegExp(`\\b${n}\\b`, "i").test(r.reply!));
      for (const w of words) if (w !== r.expect.sessionAlias && w !== r.expect.participantNickname && !r.turn.text.includes(w)) out.push(`${run.scenario.id}#${r.index}: says ${w}`);
    }
  }
  return out;
}

describe("alias and nickname sentences rewritten as keyword lists", () => {
  it("are not adopted and do not leak, whatever the keyword line looks like (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          label: fc.constantFrom("Focus terms:", "Keywords:", "Topics -", "Context:"),
          separator: fc.constantFrom(" ", ", ", " | "),
          casing: fc.constantFrom<"lower" | "keep" | "upper">("lower", "keep", "upper"),
          withTask: fc.boolean(),
        }),
        fc.integer({ min: 1, max: 10_000 }),
        async (style, seed) => {
          const { runs, findings } = await audit(keywordVariant(style), seed);
          // Why: a run that stopped early would leak nothing and prove nothing.
          expect(runs.every((r) => r.completed)).toBe(true);
          expect(codes(findings).has("ALIAS_SCOPE_LEAK")).toBe(false);
          expect(codes(findings).has("PARTICIPANT_SCOPE_LEAK")).toBe(false);
          expect(findings.filter((f) => f.code === "SESSION_LEAK" && f.evidence.kind === "alias")).toEqual([]);
          expect(namesOutOfScope(runs)).toEqual([]);
        },
      ),
      { numRuns: 4 },
    );
  });

  it("while the same runtime stating them leaks them under the same suite", async () => {
    const { runs, findings } = await audit(original, 1);
    expect(runs.every((r) => r.completed)).toBe(true);
    expect(codes(findings).has("ALIAS_SCOPE_LEAK")).toBe(true);
    expect(codes(findings).has("PARTICIPANT_SCOPE_LEAK")).toBe(true);
    expect(namesOutOfScope(runs).length).toBeGreaterThan(0);
  });
});
