import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { statutoryCalendar, WorkCalendar } from './calendar.ts';
import {
  formatIsoDate,
  formatVnDateTime,
  MS_PER_DAY,
  MS_PER_HOUR,
  MS_PER_MINUTE,
  parseIsoDate,
  toDayNumber,
  VN_UTC_OFFSET_MS,
  vnDateTime,
  weekdayOf,
} from './daynum.ts';
import type { Notice } from './holidays.ts';

const cal = statutoryCalendar();
const at = vnDateTime;
const show = (d: Date | null) => (d === null ? null : formatVnDateTime(d));

const NOTICES_2025: Notice[] = [
  ...['2025-01-27', '2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31'].map(
    (date): Notice => ({ date, kind: 'day_off', name: 'Tết Nguyên đán', replaces: 'tet-nguyen-dan' }),
  ),
  { date: '2025-05-02', kind: 'day_off', name: 'Nghỉ hoán đổi' },
  { date: '2025-04-26', kind: 'makeup_workday', name: 'Làm bù cho thứ Sáu 02/5' },
  { date: '2025-09-01', kind: 'day_off', name: 'Quốc khánh', replaces: 'quoc-khanh-lien-ke' },
];

describe('working days', () => {
  it('addWorkingDays around Giỗ Tổ 2026 and 30/4–1/5', () => {
    // Fri 24/4 → Mon 27/4 is the make-up day for Giỗ Tổ (Sun 26/4) → Tue 28/4.
    expect(cal.addWorkingDays('2026-04-24', 1)).toBe('2026-04-28');
    // 28, 29, then Thu 30/4 and Fri 1/5 are holidays, Sat–Sun weekend → Mon 4/5.
    expect(cal.addWorkingDays('2026-04-24', 2)).toBe('2026-04-29');
    expect(cal.addWorkingDays('2026-04-24', 3)).toBe('2026-05-04');
  });

  it('convention: the start date never counts; n = 0 gives the first working day on or after it', () => {
    expect(cal.addWorkingDays('2026-03-13', 1)).toBe('2026-03-16'); // Fri → Mon
    expect(cal.addWorkingDays('2026-03-14', 1)).toBe('2026-03-16'); // Sat → Mon
    expect(cal.addWorkingDays('2026-03-15', 1)).toBe('2026-03-16'); // Sun → Mon
    expect(cal.addWorkingDays('2026-03-15', 2)).toBe('2026-03-17');
    expect(cal.addWorkingDays('2026-03-13', 0)).toBe('2026-03-13'); // working day: itself
    expect(cal.addWorkingDays('2026-03-14', 0)).toBe('2026-03-16'); // Sat: next working day
    expect(cal.addWorkingDays('2026-04-25', 0)).toBe('2026-04-28'); // Sat, then the Monday off
    expect(cal.nextWorkingDayOnOrAfter('2026-02-14')).toBe('2026-02-23'); // Tết 2026
  });

  it('crosses Tết and years', () => {
    expect(cal.addWorkingDays('2026-02-13', 1)).toBe('2026-02-23');
    expect(cal.addWorkingDays('2025-12-31', 1)).toBe('2026-01-02');
    expect(cal.addWorkingDays('2026-12-31', 1)).toBe('2027-01-04'); // 1/1/2027 Fri off, weekend
    expect(cal.workingDaysBetween('2026-02-13', '2026-02-23')).toBe(1);
  });

  it('isWorkingDay', () => {
    expect(cal.isWorkingDay('2026-04-27')).toBe(false);
    expect(cal.isWorkingDay('2026-04-28')).toBe(true);
    expect(cal.isWorkingDay('2026-04-25')).toBe(false);
    expect(cal.isWorkingDay('2026-11-24')).toBe(false);
    expect(cal.isWorkingDay('2025-11-24')).toBe(true);
  });

  it('workingDaysBetween counts (a, b] and is antisymmetric', () => {
    expect(cal.workingDaysBetween('2026-04-24', '2026-05-04')).toBe(3);
    expect(cal.workingDaysBetween('2026-05-04', '2026-04-24')).toBe(-3);
    expect(cal.workingDaysBetween('2026-03-16', '2026-03-16')).toBe(0);
    expect(cal.workingDaysBetween('2026-03-13', '2026-03-20')).toBe(5);
  });

  it('2025 notice pair: Fri 2/5 off, Sat 26/4 worked', () => {
    const noticed = new WorkCalendar({ notices: NOTICES_2025 });
    expect(noticed.isWorkingDay('2025-04-26')).toBe(true);
    expect(noticed.isWorkingDay('2025-05-02')).toBe(false);
    expect(noticed.addWorkingDays('2025-04-25', 1)).toBe('2025-04-26');
    expect(noticed.addWorkingDays('2025-04-29', 1)).toBe('2025-05-05');
    expect(cal.addWorkingDays('2025-04-25', 1)).toBe('2025-04-28');
    expect(cal.addWorkingDays('2025-04-29', 1)).toBe('2025-05-02');
    // Tết 2025: 27–31/1 by notice; Mon 3/2 is a working day (the default make-up is replaced).
    expect(noticed.addWorkingDays('2025-01-24', 1)).toBe('2025-02-03');
    expect(cal.addWorkingDays('2025-01-24', 1)).toBe('2025-01-27');
  });

  it('other weekly rest days', () => {
    const sundayOnly = new WorkCalendar({ weeklyRest: [0] });
    expect(sundayOnly.isWorkingDay('2026-03-14')).toBe(true);
    expect(sundayOnly.addWorkingDays('2026-03-13', 1)).toBe('2026-03-14');
    // Tết 2027 (mùng 1) is Saturday 6/2: not a rest day there, so not made up; Sun 7/2 (mùng 2) is.
    const made = sundayOnly.daysOff(2027).filter((d) => d.kind === 'compensatory');
    expect(made.map((d) => d.date)).toEqual(['2027-02-10']);
    expect(() => new WorkCalendar({ weeklyRest: [0, 1, 2, 3, 4, 5, 6] })).toThrow(RangeError);
    expect(() => new WorkCalendar({ weeklyRest: [7] })).toThrow(RangeError);
  });

  it('rejects bad input', () => {
    expect(() => cal.addWorkingDays('2026-02-30', 1)).toThrow(RangeError);
    expect(() => cal.addWorkingDays('26-04-24', 1)).toThrow(RangeError);
    expect(() => cal.addWorkingDays('2026-04-24', -1)).toThrow(RangeError);
    expect(() => cal.addWorkingDays('2026-04-24', 1.5)).toThrow(RangeError);
    expect(() => cal.addWorkingDays('1899-12-31', 1)).toThrow(RangeError);
    expect(() => cal.addWorkingDays('2199-12-20', 30)).toThrow(RangeError);
    expect(() => cal.addWorkingDaysToDayNumber(Number.NaN, 1)).toThrow(RangeError);
    expect(() => cal.isWorkingDayNumber(20_000.5)).toThrow(RangeError);
  });

  it('grows its window both ways and stays consistent', () => {
    const c = new WorkCalendar();
    expect(c.addWorkingDays('2026-04-24', 1)).toBe('2026-04-28');
    expect(c.addWorkingDays('1950-01-02', 1)).toBe('1950-01-03');
    expect(c.addWorkingDays('2150-01-02', 1)).toBe('2150-01-05');
    expect(c.addWorkingDays('2026-04-24', 3)).toBe('2026-05-04');
    const far = c.addWorkingDays('2026-01-01', 10_000);
    expect(c.workingDaysBetween('2026-01-01', far)).toBe(10_000);
    expect(c.addWorkingDays('1900-01-01', 0)).toBe('1900-01-01');
  });
});

