// All repositories over one client, and transactions that hand a fresh set bound
// to the transaction client. Services depend on Store, never on Prisma directly.
import type { PrismaClient } from "../db/client";
import { AuditLogRepository } from "./audit-log-repository";
import { ApiKeyRepository, DeveloperRepository, DeveloperSessionRepository, OperatorRepository } from "./identity-repositories";
import { ArtifactRepository, AuditRepository, RuntimeRepository, SubmissionRepository } from "./submission-repositories";
import { CertificateRepository, SigningKeyRepository } from "./certificate-repositories";
import { OutboxRepository, UsageRepository } from "./effect-repositories";
import { TransparencyLogRepository } from "./transparency-log-repository";
import { CertificateFlagRepository } from "./certificate-flag-repository";
import { StatusListRepository } from "./status-list-repository";
import type { DbClient } from "./types";
import { LedgerRepository } from "../money/ledger-repository";
import { PricingRepository } from "../money/pricing-repository";
import { VoucherRepository } from "../money/voucher-repository";
import { DepositRepository } from "../money/deposit-repository";
import { RewardRepository } from "../money/reward-repository";
import { AnchorRepository } from "./anchor-repositories";
import { StakeRepository } from "./stake-repositories";
import { RegistryRepository } from "./registry-repository";
import { PublicAssemblyRepository } from "./public-assembly-repository";
import { RenewalRepository } from "./renewal-repository";

export type Repositories = {
  developers: DeveloperRepository;
  apiKeys: ApiKeyRepository;
  developerSessions: DeveloperSessionRepository;
  operators: OperatorRepository;
  runtimes: RuntimeRepository;
  artifacts: ArtifactRepository;
  submissions: SubmissionRepository;
  audits: AuditRepository;
  certificates: CertificateRepository;
  signingKeys: SigningKeyRepository;
  outbox: OutboxRepository;
  usage: UsageRepository;
  auditLog: AuditLogRepository;
  transparencyLog: TransparencyLogRepository;
  certificateFlags: CertificateFlagRepository;
  statusLists: StatusListRepository;
  ledger: LedgerRepository;
  pricing: PricingRepository;
  vouchers: VoucherRepository;
  deposits: DepositRepository;
  rewards: RewardRepository;
  renewals: RenewalRepository;
};

export function repositoriesFor(db: DbClient): Repositories {
  return {
    developers: new DeveloperRepository(db),
    apiKeys: new ApiKeyRepository(db),
    developerSessions: new DeveloperSessionRepository(db),
    operators: new OperatorRepository(db),
    runtimes: new RuntimeRepository(db),
    artifacts: new ArtifactRepository(db),
    submissions: new SubmissionRepository(db),
    audits: new AuditRepository(db),
    certificates: new CertificateRepository(db),
    signingKeys: new SigningKeyRepository(db),
    outbox: new OutboxRepository(db),
    usage: new UsageRepository(db),
    auditLog: new AuditLogRepository(db),
    transparencyLog: new TransparencyLogRepository(db),
    certificateFlags: new CertificateFlagRepository(db),
    statusLists: new StatusListRepository(db),
    ledger: new LedgerRepository(db),
    pricing: new PricingRepository(db),
    vouchers: new VoucherRepository(db),
    deposits: new DepositRepository(db),
    rewards: new RewardRepository(db),
    renewals: new RenewalRepository(db),
  };
}

export class Store {
  readonly repos: Repositories;
  /** The chain loops' repositories (anchor batches and leases; the stake indexer's cursor and events). */
  readonly anchors: AnchorRepository;
  readonly stakes: StakeRepository;
  /** The public registry's reads (search, renewals, flag summary; decision 0017). */
  readonly registry: RegistryRepository;
  /** A certificate's assembly record for the public plane (decision 0031). */
  readonly publicAssemblies: PublicAssemblyRepository;

  constructor(readonly db: PrismaClient) {
    this.repos = repositoriesFor(db);
    this.anchors = new AnchorRepository(db);
    this.stakes = new StakeRepository(db);
    this.registry = new RegistryRepository(db);
    this.publicAssemblies = new PublicAssemblyRepository(db);
  }

  /** Whether the database answers (the health check). */
  async reachable(): Promise<boolean> {
    return this.db.$queryRaw`SELECT 1`.then(
      () => true,
      () => false,
    );
  }

  /** Runs fn in one database transaction (all or nothing). */
  transaction<T>(fn: (repos: Repositories) => Promise<T>): Promise<T> {
    return this.db.$transaction((tx) => fn(repositoriesFor(tx)), { timeout: 15_000 });
  }

  /** Row counts per table (tests: "the database is unchanged"; operator overview). */
  async rowCounts(): Promise<Record<string, number>> {
    const rows = await this.db.$queryRaw<{ table_name: string; count: bigint }[]>`
      SELECT c.relname AS table_name, (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I', c.relname), false, true, '')))[1]::text::bigint AS count
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> '_prisma_migrations'
      ORDER BY c.relname`;
    return Object.fromEntries(rows.map((r) => [r.table_name, Number(r.count)]));
  }
}
