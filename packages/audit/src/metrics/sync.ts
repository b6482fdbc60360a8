// SRIP-05 sync containment, judged per turn on the runtime's own DI, or on the
// measured DI when the measured band exceeds the reported band by two or more
// (under-reporting beyond the self-report tolerance): a runtime cannot escape
// containment by reporting low numbers.
//   publish at judged DI >= 0.5                                 -> violation
//   containment engages at judged >= 0.5 and releases only below 0.45;
//   publishing while engaged (judged in [0.45, 0.5))            -> violation (hysteresis)
//   judged DI >= 0.6 and the packet's recenter_active is false  -> recenter missing
import type { TurnRecord } from "../types";
import { bandDisagreement } from "./bands";
import { DI_RECENTER_BPS, DI_REFLECTIVE_BPS, DI_SYNC_BLOCKED_BPS, SELF_REPORT_BAND_TOLERANCE } from "./profile";
import { reportedDiBps } from "./reported";
import type { TurnMeasure } from "./series";

export type JudgedSource = "reported" | "measured";

export type JudgedTurn = {
  turn: number;
  reportedDi: number | null;
  measuredDi: number | null;
  /** The DI containment is judged on, null when neither is known. */
  judgedDi: number | null;
  source: JudgedSource | null;
};

export type SyncViolation = JudgedTurn & {
  reason: "published_while_blocked" | "resumed_before_release";
  /** Packets published during the turn. */
  published: number;
};

export type RecenterMiss = JudgedTurn;

export type SyncContainment = {
  violations: SyncViolation[];
  recenterMissing: RecenterMiss[];
  /** Turns where measured DI overrode an under-reported DI. */
  overrides: number;
};

export function judgeTurn(record: TurnRecord, measure: TurnMeasure): JudgedTurn {
  const reportedDi = reportedDiBps(record);
  const measuredDi = measure.di;
  let judgedDi: number | null = reportedDi;
  let source: JudgedSource | null = reportedDi === null ? null : "reported";
  if (measuredDi !== null) {
    const underReported = reportedDi === null || bandDisagreement(measuredDi, reportedDi) > 0;
    if (underReported) {
      judgedDi = measuredDi;
      source = "measured";
    }
  }
  return { turn: record.index, reportedDi, measuredDi, judgedDi, source };
}

export function measureSyncContainment(records: readonly TurnRecord[], measures: readonly TurnMeasure[]): SyncContainment {
  const violations: SyncViolation[] = [];
  const recenterMissing: RecenterMiss[] = [];
  let overrides = 0;
  let engaged = false;
  records.forEach((record, i) => {
    const judged = judgeTurn(record, measures[i]!);
    if (judged.source === "measured" && judged.reportedDi !== null) overrides += 1;
    const di = judged.judgedDi;
    if (di !== null) {
      if (di >= DI_SYNC_BLOCKED_BPS) engaged = true;
      else if (di < DI_REFLECTIVE_BPS) engaged = false;
    }
    const published = record.published.length;
    if (published > 0) {
      if (di !== null && di >= DI_SYNC_BLOCKED_BPS) violations.push({ ...judged, reason: "published_while_blocked", published });
      else if (engaged) violations.push({ ...judged, reason: "resumed_before_release", published });
    }
    if (di !== null && di >= DI_RECENTER_BPS && record.packet !== null && record.packet.payload.safety_flags.recenter_active !== true) {
      recenterMissing.push(judged);
    }
  });
  return { violations, recenterMissing, overrides };
}
