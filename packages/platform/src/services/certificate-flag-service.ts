// Public flags on certificates (issue 12 item 2). Anyone may flag a certificate
// (no account); flags queue for operators, who dismiss them, suspend the
// certificate, or order a re-audit of it (a renewal with trigger `flag`: a pass
// supersedes the certificate, a fail suspends it; decision 0020); the outcome
// (not the reporter's text or source) is public.
//
// Abuse: the API limits flag requests per client address; here, one source
// (a keyed hash of the client address, never the address itself) may have at
// most `maxOpenPerSource` open flags, counted and inserted under a per-source
// advisory lock, so a flood neither grows the queue past that nor suspends
// anything (only an operator suspends).
import { createHmac } from "node:crypto";
import { DIGEST_PATTERN, type CreateFlagBody, type FlagReceipt, type PublicFlags, type ResolveFlagBody } from "@assay/protocol";
import { ConflictError, NotFoundError, RateLimitedError } from "../errors";
import type { Repositories, Store } from "../repositories";
import type { CertificateRenewalService } from "./certificate-renewal-service";
import type { CertificateService } from "./certificate-service";

export const FLAG_SUSPEND_REASON = "flag_upheld";

export type OperatorFlagView = {
  id: string;
  certificateId: string;
  category: string;
  text: string;
  status: string;
  outcome: string | null;
  createdAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
};

export class CertificateFlagService {
  constructor(
    private readonly store: Store,
    private readonly certificates: Pick<CertificateService, "changeStatus">,
    private readonly settings: { maxOpenPerSource: number; sourceSecret: string },
    private readonly clock: () => Date = () => new Date(),
    /** Re-audit orders (absent: the action is refused). */
    private readonly reaudits?: Pick<CertificateRenewalService, "reaudit">,
  ) {}

  /** The stored key of a client address: keyed, so the table never holds addresses. */
  sourceKeyOf(address: string): string {
    return createHmac("sha256", this.settings.sourceSecret).update(`certificate-flag-source:${address}`).digest("hex");
  }

  async submit(certificateId: string, body: CreateFlagBody, clientAddress: string): Promise<FlagReceipt> {
    const id = certificateId.toLowerCase();
    if (!DIGEST_PATTERN.test(id) || !(await this.store.repos.certificates.findStatus(id))) throw new NotFoundError("certificate_not_found", `no certificate ${certificateId}`);
    const sourceKey = this.sourceKeyOf(clientAddress);
    return this.store.transaction(async (repos) => {
      await repos.certificateFlags.lockSource(sourceKey);
      if ((await repos.certificateFlags.countOpenBySource(sourceKey)) >= this.settings.maxOpenPerSource) {
        throw new RateLimitedError("flag_limit", `this source already has ${this.settings.maxOpenPerSource} open flags; wait for operators to review them`, 3_600);
      }
      const created = await repos.certificateFlags.create({ certificateId: id, category: body.category, text: body.text, sourceKey });
      return { id: created.id, status: "open" as const };
    });
  }

  async queue(status: "open" | "dismissed" | "suspended" | "reaudit_ordered" = "open", limit = 100): Promise<OperatorFlagView[]> {
    return this.queueView(await this.store.repos.certificateFlags.list(status, Math.min(Math.max(limit, 1), 500)));
  }

  /**
   * An operator's decision on an open flag: dismiss, or suspend the
   * certificate (through CertificateService, so the suspension is in the
   * status history and the transparency log). The flag is closed by
   * compare-and-set first, so two operators cannot both act on it.
   */
  async resolve(flagId: string, body: ResolveFlagBody, actor: string): Promise<OperatorFlagView> {
    const flag = await this.store.repos.certificateFlags.findById(flagId);
    if (!flag) throw new NotFoundError("flag_not_found", `no flag ${flagId}`);
    const status = body.action === "dismiss" ? "dismissed" : body.action === "suspend" ? "suspended" : "reaudit_ordered";
    // The compare-and-set and its audit-log row commit together.
    const close = async (repos: Repositories, extra: Record<string, string> = {}) => {
      const done = await repos.certificateFlags.resolve(flagId, { status, outcome: body.outcome, resolvedBy: actor, at: this.clock() });
      if (done) {
        await repos.auditLog.record({
          actor,
          action: "certificate_flag.resolve",
          target: `certificate_flag:${flagId}`,
          before: { status: flag.status },
          after: { status, action: body.action, outcome: body.outcome, certificateId: flag.certificateId, ...extra },
        });
      }
      return done;
    };
    if (body.action === "reaudit") {
      if (!this.reaudits) throw new ConflictError("reaudit_unavailable", "this deployment cannot order re-audits");
      // The flag is decided inside the re-audit's intake transaction: both, or neither.
      await this.reaudits.reaudit(flag.certificateId, { actor, orderId: flagId }, async (repos, submissionId) => {
        if (!(await close(repos, { reauditSubmissionId: submissionId }))) throw new ConflictError("flag_already_resolved", `flag ${flagId} was already resolved`);
      });
      const after = (await this.store.repos.certificateFlags.findById(flagId))!;
      return this.queueView([after])[0]!;
    }
    const closed = await this.store.transaction((repos) => close(repos));
    if (!closed) throw new ConflictError("flag_already_resolved", `flag ${flagId} was already resolved`);
    if (body.action === "suspend") {
      try {
        await this.certificates.changeStatus(flag.certificateId, "suspended", { reasonCode: FLAG_SUSPEND_REASON, actor });
      } catch (error) {
        // Already suspended (or revoked/expired): the decision stands, the status is what it is.
        if (!(error instanceof ConflictError && error.code === "illegal_status_change")) throw error;
      }
    }
    const after = (await this.store.repos.certificateFlags.findById(flagId))!;
    return this.queueView([after])[0]!;
  }

  /** What a certificate's public page shows: how many flags are open, and every decided one's category and outcome. */
  async publicOutcomes(certificateId: string): Promise<PublicFlags> {
    const id = certificateId.toLowerCase();
    const [open, rows] = await Promise.all([this.store.repos.certificateFlags.countOpenForCertificate(id), this.store.repos.certificateFlags.forCertificate(id, 200)]);
    return {
      open,
      resolved: rows
        .filter((r) => r.status !== "open")
        .map((r) => ({
          category: r.category as PublicFlags["resolved"][number]["category"],
          status: r.status,
          outcome: r.outcome,
          createdAt: r.createdAt.toISOString(),
          resolvedAt: r.resolvedAt?.toISOString() ?? null,
        })),
    };
  }

  private queueView(rows: Awaited<ReturnType<Store["repos"]["certificateFlags"]["list"]>>): OperatorFlagView[] {
    return rows.map((r) => ({
      id: r.id,
      certificateId: r.certificateId,
      category: r.category,
      text: r.text,
      status: r.status,
      outcome: r.outcome,
      createdAt: r.createdAt.toISOString(),
      resolvedAt: r.resolvedAt?.toISOString() ?? null,
      resolvedBy: r.resolvedBy,
    }));
  }
}
