// What `assemblies.beacon_inputs` holds (docs/decisions/0009, "Beacon"): while
// the window collects contributions, the public facts fixed at open (report
// digest, the commitment to the platform's share, the window's end, the chain
// head at open); after the draw, the complete assay.beacon/v2 inputs from which
// anyone recomputes the beacon (`recomputeBeacon` in @assay/assembly). Parsed
// with its schema whenever it is read. The share itself lives in its own column
// (`beacon_secret`) and leaves the platform only inside the drawn inputs.
import { randomBytes } from "node:crypto";
import { BEACON_FORMAT, BeaconInputsSchema, beaconCommitment, type BeaconInputs } from "@assay/assembly";
import { DIGEST_PATTERN } from "@assay/protocol";
import { z } from "zod";

export const BeaconCollectingSchema = z.strictObject({
  format: z.literal(BEACON_FORMAT),
  state: z.literal("collecting"),
  reportDigest: z.string().regex(DIGEST_PATTERN),
  commitment: z.string().regex(DIGEST_PATTERN),
  windowEndsAt: z.string(),
  /** The chain head when the window opened (decimal); the beacon takes block afterBlock + 1. Null without a chain. */
  afterBlock: z.string().regex(/^(0|[1-9][0-9]*)$/).nullable(),
});
export type BeaconCollecting = z.infer<typeof BeaconCollectingSchema>;

/** The column: collecting (before the draw) or the drawn inputs. */
export type BeaconColumn = BeaconCollecting | BeaconInputs;

export function parseBeaconInputs(value: unknown): BeaconColumn {
  const collecting = BeaconCollectingSchema.safeParse(value);
  return collecting.success ? collecting.data : BeaconInputsSchema.parse(value);
}

export function isCollecting(column: BeaconColumn): column is BeaconCollecting {
  return "state" in column;
}

/** A fresh platform share (32 bytes from the OS CSPRNG) and its commitment. */
export function newPlatformShare(): { share: string; commitment: string } {
  const share = `0x${randomBytes(32).toString("hex")}`;
  return { share, commitment: beaconCommitment(share) };
}

/** An assembly as it may be served: never the secret share column (after the draw the share is in the inputs). */
export function withoutBeaconSecret<T extends { beaconSecret: string | null }>(assembly: T): T {
  return { ...assembly, beaconSecret: null };
}
