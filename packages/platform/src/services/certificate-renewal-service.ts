// Certificate renewal (issue 12 item 1, docs/decisions/0020). A sweep (the
// `renewal` repeatable job) finds active certificates that are due — within
// the renewal window before validUntil, or audited under a suite version that
// is no longer the current one (a new suite or synthetic-model version was
// published) — and, for developers who opted in to auto-renew, re-audits the
// same artifact (same runtime version, manifest and seed) under the current
// version as a new submission, priced, held and settled like any submission
// (docs/money.md). The re-audit's outcome is recorded on the renewal row: a
// pass issues a certificate whose payload.supersedes is the old id and ends
// the old one (expired, reason `superseded`) in the same transaction
// (CertificateService.issue); a fail (rejected, failed) leaves the old one to
// expire and keeps the reason (SubmissionService.transitionIn). Without the
// opt-in nothing is re-audited or charged: a `declined` row is the notice.
//
// Idempotent across processes by the database, not a lock: the renewal row is
// unique per (certificate, target version), at most one row per certificate
// may be `auditing` (partial unique index), a certificate is superseded at most
// once (unique supersedes_id), and the row is written in the same transaction
// as the re-audit's submission, so a sweep that loses the race rolls its whole
// intake back.
import type { CertificateChain, CertificateRenewalView } from "@assay/protocol";
import { ConflictError, NotFoundError, PaymentRequiredError } from "../errors";
import type { ChainLinkRow, RenewalRow, RenewalTarget, Repositories, Store } from "../repositories";
import type { SubmissionService } from "./submission-service";
import { isUniqueViolation } from "./unique-violation";

export const RENEWAL_ACTOR = "system:renewal";
/** Reason of a declined renewal. */
export const AUTO_RENEW_OFF = "auto_renew_off";
/** Reason of a renewal whose re-audit could not start (retried by later sweeps). */
export const RENEWAL_START_FAILED = "renewal_start_failed";

export type RenewalSweep = {
  /** Certificates whose re-audit started in this sweep. */
  started: { certificateId: string; submissionId: string }[];
  /** Due certificates of developers without the opt-in: a notice, no re-audit, no charge. */
  declined: string[];
  /** Due, but the developer's credits do not cover the re-audit. */
  unpaid: string[];
  /** Due, but the re-audit could not start (recorded as failed with RENEWAL_START_FAILED; retried by later sweeps). */
  errors: { certificateId: string; error: string }[];
  /** Due, but another sweep took them first. */
  skipped: number;
};

export type SuiteVersions = () => Readonly<Record<string, string>> | Promise<Readonly<Record<string, string>>>;

