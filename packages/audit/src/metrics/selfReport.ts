// srs.self_report_agreement.v1: the runtime's reported DI band against the
// measured band. Runtimes compute drift their own way, so only bands are
// compared, with a tolerance of one band (or a gap under 0.10, see
// bandDisagreement). A turn is comparable when the
// measured DI has a value (valid or degraded) and the runtime returned a valid
// packet; other turns neither extend nor break a run of mismatches.
import type { TurnRecord } from "../types";
import { bandDisagreement } from "./bands";
import { ratioBps } from "./bps";
import { SELF_REPORT_BAND_TOLERANCE, SELF_REPORT_MISMATCH_TURNS } from "./profile";
import { reportedDiBps } from "./reported";
import type { TurnMeasure } from "./series";

export type MismatchEpisode = {
  startTurn: number;
  endTurn: number;
  /** Comparable turns in the episode. */
  length: number;
  /** Largest band distance seen in the episode. */
  maxBandDelta: number;
  /** Measured and reported DI at the episode's first turn, bps. */
  measuredDi: number;
  reportedDi: number;
};

export type SelfReport = {
  comparable: number;
  agreeing: number;
  /** agreeing / comparable in bps, null when nothing was comparable. */
  agreement: number | null;
  /** Runs of >= 3 consecutive comparable turns with |Δband| >= 2. */
  episodes: MismatchEpisode[];
};

export function selfReportAgreement(records: readonly TurnRecord[], measures: readonly TurnMeasure[]): SelfReport {
  let comparable = 0;
  let agreeing = 0;
  const episodes: MismatchEpisode[] = [];
  let run: MismatchEpisode | null = null;
  const close = () => {
    if (run && run.length >= SELF_REPORT_MISMATCH_TURNS) episodes.push(run);
    run = null;
  };
  records.forEach((record, i) => {
    const measured = measures[i]!.di;
    const reported = reportedDiBps(record);
    if (measured === null || reported === null) return;
    comparable += 1;
    const delta = Math.abs(bandDisagreement(measured, reported));
    if (delta === 0) {
      agreeing += 1;
      close();
      return;
    }
    if (run) {
      const current: MismatchEpisode = run;
      current.endTurn = record.index;
      current.length += 1;
      current.maxBandDelta = Math.max(current.maxBandDelta, delta);
    } else {
      run = { startTurn: record.index, endTurn: record.index, length: 1, maxBandDelta: delta, measuredDi: measured, reportedDi: reported };
    }
  });
  close();
  return { comparable, agreeing, agreement: comparable > 0 ? ratioBps(agreeing, comparable) : null, episodes };
}
