import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIsoDate, fromDayNumber, JDN_UNIX_EPOCH, toDayNumber, weekdayOf } from './daynum.ts';
import {
  jdFromDate,
  jdToDate,
  leapMonthOf,
  lunarMonthLength,
  lunarToSolar,
  solarToLunar,
  sunLongitude,
} from './lunar.ts';

const WEEKDAY = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function solarIsoWithWeekday(s: { y: number; m: number; d: number }): string {
  const dn = toDayNumber(s.y, s.m, s.d);
  return `${WEEKDAY[weekdayOf(dn)]} ${formatIsoDate(dn)}`;
}

describe('STANDARDS §6.3 fixtures (timeZone = 7)', () => {
  const tet: Array<[number, string]> = [
    [2024, 'Sat 2024-02-10'],
    [2025, 'Wed 2025-01-29'],
    [2026, 'Tue 2026-02-17'],
    [2027, 'Sat 2027-02-06'],
    [2028, 'Wed 2028-01-26'],
    [2029, 'Tue 2029-02-13'],
    [2030, 'Sat 2030-02-02'],
  ];
  const gioTo: Array<[number, string]> = [
    [2024, 'Thu 2024-04-18'],
    [2025, 'Mon 2025-04-07'],
    [2026, 'Sun 2026-04-26'],
    [2027, 'Fri 2027-04-16'],
    [2028, 'Tue 2028-04-04'],
    [2029, 'Mon 2029-04-23'],
    [2030, 'Fri 2030-04-12'],
  ];

  it.each(tet)('Tết (1/1 âm lịch) %i is %s', (year, expected) => {
    expect(solarIsoWithWeekday(lunarToSolar(1, 1, year))).toBe(expected);
  });

  it.each(gioTo)('Giỗ Tổ (10/3 âm lịch) %i is %s', (year, expected) => {
    expect(solarIsoWithWeekday(lunarToSolar(10, 3, year))).toBe(expected);
  });

  it.each(tet)('solarToLunar of Tết %i gives 1/1', (year, expected) => {
    const [y, m, d] = expected.slice(4).split('-').map(Number) as [number, number, number];
    expect(solarToLunar(y, m, d)).toEqual({ day: 1, month: 1, year, leap: false });
  });
});

describe('lunar calendar, other known dates', () => {
  it('gives the Vietnamese (UTC+7) Tết where it differs from the Chinese (UTC+8) calendar', () => {
    // Vietnam 21/1/1985 vs China 20/2/1985; Vietnam 17/2/2007 vs China 18/2/2007;
    // Tết Mậu Thân 1968: 29/1 in the North (the new UTC+7 calendar), China 30/1.
    expect(lunarToSolar(1, 1, 1985)).toEqual({ y: 1985, m: 1, d: 21 });
    expect(lunarToSolar(1, 1, 2007)).toEqual({ y: 2007, m: 2, d: 17 });
    expect(lunarToSolar(1, 1, 1968)).toEqual({ y: 1968, m: 1, d: 29 });
    // With UTC+8 the same algorithm gives the Chinese dates.
    expect(lunarToSolar(1, 1, 1985, false, 8)).toEqual({ y: 1985, m: 2, d: 20 });
    expect(lunarToSolar(1, 1, 2007, false, 8)).toEqual({ y: 2007, m: 2, d: 18 });
  });

  it('finds the leap months (tháng nhuận)', () => {
    expect(leapMonthOf(2020)).toBe(4);
    expect(leapMonthOf(2023)).toBe(2);
    expect(leapMonthOf(2025)).toBe(6);
    expect(leapMonthOf(2028)).toBe(5);
    expect(leapMonthOf(2033)).toBe(11);
    for (const y of [2021, 2022, 2024, 2026, 2027, 2029, 2030]) expect(leapMonthOf(y)).toBe(0);
  });

  it('distinguishes a leap month from its twin', () => {
    const normal = lunarToSolar(1, 2, 2023);
    const leap = lunarToSolar(1, 2, 2023, true);
    expect(toDayNumber(leap.y, leap.m, leap.d) - toDayNumber(normal.y, normal.m, normal.d)).toBe(
      lunarMonthLength(2, 2023),
    );
    expect(solarToLunar(leap.y, leap.m, leap.d)).toEqual({ day: 1, month: 2, year: 2023, leap: true });
    expect(() => lunarToSolar(1, 3, 2023, true)).toThrow(RangeError);
    expect(() => lunarToSolar(1, 2, 2024, true)).toThrow(RangeError);
  });

  it('knows the last day of the lunar year (30 or 29 Tết)', () => {
    // Tết 2024 was Sat 10/2: Fri 9/2 was 30 tháng Chạp (month 12 of Quý Mão had 30 days).
    expect(solarToLunar(2024, 2, 9)).toEqual({ day: 30, month: 12, year: 2023, leap: false });
    // Tết 2025 was Wed 29/1: Tue 28/1 was 29 tháng Chạp.
    expect(solarToLunar(2025, 1, 28)).toEqual({ day: 29, month: 12, year: 2024, leap: false });
    expect(() => lunarToSolar(30, 12, 2024)).toThrow(RangeError);
  });

  it('handles months whose new moon runs late (regression: day 0 on 2054-05-07 and 2062-04-09)', () => {
    // The mean-moon estimate points one month too far for these days; they are the 30th of their month.
    expect(solarToLunar(2054, 5, 7)).toEqual({ day: 30, month: 3, year: 2054, leap: false });
    expect(solarToLunar(2054, 5, 8)).toEqual({ day: 1, month: 4, year: 2054, leap: false });
    expect(solarToLunar(2062, 4, 9)).toEqual({ day: 30, month: 2, year: 2062, leap: false });
    expect(lunarToSolar(30, 2, 2062)).toEqual({ y: 2062, m: 4, d: 9 });
  });

  it('rejects nonsense', () => {
    expect(() => lunarToSolar(0, 1, 2025)).toThrow(RangeError);
    expect(() => lunarToSolar(31, 1, 2025)).toThrow(RangeError);
    expect(() => lunarToSolar(1, 13, 2025)).toThrow(RangeError);
  });

  it('has consistent Julian Day Numbers', () => {
    expect(jdFromDate(1, 1, 2000)).toBe(2_451_545);
    expect(jdFromDate(1, 1, 1970)).toBe(JDN_UNIX_EPOCH);
    expect(jdFromDate(15, 10, 1582) - jdFromDate(4, 10, 1582)).toBe(1); // Julian → Gregorian switch
    expect(jdToDate(2_451_545)).toEqual({ y: 2000, m: 1, d: 1 });
  });

  it('puts the sun at ~270° at the December solstice', () => {
    // 2024-12-21 09:20 UTC.
    const jd = jdFromDate(21, 12, 2024) - 0.5 + (9 + 20 / 60) / 24;
    expect((sunLongitude(jd) * 180) / Math.PI).toBeCloseTo(270, 1);
  });
});

