// The certificate job's service: build the certificate payload of a
// submission that passed its audit (level "audit-only" while no assembly is
// required), have CertificateService sign and store it together with the
// transition to certified, and record the anchoring effect in the outbox.
//
// Claims (issue 8): the payload's `claims` are the claims the audit evidenced
// (and, on the assembly path, the assembly granted); the others are carried in
// `claimsNotGranted` with the reason and the finding codes. A submission with
// no claim left is rejected (`no_evidenced_claim`), never certified.
//
// Idempotency (docs/decisions/0007): CertificateService.issue moves the
// submission in_assembly → certified by compare-and-set in the same transaction
// that stores the certificate, so of two deliveries exactly one commits; the
// other (and any later redelivery) finds the submission certified and only makes
// sure the anchor event exists (dedupe key per certificate). A crash between the
// certificate's commit and the anchor event leaves the job unacknowledged;
// BullMQ redelivers it and that path completes the anchor event.
import { AuditReportSchema, CERTIFICATE_FORMAT, certificateAuditOf, certificateClaims, ManifestSchema, type CertificateDocument } from "@assay/protocol";
import type { SubmissionStatus } from "../repositories";
import { ConflictError, NotFoundError, ValidationError } from "../errors";
import type { Store, SubmissionRecord } from "../repositories";
import { RecoveryRepository } from "../repositories/worker-repositories";
import type { CertificateService, UnsignedCertificate } from "./certificate-service";
import type { SubmissionService } from "./submission-service";
import { NO_EVIDENCED_CLAIM, noEvidencedClaimMessage } from "./claims-rejection";

/** Outbox topic of the on-chain anchoring effect (consumed by the anchor worker). */
export const ANCHOR_TOPIC = "anchor";

export function anchorDedupeKey(certificateId: string): string {
  return `anchor:${certificateId}`;
}

export type CertificateIssuance = {
  /** true when this call issued the certificate; false when it existed or nothing was due. */
  issued: boolean;
  status: SubmissionStatus;
  certificateId: string | null;
  anchorEventId: string | null;
  reason?: string;
};

export type PreparedCertificate = { kind: "certificate"; unsigned: UnsignedCertificate } | { kind: "no_claim"; message: string };

export class CertificateIssuingService {
  constructor(
    private readonly store: Store,
    private readonly certificates: CertificateService,
    private readonly submissions: Pick<SubmissionService, "transition">,
    private readonly settings: { assemblyRequired: boolean },
    private readonly actor = "system:worker-certificate",
  ) {}

  /**
   * The unsigned payload for a submission and its audit report (pure apart
   * from the reads), or why there is none: no claim left to certify.
   * `assemblyGranted`: the claims an assembly granted (null: audit-only, every
   * evidenced claim).
   */
  async prepare(submission: SubmissionRecord, assemblyGranted: readonly string[] | null = null): Promise<PreparedCertificate> {
    const stored = await this.store.repos.audits.latestReportForSubmission(submission.id);
    if (!stored) throw new ConflictError("report_missing", `submission ${submission.id} has no audit report`);
    const report = AuditReportSchema.parse(stored.document);
    if (report.digest !== stored.digest) throw new ValidationError("report_corrupt", `stored report ${stored.id} does not match its digest column`);
    if (report.subject.digest !== submission.runtimeVersion.subjectDigest) {
      throw new ValidationError("report_subject_mismatch", `the report is about ${report.subject.digest}, not ${submission.runtimeVersion.subjectDigest}`);
    }
    const manifest = ManifestSchema.parse(submission.runtimeVersion.manifest);
    const { claims, claimsNotGranted } = certificateClaims(report.claims, assemblyGranted);
    if (claims.length === 0) return { kind: "no_claim", message: noEvidencedClaimMessage(report.claims) };
    const unsigned: UnsignedCertificate = {
      format: CERTIFICATE_FORMAT,
      subject: { name: manifest.name, version: manifest.version, digest: submission.runtimeVersion.subjectDigest as `0x${string}` },
      claims,
      claimsNotGranted,
      // certificateAuditOf counts critical findings; the payload schema refuses
      // a certified payload with any, so a failed report cannot be certified.
      audit: certificateAuditOf(report),
      assembly: null,
      verdict: "certified",
      level: "audit-only",
      supersedes: null,
    };
    return { kind: "certificate", unsigned };
  }

