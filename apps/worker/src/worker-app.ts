// Wiring of a worker process: platform services, the job handlers (checked
// against the job registry before anything starts), one BullMQ worker per job,
// and the reconciler. The API and the workers share createPlatform().
import { getHeapStatistics } from "node:v8";
import {
  AuditRunService,
  BullJobPublisher,
  CertificateExpiryService,
  CertificateIssuingService,
  createPlatform,
  createRedisConnection,
  SubmissionRecoveryService,
  type Platform,
  type StatusListPublishOptions,
  type StatusListService,
} from "@assay/platform";
import type { Worker } from "bullmq";
import { AuditPipeline } from "./audit/audit-pipeline";
import { sandboxAuditRunner, type SandboxAuditRunner } from "./audit/sandbox-audit";
import { STATUS_LIST_DEFAULTS, type WorkerConfig } from "./config";
import { assemblyHandler } from "./jobs/assembly-handler";
import { auditHandler } from "./jobs/audit-handler";
import { certificateHandler } from "./jobs/certificate-handler";
import { EXPIRY_SCHEDULER_ID, expiryHandler } from "./jobs/expiry-handler";
import { RENEWAL_SCHEDULER_ID, renewalHandler } from "./jobs/renewal-handler";
import { currentSuiteVersions } from "./audit/suite-versions";
import { STATUS_LIST_SCHEDULER_ID, statusListHandler } from "./jobs/status-list-handler";
import { ChainLoops } from "./chain/chain-loops";
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
  assemblies: Platform["assemblies"];
  expiry: CertificateExpiryService;
  renewals: Platform["renewals"];
  statusList: StatusListService;
  statusListOptions: StatusListPublishOptions;
};

export type WorkerApp = {
  platform: Platform;
  services: WorkerServices;
  handlers: JobHandlers;
  publisher: BullJobPublisher;
  workers: Worker[];
  reconciler: Reconciler;
  /** Anchor loop and stake indexer (null when the chain flag is off). */
  chain: ChainLoops | null;
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
  /** Skip the chain loops (tests drive runOnce themselves). */
  chainLoops?: boolean;
  /** Skip upserting the expiry sweep's schedule (tests add expiry jobs themselves). */
  expirySchedule?: boolean;
  /** Skip upserting the renewal sweep's schedule (tests run sweeps themselves). */
  renewalSchedule?: boolean;
  /** Skip upserting the status list's schedule (tests add statusList jobs themselves). */
  statusListSchedule?: boolean;
  /** The platform's clock (tests: a controllable one). */
  clock?: () => Date;
};

export function workerServices(platform: Platform, config: WorkerConfig, runSandbox: SandboxAuditRunner, clock: () => Date = () => new Date()): WorkerServices {
  // The operator flag `assembly.required` is read when an audit's decision is taken
  // (default: ASSAY_ASSEMBLY_REQUIRED) and recorded on its transition; later steps follow that record.
  const auditRuns = new AuditRunService(platform.store, platform.artifacts, platform.submissions, platform.outbox, {
    assemblyRequired: () => platform.flags.assemblyRequired(),
    // `srip13.mode` is read once, when the audit starts, and recorded in the report.
    srip13Mode: () => platform.flags.get("srip13.mode"),
  });
  return {
    auditRuns,
    // The certificate job exists only for audit-only decisions (assembly-level certificates are issued by the assembly's finish step).
    issuing: new CertificateIssuingService(platform.store, platform.certificates, platform.submissions, { assemblyRequired: false }),
    recovery: new SubmissionRecoveryService(platform.store, platform.submissions, { assemblyRequired: () => platform.flags.assemblyRequired() }),
    pipeline: new AuditPipeline(auditRuns, runSandbox),
    assemblies: platform.assemblies,
    expiry: new CertificateExpiryService(platform.store, platform.certificates, clock),
    renewals: platform.renewals,
    statusList: platform.statusList,
    statusListOptions: { validityMs: (config.worker.statusList ?? STATUS_LIST_DEFAULTS).validityMs, refreshMs: (config.worker.statusList ?? STATUS_LIST_DEFAULTS).refreshMs },
  };
}

export function defaultHandlers(services: WorkerServices): Record<string, AnyJobHandler> {
  return {
    audit: auditHandler(services),
    certificate: certificateHandler(services),
    assembly: assemblyHandler({ assemblies: services.assemblies, recovery: services.recovery }),
    expiry: expiryHandler({ expiry: services.expiry }),
    renewal: renewalHandler({ renewals: services.renewals }),
    statusList: statusListHandler({ statusList: services.statusList, options: services.statusListOptions }),
  };
}

