// Turn V8's JSON.parse error into "what went wrong, at line L, column C", so a
// broken manifest points at the character to fix.

export type JsonErrorLocation = { message: string; line: number; column: number; offset: number };

/** Describe a JSON.parse SyntaxError for `text`. Line and column are 1-based. */
export function locateJsonError(text: string, error: SyntaxError): JsonErrorLocation {
  const offset = errorOffset(text, error.message);
  const { line, column } = lineAndColumn(text, offset);
  // V8 appends its own "(line x column y)" / "in JSON at position n": ours replaces it.
  const message = error.message
    .replace(/\s*\(line \d+ column \d+\)\s*$/, "")
    .replace(/,?\s*(in JSON )?at position \d+\s*$/, "")
    .trim();
  return { message, line, column, offset };
}

function errorOffset(text: string, message: string): number {
  const position = /at position (\d+)/.exec(message);
  if (position) return Math.min(Number(position[1]), text.length);
  // "Unexpected end of JSON input" and friends carry no position: the end is where it broke.
  return text.length;
}

export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === "\n") {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