describe('lunar calendar, properties', () => {
  const dayIn1900to2100 = fc.integer({ min: toDayNumber(1900, 1, 1), max: toDayNumber(2100, 12, 31) });

  it('lunarToSolar(solarToLunar(x)) === x for dates 1900–2100', () => {
    fc.assert(
      fc.property(dayIn1900to2100, (dn) => {
        const s = fromDayNumber(dn);
        const l = solarToLunar(s.y, s.m, s.d);
        expect(lunarToSolar(l.day, l.month, l.year, l.leap)).toEqual(s);
      }),
      { numRuns: 2000 },
    );
  });

  it('matches jdFromDate with day numbers', () => {
    fc.assert(
      fc.property(dayIn1900to2100, (dn) => {
        const s = fromDayNumber(dn);
        expect(jdFromDate(s.d, s.m, s.y)).toBe(dn + JDN_UNIX_EPOCH);
        expect(jdToDate(dn + JDN_UNIX_EPOCH)).toEqual(s);
      }),
    );
  });

  it('every day 1900–2100: round trip, and the lunar day advances by one or starts a month after 29/30', () => {
    const first = fromDayNumber(toDayNumber(1900, 1, 1));
    let prev = solarToLunar(first.y, first.m, first.d);
    let failures = 0;
    for (let dn = toDayNumber(1900, 1, 2); dn <= toDayNumber(2100, 12, 31); dn++) {
      const s = fromDayNumber(dn);
      const l = solarToLunar(s.y, s.m, s.d);
      const back = lunarToSolar(l.day, l.month, l.year, l.leap);
      const ok =
        back.y === s.y &&
        back.m === s.m &&
        back.d === s.d &&
        (l.day === 1
          ? prev.day === lunarMonthLength(prev.month, prev.year, prev.leap)
          : l.day === prev.day + 1 && l.month === prev.month && l.year === prev.year && l.leap === prev.leap);
      if (!ok && failures++ < 5)
        expect({ date: formatIsoDate(dn), lunar: l, previous: prev }).toBe('consistent');
      prev = l;
    }
    expect(failures).toBe(0);
  }, 30_000);

  it('advances the lunar day by one each solar day, starting months at day 1 after 29 or 30', () => {
    fc.assert(
      fc.property(dayIn1900to2100, (dn) => {
        const a = fromDayNumber(dn);
        const b = fromDayNumber(dn + 1);
        const la = solarToLunar(a.y, a.m, a.d);
        const lb = solarToLunar(b.y, b.m, b.d);
        if (lb.day === 1) {
          expect(la.day).toBe(lunarMonthLength(la.month, la.year, la.leap));
          expect([29, 30]).toContain(la.day);
        } else {
          expect(lb).toEqual({ ...la, day: la.day + 1 });
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('starts every lunar year between 21 January and 20 February', () => {
    for (let y = 1900; y <= 2100; y++) {
      const t = lunarToSolar(1, 1, y);
      const dn = toDayNumber(t.y, t.m, t.d);
      expect(t.y).toBe(y);
      expect(dn).toBeGreaterThanOrEqual(toDayNumber(y, 1, 21));
      expect(dn).toBeLessThanOrEqual(toDayNumber(y, 2, 20));
    }
  });
});