  /** prepare(), refusing when there is no claim to certify (an operator's certify). */
  async unsignedFor(submission: SubmissionRecord, assemblyGranted: readonly string[] | null = null): Promise<UnsignedCertificate> {
    const prepared = await this.prepare(submission, assemblyGranted);
    if (prepared.kind === "no_claim") throw new ConflictError(NO_EVIDENCED_CLAIM, prepared.message);
    return prepared.unsigned;
  }

  /** in_assembly → rejected because no claim is left to certify (compare-and-set; a lost race is not an error). */
  async rejectForNoClaim(submissionId: string, message: string, actor = this.actor): Promise<void> {
    try {
      await this.submissions.transition(submissionId, "rejected", { actor, expectedFrom: "in_assembly", reasonCode: NO_EVIDENCED_CLAIM, reasonMessage: message });
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
    }
  }

  async issueForSubmission(submissionId: string): Promise<CertificateIssuance> {
    const submission = await this.store.repos.submissions.findById(submissionId);
    if (!submission) throw new NotFoundError("submission_not_found", `no submission ${submissionId}`);
    if (submission.status === "certified") return this.alreadyCertified(submissionId);
    if (submission.status !== "in_assembly") {
      return { issued: false, status: submission.status, certificateId: null, anchorEventId: null, reason: `the submission is ${submission.status}` };
    }
    if (this.settings.assemblyRequired) {
      return { issued: false, status: submission.status, certificateId: null, anchorEventId: null, reason: "an assembly decision is required first" };
    }
    const prepared = await this.prepare(submission);
    if (prepared.kind === "no_claim") {
      // The audit decision rejects these; a submission that reached here anyway (an older report) is rejected now.
      await this.rejectForNoClaim(submission.id, prepared.message);
      const now = await this.store.repos.submissions.findById(submissionId);
      return { issued: false, status: now?.status ?? submission.status, certificateId: null, anchorEventId: null, reason: NO_EVIDENCED_CLAIM };
    }
    const unsigned = prepared.unsigned;
    let document: CertificateDocument;
    try {
      document = await this.certificates.issue(submission.id, unsigned, this.actor);
    } catch (err) {
      if (err instanceof ConflictError && (err.code === "submission_state_changed" || err.code === "illegal_transition")) {
        const now = await this.store.repos.submissions.findById(submissionId);
        if (now?.status === "certified") return this.alreadyCertified(submissionId);
        return { issued: false, status: now?.status ?? submission.status, certificateId: null, anchorEventId: null, reason: `the submission is ${now?.status}` };
      }
      throw err;
    }
    const anchorEventId = await this.ensureAnchorEvent(document.id);
    return { issued: true, status: "certified", certificateId: document.id, anchorEventId };
  }

  private async alreadyCertified(submissionId: string): Promise<CertificateIssuance> {
    const certificate = await this.store.repos.certificates.latestForSubmission(submissionId);
    if (!certificate) throw new ConflictError("certificate_missing", `submission ${submissionId} is certified but has no certificate`);
    const anchorEventId = await this.ensureAnchorEvent(certificate.id);
    return { issued: false, status: "certified", certificateId: certificate.id, anchorEventId, reason: "already certified" };
  }

  private async ensureAnchorEvent(certificateId: string): Promise<string> {
    const event = await new RecoveryRepository(this.store.db).addOutbox({
      topic: ANCHOR_TOPIC,
      payload: { certificateId },
      dedupeKey: anchorDedupeKey(certificateId),
    });
    return event.id;
  }
}
