// Rollout modes of checks that are phased in (issue 9 item 7). A mode is an
// input of the audit, like the suite version and the seed: the report and the
// certificate record the one used, so the same inputs give the same digest.
//
// `srip13.mode` (the SRIP-13 rollout of the Sigma documents):
//   off     — SRIP-13 is not checked: its findings are not derived and a claimed
//             SRIP-13 is "not-tested";
//   shadow  — checked and reported: its findings stay in the report, listed as
//             `shadowed` on the claim, and never count against it;
//   enforce — today's behaviour: its major findings withhold the claim.
import { z } from "zod";

export const Srip13Mode = z.enum(["off", "shadow", "enforce"]);
export type Srip13Mode = z.infer<typeof Srip13Mode>;

/** The default of `srip13.mode`. */
export const DEFAULT_SRIP13_MODE: Srip13Mode = "enforce";

/** The rollout modes an audit ran under (recorded in the report and the certificate). */
export const RolloutSchema = z.strictObject({ srip13: Srip13Mode });
export type Rollout = z.infer<typeof RolloutSchema>;

export const DEFAULT_ROLLOUT: Rollout = { srip13: DEFAULT_SRIP13_MODE };
