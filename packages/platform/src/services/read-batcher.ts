// Coalesces point reads made in the same turn of the event loop into one
// query (`WHERE id IN (…)`): under concurrent load, N requests that each need
// one row cost one round trip and one query plan instead of N. Used by the
// verify hot path when its caches are off or cold (docs/decisions/0026).
export class ReadBatcher<V> {
  private pending: Map<string, { resolve: (value: V | null) => void; reject: (error: unknown) => void }[]> | null = null;

  constructor(
    /** Reads many keys at once; keys absent from the answer resolve to null. */
    private readonly readMany: (keys: string[]) => Promise<Map<string, V>>,
    /** Largest batch per query. */
    private readonly maxBatch = 256,
  ) {}

  read(key: string): Promise<V | null> {
    return new Promise((resolve, reject) => {
      if (!this.pending) {
        this.pending = new Map();
        setImmediate(() => this.flush());
      }
      const waiters = this.pending.get(key);
      if (waiters) waiters.push({ resolve, reject });
      else this.pending.set(key, [{ resolve, reject }]);
    });
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = null;
    if (!batch) return;
    const keys = [...batch.keys()];
    for (let i = 0; i < keys.length; i += this.maxBatch) {
      const slice = keys.slice(i, i + this.maxBatch);
      this.readMany(slice).then(
        (found) => {
          for (const key of slice) for (const w of batch.get(key)!) w.resolve(found.get(key) ?? null);
        },
        (error: unknown) => {
          for (const key of slice) for (const w of batch.get(key)!) w.reject(error);
        },
      );
    }
  }
}
