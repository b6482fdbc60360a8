// Wiring: every service of the platform over one database, one artifact store and
// one job publisher. The API and the workers both start from createPlatform().
import { useNodeSha256 } from "@assay/protocol/node";
import type { AppConfig } from "./config/config";
import { SecretBox } from "./crypto/secret-box";
import type { PrismaClient } from "./db/client";
import { prepareDatabase } from "./db/setup";
import type { DeployResult } from "./db/migrate";
import { BullJobPublisher, type JobPublisher } from "./jobs";
import { ChainGateway } from "./chain/chain-gateway";
import { FlagService, RedisFlagChangeBus, flagChannel } from "./flags";
import { AssemblyService, BeaconService, RpcBeaconChain, QueueAssemblyScheduler, ValidatorAdmissionService, ValidatorService, VoteService } from "./assemblies";
import { Store } from "./repositories";
import { TransparencyLogService } from "./transparency";
import { RegistryService } from "./services/registry-service";
import { PublicAssemblyService } from "./services/public-assembly-service";
import { ChargeService, DepositService, LedgerService, PaymentMethodsService, PricingService, RewardService, VoucherService } from "./money";
import {
  ApiKeyService,
  ArtifactStore,
  AuditLogChainService,
  CertificateFlagService,
  CertificateService,
  DeveloperAuthService,
  DeveloperService,
  OperatorService,
  OutboxService,
  SessionTokens,
  SigningKeyService,
  StatusListService,
  SubmissionService,
  UsageService,
  CertificateRenewalService,
  ChainAnchorStates,
  type SuiteVersions,
  STORED_ANCHORS,
  type AnchorStateSource,
} from "./services";

export type Platform = {
  config: AppConfig;
  db: PrismaClient;
  store: Store;
  publisher: JobPublisher;
  artifacts: ArtifactStore;
  secrets: SecretBox;
  tokens: SessionTokens;
  outbox: OutboxService;
  submissions: SubmissionService;
  apiKeys: ApiKeyService;
  developers: DeveloperService;
  /** Portal sign-up, sign-in and cookie sessions with CSRF tokens (docs/decisions/0029). */
  developerAuth: DeveloperAuthService;
  operators: OperatorService;
  signingKeys: SigningKeyService;
  certificates: CertificateService;
  /** Public flags on certificates: submissions (capped per source), the operator queue, public outcomes (issue 12). */
  certificateFlags: CertificateFlagService;
  /** Auto-renewal: the developer's opt-in, the sweep, renewal attempts, the supersedes chain (docs/decisions/0020). */
  renewals: CertificateRenewalService;
  /** The transparency log of every certificate issued and status change: checkpoints and proofs (docs/decisions/0016). */
  transparencyLog: TransparencyLogService;
  /** The signed status list: published by the worker's status-list job, served by the public API (docs/decisions/0022). */
  statusList: StatusListService;
  /** The public registry: search, a certificate's registry view, badge facts (docs/decisions/0017). */
  registry: RegistryService;
  /** A certificate's assembly record with its validators, for the public plane (docs/decisions/0031). */
  publicAssemblies: PublicAssemblyService;
  usage: UsageService;
  /** The credits ledger (docs/money.md). */
  ledger: LedgerService;
  /** Catalogue versions, campaigns, quotes. */
  pricing: PricingService;
  /** Intake holds and their settlement (used by SubmissionService). */
  charges: ChargeService;
  /** Voucher codes: create, list, revoke, redeem (docs/money.md). */
  vouchers: VoucherService;
  /** Validator rewards: balances and history per validator (docs/money.md "Validator rewards"). */
  rewards: RewardService;
  /** Operator switches for prepaid grants, vouchers and on-chain deposits. */
  paymentMethods: PaymentMethodsService;
  /** On-chain deposits: recording confirmed Treasury.depositFee logs (the indexer and POST /v1/developer/deposits). */
  deposits: DepositService;
  /** The registry chain (null when the chain flag is off): anchoring, revocation mirror, stake indexing, verify reads. */
  chain: ChainGateway | null;
  /** The anchor check verify and lookup report (read from the chain when the flag is on). */
  anchors: AnchorStateSource;
  /** Every operator flag, through the registry (packages/platform/src/flags): typed reads, audited changes, cross-process invalidation. */
  flags: FlagService;
  /** The hash-chained audit log's verification (recomputes every row's hash and follows prev_hash). */
  auditChain: AuditLogChainService;
  validators: ValidatorService;
  /** Operator actions on validators: approve, suspend, reinstate, slash, bind/unbind (docs/decisions/0012). */
  admission: ValidatorAdmissionService;
  assemblies: AssemblyService;
  votes: VoteService;
  /** The draw beacon on the agent plane: open windows, contributions, the beacon view (docs/decisions/0009). */
  beacons: BeaconService;
  migrations: DeployResult;
  close(): Promise<void>;
};

export type PlatformOptions = {
  /** Replace the BullMQ publisher (tests of code that must not touch Redis). */
  publisher?: JobPublisher;
  clock?: () => Date;
  log?: (level: "info" | "warn" | "error", message: string) => void;
  /** Audit suites the workers can run: submissions naming another suite are refused (400 suite_unknown). */
  knownSuites?: readonly string[];
  /** The current version of each suite the workers run (the renewal sweep re-audits certificates of older versions); default none. */
  suiteVersions?: SuiteVersions;
  /** Connect to the chain with ASSAY_CHAIN_PRIVATE_KEY (the workers, which send anchor and revoke transactions). */
  chainSigner?: boolean;
  /** Flag change notices over Redis pub/sub (default true); false: this process follows other processes' changes within the cache TTL only. */
  flagChangeNotices?: boolean;
};

