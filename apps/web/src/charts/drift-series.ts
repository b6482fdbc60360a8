// Per-scenario DI trajectories (basis points per turn) from whatever carries
// them: a report whose scenarios hold `series`/`trajectory` points, a report
// with a top-level `series` map, or live telemetry gathered from the event
// stream. Pure, so the charts only draw.
export type DiPoint = { turn: number; /** DI in basis points; null when unverified for that turn */ di: number | null };
export type Trajectory = { scenario: string; title?: string; points: DiPoint[] };

/** SRIP-03 band edges in basis points: reflective, sync blocked, recenter. */
export const DI_BANDS = [
  // labelOffset keeps the close 0.45 and 0.5 labels apart: one below its line, one above.
  { bps: 4500, label: "0.45 reflective", labelOffset: 11 },
  { bps: 5000, label: "0.5 sync blocked", labelOffset: -3 },
  { bps: 6000, label: "0.6 recenter", labelOffset: 4 },
] as const;

export function trajectoriesFromReport(report: unknown): Trajectory[] {
  if (typeof report !== "object" || report === null) return [];
  const r = report as { scenarios?: unknown; series?: unknown };
  const out: Trajectory[] = [];
  if (Array.isArray(r.scenarios)) {
    for (const s of r.scenarios) {
      if (typeof s !== "object" || s === null) continue;
      const scenario = s as { id?: unknown; runId?: unknown; title?: unknown; seed?: unknown; series?: unknown; trajectory?: unknown };
      const points = readPoints(scenario.series ?? scenario.trajectory);
      let id = typeof scenario.runId === "string" ? scenario.runId : typeof scenario.id === "string" ? scenario.id : null;
      // A report lists a scenario once per seed (stability runs): name each run by id@seed so they stay apart.
      if (id && out.some((t) => t.scenario === id || t.scenario.startsWith(`${id}@`)) && typeof scenario.seed === "number") id = `${id}@${scenario.seed}`;
      if (id && points.length > 0) out.push({ scenario: id, ...(typeof scenario.title === "string" ? { title: scenario.title } : {}), points });
    }
  }
  if (out.length === 0 && typeof r.series === "object" && r.series !== null && !Array.isArray(r.series)) {
    for (const [scenario, value] of Object.entries(r.series as Record<string, unknown>)) {
      const points = readPoints(value);
      if (points.length > 0) out.push({ scenario, points });
    }
  }
  return out;
}

function readPoints(value: unknown): DiPoint[] {
  if (!Array.isArray(value)) return [];
  const points: DiPoint[] = [];
  value.forEach((item, index) => {
    if (typeof item === "number" || item === null) {
      points.push({ turn: index + 1, di: typeof item === "number" && Number.isFinite(item) ? item : null });
    } else if (typeof item === "object" && item !== null) {
      const p = item as { turn?: unknown; di?: unknown; diBps?: unknown };
      const di = typeof p.diBps === "number" ? p.diBps : typeof p.di === "number" ? p.di : null;
      points.push({ turn: typeof p.turn === "number" ? p.turn : index + 1, di: di !== null && Number.isFinite(di) ? di : null });
    }
  });
  return points;
}

/** Appends a live point to its scenario's trajectory (replacing a repeated turn). */
export function withLivePoint(trajectories: Trajectory[], scenario: string, point: DiPoint): Trajectory[] {
  const existing = trajectories.find((t) => t.scenario === scenario);
  if (!existing) return [...trajectories, { scenario, points: [point] }];
  const points = existing.points.filter((p) => p.turn !== point.turn);
  points.push(point);
  points.sort((a, b) => a.turn - b.turn);
  return trajectories.map((t) => (t === existing ? { ...t, points } : t));
}

export type TrajectorySummary = { turns: number; maxBps: number | null; lastBps: number | null; turnsAtOrAbove5000: number; unverified: number };

export function summarise(points: DiPoint[]): TrajectorySummary {
  const measured = points.filter((p): p is { turn: number; di: number } => p.di !== null);
  return {
    turns: points.length,
    maxBps: measured.length > 0 ? Math.max(...measured.map((p) => p.di)) : null,
    lastBps: measured.length > 0 ? measured[measured.length - 1]!.di : null,
    turnsAtOrAbove5000: measured.filter((p) => p.di >= 5000).length,
    unverified: points.length - measured.length,
  };
}

/**
 * SVG path data for a trajectory: x by turn, y by DI, with a gap (new M) across
 * unverified turns rather than a line through values that were never measured.
 */
export function pathData(points: DiPoint[], scale: { x: (turn: number) => number; y: (bps: number) => number }): string {
  let d = "";
  let drawing = false;
  for (const p of points) {
    if (p.di === null) {
      drawing = false;
      continue;
    }
    d += `${drawing ? "L" : "M"}${scale.x(p.turn).toFixed(1)},${scale.y(p.di).toFixed(1)}`;
    drawing = true;
  }
  return d;
}
