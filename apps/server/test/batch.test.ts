import { describe, expect, it } from 'vitest';
import { batched } from '../src/platform/batch.ts';

/** A loader that records every call and answers the rows of the keys it knows. */
function recorder(known: Record<string, number>, delayMs = 5) {
  const calls: string[][] = [];
  const load = async (keys: string[]) => {
    calls.push(keys);
    await new Promise((r) => setTimeout(r, delayMs));
    return keys.filter((k) => k in known).map((k) => ({ k, v: known[k]! }));
  };
  return { calls, load };
}

describe('platform/batch: concurrent lookups share a call', () => {
  it('keys asked in the same turn go in one call; each caller gets its own row or undefined', async () => {
    const { calls, load } = recorder({ a: 1, b: 2, c: 3 });
    const get = batched(load, (r) => r.k);
    const got = await Promise.all([get('a'), get('b'), get('x'), get('a'), get('c')]);
    expect(got.map((r) => r?.v)).toEqual([1, 2, undefined, 1, 3]);
    // One call; the repeated key went once.
    expect(calls).toEqual([['a', 'b', 'x', 'c']]);
  });

  it('while `concurrency` calls are in flight, new keys wait and then go out together', async () => {
    const { calls, load } = recorder({ a: 1, b: 2, c: 3, d: 4 }, 20);
    const get = batched(load, (r) => r.k, { concurrency: 1 });
    const first = get('a');
    await new Promise((r) => setImmediate(r)); // 'a' is now in flight
    const later = [get('b'), get('c'), get('d')];
    expect((await first)?.v).toBe(1);
    expect((await Promise.all(later)).map((r) => r?.v)).toEqual([2, 3, 4]);
    expect(calls).toEqual([['a'], ['b', 'c', 'd']]);
  });

  it('no call carries more than `max` keys', async () => {
    const { calls, load } = recorder(Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`k${i}`, i])));
    const get = batched(load, (r) => r.k, { max: 3, concurrency: 5 });
    const got = await Promise.all(Array.from({ length: 7 }, (_, i) => get(`k${i}`)));
    expect(got.map((r) => r?.v)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(calls.map((c) => c.length)).toEqual([3, 3, 1]);
  });

  it('a failing call rejects every caller of that batch, and the next batch is tried afresh', async () => {
    let fail = true;
    const get = batched(
      async (keys: string[]) => {
        if (fail) throw new Error('database down');
        return keys.map((k) => ({ k }));
      },
      (r) => r.k,
    );
    const results = await Promise.allSettled([get('a'), get('b')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await get('a')).toEqual({ k: 'a' });
  });

  it('a key asked alone still answers after one turn (no waiting for company)', async () => {
    const { calls, load } = recorder({ a: 1 }, 0);
    const get = batched(load, (r) => r.k);
    expect((await get('a'))?.v).toBe(1);
    expect(await get('zz')).toBeUndefined();
    expect(calls).toEqual([['a'], ['zz']]);
  });
});
