import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatIsoDate,
  formatVnDateTime,
  fromDayNumber,
  MS_PER_DAY,
  parseClock,
  parseIsoDate,
  toDayNumber,
  tryParseIsoDate,
  vnDateTime,
  vnIsoDateOf,
  weekdayOf,
  yearOfDayNumber,
} from './daynum.ts';

describe('day numbers and ISO dates', () => {
  it('counts days from 1970-01-01', () => {
    expect(toDayNumber(1970, 1, 1)).toBe(0);
    expect(toDayNumber(1969, 12, 31)).toBe(-1);
    expect(toDayNumber(2000, 3, 1)).toBe(11_017);
    expect(parseIsoDate('2026-04-24')).toBe(Date.UTC(2026, 3, 24) / MS_PER_DAY);
    expect(weekdayOf(parseIsoDate('2026-04-24'))).toBe(5); // Friday
    expect(weekdayOf(-1)).toBe(3); // 1969-12-31 Wednesday
  });

  it('parses strictly', () => {
    for (const bad of [
      '2026-4-24',
      '2026-04-31',
      '2025-02-29',
      '2026-13-01',
      '0000-01-01',
      '2026/04/24',
      ' 2026-04-2',
    ]) {
      expect(Number.isNaN(tryParseIsoDate(bad))).toBe(true);
      expect(() => parseIsoDate(bad)).toThrow(RangeError);
    }
    expect(formatIsoDate(parseIsoDate('2024-02-29'))).toBe('2024-02-29');
    expect(formatIsoDate(toDayNumber(987, 6, 5))).toBe('0987-06-05');
  });

  it('round-trips and agrees with Date for years 1–9999', () => {
    const min = toDayNumber(1, 1, 1);
    const max = toDayNumber(9999, 12, 31);
    fc.assert(
      fc.property(fc.integer({ min, max }), (dn) => {
        const iso = formatIsoDate(dn);
        expect(parseIsoDate(iso)).toBe(dn);
        const { y, m, d } = fromDayNumber(dn);
        expect(toDayNumber(y, m, d)).toBe(dn);
        expect(yearOfDayNumber(dn)).toBe(y);
        const js = new Date(dn * MS_PER_DAY);
        expect(weekdayOf(dn)).toBe(js.getUTCDay());
        expect(js.toISOString().slice(0, 10)).toBe(iso);
      }),
      { numRuns: 2000 },
    );
  });

  it('Vietnamese local time is UTC+7', () => {
    const t = vnDateTime('2026-04-24', '06:30');
    expect(t.toISOString()).toBe('2026-04-23T23:30:00.000Z');
    expect(vnIsoDateOf(t)).toBe('2026-04-24');
    expect(formatVnDateTime(t)).toBe('2026-04-24 06:30');
    expect(formatVnDateTime(vnDateTime('2026-04-24', '06:30:15'))).toBe('2026-04-24 06:30:15');
    expect(parseClock('24:00')).toBe(MS_PER_DAY);
    expect(() => parseClock('24:01')).toThrow(RangeError);
    expect(() => parseClock('7:00')).toThrow(RangeError);
  });
});
