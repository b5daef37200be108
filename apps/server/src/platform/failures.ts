/**
 * Failed attempts per client (a fixed window per key, in this process): after `max` failures in a
 * window the key is refused until the window ends. For guesses at a secret (the public dossier
 * lookup's second factor), where what must be slowed down is guessing, not use: a citizen behind a
 * carrier's shared address (CGNAT) looking up a dossier with its right code and secret is never
 * counted, so the many behind one address do not lock each other out, and a right answer costs no
 * bookkeeping. Expired windows are swept at most once a window, so memory stays bounded by the
 * clients that failed in the last two windows.
 */
export interface FailureLimit {
  /** Milliseconds until `key` may try again; 0 when it may now. */
  retryAfter(key: string): number;
  /** Counts a failed attempt of `key`. */
  fail(key: string): void;
  /** How many clients have a window kept (expired ones until the next sweep). */
  size(): number;
}

export function failureLimit({
  max,
  windowMs,
  now = Date.now,
}: {
  max: number;
  windowMs: number;
  now?: () => number;
}): FailureLimit {
  const windows = new Map<string, { n: number; until: number }>();
  let sweepAt = 0;
  return {
    retryAfter(key) {
      if (windows.size === 0) return 0;
      const w = windows.get(key);
      if (!w) return 0;
      const t = now();
      if (t >= w.until) {
        windows.delete(key);
        return 0;
      }
      return w.n >= max ? w.until - t : 0;
    },
    fail(key) {
      const t = now();
      if (t >= sweepAt) {
        for (const [k, w] of windows) if (t >= w.until) windows.delete(k);
        sweepAt = t + windowMs;
      }
      const w = windows.get(key);
      if (!w || t >= w.until) windows.set(key, { n: 1, until: t + windowMs });
      else w.n++;
    },
    size: () => windows.size,
  };
}
