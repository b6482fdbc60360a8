// A step line of one value over time (a validator's reputation or stake after
// each assembly it sat on), inline SVG like the drift charts, with a text
// summary for screen readers.
const WIDTH = 640;
const HEIGHT = 180;
const PAD = { left: 64, right: 16, top: 12, bottom: 28 };

export type HistoryPoint = { at: number; value: number };

export function HistoryChart({ title, points, format, min, max }: { title: string; points: HistoryPoint[]; format: (v: number) => string; min?: number; max?: number }) {
  if (points.length === 0) return null;
  const t0 = points[0]!.at;
  const t1 = Math.max(points[points.length - 1]!.at, t0 + 1);
  const lo = Math.min(min ?? Infinity, ...points.map((p) => p.value));
  const hi = Math.max(max ?? -Infinity, ...points.map((p) => p.value), lo + 1);
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const x = (at: number) => PAD.left + ((at - t0) / (t1 - t0)) * plotW;
  const y = (v: number) => PAD.top + plotH - ((v - lo) / (hi - lo)) * plotH;
  let d = "";
  points.forEach((p, i) => {
    d += i === 0 ? `M${x(p.at).toFixed(1)},${y(p.value).toFixed(1)}` : `H${x(p.at).toFixed(1)}V${y(p.value).toFixed(1)}`;
  });
  const first = points[0]!;
  const last = points[points.length - 1]!;
  const description = `${points.length} points from ${new Date(first.at).toISOString().slice(0, 16).replace("T", " ")} to ${new Date(last.at).toISOString().slice(0, 16).replace("T", " ")} UTC: from ${format(first.value)} to ${format(last.value)}, lowest ${format(Math.min(...points.map((p) => p.value)))}, highest ${format(Math.max(...points.map((p) => p.value)))}.`;
  return (
    <figure className="history-chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={`${title}: ${description}`} width="100%">
        <title>{title}</title>
        <rect x={PAD.left} y={PAD.top} width={plotW} height={plotH} className="plot-area" />
        {[lo, hi].map((v) => (
          <text key={v} x={PAD.left - 6} y={y(v) + 4} textAnchor="end" className="tick">
            {format(v)}
          </text>
        ))}
        <path d={d} className="trajectory" />
        {points.map((p, i) => (
          <circle key={i} cx={x(p.at)} cy={y(p.value)} r={3} className="history-point" />
        ))}
      </svg>
      <figcaption>
        <strong>{title}</strong> — {description}
      </figcaption>
    </figure>
  );
}