describe('working days, properties', () => {
  const day = fc.integer({ min: toDayNumber(2015, 1, 1), max: toDayNumber(2040, 12, 31) }).map(formatIsoDate);
  const n = fc.integer({ min: 1, max: 60 });
  const noticed = new WorkCalendar({ notices: NOTICES_2025 });
  const calendars = fc.constantFrom(cal, noticed);

  it('the result is always a working day', () => {
    fc.assert(
      fc.property(calendars, day, fc.integer({ min: 0, max: 60 }), (c, d, k) => {
        expect(c.isWorkingDay(c.addWorkingDays(d, k))).toBe(true);
      }),
    );
  });

  it('is strictly increasing in n ≥ 1, and after the start date', () => {
    fc.assert(
      fc.property(calendars, day, n, (c, d, k) => {
        const a = c.addWorkingDays(d, k);
        expect(a > d).toBe(true);
        expect(c.addWorkingDays(d, k + 1) > a).toBe(true);
        expect(c.addWorkingDays(d, 0) <= c.addWorkingDays(d, 1)).toBe(true);
      }),
    );
  });

  it('composes: add(d, a + b) === add(add(d, a), b) for a, b ≥ 1 (any start date)', () => {
    fc.assert(
      fc.property(calendars, day, n, n, (c, d, a, b) => {
        expect(c.addWorkingDays(d, a + b)).toBe(c.addWorkingDays(c.addWorkingDays(d, a), b));
      }),
    );
  });

  it('workingDaysBetween inverts addWorkingDays', () => {
    fc.assert(
      fc.property(calendars, day, fc.integer({ min: 0, max: 60 }), (c, d, k) => {
        const due = c.addWorkingDays(d, k);
        if (k >= 1 || c.isWorkingDay(d)) expect(c.workingDaysBetween(d, due)).toBe(k);
        expect(c.workingDaysBetween(due, d) + c.workingDaysBetween(d, due)).toBe(0);
      }),
    );
  });

  it('agrees with stepping one day at a time', () => {
    fc.assert(
      fc.property(calendars, day, fc.integer({ min: 0, max: 40 }), (c, d, k) => {
        let dn = parseIsoDate(d);
        if (k === 0) {
          while (!c.isWorkingDayNumber(dn)) dn++;
        } else {
          for (let left = k; left > 0; ) {
            dn++;
            if (c.isWorkingDayNumber(dn)) left--;
          }
        }
        expect(c.addWorkingDays(d, k)).toBe(formatIsoDate(dn));
      }),
    );
  });

  it('weekends are never working days without a notice', () => {
    fc.assert(
      fc.property(day, (d) => {
        const wd = weekdayOf(parseIsoDate(d));
        if (wd === 0 || wd === 6) expect(cal.isWorkingDay(d)).toBe(false);
      }),
    );
  });
});

