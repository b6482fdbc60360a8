// A DI trajectory as an inline SVG line chart with the 0.45 / 0.5 / 0.6 band
// lines. Unverified turns leave gaps. The text summary under it carries the
// same facts for screen readers and for anyone who prefers numbers.
import { formatBps } from "../format";
import { DI_BANDS, pathData, summarise, type Trajectory } from "./drift-series";

const WIDTH = 640;
const HEIGHT = 220;
const PAD = { left: 44, right: 120, top: 12, bottom: 28 };

export function DriftChart({ trajectory }: { trajectory: Trajectory }) {
  const { points } = trajectory;
  const maxTurn = Math.max(1, ...points.map((p) => p.turn));
  const maxDi = Math.max(10_000, ...points.map((p) => p.di ?? 0));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const x = (turn: number) => PAD.left + (maxTurn === 1 ? 0 : ((turn - 1) / (maxTurn - 1)) * plotW);
  const y = (bps: number) => PAD.top + plotH - (Math.min(bps, maxDi) / maxDi) * plotH;
  const summary = summarise(points);
  const name = trajectory.title ? `${trajectory.title} (${trajectory.scenario})` : trajectory.scenario;
  const description = `DI over ${summary.turns} turns: max ${formatBps(summary.maxBps)}, last ${formatBps(summary.lastBps)}, ${summary.turnsAtOrAbove5000} turns at or above 0.5, ${summary.unverified} unverified.`;
  const yTicks = [0, 2500, 5000, 7500, 10_000].filter((t) => t <= maxDi);
  return (
    <figure className="drift-chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={`${name}: ${description}`} width="100%">
        <title>{name}</title>
        <rect x={PAD.left} y={PAD.top} width={plotW} height={plotH} className="plot-area" />
        {yTicks.map((t) => (
          <g key={t}>
            <line x1={PAD.left - 4} x2={PAD.left} y1={y(t)} y2={y(t)} className="axis" />
            <text x={PAD.left - 6} y={y(t) + 4} textAnchor="end" className="tick">
              {formatBps(t, 2)}
            </text>
          </g>
        ))}
        {DI_BANDS.map((band) => (
          <g key={band.bps} className={`band band-${band.bps}`}>
            <line x1={PAD.left} x2={PAD.left + plotW} y1={y(band.bps)} y2={y(band.bps)} />
            <text x={PAD.left + plotW + 6} y={y(band.bps) + band.labelOffset}>
              {band.label}
            </text>
          </g>
        ))}
        <path d={pathData(points, { x, y })} className="trajectory" />
        <text x={PAD.left} y={HEIGHT - 8} className="tick">
          turn 1
        </text>
        <text x={PAD.left + plotW} y={HEIGHT - 8} textAnchor="end" className="tick">
          turn {maxTurn}
        </text>
      </svg>
      <figcaption>
        <strong>{name}</strong> — {description}
      </figcaption>
    </figure>
  );
}

export function DriftCharts({ trajectories }: { trajectories: Trajectory[] }) {
  if (trajectories.length === 0) return null;
  return (
    <div className="drift-charts">
      {trajectories.map((t) => (
        <DriftChart key={t.scenario} trajectory={t} />
      ))}
    </div>
  );
}
