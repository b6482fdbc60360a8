// How well the prompt a runtime built anchors the model. Each anchor is the
// share of something the conversation established that is visible in the
// prompt: identity (manifest name and role), constraints (manifest), the task's
// key terms, facts the user stated, and the task's recurring motifs. None of it
// depends on wording: any prompt that carries the content scores the same.
import type { Manifest } from "@assay/protocol";
import { contentTermSet, tokenize } from "./text";
import { TASK, TASK_FACTS } from "./world";

export type VisiblePrompt = {
  system: string;
  /** Messages inside the model's context window, oldest first. */
  messages: { role: "user" | "assistant"; content: string }[];
  /** Everything visible, joined. */
  all: string;
};

export type Anchors = { identity: number; constraints: number; task: number; memory: number; motifs: number; overall: number };

export const ANCHOR_WEIGHTS = { identity: 0.2, constraints: 0.2, task: 0.25, memory: 0.15, motifs: 0.2 } as const;

function share(terms: readonly string[], visible: Set<string>): number {
  if (terms.length === 0) return 1;
  return terms.filter((t) => visible.has(t)).length / terms.length;
}

export function nameVisible(name: string, text: string): boolean {
  const nameTokens = tokenize(name);
  if (nameTokens.length === 0) return false;
  const tokens = tokenize(text);
  for (let i = 0; i + nameTokens.length <= tokens.length; i++) {
    if (nameTokens.every((t, j) => tokens[i + j] === t)) return true;
  }
  return false;
}

/** What measureAnchors needs of a manifest, computed once per manifest (not once per model call). */
type ManifestTerms = { roleTerms: string[]; constraintTerms: string[][] };
const manifestTerms = new WeakMap<Manifest, ManifestTerms>();
function termsOf(manifest: Manifest): ManifestTerms {
  let terms = manifestTerms.get(manifest);
  if (!terms) {
    terms = { roleTerms: [...contentTermSet(manifest.identity.role)], constraintTerms: manifest.identity.constraints.map((c) => [...contentTermSet(c)]) };
    manifestTerms.set(manifest, terms);
  }
  return terms;
}

export function measureAnchors(prompt: VisiblePrompt, manifest: Manifest, factsIntroduced: readonly string[]): Anchors {
  const allTerms = contentTermSet(prompt.all);
  const systemTerms = contentTermSet(prompt.system);

  const { roleTerms, constraintTerms } = termsOf(manifest);
  let identity = 0;
  if (nameVisible(manifest.identity.name, prompt.system)) identity = share(roleTerms, systemTerms) >= 0.5 ? 1 : 0.6;
  else if (nameVisible(manifest.identity.name, prompt.all)) identity = 0.3;

  const constraints =
    constraintTerms
      .map((terms) => {
        const s = share(terms, allTerms);
        return s >= 0.6 ? 1 : s;
      })
      .reduce((a, b) => a + b, 0) / manifest.identity.constraints.length;

  const task = share(TASK.keyTerms, allTerms);
  const facts = TASK_FACTS.filter((f) => factsIntroduced.includes(f.id));
  const memory = facts.length === 0 ? 1 : facts.filter((f) => share(f.terms, allTerms) >= 0.5).length / facts.length;
  const motifs = share(TASK.motifTerms, allTerms);

  const overall =
    ANCHOR_WEIGHTS.identity * identity +
    ANCHOR_WEIGHTS.constraints * constraints +
    ANCHOR_WEIGHTS.task * task +
    ANCHOR_WEIGHTS.memory * memory +
    ANCHOR_WEIGHTS.motifs * motifs;
  return { identity, constraints, task, memory, motifs, overall };
}
