// A validator's reputation and stake over time, as points to plot (pure).
import type { AgentHistory } from "@assay/protocol";
import type { HistoryPoint } from "../charts/HistoryChart";

/** Reputation and stake over time, oldest first: before the first settlement, after each, and now. */
export function historySeries(history: AgentHistory): { reputation: HistoryPoint[]; stake: HistoryPoint[] } {
  const points = [...history.points].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const reputation: HistoryPoint[] = [];
  const stake: HistoryPoint[] = [];
  const first = points[0];
  if (first) {
    reputation.push({ at: Date.parse(first.at) - 1, value: first.reputationBefore });
    stake.push({ at: Date.parse(first.at) - 1, value: Number(first.stakeBefore) });
  }
  for (const p of points) {
    reputation.push({ at: Date.parse(p.at), value: p.reputationAfter });
    stake.push({ at: Date.parse(p.at), value: Number(p.stakeAfter) });
  }
  const now = Math.max(Date.parse(history.current.at), reputation[reputation.length - 1]?.at ?? 0);
  reputation.push({ at: now, value: history.current.reputationBps });
  stake.push({ at: now, value: Number(history.current.stake) });
  return { reputation, stake };
}

