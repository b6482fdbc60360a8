// The draw beacon of an assembly (docs/decisions/0009, "Beacon"): what it is
// computed from, stored as `assemblies.beacon_inputs` so anyone recomputes it.
import { digestOf, type Digest } from "@assay/protocol";
import { z } from "zod";

export const BEACON_FORMAT = "assay.beacon/v1";
/** Beacon time bucket: the open minute. */
export const BEACON_BUCKET_MS = 60_000;

export const BeaconInputsSchema = z.strictObject({
  format: z.literal(BEACON_FORMAT),
  reportDigest: z.string(),
  latestCertificateId: z.string().nullable(),
  timeBucket: z.number().int().min(0),
});
export type BeaconInputs = z.infer<typeof BeaconInputsSchema>;

export function parseBeaconInputs(value: unknown): BeaconInputs {
  return BeaconInputsSchema.parse(value);
}

/** The public beacon: SHA-256 of the JCS of public facts fixed at open. */
export function assemblyBeacon(inputs: BeaconInputs): Digest {
  return digestOf(inputs);
}

export function beaconInputsAt(reportDigest: string, latestCertificateId: string | null, now: Date): BeaconInputs {
  return { format: BEACON_FORMAT, reportDigest, latestCertificateId, timeBucket: Math.floor(now.getTime() / BEACON_BUCKET_MS) };
}
