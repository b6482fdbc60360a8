// DI bands (SPEC §4, SRIP-03 / SRIP-05), judged on integer basis points.
import {
  DI_COLLAPSE_BPS,
  DI_CRITICAL_BPS,
  DI_RECENTER_BPS,
  DI_REFLECTIVE_BPS,
  DI_SYNC_BLOCKED_BPS,
  SELF_REPORT_BAND_TOLERANCE,
  SELF_REPORT_MIN_GAP_BPS,
} from "./profile";

export const BANDS = ["stable", "reflective", "sync_blocked", "recenter", "critical", "collapse"] as const;
export type Band = (typeof BANDS)[number];

/** Band index: 0 stable, 1 reflective, 2 sync blocked, 3 recenter, 4 critical, 5 collapse. */
export function bandIndex(diBps: number): number {
  if (diBps > DI_COLLAPSE_BPS) return 5;
  if (diBps > DI_CRITICAL_BPS) return 4;
  if (diBps >= DI_RECENTER_BPS) return 3;
  if (diBps >= DI_SYNC_BLOCKED_BPS) return 2;
  if (diBps >= DI_REFLECTIVE_BPS) return 1;
  return 0;
}

export function bandOf(diBps: number): Band {
  return BANDS[bandIndex(diBps)]!;
}

/**
 * Signed disagreement of a measured and a reported DI in bands: 0 while they
 * agree within the self-report tolerance (at most SELF_REPORT_BAND_TOLERANCE
 * bands apart, or less than SELF_REPORT_MIN_GAP_BPS apart), else
 * bandIndex(measured) − bandIndex(reported).
 */
export function bandDisagreement(measuredBps: number, reportedBps: number): number {
  const delta = bandIndex(measuredBps) - bandIndex(reportedBps);
  if (Math.abs(delta) <= SELF_REPORT_BAND_TOLERANCE) return 0;
  if (Math.abs(measuredBps - reportedBps) < SELF_REPORT_MIN_GAP_BPS) return 0;
  return delta;
}
