// What the runtime itself reports in its returned SigmaPacket.
import type { TurnRecord } from "../types";
import { toBps } from "./bps";

/** The runtime's reported DI in basis points (clamped to [0, 1]), null without a valid packet. */
export function reportedDiBps(record: TurnRecord): number | null {
  const di = record.packet?.payload.drift_metrics.di;
  return typeof di === "number" && Number.isFinite(di) ? toBps(di) : null;
}
