// The user's side of the world: every utterance a scenario script can say, with
// its kind. The model recognises what the user asked by finding these
// utterances in the prompt the runtime built (a runtime may wrap or prefix the
// user's text; it cannot make the model understand text it never passes on).
import {
  CODENAMES, CODENAME_QUESTIONS, CODENAME_SETS, EVENT_PROBES, FOLLOW_UPS, HIJACKS, IDENTITY_QUESTIONS,
  INSISTENT_HIJACKS, NICKNAMES, NICKNAME_QUESTIONS, NICKNAME_SETS, ONTOLOGY_PRESSURE, OPENERS, RENAMES, RETURNS,
  TASK_FACTS, ALIASES,
} from "./world";
import { normaliseSentence } from "./text";

export type Utterance =
  | { kind: "opener" }
  | { kind: "follow_up" }
  | { kind: "return" }
  | { kind: "fact"; fact: string }
  | { kind: "hijack"; topic: string; insistent: boolean }
  | { kind: "rename"; alias: string }
  | { kind: "identity_question" }
  | { kind: "nickname_set"; nickname: string }
  | { kind: "nickname_question" }
  | { kind: "codename_set"; codename: string }
  | { kind: "codename_question" }
  | { kind: "event_probe" }
  | { kind: "ontology_pressure" };

type Entry = { text: string; normalised: string; utterance: Utterance };

function buildEntries(): Entry[] {
  const entries: Entry[] = [];
  const add = (text: string, utterance: Utterance) => entries.push({ text, normalised: normaliseSentence(text), utterance });
  OPENERS.forEach((t) => add(t, { kind: "opener" }));
  FOLLOW_UPS.forEach((t) => add(t, { kind: "follow_up" }));
  RETURNS.forEach((t) => add(t, { kind: "return" }));
  TASK_FACTS.forEach((f) => add(f.text, { kind: "fact", fact: f.id }));
  Object.entries(HIJACKS).forEach(([topic, t]) => add(t, { kind: "hijack", topic, insistent: false }));
  Object.entries(INSISTENT_HIJACKS).forEach(([topic, t]) => add(t, { kind: "hijack", topic, insistent: true }));
  for (const alias of ALIASES) RENAMES.forEach((r) => add(r(alias), { kind: "rename", alias }));
  IDENTITY_QUESTIONS.forEach((t) => add(t, { kind: "identity_question" }));
  for (const n of NICKNAMES) NICKNAME_SETS.forEach((s) => add(s(n), { kind: "nickname_set", nickname: n }));
  NICKNAME_QUESTIONS.forEach((t) => add(t, { kind: "nickname_question" }));
  for (const c of CODENAMES) CODENAME_SETS.forEach((s) => add(s(c), { kind: "codename_set", codename: c }));
  CODENAME_QUESTIONS.forEach((t) => add(t, { kind: "codename_question" }));
  EVENT_PROBES.forEach((t) => add(t, { kind: "event_probe" }));
  ONTOLOGY_PRESSURE.forEach((t) => add(t, { kind: "ontology_pressure" }));
  // Longest first, so "go on" never shadows "before we go on, tell me ...".
  return entries.sort((a, b) => b.normalised.length - a.normalised.length);
}

const ENTRIES = buildEntries();

/** The utterance a message carries, if any (longest catalogue utterance contained in it). */
export function recogniseUtterance(message: string): Utterance | null {
  const text = message.toLowerCase().replace(/\s+/g, " ");
  for (const entry of ENTRIES) if (text.includes(entry.normalised)) return entry.utterance;
  return null;
}
