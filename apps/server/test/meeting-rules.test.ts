import { describe, expect, it } from 'vitest';
import { required, satisfies } from '../src/modules/meetings/rules.ts';

const half = { base: 'all', numerator: 1, denominator: 2, strict: true } as const;
const twoThirds = { base: 'all', numerator: 2, denominator: 3, strict: false } as const;
const halfPresent = { base: 'present', numerator: 1, denominator: 2, strict: true } as const;
const halfCast = { base: 'cast', numerator: 1, denominator: 2, strict: true } as const;

describe('meetings/rules: majority and quorum', () => {
  it('"more than half of all delegates" counts on the total, not on those present', () => {
    // 50 delegates, 30 present: 25 yes is half, not more than half.
    const c = { electorate: 50, present: 30, cast: 30 };
    expect(satisfies(half, 25, c)).toBe(false);
    expect(satisfies(half, 26, c)).toBe(true);
    expect(required(half, c)).toBe(26);
    // The same 25 are more than half of those present.
    expect(satisfies(halfPresent, 25, c)).toBe(true);
    expect(required(halfPresent, c)).toBe(16);
  });

  it('odd totals: more than half of 7 is 4; two thirds of 7 is 5 (4.67 rounded up), of 6 is 4', () => {
    expect(required(half, { electorate: 7, present: 7, cast: 7 })).toBe(4);
    expect(satisfies(half, 3, { electorate: 7, present: 7, cast: 7 })).toBe(false);
    expect(required(twoThirds, { electorate: 7, present: 7, cast: 7 })).toBe(5);
    expect(satisfies(twoThirds, 4, { electorate: 6, present: 6, cast: 6 })).toBe(true);
    expect(satisfies(twoThirds, 3, { electorate: 6, present: 6, cast: 6 })).toBe(false);
  });

  it('votes cast as the base; nobody voting passes nothing', () => {
    expect(satisfies(halfCast, 2, { electorate: 10, present: 5, cast: 3 })).toBe(true);
    expect(satisfies(halfCast, 0, { electorate: 10, present: 5, cast: 0 })).toBe(false);
    expect(satisfies(half, 0, { electorate: 0, present: 0, cast: 0 })).toBe(false);
  });
});
