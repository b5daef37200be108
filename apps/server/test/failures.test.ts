import { describe, expect, it } from 'vitest';
import { failureLimit } from '../src/platform/failures.ts';

describe('platform/failures: wrong guesses per client in a fixed window', () => {
  it('refuses a key after max failures until its window ends; other keys are not touched', () => {
    let t = 1_000;
    const f = failureLimit({ max: 3, windowMs: 60_000, now: () => t });
    expect(f.retryAfter('a')).toBe(0);
    f.fail('a');
    f.fail('a');
    expect(f.retryAfter('a')).toBe(0);
    t += 10_000;
    f.fail('a');
    // The window started at the first failure: 50 s of it are left.
    expect(f.retryAfter('a')).toBe(50_000);
    expect(f.retryAfter('b')).toBe(0);
    t += 49_999;
    expect(f.retryAfter('a')).toBe(1);
    t += 1;
    expect(f.retryAfter('a')).toBe(0);
    // A new window starts from nothing.
    f.fail('a');
    expect(f.retryAfter('a')).toBe(0);
  });

  it('successes are never counted: only fail() moves the count', () => {
    const f = failureLimit({ max: 1, windowMs: 1_000, now: () => 0 });
    for (let i = 0; i < 1000; i++) expect(f.retryAfter('a')).toBe(0);
    f.fail('a');
    expect(f.retryAfter('a')).toBe(1_000);
  });

  it('sweeps expired windows, so many one-off clients do not pile up', () => {
    let t = 0;
    const f = failureLimit({ max: 2, windowMs: 100, now: () => t });
    for (let i = 0; i < 1000; i++) f.fail(`ip${i}`);
    expect(f.size()).toBe(1000);
    t = 150;
    f.fail('late');
    f.fail('late');
    expect(f.retryAfter('late')).toBe(100);
    // The 1000 expired ones were swept at the first failure after their window.
    expect(f.size()).toBe(1);
    expect(f.retryAfter('ip1')).toBe(0);
  });
});
