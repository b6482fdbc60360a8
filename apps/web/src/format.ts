// Display formatting. Hashed documents hold integers (basis points, counts);
// people read ratios as decimals: 4523 bps → "0.4523".
export function formatBps(bps: number | null | undefined, digits = 4): string {
  if (bps === null || bps === undefined) return "unverified";
  return (bps / 10_000).toFixed(digits);
}

export function formatMetricValue(value: number | null, unit: string): string {
  if (value === null) return "unverified";
  return unit === "bps" ? formatBps(value) : String(value);
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return "–";
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return iso;
  return new Date(ms).toISOString().replace(".000Z", "Z").replace("T", " ");
}

export function shortDigest(digest: string, keep = 10): string {
  return digest.length > keep * 2 + 1 ? `${digest.slice(0, keep + 2)}…${digest.slice(-keep)}` : digest;
}

/** How far an instant is from now, in words: "in 29 min", "3 h ago", "now". */
export function formatRelative(iso: string, now = Date.now()): string {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return "";
  const delta = ms - now;
  const abs = Math.abs(delta);
  const text = abs < 45_000 ? null : abs < 90 * 60_000 ? `${Math.round(abs / 60_000)} min` : abs < 48 * 3_600_000 ? `${Math.round(abs / 3_600_000)} h` : `${Math.round(abs / 86_400_000)} days`;
  if (text === null) return "now";
  return delta > 0 ? `in ${text}` : `${text} ago`;
}
