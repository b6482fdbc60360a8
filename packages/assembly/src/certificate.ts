// What a certificate needs from an assembly record (SPEC §6): the `assembly`
// block (record digest, rounds held, the deciding round's seats and its tally
// in integers) and the claims the assembly granted.
import { CertificateAssemblySchema, type CertificatePayload } from "@assay/protocol";
import { ratioBps } from "./arith";
import { AssemblyError } from "./errors";
import { recordDigest, type AssemblyRecord } from "./record";

export type CertificateAssembly = NonNullable<CertificatePayload["assembly"]>;

/** Only a certify outcome goes into a certificate; anything else is refused. */
export function certificateAssembly(record: AssemblyRecord): CertificateAssembly {
  if (record.outcome.kind !== "certify") {
    throw new AssemblyError("INVALID_INPUT", `assembly outcome is ${record.outcome.kind}, not certify`);
  }
  const last = record.rounds[record.rounds.length - 1]!.tally;
  const summary: CertificateAssembly = {
    recordDigest: recordDigest(record),
    rounds: record.rounds.length,
    seats: last.seatCount,
    tally: {
      verdict: "certify",
      certifyWeightBps: ratioBps(BigInt(last.certifyWeight), BigInt(last.revealedWeight)),
      participationBps: last.participationBps,
      stabilityScoreBps: last.stabilityScore ?? 0,
    },
  };
  return CertificateAssemblySchema.parse(summary);
}

/**
 * The SRIPs the deciding round granted, ascending; empty unless the assembly
 * certified. Pass it to protocol's certificateClaims as `assemblyGranted`.
 */
export function grantedClaims(record: AssemblyRecord): string[] {
  if (record.outcome.kind !== "certify") return [];
  const last = record.rounds[record.rounds.length - 1]!.tally;
  return last.claims
    .filter((c) => c.granted)
    .map((c) => c.srip)
    .sort();
}
