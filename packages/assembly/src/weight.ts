// Governance weight from stake and reputation (SPEC §5), exact integers.
//
//   weight = floor( stake × (F·10_000 + (10_000 − F)·R) × P / 10_000³ )
//
// with R the reputation in bps, F = reputationFloorBps (default 2_500) and
// P = 10_000 for active validators, probationWeightBps (default 5_000) on
// probation, 0 when suspended or pending (not admitted). With the defaults an active validator weighs
// stake × (0.25 + 0.75 × reputation): stake is skin in the game, reputation
// scales how much of it counts, and a fresh or unlucky validator is never
// reduced to nothing (Yuma's reasoning: influence follows stake, trimmed by
// track record).
import type { AssemblyParams } from "./params";
import type { Standing } from "./validator";

const SCALE = 10_000n * 10_000n * 10_000n;

export type WeightParams = Pick<AssemblyParams, "reputationFloorBps" | "probationWeightBps">;

export function standingWeightBps(standing: Standing, params: WeightParams): number {
  switch (standing) {
    case "active":
      return 10_000;
    case "probation":
      return params.probationWeightBps;
    case "pending":
    case "suspended":
      return 0;
  }
}

export function governanceWeight(
  stake: bigint,
  reputationBps: number,
  standing: Standing,
  params: WeightParams,
): bigint {
  if (stake <= 0n) return 0n;
  const floor = BigInt(params.reputationFloorBps);
  const reputationFactor = floor * 10_000n + (10_000n - floor) * BigInt(reputationBps);
  return (stake * reputationFactor * BigInt(standingWeightBps(standing, params))) / SCALE;
}
