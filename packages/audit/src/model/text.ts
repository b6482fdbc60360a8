// Text primitives shared by the synthetic model, the classifier and the metrics:
// one tokenizer, one stop-word list, one sentence splitter, so every part of the
// audit sees the same words.

const STOP_WORDS = new Set(
  ("a an the and or but if then so of to in on at by for with from as is are was were be been being it its " +
    "this that these those i you he she we they me him her us them my your our their mine yours " +
    "do does did done have has had not no yes can could will would should may might must shall " +
    "what which who whom whose when where why how all any some each every more most other such " +
    "just also than too very into onto over under about after before again there here up down out " +
    "let lets let's ok okay sure well now").split(/\s+/),
);

/** Lowercase word tokens (letters, digits, underscores, apostrophes inside words). */
export function tokenize(text: string): string[] {
  return text.toLowerCase().match(/[a-z0-9_]+(?:'[a-z]+)?/g) ?? [];
}

/** Tokens that carry content: not stop words, at least 3 characters or a number. */
export function contentTerms(text: string): string[] {
  return tokenize(text).filter((t) => !STOP_WORDS.has(t) && (t.length >= 3 || /^\d+$/.test(t)));
}

export function contentTermSet(text: string): Set<string> {
  return new Set(contentTerms(text));
}

/** Canonical form of a sentence for catalogue lookup. */
export function normaliseSentence(sentence: string): string {
  return sentence.toLowerCase().replace(/\s+/g, " ").replace(/[\s.!?]+$/, "").trim();
}

/** Split a reply into sentences at . ! ? followed by whitespace or the end. */
export function splitSentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** JavaScript's `\s` (WhiteSpace + LineTerminator), the set trim() and /\s+/ use. */
function isSpace(c: number): boolean {
  return (
    c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}

/**
 * Number of whitespace-separated words; the unit of the synthetic model's token counts.
 * The same count as `text.trim().split(/\s+/)` (runs of non-space characters), without the arrays.
 */
export function wordCount(text: string): number {
  let words = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const space = isSpace(text.charCodeAt(i));
    if (!space && !inWord) words++;
    inWord = !space;
  }
  return words;
}
