// pglite-socket multiplexes client connections onto PGlite's one session at the
// granularity of single protocol messages, keeping only an open transaction to
// its connection. node-postgres (under Prisma's adapter) sends every query as an
// extended-protocol sequence (Parse, Bind, Describe, Execute, Sync) on the
// unnamed statement and portal: interleaved with another connection's sequence,
// one Bind lands on the other's Parse, and after an error PostgreSQL discards
// every message up to the next Sync — whoever sent it. This keeps a connection's
// sequence together until its Sync (or a simple Query), as pglite-socket already
// does for transactions; it also keeps the queue running after a failed message
// (the library's loop stops for good there) and releases a connection that goes
// away mid-sequence by closing the sequence with a Sync of its own.
import type { PGlite } from "@electric-sql/pglite";

/** Frontend message types that continue an extended-protocol sequence (the Sync closes it). */
const MID_SEQUENCE = new Set(["P", "B", "D", "E", "C", "H"].map((c) => c.charCodeAt(0)));
const SYNC = new Uint8Array([0x53, 0, 0, 0, 4]);
/** Handler id of the Sync sent for a connection that left mid-sequence. */
const RELEASE_HANDLER = -1;

type QueuedMessage = {
  handlerId: number;
  message: Uint8Array;
  resolve(bytes: number): void;
  reject(error: unknown): void;
  onData(data: Uint8Array): void;
};

/** The shape of pglite-socket 0.2's internal query queue (PGLiteSocketServer#queryQueue). */
type QueryQueue = {
  db: PGlite;
  queue: QueuedMessage[];
  processing: boolean;
  lastHandlerId: number | null;
  processQueue(): Promise<void>;
  clearQueueForHandler(handlerId: number): void;
  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number>;
};

export function keepExtendedQueriesTogether(server: object): void {
  const queue = (server as { queryQueue?: QueryQueue }).queryQueue;
  if (!queue || typeof queue.processQueue !== "function" || !Array.isArray(queue.queue)) {
    throw new Error("pglite-socket's query queue is not the one this launcher knows (expected @electric-sql/pglite-socket 0.2)");
  }
  /** The connection whose extended-protocol sequence is under way. */
  let pending: number | null = null;

  queue.processQueue = async function processQueue(this: QueryQueue) {
    if (this.processing || this.queue.length === 0) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const sticky = pending ?? (this.db.isInTransaction() ? this.lastHandlerId : null);
        let item: QueuedMessage | undefined;
        if (sticky !== null) {
          const index = this.queue.findIndex((q) => q.handlerId === sticky);
          // Wait for that connection's next message (enqueue calls processQueue again).
          if (index === -1) break;
          item = this.queue.splice(index, 1)[0]!;
        } else {
          item = this.queue.shift()!;
        }
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item!.message, {
              onRawData: (data: Uint8Array) => {
                bytes += data.length;
                item!.onData(data);
              },
            }),
          );
        } catch (error) {
          item.reject(error);
          continue;
        }
        pending = MID_SEQUENCE.has(item.message[0]!) ? item.handlerId : null;
        this.lastHandlerId = item.handlerId;
        item.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  };

  const clearQueueForHandler = queue.clearQueueForHandler.bind(queue);
  queue.clearQueueForHandler = (handlerId: number) => {
    clearQueueForHandler(handlerId);
    if (pending === handlerId) {
      pending = null;
      void queue.enqueue(RELEASE_HANDLER, SYNC, () => undefined).catch(() => undefined);
    }
  };
}
