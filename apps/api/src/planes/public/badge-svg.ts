// The registry badge (issue 12 item 5, docs/decisions/0017): a flat SVG in the
// shields.io layout — "assay" | status (coloured) | evidenced claims — with the
// full statement in <title> and aria-label. Every piece of text goes through
// xmlText (escaped, characters XML 1.0 forbids removed, length capped), so a
// runtime named `<script>…` is text, never markup. Deterministic: the same facts
// give the same bytes (and so the same ETag on every instance).
import { badgeClaimsText, type RegistryStatus } from "@assay/protocol";

export type BadgeInput =
  | { status: RegistryStatus; claims: readonly string[]; runtime: { name: string; version: string }; id: string }
  | { status: "unknown" };

const COLOURS: Record<RegistryStatus | "unknown", string> = {
  certified: "#2e7d32",
  expired: "#6d6d6d",
  suspended: "#b35c00",
  revoked: "#c62828",
  unknown: "#9f9f9f",
};
const LABEL_COLOUR = "#555";
const CLAIMS_COLOUR = "#1d4f7c";
const HEIGHT = 20;
const PADDING = 6;

export function badgeSvg(input: BadgeInput): string {
  const segments: { text: string; colour: string }[] = [{ text: "assay", colour: LABEL_COLOUR }, { text: input.status, colour: COLOURS[input.status] }];
  let title: string;
  if (input.status === "unknown") {
    title = "assay: no such certificate";
  } else {
    const claims = badgeClaimsText(input.claims);
    if (claims !== "") segments.push({ text: claims, colour: CLAIMS_COLOUR });
    title = `assay: ${input.runtime.name} ${input.runtime.version} — ${input.status}${claims ? ` — ${claims}` : ""} (certificate ${input.id})`;
  }
  const widths = segments.map((s) => Math.round(textWidth(s.text)) + 2 * PADDING);
  const total = widths.reduce((a, b) => a + b, 0);
  const label = xmlText(title, 300);
  let x = 0;
  const rects: string[] = [];
  const texts: string[] = [];
  segments.forEach((segment, i) => {
    const w = widths[i]!;
    rects.push(`<rect x="${x}" width="${w}" height="${HEIGHT}" fill="${segment.colour}"/>`);
    const centre = x + w / 2;
    const text = xmlText(segment.text, 120);
    texts.push(`<text x="${centre}" y="15" fill="#010101" fill-opacity=".3">${text}</text><text x="${centre}" y="14">${text}</text>`);
    x += w;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${total}" height="${HEIGHT}" role="img" aria-label="${label}">`,
    `<title>${label}</title>`,
    `<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>`,
    `<clipPath id="r"><rect width="${total}" height="${HEIGHT}" rx="3" fill="#fff"/></clipPath>`,
    `<g clip-path="url(#r)">${rects.join("")}<rect width="${total}" height="${HEIGHT}" fill="url(#s)"/></g>`,
    `<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">${texts.join("")}</g>`,
    `</svg>`,
  ].join("");
}

/**
 * Text content or attribute value for XML: the five special characters
 * escaped, characters XML 1.0 does not allow (C0 controls other than tab/LF/CR,
 * lone surrogates, U+FFFE/U+FFFF) replaced by U+FFFD, at most `max` characters.
 */
export function xmlText(text: string, max: number): string {
  const chars = [...text];
  const capped = chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : text;
  return capped
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

// Approximate advance widths of Verdana 11px (what shields.io-style badges use), in pixels.
const NARROW = new Set([..."ijlI!.,:;'|·"]);
const WIDE = new Set([..."mwMW@%"]);
function textWidth(text: string): number {
  let width = 0;
  for (const c of text) {
    if (c === " ") width += 3.9;
    else if (NARROW.has(c)) width += 3.5;
    else if (WIDE.has(c)) width += 10.5;
    else if (c >= "A" && c <= "Z") width += 7.6;
    else if (c >= "0" && c <= "9") width += 7;
    else if (c === "-") width += 4.6;
    else width += 6.8;
  }
  return width;
}
