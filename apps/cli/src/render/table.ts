// Plain-text table with padded columns. Widths are measured on the visible text
// (ANSI colour codes stripped), so coloured cells still line up.

const ANSI = /\u001b\[[0-9;]*m/g;

export function visibleLength(text: string): number {
  return text.replace(ANSI, "").length;
}

export function renderTable(header: string[], rows: string[][], indent = "  "): string[] {
  const widths = header.map((h, i) => Math.max(visibleLength(h), ...rows.map((r) => visibleLength(r[i] ?? ""))));
  const line = (cells: string[]) =>
    indent +
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell + " ".repeat(widths[i]! - visibleLength(cell))))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)];
}