export class CertificateRenewalService {
  constructor(
    private readonly store: Store,
    private readonly submissions: Pick<SubmissionService, "createRenewal">,
    private readonly settings: { windowDays: number; validityDays: number },
    /** The current version of every suite the workers run (suite id → version). */
    private readonly suiteVersions: SuiteVersions,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Days before validUntil a re-audit starts: the configured window, at most half the validity (so a renewal is never due at issue). */
  get windowDays(): number {
    return Math.max(0, Math.min(this.settings.windowDays, Math.floor(this.settings.validityDays / 2)));
  }

  async sweep(limit = 100): Promise<RenewalSweep> {
    const now = this.clock();
    const targets: RenewalTarget[] = Object.entries(await this.suiteVersions()).map(([suite, version]) => ({ suite, version }));
    const windowEnd = new Date(now.getTime() + this.windowDays * 86_400_000);
    const due = await this.store.repos.renewals.due(windowEnd, targets, limit);
    const result: RenewalSweep = { started: [], declined: [], unpaid: [], errors: [], skipped: 0 };
    const versionOf = new Map(targets.map((t) => [t.suite, t.version]));
    for (const cert of due) {
      const current = versionOf.get(cert.suite)!;
      const targetVersion = `${cert.suite}@${current}`;
      const trigger = cert.certifiedVersion !== current ? "versions" : "expiry";
      const base = { certificateId: cert.certificateId, developerId: cert.developerId, trigger, targetVersion } as const;
      if (!cert.autoRenew) {
        const recorded = await this.store.repos.renewals.record({
          ...base,
          status: "declined",
          reasonCode: AUTO_RENEW_OFF,
          reasonMessage: `auto-renew is off: certificate ${cert.certificateId} is not re-audited under ${targetVersion} and expires after ${cert.validUntil.toISOString()}`,
        });
        if (recorded) result.declined.push(cert.certificateId);
        else result.skipped += 1;
        continue;
      }
      try {
        const submission = await this.submissions.createRenewal(
          { developerId: cert.developerId, runtimeVersionId: cert.runtimeVersionId, seed: cert.seed, actor: RENEWAL_ACTOR },
          (repos, submissionId) => repos.renewals.start({ ...base, submissionId }),
        );
        result.started.push({ certificateId: cert.certificateId, submissionId: submission.id });
      } catch (error) {
        if (isUniqueViolation(error)) {
          result.skipped += 1; // another sweep started (or recorded) this renewal first
        } else if (error instanceof PaymentRequiredError) {
          const recorded = await this.store.repos.renewals.record({ ...base, status: "failed", reasonCode: error.code, reasonMessage: `${error.message}; the renewal is retried once credits cover it` });
          if (recorded) result.unpaid.push(cert.certificateId);
          else result.skipped += 1;
        } else {
          // Anything else (e.g. the stored artifact is missing) must not stall every later certificate of the sweep:
          // the developer sees the reason, and later sweeps try again.
          const message = error instanceof Error ? error.message : String(error);
          const recorded = await this.store.repos.renewals.record({ ...base, status: "failed", reasonCode: RENEWAL_START_FAILED, reasonMessage: `the re-audit could not start: ${message}` });
          if (recorded) result.errors.push({ certificateId: cert.certificateId, error: message });
          else result.skipped += 1;
        }
      }
    }
    return result;
  }

  /**
   * An operator's re-audit order (deciding a public flag, docs/decisions/0020):
   * the certificate's artifact is re-audited under the suite's current version
   * as a renewal with trigger `flag`, paid by the platform (no hold on the
   * developer). A pass supersedes the certificate like any renewal; a fail
   * suspends it (reason `reaudit_failed`, in the re-audit's final transition).
   * `link` runs inside the intake transaction (the flag's decision commits with
   * the submission or not at all). Refused while another re-audit of the
   * certificate is in flight, and for a certificate that is not active.
   */
  async reaudit(certificateId: string, input: { actor: string; orderId: string }, link: (repos: Repositories, submissionId: string) => Promise<void>): Promise<{ submissionId: string }> {
    const cert = await this.store.repos.renewals.reauditable(certificateId);
    if (!cert) throw new ConflictError("certificate_not_reauditable", `certificate ${certificateId} is not active (or already superseded): nothing to re-audit`);
    const current = (await this.suiteVersions())[cert.suite] ?? cert.certifiedVersion ?? "unknown";
    // One row per order: the target names the order, so it never collides with the sweep's rows for the same version.
    const targetVersion = `${cert.suite}@${current}#order:${input.orderId}`;
    try {
      const submission = await this.submissions.createRenewal(
        { developerId: cert.developerId, runtimeVersionId: cert.runtimeVersionId, seed: cert.seed, actor: input.actor, charge: false },
        async (repos, submissionId) => {
          await repos.renewals.start({ certificateId: cert.certificateId, developerId: cert.developerId, trigger: "flag", targetVersion, submissionId });
          await link(repos, submissionId);
        },
      );
      return { submissionId: submission.id };
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError("reaudit_in_flight", `a re-audit of certificate ${certificateId} is already running; decide when it has ended`);
      throw error;
    }
  }

  async autoRenew(developerId: string): Promise<{ enabled: boolean; windowDays: number }> {
    const enabled = await this.store.repos.renewals.autoRenewOf(developerId);
    if (enabled === null) throw new NotFoundError("developer_not_found", "no such developer");
    return { enabled, windowDays: this.windowDays };
  }

  /**
   * Sets the opt-in. It is the developer's consent to be charged for renewals,
   * so a change is kept in the hash-chained audit log (actor the developer).
   */
  async setAutoRenew(developerId: string, enabled: boolean): Promise<{ enabled: boolean; windowDays: number }> {
    await this.store.transaction(async (repos) => {
      const before = await repos.renewals.autoRenewOf(developerId);
      if (before === null || !(await repos.renewals.setAutoRenew(developerId, enabled))) throw new NotFoundError("developer_not_found", "no such developer");
      if (before !== enabled) {
        await repos.auditLog.record({ actor: `developer:${developerId}`, action: "renewals.auto_renew", target: `developer:${developerId}`, before: { autoRenew: before }, after: { autoRenew: enabled } });
      }
    });
    return { enabled, windowDays: this.windowDays };
  }

  /** A developer's renewal attempts, newest first (optionally of one certificate). */
  async listForDeveloper(developerId: string, filter: { certificateId?: string; limit?: number } = {}): Promise<CertificateRenewalView[]> {
    const rows = await this.store.repos.renewals.listForDeveloper(developerId, {
      ...(filter.certificateId ? { certificateId: filter.certificateId.toLowerCase() } : {}),
      limit: Math.min(Math.max(filter.limit ?? 50, 1), 200),
    });
    return rows.map(renewalView);
  }

  /** The supersedes chain through a certificate, newest → oldest (public). */
  async chain(id: string): Promise<CertificateChain> {
    const start = await this.store.repos.renewals.chainLink(id.toLowerCase());
    if (!start) throw new NotFoundError("certificate_not_found", `no certificate ${id}`);
    const newer: ChainLinkRow[] = [];
    const seen = new Set([start.id]);
    for (let at = start; ; ) {
      const next = await this.store.repos.renewals.successorOf(at.id);
      if (!next || seen.has(next.id) || seen.size >= MAX_CHAIN) break;
      seen.add(next.id);
      newer.push(next);
      at = next;
    }
    const older: ChainLinkRow[] = [];
    for (let at = start; at.supersedesId && seen.size < MAX_CHAIN; ) {
      const prev = await this.store.repos.renewals.chainLink(at.supersedesId);
      if (!prev || seen.has(prev.id)) break;
      seen.add(prev.id);
      older.push(prev);
      at = prev;
    }
    const items = [...newer.reverse(), start, ...older].map(linkView);
    return { certificateId: start.id, current: items[0]!.id, items };
  }
}

/** A chain longer than this is cut (a renewal a month for 20 years fits). */
const MAX_CHAIN = 256;

function linkView(row: ChainLinkRow): CertificateChain["items"][number] {
  return { id: row.id, status: row.status, reason: row.statusReasonCode, issuedAt: row.issuedAt.toISOString(), validUntil: row.validUntil.toISOString(), supersedes: row.supersedesId };
}

export function renewalView(row: RenewalRow): CertificateRenewalView {
  return {
    id: row.id,
    certificateId: row.certificateId,
    trigger: row.trigger as CertificateRenewalView["trigger"],
    targetVersion: row.targetVersion,
    status: row.status,
    submissionId: row.submissionId,
    newCertificateId: row.newCertificateId,
    reason: row.reasonCode ? { code: row.reasonCode, message: row.reasonMessage } : null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
