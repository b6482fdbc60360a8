// Reports hold integers (basis points); people read decimals. Exact string
// arithmetic, so 4500 bps is always "0.4500", never 0.44999999.

/** 4123 → "0.4123"; null (unverified) → "—". */
export function bpsToDecimal(bps: number | null): string {
  if (bps === null) return "—";
  const sign = bps < 0 ? "-" : "";
  const abs = Math.abs(bps);
  return `${sign}${Math.floor(abs / 10_000)}.${String(abs % 10_000).padStart(4, "0")}`;
}
