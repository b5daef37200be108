type Waiter<R> = { resolve: (r: R | undefined) => void; reject: (e: unknown) => void };

/**
 * Coalesces lookups by key into few calls of `load` (the DataLoader pattern, with back-pressure):
 * keys asked for in the same turn of the event loop go out together at `setImmediate`, and while
 * `concurrency` calls are in flight new keys wait and go out together when one returns. Under
 * load, a hundred requests cost one database round trip instead of a hundred; when idle, a key
 * waits no more than one turn. At most `max` keys go into one call; equal keys share one slot.
 * `load` answers with the found rows in any order; `keyOf` maps a row back to its key; a key
 * without a row resolves to undefined. If `load` throws, every caller of that batch gets the error.
 */
export function batched<K, R>(
  load: (keys: K[]) => Promise<R[]>,
  keyOf: (row: R) => K,
  { max = 100, concurrency = 2 }: { max?: number; concurrency?: number } = {},
): (key: K) => Promise<R | undefined> {
  let pending = new Map<K, Waiter<R>[]>();
  let scheduled = false;
  let inFlight = 0;

  const run = async (batch: Map<K, Waiter<R>[]>) => {
    inFlight++;
    try {
      const rows = await load([...batch.keys()]);
      const found = new Map<K, R>();
      for (const r of rows) found.set(keyOf(r), r);
      for (const [k, waiters] of batch) for (const w of waiters) w.resolve(found.get(k));
    } catch (e) {
      for (const waiters of batch.values()) for (const w of waiters) w.reject(e);
    } finally {
      inFlight--;
      if (pending.size && !scheduled) flush();
    }
  };

  const flush = () => {
    scheduled = false;
    while (pending.size && inFlight < concurrency) {
      let batch = pending;
      if (pending.size > max) {
        batch = new Map();
        for (const [k, w] of pending) {
          batch.set(k, w);
          pending.delete(k);
          if (batch.size === max) break;
        }
      } else pending = new Map();
      void run(batch);
    }
  };

  return (key) =>
    new Promise<R | undefined>((resolve, reject) => {
      const waiters = pending.get(key);
      if (waiters) waiters.push({ resolve, reject });
      else pending.set(key, [{ resolve, reject }]);
      if (!scheduled && inFlight < concurrency) {
        scheduled = true;
        setImmediate(flush);
      }
    });
}
