// Lone UTF-16 surrogates in what a runtime returns, publishes or logs are
// replaced by U+FFFD (what any UTF-8 encoder does) when they cross into Node.
// Why: transcripts are hashed as canonical JSON (RFC 8785), which cannot
// represent a lone surrogate — a reply carrying one made report building throw
// on the host side, i.e. a runtime could break its own audit instead of getting
// a finding. Pairs (emoji and the like) pass through unchanged.

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The string with every lone surrogate replaced by U+FFFD. */
export function wellFormedString(text: string): string {
  return text.replace(LONE_SURROGATE, "\uFFFD");
}

/** A JSON value (as JSON.parse made it) with every string — keys included — well formed. */
export function wellFormed(value: unknown): unknown {
  if (typeof value === "string") return wellFormedString(value);
  if (Array.isArray(value)) return value.map(wellFormed);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      // defineProperty: a "__proto__" key from JSON stays an ordinary property.
      Object.defineProperty(out, wellFormedString(key), { value: wellFormed(inner), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}

/** A raw surrogate code unit, or a JSON escape of one (\uD800-\uDFFF): what JSON text needs to carry a lone surrogate. */
const SURROGATE_IN_JSON = /[\uD800-\uDFFF]|\\u[dD][89abcdefABCDEF]/;

/**
 * JSON.parse, then wellFormed — the walk skipped when the text cannot carry a
 * surrogate at all (the common case: it allocates a copy of every object).
 * Same result as `wellFormed(JSON.parse(text))`; throws what JSON.parse throws.
 */
export function parseWellFormed(text: string): unknown {
  const value: unknown = JSON.parse(text);
  return SURROGATE_IN_JSON.test(text) ? wellFormed(value) : value;
}