export async function startWorkerApp(config: WorkerConfig, options: WorkerAppOptions = {}): Promise<WorkerApp> {
  const log = options.log ?? lineLogger(config.app.logLevel);
  const publisher = new BullJobPublisher(config.app.redis.url, config.worker.queuePrefix);
  let platform: Platform;
  try {
    platform = await createPlatform(config.app, { publisher, chainSigner: true, suiteVersions: currentSuiteVersions, log: (level, message) => log(level, message), ...(options.clock ? { clock: options.clock } : {}) });
  } catch (error) {
    await publisher.close();
    throw error;
  }
  const services = workerServices(platform, config, options.runSandbox ?? sandboxAuditRunner({ parallelism: config.app.audit.parallelism, spareChildren: config.app.audit.spareChildren }), options.clock);
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
  // The repeatable jobs' one schedule each (tests may leave one out and run it themselves).
  const repeatables: RepeatableJob[] = [
    { job: "expiry", schedulerId: EXPIRY_SCHEDULER_ID, everyMs: config.worker.expiryIntervalMs, label: "expiry sweep", enabled: options.expirySchedule !== false },
    { job: "renewal", schedulerId: RENEWAL_SCHEDULER_ID, everyMs: config.worker.renewalIntervalMs, label: "renewal sweep", enabled: options.renewalSchedule !== false },
    { job: "statusList", schedulerId: STATUS_LIST_SCHEDULER_ID, everyMs: (config.worker.statusList ?? STATUS_LIST_DEFAULTS).intervalMs, label: "status list", enabled: options.statusListSchedule !== false },
  ].filter((r): r is RepeatableJob => r.enabled);
  const reconciler = new Reconciler(
    services.recovery,
    platform.outbox,
    publisher,
    { quietMs: config.worker.reconcileQuietMs, intervalMs: config.worker.reconcileIntervalMs },
    log,
    // Assemblies whose deadline jobs Redis lost, and decided ones whose submission did not move; the expiry
    // schedule again, should Redis have lost it (upserting an existing scheduler changes nothing).
    async () => {
      const swept = await platform.assemblies.sweep(config.worker.reconcileQuietMs);
      // Never let a schedule's upsert (Redis just restarted, or down) stop a reconcile pass.
      for (const repeatable of repeatables) {
        await scheduleRepeatable(publisher, repeatable, log).catch((error: Error) => log("warn", `${repeatable.label} schedule not renewed: ${error.message}`));
      }
      return swept;
    },
  );
  if (options.reconcile !== false) reconciler.start();
  for (const repeatable of repeatables) await scheduleRepeatable(publisher, repeatable, log);
  const chain = ChainLoops.forPlatform(platform, log);
  if (chain && options.chainLoops !== false) chain.start();
  log("info", "worker started", {
    jobs: Object.keys(handlers).join(","),
    prefix: config.worker.queuePrefix,
    concurrency: config.worker.concurrency,
    // Shows whether the process runs with WORKER_NODE_FLAGS' heap cap (node-flags.ts).
    heapLimitMiB: Math.round(getHeapStatistics().heap_size_limit / 1048576),
  });
  let closing: Promise<void> | undefined;
  return {
    platform,
    services,
    handlers,
    publisher,
    workers,
    reconciler,
    chain,
    close() {
      closing ??= (async () => {
        await reconciler.stop();
        await chain?.stop();
        await Promise.all(workers.map((w) => w.close()));
        connection.disconnect();
        await platform.close();
      })();
      return closing;
    },
  };
}

type RepeatableJob = { job: "expiry" | "renewal" | "statusList"; schedulerId: string; everyMs: number; label: string; enabled: boolean };

/**
 * A repeatable job's one schedule: every worker upserts the same scheduler id,
 * so there is one repeatable job however many workers run (BullMQ runs the
 * first iteration at once: a fresh install has a status list as soon as a
 * worker starts); a failure (Redis down) is logged and retried at the next
 * reconcile. Expiry: decision 0016; renewal: 0020; status list: 0022.
 */
async function scheduleRepeatable(publisher: BullJobPublisher, repeatable: RepeatableJob, log: JobLog): Promise<void> {
  try {
    if (!(await publisher.ping())) throw new Error("Redis does not answer");
    await publisher
      .queue(repeatable.job)
      .upsertJobScheduler(repeatable.schedulerId, { every: repeatable.everyMs }, { name: repeatable.job, data: {}, opts: { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } } });
  } catch (error) {
    log("warn", `could not schedule the ${repeatable.label}; the next reconcile retries`, { error: (error as Error).message });
  }
}