/**
 * Prepares the database (create if missing, deploy migrations), builds the
 * services, and makes sure a signing key exists.
 */
export async function createPlatform(config: AppConfig, options: PlatformOptions = {}): Promise<Platform> {
  // Every digest this process computes (reports, certificates, ballots) through node:crypto.
  useNodeSha256();
  const { db, migrations } = await prepareDatabase(config);
  const clock = options.clock ?? (() => new Date());
  const log = options.log ?? (() => undefined);
  const store = new Store(db);
  const publisher = options.publisher ?? new BullJobPublisher(config.redis.url, config.queues.prefix);
  const secrets = new SecretBox(config.secrets.keyEncryption);
  const artifacts = new ArtifactStore(config.artifacts.dir);
  const outbox = new OutboxService(store, publisher, clock);
  const flags = new FlagService(
    store,
    { assemblyRequired: config.flags.assemblyRequired, paramDefaults: config.assembly.paramDefaults },
    {
      cacheTtlMs: config.flagCache.ttlMs,
      log,
      ...(options.flagChangeNotices === false ? {} : { bus: (invalidate: () => void) => new RedisFlagChangeBus(config.redis.url, flagChannel(config.queues.prefix, config.database.database), invalidate, log) }),
    },
  );
  const paymentMethods = new PaymentMethodsService(flags);
  const ledger = new LedgerService(store, paymentMethods);
  const pricing = new PricingService(store, flags, clock);
  const charges = new ChargeService(pricing, ledger, config.billing.enforced);
  const submissions = new SubmissionService(
    store,
    artifacts,
    outbox,
    { maxSubmissionBytes: config.limits.maxSubmissionBytes, knownSuites: options.knownSuites },
    (error) => log("warn", `job dispatch deferred to the outbox relay: ${error}`),
    { charges, pricing, clock },
  );
  const signingKeys = new SigningKeyService(store, secrets, 5_000, clock);
  const renewals = new CertificateRenewalService(
    store,
    submissions,
    { windowDays: config.renewal.windowDays, validityDays: config.certificates.validityDays },
    options.suiteVersions ?? (() => ({})),
    clock,
  );
  // Lazy: a chain that is down at start-up delays anchoring, never the platform (docs/decisions/0010).
  const chain = config.flags.chainEnabled && config.chain.addresses ? new ChainGateway(config.chain, { withSigner: options.chainSigner ?? false }) : null;
  const anchors = chain ? new ChainAnchorStates(chain) : STORED_ANCHORS;
  await signingKeys.ensureActiveKey();
  const certificates = new CertificateService(store, signingKeys, submissions, config.certificates, clock, anchors);
  const transparencyLog = new TransparencyLogService(store, signingKeys, config.certificates, clock, anchors);
  // Certificates issued before the log existed join it once, oldest first (a no-op query otherwise).
  await transparencyLog.backfill();
  const scheduler = new QueueAssemblyScheduler(publisher);
  // The draw beacon takes the next block when a chain is configured (docs/decisions/0009); reads only.
  const beaconChain = config.flags.chainEnabled ? new RpcBeaconChain(config.chain.rpcUrl) : null;
  const assemblies = new AssemblyService(store, submissions, certificates, flags, scheduler, clock, (level, message) => log(level, message), undefined, beaconChain);
  return {
    config,
    db,
    store,
    publisher,
    artifacts,
    secrets,
    tokens: new SessionTokens(config.secrets.session, config.sessions.ttlSeconds, clock),
    outbox,
    submissions,
    apiKeys: new ApiKeyService(store, clock),
    developers: new DeveloperService(store),
    developerAuth: new DeveloperAuthService(store, config.sessions.ttlSeconds, clock),
    operators: new OperatorService(store, secrets, "Assay", clock, config.loginLockout),
    signingKeys,
    certificates,
    transparencyLog,
    statusList: new StatusListService(store, signingKeys, config.certificates, clock),
    registry: new RegistryService(store, { publicUrl: config.api.publicUrl }, clock),
    publicAssemblies: new PublicAssemblyService(store.publicAssemblies),
    renewals,
    certificateFlags: new CertificateFlagService(store, certificates, { maxOpenPerSource: config.certificateFlags.maxOpenPerSource, sourceSecret: config.secrets.session }, clock, renewals),
    usage: new UsageService(store),
    ledger,
    pricing,
    charges,
    vouchers: new VoucherService(store, ledger, clock, paymentMethods),
    rewards: new RewardService(store),
    paymentMethods,
    deposits: new DepositService(store, ledger, chain, config.billing.deposits, paymentMethods),
    chain,
    anchors,
    flags,
    auditChain: new AuditLogChainService(store),
    validators: new ValidatorService(store, flags, config.secrets.session, { challengeTtlSeconds: 120, tokenTtlSeconds: 900, maxPending: config.validators.maxPending }, clock),
    admission: new ValidatorAdmissionService(store, assemblies, { chainEnabled: chain !== null }, clock, (level, message) => log(level, message)),
    assemblies,
    votes: new VoteService(store, assemblies, scheduler, clock),
    beacons: new BeaconService(store, scheduler, clock),
    migrations,
    async close() {
      await flags.close();
      await publisher.close();
      await db.$disconnect();
    },
  };
}
