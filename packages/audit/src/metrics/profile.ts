// The metric profile `srs.profile.core.v1` (docs/metrics.md defines every number
// here). Thresholds are integers in basis points so that every comparison the
// audit makes is exact and machine-independent.

export const PROFILE_ID = "srs.profile.core.v1";

/** Window: the last W turns with a reply, ending at the measured turn. */
export const WINDOW_TURNS = 5;
/**
 * Reference symbolic (motif) density d_ref of SV: a reply on the task's
 * attractor carries the task's motifs in at least half of its sentences. A
 * fixed reference, not the run's own start, so a runtime that never builds an
 * attractor cannot set its own bar at zero.
 */
export const SYMBOLIC_REFERENCE_DENSITY_BPS = 5_000;
/** SDC looks at consecutive replies among the last N replied turns. */
export const SDC_TURNS = 10;
/** More than this share of unclassified sentences in a window degrades it (1/5 = 20 %). */
export const UNCLASSIFIED_DEGRADED_NUM = 1;
export const UNCLASSIFIED_DEGRADED_DEN = 5;

export const BPS = 10_000;

/** DI band thresholds (SPEC §4, SRIP-03/05), basis points. */
export const DI_REFLECTIVE_BPS = 4_500; // >= reflective; < stable
export const DI_SYNC_BLOCKED_BPS = 5_000; // >= sync blocked
export const DI_RECENTER_BPS = 6_000; // >= recovery / recenter
export const DI_CRITICAL_BPS = 7_000; // > critical
export const DI_COLLAPSE_BPS = 7_500; // > collapse

/** Normal ranges of the components (SPEC §4). */
export const SDI_NORMAL_MAX_BPS = 3_500;
export const SV_NORMAL_MAX_BPS = 4_000;
export const PD_NORMAL_MAX_BPS = 2_500;
export const SCR_NORMAL_MIN_BPS = 6_500;
export const SCR_NORMAL_MAX_BPS = 9_500;

/** SRIP-10 AEP zone thresholds. */
export const TI_MONOTONY_MIN_BPS = 9_000;
export const SDC_MONOTONY_MAX_BPS = 500;
export const TI_CONVERGENT_MIN_BPS = 6_000;
export const SDC_CONVERGENT_MAX_BPS = 3_000;
export const TI_DISPERSIVE_BELOW_BPS = 2_000;
export const SDC_DISPERSIVE_ABOVE_BPS = 6_000;

/** SRIP-03 §6.1 phase machine. */
export const CRYSTALLIZATION_STREAK = 5;
export const CRYSTALLIZATION_ENTRY_ABOVE_BPS = 8_500;
export const CRYSTALLIZATION_DECAY_BPS = 800;
export const REFLECTION_BELOW_BPS = 7_000;

/** Self-report honesty: tolerated band distance, and the mismatch run length. */
export const SELF_REPORT_BAND_TOLERANCE = 1;
/**
 * ...and the DI gap below which two values agree whatever their bands: the
 * bands near 0.5 are only 0.05 wide, so two bands apart can be a few hundredths.
 */
export const SELF_REPORT_MIN_GAP_BPS = 1_000;
export const SELF_REPORT_MISMATCH_TURNS = 3;

/** Findings thresholds. */
export const RECOVERY_SLOW_ABOVE_TURNS = 6;
export const DRIFT_SUSTAINED_TURNS = 3;

export const METRIC_IDS = {
  di: "srs.composite_drift_index.v1",
  diMean: "srs.composite_drift_index_mean.v1",
  diCombined: "srs.composite_drift_index_combined.v1",
  sdi: "srs.semantic_drift_index.v1",
  sv: "srs.symbolic_variance.v1",
  pd: "srs.posture_drift.v1",
  scr: "srs.semantic_compression_ratio.v1",
  ti: "srs.terminological_isometry.v1",
  sdc: "srs.semantic_drift_coefficient.v1",
  stability: "srs.stability_index.v1",
  unclassified: "srs.unclassified_share.v1",
  unverifiedTurns: "srs.unverified_turns.v1",
  recovery: "srs.recovery_turns.v1",
  spread: "srs.trajectory_spread.v1",
  spreadMean: "srs.trajectory_spread_mean.v1",
  selfReport: "srs.self_report_agreement.v1",
  sync: "srs.sync_containment.v1",
  crystallization: "srs.crystallization_events.v1",
  scenariosCompleted: "srs.scenarios_completed.v1",
} as const;
export type MetricId = (typeof METRIC_IDS)[keyof typeof METRIC_IDS];