describe('working time (UTC+7, 07:00–11:30 and 13:30–17:00)', () => {
  it('received 16:30 + 1 h → next working day 07:30', () => {
    expect(show(cal.addWorkingHours(at('2026-03-10', '16:30'), 1))).toBe('2026-03-11 07:30');
    // …across the Giỗ Tổ make-up Monday: Fri 24/4 16:30 + 1 h → Tue 28/4 07:30.
    expect(show(cal.addWorkingHours(at('2026-04-24', '16:30'), 1))).toBe('2026-04-28 07:30');
  });

  it('received during lunch (12:00) + 1 h → 14:30', () => {
    expect(show(cal.addWorkingHours(at('2026-03-10', '12:00'), 1))).toBe('2026-03-10 14:30');
  });

  it('received Friday 18:00 + 8 h → Monday 17:00 (the whole Monday; end boundary kept)', () => {
    expect(show(cal.addWorkingHours(at('2026-03-13', '18:00'), 8))).toBe('2026-03-16 17:00');
    expect(show(cal.addWorkingDaysAt(at('2026-03-13', '18:00'), 1))).toBe('2026-03-16 17:00');
    // Fri 24/4/2026 18:00: Mon 27/4 is off → Tue 28/4 17:00.
    expect(show(cal.addWorkingDaysAt(at('2026-04-24', '18:00'), 1))).toBe('2026-04-28 17:00');
  });

  it('received on Sunday → the clock starts Monday 07:00', () => {
    expect(show(cal.clockStart(at('2026-03-15', '10:00')))).toBe('2026-03-16 07:00');
    expect(show(cal.addWorkingHours(at('2026-03-15', '10:00'), 1))).toBe('2026-03-16 08:00');
    expect(show(cal.addWorkingHours(at('2026-03-15', '10:00'), 0))).toBe('2026-03-16 07:00');
  });

  it('normalises the start: before opening, at lunch, at and after closing', () => {
    expect(show(cal.clockStart(at('2026-03-10', '05:00')))).toBe('2026-03-10 07:00');
    expect(show(cal.clockStart(at('2026-03-10', '09:15')))).toBe('2026-03-10 09:15');
    expect(show(cal.clockStart(at('2026-03-10', '11:30')))).toBe('2026-03-10 13:30');
    expect(show(cal.clockStart(at('2026-03-10', '17:00')))).toBe('2026-03-11 07:00');
    expect(show(cal.addWorkingHours(at('2026-03-10', '05:00'), 1))).toBe('2026-03-10 08:00');
  });

  it('lands on a session end when the time is used up exactly', () => {
    expect(show(cal.addWorkingHours(at('2026-03-10', '11:00'), 0.5))).toBe('2026-03-10 11:30');
    expect(show(cal.addWorkingHours(at('2026-03-10', '11:00'), 1))).toBe('2026-03-10 14:00');
    expect(show(cal.addWorkingHours(at('2026-03-10', '07:00'), 8))).toBe('2026-03-10 17:00');
    expect(show(cal.addWorkingHours(at('2026-03-10', '07:00'), 16))).toBe('2026-03-11 17:00');
  });

  it('working days at an instant: 1 day = 8 h', () => {
    expect(show(cal.addWorkingDaysAt(at('2026-04-23', '16:30'), 1))).toBe('2026-04-24 16:30');
    expect(show(cal.addWorkingDaysAt(at('2026-04-23', '16:30'), 2))).toBe('2026-04-28 16:30');
    expect(show(cal.addWorkingDaysAt(at('2026-04-23', '09:00'), 0.5))).toBe('2026-04-23 15:00');
  });

  it('workingHoursBetween', () => {
    expect(cal.workingHoursBetween(at('2026-03-13', '16:00'), at('2026-03-16', '08:00'))).toBe(2);
    expect(cal.workingHoursBetween(at('2026-03-16', '08:00'), at('2026-03-13', '16:00'))).toBe(-2);
    expect(cal.workingHoursBetween(at('2026-03-10', '11:00'), at('2026-03-10', '14:00'))).toBe(1);
  });

  it('isWorkingTime', () => {
    expect(cal.isWorkingTime(at('2026-03-10', '07:00'))).toBe(true);
    expect(cal.isWorkingTime(at('2026-03-10', '11:30'))).toBe(false);
    expect(cal.isWorkingTime(at('2026-03-10', '16:59'))).toBe(true);
    expect(cal.isWorkingTime(at('2026-03-14', '09:00'))).toBe(false);
  });

  it('uses UTC+7 whatever the instant', () => {
    // 2026-03-10T00:30Z is 07:30 in Hà Nội.
    expect(show(cal.addWorkingHours(new Date('2026-03-10T00:30:00Z'), 1))).toBe('2026-03-10 08:30');
  });

  it('custom hours', () => {
    const c = new WorkCalendar({ hours: { morning: ['08:00', '12:00'], afternoon: ['13:00', '17:00'] } });
    expect(show(c.addWorkingHours(at('2026-03-10', '11:30'), 1))).toBe('2026-03-10 13:30');
    expect(
      () => new WorkCalendar({ hours: { morning: ['08:00', '14:00'], afternoon: ['13:00', '17:00'] } }),
    ).toThrow(RangeError);
    expect(
      () => new WorkCalendar({ hours: { morning: ['8:00', '12:00'], afternoon: ['13:00', '17:00'] } }),
    ).toThrow(RangeError);
  });

  it('rejects bad input', () => {
    expect(() => cal.addWorkingHours(new Date(Number.NaN), 1)).toThrow(RangeError);
    expect(() => cal.addWorkingHours(at('2026-03-10', '09:00'), -1)).toThrow(RangeError);
    expect(() => cal.addWorkingHours(at('2026-03-10', '09:00'), Number.POSITIVE_INFINITY)).toThrow(
      RangeError,
    );
  });
});

