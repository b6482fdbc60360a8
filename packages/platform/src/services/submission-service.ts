// Submissions: creation (store the artifact, record everything and the audit job
// in one transaction, then dispatch the job), reads for developers and operators,
// and the one place where a submission's status changes (transition).
import type { StoredJson, SubmissionStatus } from "../repositories";
import { ConflictError, NotFoundError, ValidationError } from "../errors";
import type { JobPayload } from "../jobs";
import type { Repositories, Store, SubmissionRecord } from "../repositories";
import { BUNDLE_MEDIA_TYPE, type ArtifactStore } from "./artifact-store";
import type { OutboxService } from "./outbox-service";
import { readProgress, SubmissionProgressSchema, type SubmissionProgress } from "./submission-progress";
import { canTransition, allowedNext } from "./submission-state";
import { unpackSubmission, type SubmitRuntimeBody } from "./submission-input";
import type { ChargeService } from "../money/charge-service";
import type { PricingService } from "../money/pricing-service";
import { ManifestSchema, statusEntry, toCertificateTime, type Quote } from "@assay/protocol";
import { appendToLog } from "../transparency/log-append";

/** Status reason of a certificate whose operator-ordered re-audit did not pass (docs/decisions/0020). */
export const REAUDIT_FAILED = "reaudit_failed";

/** Pricing at intake and settlement at the final status (docs/money.md). */
export type SubmissionBilling = { charges: ChargeService; pricing: PricingService; clock: () => Date };

export type SubmissionView = {
  id: string;
  status: SubmissionStatus;
  runtime: { name: string; version: string };
  subjectDigest: string;
  suite: string;
  seed: number;
  progress: SubmissionProgress;
  outcome: { code: string; message: string | null } | null;
  certificateId: string | null;
  /** Assembly round, phase, seats, commits and reveals while (and after) an assembly runs; null without one. */
  assembly: SubmissionProgress["assembly"] | null;
  createdAt: string;
  updatedAt: string;
};

export type SubmissionPage = { items: SubmissionView[]; nextCursor: string | null };

export type TransitionOptions = {
  /** Who moves it: "system:<worker>", "operator:<id>", ... (kept in the history). */
  actor: string;
  /** Refuse unless the submission is currently in this state (what the caller observed). */
  expectedFrom?: SubmissionStatus;
  reasonCode?: string;
  reasonMessage?: string;
};

