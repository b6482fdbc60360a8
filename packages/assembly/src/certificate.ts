// The assembly part of a certificate payload (SPEC §6): the record digest,
// the rounds held, the deciding round's seats, and its tally in integers.
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