describe('pauses (supplement requests)', () => {
  const start = at('2026-03-09', '08:00'); // Monday

  it('no pause: same as addWorkingHours', () => {
    expect(show(cal.dueWithPauses(start, 16, []))).toBe('2026-03-11 08:00');
  });

  it('shifts the deadline by the working time paused', () => {
    // Paused Mon 10:00 → Tue 10:00: 5 h on Monday + 3 h on Tuesday = 8 h → due one working day later.
    const due = cal.dueWithPauses(start, 16, [
      { from: at('2026-03-09', '10:00'), to: at('2026-03-10', '10:00') },
    ]);
    expect(show(due)).toBe('2026-03-12 08:00');
  });

  it('a pause outside working time shifts nothing; the clock restarts like a receipt', () => {
    const weekend = [{ from: at('2026-03-13', '17:30'), to: at('2026-03-15', '20:00') }];
    expect(show(cal.dueWithPauses(start, 40, weekend))).toBe(show(cal.addWorkingHours(start, 40)));
    // Resumed Tuesday 20:00 → counting goes on from Wednesday 07:00.
    const evening = [{ from: at('2026-03-09', '16:00'), to: at('2026-03-10', '20:00') }];
    // Mon 08:00–16:00 = 3.5 h + 2.5 h = 6 h used; 2 h left from Wed 07:00 → 09:00.
    expect(show(cal.dueWithPauses(start, 8, evening))).toBe('2026-03-11 09:00');
  });

  it('ignores pauses after the deadline and before the start; merges overlaps', () => {
    expect(
      show(cal.dueWithPauses(start, 8, [{ from: at('2026-03-10', '09:00'), to: at('2026-03-12', '09:00') }])),
    ).toBe('2026-03-10 08:00');
    expect(
      show(cal.dueWithPauses(start, 8, [{ from: at('2026-03-06', '09:00'), to: at('2026-03-07', '09:00') }])),
    ).toBe('2026-03-10 08:00');
    const overlapping = [
      { from: at('2026-03-09', '09:00'), to: at('2026-03-09', '10:00') },
      { from: at('2026-03-09', '09:30'), to: at('2026-03-09', '10:30') },
    ];
    expect(show(cal.dueWithPauses(start, 8, overlapping))).toBe('2026-03-10 09:30');
  });

  it('open pause: null without `now`, provisional deadline with `now`', () => {
    const open = [{ from: at('2026-03-09', '10:00'), to: null }];
    expect(cal.dueWithPauses(start, 16, open)).toBeNull();
    expect(show(cal.dueWithPauses(start, 16, open, at('2026-03-10', '10:00')))).toBe('2026-03-12 08:00');
    // An open pause that begins after the deadline does not matter.
    expect(show(cal.dueWithPauses(start, 1, open))).toBe('2026-03-09 09:00');
  });

  it('rejects a pause that ends before it starts', () => {
    expect(() =>
      cal.dueWithPauses(start, 8, [{ from: at('2026-03-09', '10:00'), to: at('2026-03-09', '09:00') }]),
    ).toThrow(RangeError);
  });
});

