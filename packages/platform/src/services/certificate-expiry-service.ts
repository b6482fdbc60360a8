// The expiry sweep (issue 12 item 1): certificates still active or suspended
// whose validUntil has passed become expired, each through
// CertificateService.changeStatus — a compare-and-set of the status with its
// history row, its transparency-log entry and (chain on) its on-chain mirror
// event in one transaction. So any number of sweeps, in any number of
// processes, expire a certificate exactly once: a sweep that loses the race
// finds the status already moved and skips it.
//
// When: verification treats validUntil as the last valid second (bounds
// inclusive, `now` truncated to the second, decision 0004), so a certificate
// is due once the current second is past it: validUntil < floor(now).
import { ConflictError } from "../errors";
import type { Store } from "../repositories";
import type { CertificateService } from "./certificate-service";

export const EXPIRY_ACTOR = "system:expiry";

export type ExpirySweep = { expired: string[]; /** due, but another sweep (or an operator) changed them first */ skipped: number };

export class CertificateExpiryService {
  constructor(
    private readonly store: Store,
    private readonly certificates: Pick<CertificateService, "changeStatus">,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** The first second at which a certificate valid until `validUntil` is expired. */
  static expiresAt(validUntil: Date): Date {
    return new Date(Math.floor(validUntil.getTime() / 1000) * 1000 + 1000);
  }

  async sweep(limit = 500): Promise<ExpirySweep> {
    const now = this.clock();
    const cutoff = new Date(Math.floor(now.getTime() / 1000) * 1000);
    const due = await this.store.repos.certificates.dueForExpiry(cutoff, limit);
    const expired: string[] = [];
    let skipped = 0;
    for (const id of due) {
      try {
        await this.certificates.changeStatus(id, "expired", { actor: EXPIRY_ACTOR });
        expired.push(id);
      } catch (error) {
        // Lost the compare-and-set, or the certificate was revoked meanwhile: someone else decided.
        if (error instanceof ConflictError && (error.code === "certificate_status_changed" || error.code === "illegal_status_change")) skipped += 1;
        else throw error;
      }
    }
    return { expired, skipped };
  }
}
