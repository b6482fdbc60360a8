// Every database call of the credits ledger. Entries are inserted with
// ON CONFLICT (idempotency_key) DO NOTHING, so two transactions posting one key
// at once end with one entry (the second waits for the first and inserts
// nothing); the deferred trigger of migration credits_ledger_and_pricing
// refuses any entry whose lines do not sum to zero.
import { randomUUID } from "node:crypto";
import type { Prisma } from "../generated/prisma";
import type { DbClient } from "../repositories/types";
import type { EntryDraft, EntryKind, LedgerLine } from "./ledger";

export type StoredEntry = { id: string; key: string; kind: EntryKind; lines: LedgerLine[]; memo: unknown; createdAt: Date };

export class LedgerRepository {
  constructor(private readonly db: DbClient) {}

  /**
   * Serialises postings that take from these accounts until the transaction
   * ends (sorted, so two postings never wait on each other in a cycle).
   * Must run inside a transaction.
   */
  async lockAccounts(accounts: readonly string[]): Promise<void> {
    for (const account of [...new Set(accounts)].sort()) {
      await this.db.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${"ledger:" + account}, 0))`;
    }
  }

  async balances(accounts: readonly string[]): Promise<Map<string, bigint>> {
    const rows = await this.db.ledgerLine.groupBy({ by: ["account"], where: { account: { in: [...accounts] } }, _sum: { amount: true } });
    const map = new Map<string, bigint>(accounts.map((a) => [a, 0n]));
    for (const row of rows) map.set(row.account, row._sum.amount ?? 0n);
    return map;
  }

  /** Inserts the entry and its lines unless its key exists; `created` says which. */
  async insert(draft: EntryDraft): Promise<{ id: string; created: boolean }> {
    const id = randomUUID();
    const memo = draft.memo ? JSON.stringify(draft.memo) : null;
    const inserted = await this.db.$queryRaw<{ id: string }[]>`
      INSERT INTO ledger_entries (id, idempotency_key, kind, memo)
      VALUES (${id}::uuid, ${draft.key}, ${draft.kind}, ${memo}::jsonb)
      ON CONFLICT (idempotency_key) DO NOTHING
      RETURNING id`;
    if (inserted.length === 0) {
      const existing = await this.db.ledgerEntry.findUniqueOrThrow({ where: { idempotencyKey: draft.key }, select: { id: true } });
      return { id: existing.id, created: false };
    }
    await this.db.ledgerLine.createMany({ data: draft.lines.map((l) => ({ entryId: id, account: l.account, amount: l.amount })) });
    return { id, created: true };
  }

  async findByKey(key: string): Promise<StoredEntry | null> {
    const row = await this.db.ledgerEntry.findUnique({ where: { idempotencyKey: key }, include: { lines: { orderBy: { id: "asc" } } } });
    return row ? stored(row) : null;
  }

  /** An account's entries, newest first, with the lines of each. */
  async statement(account: string, limit: number): Promise<StoredEntry[]> {
    const rows = await this.db.ledgerEntry.findMany({
      where: { lines: { some: { account } } },
      include: { lines: { orderBy: { id: "asc" } } },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: limit,
    });
    return rows.map(stored);
  }

  /** Entries touching any of these accounts, newest first, with all their lines. */
  async statementOf(accounts: readonly string[], limit: number): Promise<StoredEntry[]> {
    const rows = await this.db.ledgerEntry.findMany({
      where: { lines: { some: { account: { in: [...accounts] } } } },
      include: { lines: { orderBy: { id: "asc" } } },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: limit,
    });
    return rows.map(stored);
  }

  /** Sum of an account's lines in entries of one kind (e.g. what left a validator's on-chain balance by withdrawals). */
  async sumOfKind(account: string, kind: EntryKind): Promise<bigint> {
    const row = await this.db.ledgerLine.aggregate({ where: { account, entry: { kind } }, _sum: { amount: true } });
    return row._sum.amount ?? 0n;
  }

  // ------------------------------------------------- invariant checks (reconciliation)

  /** Entries whose lines do not sum to zero (the trigger makes this empty; reconciliation proves it). */
  async unbalancedEntries(): Promise<{ entryId: string; sum: bigint }[]> {
    const rows = await this.db.$queryRaw<{ entry_id: string; total: bigint }[]>`
      SELECT e.id AS entry_id, COALESCE(SUM(l.amount), 0)::bigint AS total
      FROM ledger_entries e LEFT JOIN ledger_lines l ON l.entry_id = e.id
      GROUP BY e.id HAVING COALESCE(SUM(l.amount), 0) <> 0 OR COUNT(l.id) < 2`;
    return rows.map((r) => ({ entryId: r.entry_id, sum: BigInt(r.total) }));
  }

  /** Every account's balance from its lines. */
  async allBalances(): Promise<Map<string, bigint>> {
    const rows = await this.db.ledgerLine.groupBy({ by: ["account"], _sum: { amount: true } });
    return new Map(rows.map((r) => [r.account, r._sum.amount ?? 0n]));
  }

  async entryCount(): Promise<number> {
    return this.db.ledgerEntry.count();
  }
}

function stored(row: Prisma.LedgerEntryGetPayload<{ include: { lines: true } }>): StoredEntry {
  return {
    id: row.id,
    key: row.idempotencyKey,
    kind: row.kind as EntryKind,
    lines: row.lines.map((l) => ({ account: l.account, amount: l.amount })),
    memo: row.memo,
    createdAt: row.createdAt,
  };
}