const SUBMISSION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class SubmissionService {
  constructor(
    private readonly store: Store,
    private readonly artifacts: ArtifactStore,
    private readonly outbox: OutboxService,
    private readonly limits: { maxSubmissionBytes: number; /** Suites the workers can run; unchecked when absent. */ knownSuites?: readonly string[] },
    private readonly onDispatchError: (error: string) => void = () => undefined,
    private readonly billing?: SubmissionBilling,
  ) {}

  /** What this submission would cost now (POST /v1/developer/quotes): the same checks and facts as intake, nothing written. */
  async quote(developerId: string, body: SubmitRuntimeBody): Promise<Quote> {
    const unpacked = this.unpackChecked(body);
    if (!this.billing) throw new NotFoundError("pricing_disabled", "this deployment does not price submissions");
    return this.billing.pricing.quote(developerId, await this.billing.pricing.factsFor(unpacked));
  }

  async create(developerId: string, body: SubmitRuntimeBody): Promise<SubmissionView> {
    const unpacked = this.unpackChecked(body);
    // Priced before anything is written: too few credits is a 402 that leaves no blob and no row.
    const facts = this.billing ? await this.billing.pricing.factsFor(unpacked) : null;
    if (this.billing && facts) await this.billing.charges.preflight(this.store.repos, developerId, facts, this.billing.clock());
    // The blob is written before the transaction: content-addressed and
    // idempotent, so a rolled-back transaction leaves at most an unreferenced
    // blob, never a row pointing at missing bytes.
    const blob = await this.artifacts.putBundle(unpacked.files);
    const { submission, eventId } = await this.store.transaction(async (repos) => {
      const runtime = await repos.runtimes.upsertRuntime(developerId, unpacked.manifest.name);
      await repos.artifacts.upsert({ sha256: blob.sha256, sizeBytes: blob.sizeBytes, mediaType: BUNDLE_MEDIA_TYPE });
      const version = await repos.runtimes.upsertVersion({
        runtimeId: runtime.id,
        version: unpacked.manifest.version,
        subjectDigest: unpacked.subjectDigest,
        manifest: unpacked.manifest as StoredJson,
        artifactSha256: blob.sha256,
      });
      const created = await repos.submissions.create({
        developerId,
        runtimeVersionId: version.id,
        suite: unpacked.manifest.suite,
        seed: unpacked.seed,
        progress: {},
      });
      await repos.submissions.addTransition({ submissionId: created.id, fromStatus: null, toStatus: "received", actor: `developer:${developerId}` });
      // The price is snapshotted and held in this transaction: a 402 here rolls back every row above.
      if (this.billing && facts) await this.billing.charges.chargeIn(repos, { developerId, submissionId: created.id, facts, now: this.billing.clock() });
      // Usage: the stored bundle is the submission's artifact storage (docs/money.md "Usage").
      await repos.usage.record([{ developerId, submissionId: created.id, kind: "storage_bytes", quantity: BigInt(blob.sizeBytes), sourceKey: `submission:${created.id}:bundle:storage_bytes` }]);
      return { submission: created, eventId: await this.recordAuditRun(repos, created) };
    });
    return this.dispatched(submission, eventId);
  }

  /**
   * A renewal's re-audit (docs/decisions/0020): a new submission of a stored
   * runtime version (the same artifact, manifest and seed), priced, held and
   * audited exactly as intake does; `link` runs inside the intake transaction
   * (the renewal row: its unique indexes make a concurrent second start roll
   * the whole intake back). A 402 is thrown before anything is written.
   */
  async createRenewal(
    input: { developerId: string; runtimeVersionId: string; seed: number; actor: string; /** false: the platform bears the cost (an operator's re-audit order). */ charge?: boolean },
    link: (repos: Repositories, submissionId: string) => Promise<void>,
  ): Promise<SubmissionView> {
    const version = await this.store.repos.runtimes.findVersion(input.runtimeVersionId);
    if (!version) throw new NotFoundError("runtime_version_not_found", `no runtime version ${input.runtimeVersionId}`);
    const manifest = ManifestSchema.parse(version.manifest);
    const files = await this.artifacts.getBundle(version.artifactSha256);
    const sizeBytes = files.reduce((sum, f) => sum + f.content.length, 0);
    const facts = this.billing && input.charge !== false ? await this.billing.pricing.factsFor({ manifest, sizeBytes }) : null;
    if (this.billing && facts) await this.billing.charges.preflight(this.store.repos, input.developerId, facts, this.billing.clock());
    const { submission, eventId } = await this.store.transaction(async (repos) => {
      const created = await repos.submissions.create({ developerId: input.developerId, runtimeVersionId: version.id, suite: manifest.suite, seed: input.seed, progress: {} });
      await repos.submissions.addTransition({ submissionId: created.id, fromStatus: null, toStatus: "received", actor: input.actor });
      await link(repos, created.id);
      if (this.billing && facts) await this.billing.charges.chargeIn(repos, { developerId: input.developerId, submissionId: created.id, facts, now: this.billing.clock() });
      return { submission: created, eventId: await this.recordAuditRun(repos, created) };
    });
    return this.dispatched(submission, eventId);
  }

  /** The submission's audit run and the outbox event that asks for it (inside the intake transaction); returns the event id. */
  private async recordAuditRun(repos: Repositories, created: { id: string; suite: string; seed: number }): Promise<string> {
    const run = await repos.audits.createRun({ submissionId: created.id, suiteId: created.suite, seed: created.seed });
    const payload: JobPayload<"audit"> = { submissionId: created.id, auditRunId: run.id, suite: created.suite, seed: created.seed };
    return (await repos.outbox.add({ topic: "audit", payload, dedupeKey: `audit:${run.id}` })).id;
  }

  /** After commit: hands the audit job to Redis now (the outbox relay retries it if Redis is away) and maps the row. */
  private async dispatched(submission: SubmissionRecord, eventId: string): Promise<SubmissionView> {
    const outcome = await this.outbox.dispatch(eventId);
    if (!outcome.dispatched && outcome.error) this.onDispatchError(outcome.error);
    return toView(submission);
  }

  private async suspendAfterFailedReaudit(repos: Repositories, certificateId: string, actor: string): Promise<void> {
    const done = await repos.certificates.changeStatus({ id: certificateId, from: "active", to: "suspended", reasonCode: REAUDIT_FAILED, actor });
    if (!done) return; // no longer active (expired, revoked or suspended meanwhile): its status stands
    const at = toCertificateTime((this.billing?.clock ?? (() => new Date()))());
    await appendToLog(repos, [statusEntry({ certificateId, from: "active", to: "suspended", reason: REAUDIT_FAILED, at })]);
  }

  private unpackChecked(body: SubmitRuntimeBody) {
    const unpacked = unpackSubmission(body, { maxBytes: this.limits.maxSubmissionBytes });
    const suites = this.limits.knownSuites;
    if (suites && !suites.includes(unpacked.manifest.suite)) {
      throw new ValidationError("suite_unknown", `unknown audit suite "${unpacked.manifest.suite}" (known: ${suites.join(", ")})`, [
        { path: "manifest.suite", message: `expected one of: ${suites.join(", ")}` },
      ]);
    }
    return unpacked;
  }

  /** A developer's own submission; someone else's is reported as not found. */
  async getForDeveloper(developerId: string, id: string): Promise<SubmissionView> {
    return toView(await this.findOwned(developerId, id));
  }

  async get(id: string): Promise<SubmissionView> {
    return toView(await this.find(id));
  }

  async list(filter: { developerId?: string; status?: SubmissionStatus; cursor?: string; limit?: number }): Promise<SubmissionPage> {
    const limit = Math.min(Math.max(filter.limit ?? 20, 1), 100);
    const rows = await this.store.repos.submissions.list({
      developerId: filter.developerId,
      status: filter.status,
      before: filter.cursor ? decodeCursor(filter.cursor) : undefined,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page.map(toView), nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
  }

  /**
   * A developer's submission as it changes: the current view first, then each
   * changed view (status, progress, outcome, certificate), polled from the
   * database every `intervalMs` (PostgreSQL is the source of truth, so any API
   * instance can serve any watcher). Ends after a final status
   * (certified, rejected, failed) or when `signal` aborts.
   */
  async *watchForDeveloper(
    developerId: string,
    id: string,
    options: { intervalMs?: number; signal?: AbortSignal } = {},
  ): AsyncGenerator<SubmissionView> {
    const intervalMs = options.intervalMs ?? 500;
    let last = "";
    while (!options.signal?.aborted) {
      const view = toView(await this.findOwned(developerId, id));
      const fingerprint = JSON.stringify({ ...view, updatedAt: undefined });
      if (fingerprint !== last) {
        last = fingerprint;
        yield view;
      }
      if (view.status === "certified" || view.status === "rejected" || view.status === "failed") return;
      await sleep(intervalMs, options.signal);
    }
  }

  async history(id: string) {
    await this.find(id);
    return this.store.repos.submissions.transitions(id);
  }

  /** The latest audit report of a developer's submission. */
  async reportForDeveloper(developerId: string, id: string): Promise<{ digest: string; verdict: string; report: unknown; public: boolean }> {
    const submission = await this.findOwned(developerId, id);
    const report = await this.store.repos.audits.latestReportForSubmission(id);
    if (!report) throw new NotFoundError("report_not_found", "this submission has no audit report yet");
    return { digest: report.digest, verdict: report.verdict, report: report.document, public: submission.reportPublic };
  }

  /** The developer makes the audit report public (the public certificate lookup then carries it) or private again. */
  async setReportVisibility(developerId: string, id: string, isPublic: boolean): Promise<{ submissionId: string; public: boolean }> {
    await this.findOwned(developerId, id);
    await this.store.repos.submissions.setReportPublic(id, isPublic);
    return { submissionId: id, public: isPublic };
  }

  /** The report behind a certificate, for the public lookup: only when its developer made it public. */
  publicReport(submissionId: string, reportDigest: string): Promise<unknown> {
    return this.store.repos.audits.publicReport(submissionId, reportDigest);
  }

  /** Changes the status (checked against the transition table) and records it. */
  transition(id: string, to: SubmissionStatus, options: TransitionOptions): Promise<SubmissionView> {
    return this.store.transaction(async (repos) => toView(await this.transitionIn(repos, id, to, options)));
  }

  /**
   * The same, inside a caller's transaction (e.g. issuing a certificate and
   * moving the submission to certified commit together).
   */
  async transitionIn(repos: Repositories, id: string, to: SubmissionStatus, options: TransitionOptions): Promise<SubmissionRecord> {
    const current = await repos.submissions.findById(assertSubmissionId(id));
    if (!current) throw new NotFoundError("submission_not_found", `no submission ${id}`);
    if (options.expectedFrom && current.status !== options.expectedFrom) {
      throw new ConflictError("submission_state_changed", `submission ${id} is ${current.status}, not ${options.expectedFrom}`, {
        status: current.status,
      });
    }
    if (!canTransition(current.status, to)) {
      throw new ConflictError("illegal_transition", `a submission cannot go from ${current.status} to ${to}`, {
        from: current.status,
        to,
        allowed: allowedNext(current.status),
      });
    }
    const moved = await repos.submissions.compareAndSetStatus({
      id,
      from: current.status,
      revision: current.revision,
      to,
      ...(to === "rejected" || to === "failed"
        ? { outcomeCode: options.reasonCode ?? to, outcomeMessage: options.reasonMessage ?? null }
        : to === "received"
          ? { outcomeCode: null, outcomeMessage: null }
          : {}),
    });
    if (!moved) throw new ConflictError("submission_state_changed", `submission ${id} changed concurrently; retry`);
    await repos.submissions.addTransition({ submissionId: id, fromStatus: current.status, toStatus: to, reasonCode: options.reasonCode ?? null, actor: options.actor });
    if (to === "rejected" || to === "failed") {
      // A renewal's re-audit that did not pass: the renewal records why; the old certificate is left to expire.
      const ended = await repos.renewals.finish(id, { status: "failed", reasonCode: options.reasonCode ?? to, reasonMessage: options.reasonMessage ?? null });
      // An operator's re-audit order (a flag decision) that did not pass suspends the flagged certificate, here, with its
      // history row and log entry, so the outcome cannot be lost between two transactions.
      const renewal = ended ? await repos.renewals.findBySubmission(id) : null;
      if (renewal?.trigger === "flag") await this.suspendAfterFailedReaudit(repos, renewal.certificateId, options.actor);
    }
    if (this.billing && (to === "certified" || to === "rejected" || to === "failed")) {
      // Settled with the transition: a final status and its capture or release commit together.
      await this.billing.charges.settleIn(repos, id, { status: to, reason: options.reasonCode ?? to }, this.billing.clock());
    }
    const updated = await repos.submissions.findById(id);
    return updated!;
  }

  async setProgress(id: string, progress: SubmissionProgress): Promise<void> {
    const parsed = SubmissionProgressSchema.safeParse(progress);
    if (!parsed.success) throw new ValidationError("progress_invalid", "progress does not match SubmissionProgress");
    const found = await this.store.repos.submissions.setProgress(assertSubmissionId(id), parsed.data);
    if (!found) throw new NotFoundError("submission_not_found", `no submission ${id}`);
  }

  private async find(id: string): Promise<SubmissionRecord> {
    const row = await this.store.repos.submissions.findById(assertSubmissionId(id));
    if (!row) throw new NotFoundError("submission_not_found", `no submission ${id}`);
    return row;
  }

  private async findOwned(developerId: string, id: string): Promise<SubmissionRecord> {
    const row = await this.find(id);
    if (row.developerId !== developerId) throw new NotFoundError("submission_not_found", `no submission ${id}`);
    return row;
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
  });
}

export function assertSubmissionId(id: string): string {
  if (!SUBMISSION_ID.test(id)) throw new NotFoundError("submission_not_found", `no submission ${id}`);
  return id.toLowerCase();
}

export function toView(row: SubmissionRecord): SubmissionView {
  const certificate = row.certificates.find((c) => c.status === "active") ?? row.certificates[0];
  return {
    id: row.id,
    status: row.status,
    runtime: { name: row.runtimeVersion.runtime.name, version: row.runtimeVersion.version },
    subjectDigest: row.runtimeVersion.subjectDigest,
    suite: row.suite,
    seed: row.seed,
    progress: readProgress(row.progress),
    outcome: row.outcomeCode ? { code: row.outcomeCode, message: row.outcomeMessage } : null,
    certificateId: certificate?.id ?? null,
    assembly: readProgress(row.progress).assembly ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function encodeCursor(row: SubmissionRecord): string {
  return Buffer.from(JSON.stringify([row.createdAt.toISOString(), row.id])).toString("base64url");
}

const CURSOR_INSTANT = /^(19[7-9]\d|[2-9]\d{3})-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as [string, string];
    // Only what encodeCursor writes: an ISO instant with a four-digit year from
    // 1970 on. Dates JavaScript accepts but PostgreSQL cannot hold (year -271821,
    // 0, +275760) would otherwise reach the query and fail there (a 500).
    if (typeof createdAt !== "string" || !CURSOR_INSTANT.test(createdAt)) throw new Error("bad cursor");
    const date = new Date(createdAt);
    if (Number.isNaN(date.getTime()) || date.toISOString() !== createdAt || typeof id !== "string" || !SUBMISSION_ID.test(id)) throw new Error("bad cursor");
    return { createdAt: date, id };
  } catch {
    throw new ValidationError("cursor_invalid", "the pagination cursor is not valid", [{ path: "cursor", message: "not a cursor from this API" }]);
  }
}
