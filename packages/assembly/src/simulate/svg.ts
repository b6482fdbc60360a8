// A small hand-written SVG line plot: mean reputation per profile over assemblies.
import { PROFILES, type Profile } from "./population";

const COLOURS: Record<Profile, string> = { honest: "#1b7f3b", lazy: "#b8860b", contrarian: "#c0392b", colluding: "#6c3483", absent: "#7f8c8d" };

/** `labels` (e.g. "honest 55%") default to the profile names. A profile without history (no members) gets no line. */
export function reputationSvg(history: Partial<Record<Profile, number[]>>, title: string, labels: Partial<Record<Profile, string>> = {}): string {
  const width = 640;
  const height = 360;
  const m = { left: 52, right: 140, top: 36, bottom: 44 };
  const plotW = width - m.left - m.right;
  const plotH = height - m.top - m.bottom;
  const steps = Math.max(1, (history.honest?.length ?? 1) - 1);
  const x = (i: number) => m.left + (i / steps) * plotW;
  const y = (v: number) => m.top + (1 - v) * plotH;
  // At most ~200 points per line keeps the file small whatever the run length.
  const stride = Math.max(1, Math.ceil(steps / 200));
  const fmt = (n: number) => n.toFixed(1);
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`);
  parts.push(`<rect width="${width}" height="${height}" fill="#fff"/>`);
  parts.push(`<text x="${m.left}" y="20" font-size="13">${escapeXml(title)}</text>`);
  for (const v of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(`<line x1="${m.left}" x2="${m.left + plotW}" y1="${fmt(y(v))}" y2="${fmt(y(v))}" stroke="#ddd"/>`);
    parts.push(`<text x="${m.left - 8}" y="${fmt(y(v) + 4)}" text-anchor="end">${v.toFixed(2)}</text>`);
  }
  for (const t of [0, 0.25, 0.5, 0.75, 1]) {
    const i = Math.round(t * steps);
    parts.push(`<text x="${fmt(x(i))}" y="${m.top + plotH + 18}" text-anchor="middle">${i}</text>`);
  }
  parts.push(`<line x1="${m.left}" x2="${m.left}" y1="${m.top}" y2="${m.top + plotH}" stroke="#333"/>`);
  parts.push(`<line x1="${m.left}" x2="${m.left + plotW}" y1="${m.top + plotH}" y2="${m.top + plotH}" stroke="#333"/>`);
  parts.push(`<text x="${m.left + plotW / 2}" y="${height - 8}" text-anchor="middle">assemblies</text>`);
  parts.push(`<text transform="translate(14 ${m.top + plotH / 2}) rotate(-90)" text-anchor="middle">mean reputation</text>`);
  PROFILES.filter((p) => history[p] !== undefined).forEach((p, k) => {
    const series = history[p] ?? [];
    const points: string[] = [];
    for (let i = 0; i < series.length; i += stride) points.push(`${fmt(x(i))},${fmt(y(series[i]!))}`);
    if (series.length > 0 && (series.length - 1) % stride !== 0) points.push(`${fmt(x(series.length - 1))},${fmt(y(series[series.length - 1]!))}`);
    parts.push(`<polyline fill="none" stroke="${COLOURS[p]}" stroke-width="2" points="${points.join(" ")}"/>`);
    const ly = m.top + 14 + k * 20;
    parts.push(`<line x1="${m.left + plotW + 12}" x2="${m.left + plotW + 32}" y1="${ly - 4}" y2="${ly - 4}" stroke="${COLOURS[p]}" stroke-width="3"/>`);
    parts.push(`<text x="${m.left + plotW + 38}" y="${ly}">${escapeXml(labels[p] ?? p)}</text>`);
  });
  parts.push(`</svg>`);
  return parts.join("\n") + "\n";
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