describe('working time, properties', () => {
  const lo = toDayNumber(2020, 1, 1) * MS_PER_DAY;
  const hi = toDayNumber(2035, 12, 31) * MS_PER_DAY;
  const instant = fc
    .integer({ min: lo / MS_PER_MINUTE, max: hi / MS_PER_MINUTE })
    .map((m) => new Date(m * MS_PER_MINUTE));
  const minutes = fc.integer({ min: 1, max: 40 * 60 });
  const SESSIONS = [
    [7 * 60, 11 * 60 + 30],
    [13 * 60 + 30, 17 * 60],
  ] as const;
  const localMinuteOfDay = (d: Date) => {
    const local = d.getTime() + VN_UTC_OFFSET_MS;
    return (local - Math.floor(local / MS_PER_DAY) * MS_PER_DAY) / MS_PER_MINUTE;
  };
  const localDay = (d: Date) => Math.floor((d.getTime() + VN_UTC_OFFSET_MS) / MS_PER_DAY);

  it('addWorkingHours (h > 0) lands in (session start, session end] of a working day, after the start', () => {
    fc.assert(
      fc.property(instant, minutes, (t, m) => {
        const due = cal.addWorkingHours(t, m / 60);
        expect(due.getTime()).toBeGreaterThan(t.getTime());
        expect(cal.isWorkingDayNumber(localDay(due))).toBe(true);
        const tod = localMinuteOfDay(due);
        expect(SESSIONS.some(([s, e]) => tod > s && tod <= e)).toBe(true);
      }),
    );
  });

  it('clockStart lands in [session start, session end) of a working day', () => {
    fc.assert(
      fc.property(instant, (t) => {
        const s0 = cal.clockStart(t);
        expect(cal.isWorkingTime(s0)).toBe(true);
        expect(s0.getTime()).toBeGreaterThanOrEqual(t.getTime());
      }),
    );
  });

  it('the working time between the start and the result is exactly h; addition composes', () => {
    fc.assert(
      fc.property(instant, minutes, minutes, (t, a, b) => {
        const due = cal.addWorkingHours(t, a / 60);
        expect(Math.round(cal.workingHoursBetween(t, due) * 60)).toBe(a);
        expect(cal.addWorkingHours(t, (a + b) / 60).getTime()).toBe(
          cal.addWorkingHours(due, b / 60).getTime(),
        );
      }),
    );
  });

  it('agrees with a minute-by-minute simulation', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 12 * 60 }), (t, m) => {
        let cur = t.getTime();
        for (let left = m; left > 0; cur += MS_PER_MINUTE) {
          if (cal.isWorkingTime(new Date(cur))) left--;
        }
        expect(show(cal.addWorkingHours(t, m / 60))).toBe(show(new Date(cur)));
      }),
      { numRuns: 60 },
    );
  });

  it('pauses never bring the deadline forward, and pauses in non-working time change nothing', () => {
    fc.assert(
      fc.property(instant, minutes, instant, fc.integer({ min: 0, max: 5 * 24 * 60 }), (t, m, p, len) => {
        const plain = cal.addWorkingHours(t, m / 60);
        const pause = { from: p, to: new Date(p.getTime() + len * MS_PER_MINUTE) };
        const due = cal.dueWithPauses(t, m / 60, [pause])!;
        expect(due.getTime()).toBeGreaterThanOrEqual(plain.getTime());
        const pausedWork = cal.workingHoursBetween(
          new Date(Math.max(pause.from.getTime(), t.getTime())),
          new Date(Math.max(pause.to.getTime(), t.getTime())),
        );
        if (pausedWork === 0) expect(due.getTime()).toBe(plain.getTime());
        // The working time elapsed outside the pause is exactly h.
        const total = cal.workingHoursBetween(t, due);
        const inPause = cal.workingHoursBetween(
          new Date(Math.min(Math.max(pause.from.getTime(), t.getTime()), due.getTime())),
          new Date(Math.min(Math.max(pause.to.getTime(), t.getTime()), due.getTime())),
        );
        expect(Math.round((total - inPause) * 60)).toBe(m);
      }),
    );
  });

  it('hours stay exact to the millisecond', () => {
    const t = at('2026-03-10', '07:00');
    expect(cal.addWorkingHours(t, 1 / 3).getTime() - t.getTime()).toBe(20 * MS_PER_MINUTE);
    expect(cal.workingHoursBetween(t, new Date(t.getTime() + MS_PER_HOUR))).toBe(1);
  });
});
