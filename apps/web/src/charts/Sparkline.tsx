// A small per-turn DI sparkline for live progress, with the 0.5 line.
import { formatBps } from "../format";
import { pathData, type DiPoint } from "./drift-series";

export function Sparkline({ points, label }: { points: DiPoint[]; label: string }) {
  const width = 240;
  const height = 48;
  const maxTurn = Math.max(2, ...points.map((p) => p.turn));
  const minTurn = Math.min(maxTurn - 1, ...points.map((p) => p.turn));
  const maxDi = Math.max(10_000, ...points.map((p) => p.di ?? 0));
  const x = (turn: number) => 2 + ((turn - minTurn) / (maxTurn - minTurn)) * (width - 4);
  const y = (bps: number) => height - 2 - (bps / maxDi) * (height - 4);
  const last = [...points].reverse().find((p) => p.di !== null);
  return (
    <svg className="sparkline" viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img" aria-label={`${label}: latest DI ${formatBps(last?.di ?? null)} at turn ${last?.turn ?? "–"}`}>
      <line x1={0} x2={width} y1={y(5000)} y2={y(5000)} className="band band-5000" />
      <path d={pathData(points, { x, y })} className="trajectory" />
    </svg>
  );
}
