// Wiring of a worker process: platform services, the job handlers (checked
// against the job registry before anything starts), one BullMQ worker per job,
// and the reconciler. The API and the workers share createPlatform().
import {
  AuditRunService,
  BullJobPublisher,
  CertificateIssuingService,
  createPlatform,
  createRedisConnection,
  SubmissionRecoveryService,
  type Platform,
} from "@assay/platform";
import type { Worker } from "bullmq";
import { AuditPipeline } from "./audit/audit-pipeline";
import { runSandboxAudit, type SandboxAuditRunner } from "./audit/sandbox-audit";
import type { WorkerConfig } from "./config";
import { auditHandler } from "./jobs/audit-handler";
import { certificateHandler } from "./jobs/certificate-handler";
import type { AnyJobHandler, JobHandlers, JobLog } from "./jobs/handler";
import { checkHandlers } from "./jobs/handler-registry";
import { startJobWorkers } from "./runtime/job-workers";
import { lineLogger } from "./runtime/logger";
import { Reconciler } from "./runtime/reconciler";

export type WorkerServices = {
  auditRuns: AuditRunService;
  issuing: CertificateIssuingService;
  recovery: SubmissionRecoveryService;
  pipeline: AuditPipeline;
};

export type WorkerApp = {
  platform: Platform;
  services: WorkerServices;
  handlers: JobHandlers;
  publisher: BullJobPublisher;
  workers: Worker[];
  reconciler: Reconciler;
  close(): Promise<void>;
};

export type WorkerAppOptions = {
  log?: JobLog;
  /** The sandbox runner (default: the audit child process). */
  runSandbox?: SandboxAuditRunner;
  /** Replace the handler map (tests of the start-up check). */
  handlers?: (services: WorkerServices) => Record<string, AnyJobHandler>;
  /** Skip the reconciler loop (tests drive runOnce themselves). */
  reconcile?: boolean;
};

export function workerServices(platform: Platform, config: WorkerConfig, runSandbox: SandboxAuditRunner): WorkerServices {
  const settings = { assemblyRequired: config.worker.assemblyRequired };
  const auditRuns = new AuditRunService(platform.store, platform.artifacts, platform.submissions, platform.outbox, settings);
  return {
    auditRuns,
    issuing: new CertificateIssuingService(platform.store, platform.certificates, settings),
    recovery: new SubmissionRecoveryService(platform.store, platform.submissions, settings),
    pipeline: new AuditPipeline(auditRuns, runSandbox),
  };
}

export function defaultHandlers(services: WorkerServices): Record<string, AnyJobHandler> {
  return {
    audit: auditHandler(services),
    certificate: certificateHandler(services),
  };
}

export async function startWorkerApp(config: WorkerConfig, options: WorkerAppOptions = {}): Promise<WorkerApp> {
  const log = options.log ?? lineLogger(config.app.logLevel);
  const publisher = new BullJobPublisher(config.app.redis.url, config.worker.queuePrefix);
  let platform: Platform;
  try {
    platform = await createPlatform(config.app, { publisher, log: (level, message) => log(level, message) });
  } catch (error) {
    await publisher.close();
    throw error;
  }
  const services = workerServices(platform, config, options.runSandbox ?? runSandboxAudit);
  let handlers: JobHandlers;
  try {
    handlers = checkHandlers((options.handlers ?? defaultHandlers)(services));
  } catch (error) {
    await platform.close();
    throw error;
  }
  const connection = createRedisConnection(config.app.redis.url, { forWorker: true });
  connection.on("error", (error) => log("warn", "redis connection error", { error: error.message }));
  const workers = startJobWorkers(
    handlers,
    connection,
    {
      prefix: config.worker.queuePrefix,
      concurrency: config.worker.concurrency,
      lockDurationMs: config.worker.lockDurationMs,
      stalledIntervalMs: config.worker.stalledIntervalMs,
    },
    log,
  );
  const reconciler = new Reconciler(
    services.recovery,
    platform.outbox,
    publisher,
    { quietMs: config.worker.reconcileQuietMs, intervalMs: config.worker.reconcileIntervalMs },
    log,
  );
  if (options.reconcile !== false) reconciler.start();
  log("info", "worker started", { jobs: Object.keys(handlers).join(","), prefix: config.worker.queuePrefix, concurrency: config.worker.concurrency });
  let closing: Promise<void> | undefined;
  return {
    platform,
    services,
    handlers,
    publisher,
    workers,
    reconciler,
    close() {
      closing ??= (async () => {
        await reconciler.stop();
        await Promise.all(workers.map((w) => w.close()));
        connection.disconnect();
        await platform.close();
      })();
      return closing;
    },
  };
}
