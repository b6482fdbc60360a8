// Names by statement, not mention (docs/synthetic-model.md §names). The model
// takes a name as the assistant's only when the prompt *states* it as a name
// for the assistant ("You are X", "Your name is X", "the user calls you X",
// "name": "X" in a persona object …), and a nickname only when the prompt binds
// it to a participant ("call lee X", "lee goes by X", "the user is called X",
// { "id": "lee", "callSign": "X" } …). A name that merely appears — in a
// keyword line, a summary, a list of terms — is not adopted: a real model reads
// "You are Ledger … focus terms: marlowe" as Ledger.
//
// The candidates are always a known pool (the canonical name, the world's
// aliases, its nicknames), so each form is matched with the candidate spelled
// out: no free-text name extraction, no ambiguity about where a name ends.

/** A name stated for the assistant, or a nickname bound to a participant, at a position in the prompt. */
export type NameStatement = { name: string; at: number };

/** `participant` null: bound to whoever the prompt addresses (the user, the current speaker, "me"). */
export type NicknameBinding = { nickname: string; participant: string | null; at: number };

const WORD_BEFORE = "(?<![\\p{L}\\p{N}_])";
const WORD_AFTER = "(?![\\p{L}\\p{N}_])";
/** A negation right before a form ("never call yourself X", "do not call lee X") voids it. */
const NEGATED = /(?:\bnot|\bnever|\bno longer|n['’]t)\s+$/i;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A candidate name as a regex: its words separated by any whitespace. */
function namePattern(name: string): string {
  return name.trim().split(/\s+/).map(escapeRegExp).join("\\s+");
}

/**
 * Sentence forms that state N as the assistant's name. `@N@` is replaced by the
 * candidate. Matched case-insensitively, at word boundaries.
 */
export const ASSISTANT_NAME_FORMS: readonly string[] = [
  "you\\s+are\\s+(?:now\\s+|still\\s+|called\\s+|named\\s+)?@N@",
  "you['’]re\\s+(?:now\\s+|still\\s+|called\\s+|named\\s+)?@N@",
  "your\\s+(?:[\\p{L}-]+\\s+){0,2}name\\s+(?:is|stays|remains)\\s+(?:now\\s+|still\\s+)?@N@",
  "@N@\\s+is\\s+your\\s+(?:[\\p{L}-]+\\s+){0,2}name",
  "call\\s+yourself\\s+@N@",
  "(?:refer\\s+to|introduce)\\s+yourself\\s+as\\s+@N@",
  "calls?\\s+you\\s+@N@",
  "renamed?\\s+you\\s+(?:to\\s+|as\\s+)?@N@",
  "answer\\s+to\\s+(?:the\\s+name\\s+)?@N@",
  "you\\s+go\\s+by\\s+@N@",
  // A labelled line: "Name: X", "Assistant name = X", "Session alias: X", "Your display name: X".
  "^[ \\t]*(?:your\\s+)?(?:(?:assistant|display|persona|session|current)\\s+)?(?:name|alias)[ \\t]*[:=][ \\t]*@N@",
];

/** A participant reference: "lee", "the user", "the current speaker", "me". */
const P = "(?:the\\s+(?:current\\s+)?)?([\\p{L}\\p{N}_.-]+)";

/**
 * Sentence forms that bind nickname N to participant P (the captured word).
 * "me", "user", "speaker" (also "the user", "the current speaker") mean whoever
 * the prompt addresses.
 */
export const NICKNAME_FORMS: readonly string[] = [
  `call\\s+${P}\\s+@N@`,
  `address\\s+${P}\\s+as\\s+@N@`,
  `refer\\s+to\\s+${P}\\s+as\\s+@N@`,
  `${P}\\s+(?:goes\\s+by|is\\s+called|is\\s+named|(?:wants|asked|prefers|likes)\\s+to\\s+be\\s+called)\\s+@N@`,
  `${P},?\\s+who\\s+(?:asked|wants|prefers|likes)\\s+to\\s+be\\s+called\\s+@N@`,
  `${P}['’]s\\s+nickname\\s+is\\s+@N@`,
  `nickname\\s+(?:for|of)\\s+${P}\\s+is\\s+@N@`,
  `@N@\\s+is\\s+${P}['’]s\\s+nickname`,
];

/** Participant words that mean "whoever this prompt addresses". */
const ADDRESSEE = new Set(["me", "user", "speaker", "them", "him", "her"]);
/** Words a nickname form can capture that are not participants. */
const NOT_A_PARTICIPANT = new Set(["you", "yourself", "i", "assistant", "it", "this", "that", "what", "who"]);

/** Keys of a structured (JSON) prompt. */
const ASSISTANT_OBJECT_KEYS = new Set(["persona", "assistant", "identity", "self", "agent", "bot"]);
const ASSISTANT_NAME_KEYS = new Set(["name", "displayname", "display_name", "alias", "assistantname", "assistant_name"]);
const ROOT_NAME_KEYS = new Set(["displayname", "display_name", "alias", "assistantname", "assistant_name", "name"]);
const NICKNAME_KEYS = new Set(["nickname", "callsign", "call_sign", "preferredname", "preferred_name", "calledas", "called_as"]);
const PARTICIPANT_ID_KEYS = ["id", "participant", "name"];
const SPEAKER_OBJECT_KEYS = new Set(["speaker", "currentspeaker", "current_speaker", "user", "participant"]);
const NICKNAME_MAP_KEYS = new Set(["nicknames", "callsigns", "call_signs"]);

/** `firstName`: the caller only asks whether some name is stated (statesName), so scanning stops at the first. */
type Found = { names: NameStatement[]; nicknames: NicknameBinding[]; firstName?: boolean };

/** True once a firstName scan has its answer. */
const answered = (out: Found): boolean => out.firstName === true && out.names.length > 0;

function sameName(a: string, b: string): boolean {
  return a.trim().replace(/\s+/g, " ").toLowerCase() === b.trim().replace(/\s+/g, " ").toLowerCase();
}

function participantOf(word: string): string | null | undefined {
  const w = word.toLowerCase();
  if (ADDRESSEE.has(w)) return null;
  if (NOT_A_PARTICIPANT.has(w)) return undefined;
  return w;
}

// Why a cache: the model reads names on every call; the forms compile once per candidate.
const compiled = new Map<string, { names: RegExp[]; nicknames: RegExp[] }>();
function formsFor(candidate: string): { names: RegExp[]; nicknames: RegExp[] } {
  let forms = compiled.get(candidate);
  if (!forms) {
    const n = namePattern(candidate);
    forms = {
      names: ASSISTANT_NAME_FORMS.map((f) => new RegExp(WORD_BEFORE + f.replace("@N@", n) + WORD_AFTER, "gium")),
      nicknames: NICKNAME_FORMS.map((f) => new RegExp(WORD_BEFORE + f.replace("@N@", n) + WORD_AFTER, "giu")),
    };
    compiled.set(candidate, forms);
  }
  return forms;
}

const firstWords = new Map<string, RegExp>();
/**
 * False when `text` cannot hold any form of `candidate`: every form contains the
 * candidate's first word, matched with the same flags (case folding included),
 * so one scan replaces up to eleven when the name is absent — the common case.
 */
function mayMention(text: string, candidate: string): boolean {
  let re = firstWords.get(candidate);
  if (!re) {
    re = new RegExp(escapeRegExp(candidate.trim().split(/\s+/)[0] ?? ""), "iu");
    firstWords.set(candidate, re);
  }
  return re.test(text);
}

/** Sentence-form statements in plain text; `base` orders them after earlier text. */
function scanText(text: string, base: number, names: readonly string[], nicknames: readonly string[], out: Found): void {
  for (const name of names) {
    if (!mayMention(text, name)) continue;
    for (const re of formsFor(name).names) {
      for (const m of text.matchAll(re)) {
        if (NEGATED.test(text.slice(Math.max(0, m.index - 16), m.index))) continue;
        out.names.push({ name, at: base + m.index });
        if (answered(out)) return;
      }
    }
  }
  for (const nickname of nicknames) {
    if (!mayMention(text, nickname)) continue;
    for (const re of formsFor(nickname).nicknames) {
      for (const m of text.matchAll(re)) {
        if (NEGATED.test(text.slice(Math.max(0, m.index - 16), m.index))) continue;
        const participant = participantOf(m[1]!);
        if (participant === undefined) continue;
        out.nicknames.push({ nickname, participant, at: base + m.index });
      }
    }
  }
}

function parseObject(text: string): Record<string, unknown> | null {
  const trimmed = text.trim();
  if (!trimmed.startsWith("{")) return null;
  try {
    const value: unknown = JSON.parse(trimmed);
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * A structured prompt (one JSON object): names are stated by keys, not by
 * sentences. The assistant's name is `name`/`displayName`/`alias` at the top
 * level or inside a `persona`/`assistant`/`identity` object; a nickname is a
 * `nickname`/`callSign` in an object that says whose it is (`id`/`participant`/
 * `name`), or in a `speaker`/`user` object (the addressee), or an entry of a
 * `nicknames: { <participant>: <nickname> }` map. String values are also read
 * as sentences.
 */
function scanObject(root: Record<string, unknown>, base: number, names: readonly string[], nicknames: readonly string[], out: Found): void {
  // Walk order is text order for a serialised object; each step leaves room for matches inside a string value.
  let position = 0;
  const at = () => base + position * 10_000;
  const isName = (value: unknown, pool: readonly string[]) => (typeof value === "string" ? pool.find((n) => sameName(n, value)) : undefined);
  const visit = (value: unknown, key: string | null, depth: number): void => {
    if (answered(out)) return;
    position += 1;
    if (typeof value === "string") {
      scanText(value, at(), names, nicknames, out);
      return;
    }
    if (value === null || typeof value !== "object") return;
    if (Array.isArray(value)) {
      for (const item of value) visit(item, key, depth + 1);
      return;
    }
    const object = value as Record<string, unknown>;
    const lowerKey = key?.toLowerCase() ?? null;
    const nameKeys = depth === 0 ? ROOT_NAME_KEYS : lowerKey !== null && ASSISTANT_OBJECT_KEYS.has(lowerKey) ? ASSISTANT_NAME_KEYS : null;
    const id = PARTICIPANT_ID_KEYS.map((k) => object[k]).find((v): v is string => typeof v === "string");
    for (const [k, v] of Object.entries(object)) {
      const lower = k.toLowerCase();
      position += 1;
      const stated = nameKeys?.has(lower) ? isName(v, names) : undefined;
      if (stated) out.names.push({ name: stated, at: at() });
      const nick = NICKNAME_KEYS.has(lower) ? isName(v, nicknames) : undefined;
      if (nick) {
        const participant = id !== undefined && depth > 0 && !(lowerKey !== null && ASSISTANT_OBJECT_KEYS.has(lowerKey)) ? participantOf(id) : lowerKey !== null && SPEAKER_OBJECT_KEYS.has(lowerKey) ? null : undefined;
        if (participant !== undefined) out.nicknames.push({ nickname: nick, participant, at: at() });
      }
      if (NICKNAME_MAP_KEYS.has(lower) && v !== null && typeof v === "object" && !Array.isArray(v)) {
        for (const [who, n] of Object.entries(v as Record<string, unknown>)) {
          const mapped = isName(n, nicknames);
          const participant = participantOf(who);
          if (mapped && participant !== undefined) out.nicknames.push({ nickname: mapped, participant, at: at() });
        }
        continue;
      }
      visit(v, k, depth + 1);
    }
  };
  visit(root, null, 0);
}

/**
 * Every name statement and nickname binding in the prompt parts (system prompt,
 * then messages, in order). A part that is one JSON object is read by its keys.
 */
export function readNames(parts: readonly string[], names: readonly string[], nicknames: readonly string[] = []): Found {
  return scanParts({ names: [], nicknames: [] }, parts, names, nicknames);
}

function scanParts(out: Found, parts: readonly string[], names: readonly string[], nicknames: readonly string[]): Found {
  // Why a large stride: positions order statements across parts, then within a part.
  const STRIDE = 1e12;
  parts.forEach((text, i) => {
    if (answered(out)) return;
    const object = parseObject(text);
    if (object) scanObject(object, i * STRIDE, names, nicknames, out);
    else scanText(text, i * STRIDE, names, nicknames, out);
  });
  return out;
}

/** True when some part states `name` as the assistant's name. */
export function statesName(name: string, parts: readonly string[]): boolean {
  // Why stop at the first: only "is there one" is asked, and it runs on every model call.
  return scanParts({ names: [], nicknames: [], firstName: true }, parts, [name], []).names.length > 0;
}

/** The last of `candidates` stated as the assistant's name (by position), if any. */
export function lastStatedName(candidates: readonly string[], parts: readonly string[], exclude?: string): string | null {
  const pool = exclude ? candidates.filter((c) => !sameName(c, exclude)) : candidates;
  const found = readNames(parts, pool).names;
  let best: NameStatement | null = null;
  for (const s of found) if (!best || s.at > best.at) best = s;
  return best?.name ?? null;
}

/**
 * The nickname bound, last, to the participant speaking now: a binding to the
 * addressee ("the user", "me") or to that participant's id.
 */
export function boundNickname(candidates: readonly string[], parts: readonly string[], participant: string): string | null {
  const who = participant.toLowerCase();
  let best: NicknameBinding | null = null;
  for (const b of readNames(parts, [], candidates).nicknames) {
    if (b.participant !== null && b.participant !== who) continue;
    if (!best || b.at > best.at) best = b;
  }
  return best?.nickname ?? null;
}
