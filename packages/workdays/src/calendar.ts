/**
 * The working calendar: which days are working days, and deadline arithmetic on days and on working time.
 *
 * Internals: day numbers (days since 1970-01-01). Whole years are laid out in a window of flat typed
 * arrays, built lazily and grown on demand:
 * - `off[i]`  1 when day `base + i` is not a working day;
 * - `cum[i]`  number of working days in `[base, base + i)` (so `cum[i + 1]` counts day `i` itself);
 * - `work[k]` offset of the k-th working day of the window.
 * With these, adding n working days, counting the working days between two dates and converting working
 * time to instants are O(1) array reads; no `Date` or string is built per step.
 */

import {
  formatIsoDate,
  type IsoDate,
  MS_PER_DAY,
  MS_PER_HOUR,
  parseClock,
  toDayNumber,
  tryParseIsoDate,
  VN_UTC_OFFSET_MS,
  weekdayOf,
  yearOfDayNumber,
} from './daynum.ts';
import {
  assertSupportedYear,
  type CompiledRules,
  type ComputedDayOff,
  compileRules,
  computeYearDaysOff,
  type DayOff,
  DEFAULT_WEEKLY_REST,
  type HolidayRule,
  indexNotices,
  listDaysOff,
  MAX_YEAR,
  MIN_YEAR,
  type Notice,
  VN_HOLIDAY_RULES,
  weeklyRestMaskOf,
} from './holidays.ts';

/** Office hours: a morning and an afternoon session, `'HH:MM'` local time (UTC+7). */
export interface WorkingHours {
  morning: readonly [string, string];
  afternoon: readonly [string, string];
}

/** Thanh Hóa / OpenCPS default: 07:00–11:30 and 13:30–17:00, 8 hours. */
export const DEFAULT_WORKING_HOURS: WorkingHours = Object.freeze({
  morning: Object.freeze(['07:00', '11:30'] as const),
  afternoon: Object.freeze(['13:30', '17:00'] as const),
});

export interface WorkCalendarOptions {
  /** The yearly government notices: extra days off, working Saturdays, the concrete Tết / 2/9 days. */
  notices?: readonly Notice[];
  /** Weekly rest days, 0 = Sunday … 6 = Saturday. Default `[0, 6]`. */
  weeklyRest?: readonly number[];
  /** Office hours. Default {@link DEFAULT_WORKING_HOURS}. */
  hours?: WorkingHours;
  /** Hours in one "working day" of a duration (STANDARDS §6.2: 8). Default 8. */
  hoursPerDay?: number;
  /** The holiday rules. Default {@link VN_HOLIDAY_RULES}. */
  rules?: readonly HolidayRule[];
}

/** A suspension of the processing clock, e.g. while the dossier waits for the citizen to supplement it. */
export interface Pause {
  from: Date;
  /** `null` while the pause is still open. */
  to: Date | null;
}

function assertInstant(at: Date, what: string): number {
  const t = at instanceof Date ? at.getTime() : Number.NaN;
  if (!Number.isFinite(t)) throw new RangeError(`${what} is not a valid Date`);
  return t;
}

function assertAmount(x: number, what: string): void {
  if (!(typeof x === 'number' && Number.isFinite(x) && x >= 0)) {
    throw new RangeError(`${what} must be a finite number ≥ 0, got ${x}`);
  }
}

function dayNumberOrThrow(date: IsoDate): number {
  const dn = tryParseIsoDate(date);
  if (Number.isNaN(dn)) throw new RangeError(`Not a valid YYYY-MM-DD date: ${JSON.stringify(date)}`);
  return dn;
}

export class WorkCalendar {
  readonly weeklyRest: readonly number[];
  readonly hours: WorkingHours;
  readonly hoursPerDay: number;
  readonly notices: readonly Notice[];
  readonly rules: readonly HolidayRule[];

  readonly #compiled: CompiledRules;
  readonly #noticesByYear: Map<number, Notice[]>;
  readonly #restMask: boolean[];
  readonly #yearCache = new Map<number, ComputedDayOff[]>();

  // Office-hour sessions in ms since local midnight, and working ms per working day.
  readonly #segStart: number[];
  readonly #segEnd: number[];
  readonly #dayMs: number;

  // The window [#loYear, #hiYear] of whole years (empty while #len = 0).
  #loYear = 0;
  #hiYear = -1;
  #base = 0;
  #len = 0;
  #off = new Uint8Array(0);
  #cum = new Int32Array(1);
  #work = new Int32Array(0);
  #workCount = 0;
  #iso: Array<string | undefined> = [];

  constructor(options: WorkCalendarOptions = {}) {
    this.weeklyRest = [...(options.weeklyRest ?? DEFAULT_WEEKLY_REST)];
    this.#restMask = weeklyRestMaskOf(this.weeklyRest);
    // Frozen copies: days off are computed lazily, so later edits by the caller must not leak in.
    this.rules = options.rules ? options.rules.map((r) => Object.freeze({ ...r })) : VN_HOLIDAY_RULES;
    this.#compiled = compileRules(this.rules);
    this.notices = (options.notices ?? []).map((n) => Object.freeze({ ...n }));
    this.#noticesByYear = indexNotices(this.notices, this.#compiled);
    this.hoursPerDay = options.hoursPerDay ?? 8;
    if (!(Number.isFinite(this.hoursPerDay) && this.hoursPerDay > 0)) {
      throw new RangeError(`hoursPerDay must be > 0, got ${this.hoursPerDay}`);
    }
    this.hours = options.hours ?? DEFAULT_WORKING_HOURS;
    const sessions = [this.hours.morning, this.hours.afternoon].map(([s, e]) => [
      parseClock(s),
      parseClock(e),
    ]);
    this.#segStart = sessions.map((s) => s[0]!);
    this.#segEnd = sessions.map((s) => s[1]!);
    let previousEnd = 0;
    let dayMs = 0;
    for (let j = 0; j < this.#segStart.length; j++) {
      const s = this.#segStart[j]!;
      const e = this.#segEnd[j]!;
      if (!(s >= previousEnd && e > s)) {
        throw new RangeError('Working hours must be increasing: morning start < end ≤ afternoon start < end');
      }
      previousEnd = e;
      dayMs += e - s;
    }
    this.#dayMs = dayMs;
  }

  // ---------------------------------------------------------------------------------------------------
  // Days off

  #computeYear(year: number): ComputedDayOff[] {
    let c = this.#yearCache.get(year);
    if (!c) {
      c = computeYearDaysOff(year, {
        compiled: this.#compiled,
        notices: this.#noticesByYear.get(year) ?? [],
        weeklyRestMask: this.#restMask,
      });
      this.#yearCache.set(year, c);
    }
    return c;
  }

  /**
   * The days off dated in `year` other than weekly rest days: the holidays (also those on a weekend), the
   * make-up days (`compensatory`) and the notices' other days off (`notice`), sorted by date.
   */
  daysOff(year: number): DayOff[] {
    assertSupportedYear(year);
    return listDaysOff(year, (y) => this.#computeYear(y));
  }

  /** The weekend days that the notices make working days in `year` (`makeup_workday`), sorted by date. */
  makeupWorkdays(year: number): Notice[] {
    assertSupportedYear(year);
    return (this.#noticesByYear.get(year) ?? [])
      .filter((n) => n.kind === 'makeup_workday')
      .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  }

  // ---------------------------------------------------------------------------------------------------
  // The window

  #rebuild(loYear: number, hiYear: number): void {
    const base = toDayNumber(loYear, 1, 1);
    const len = toDayNumber(hiYear + 1, 1, 1) - base;
    const off = new Uint8Array(len);
    let w = weekdayOf(base);
    for (let i = 0; i < len; i++) {
      if (this.#restMask[w]) off[i] = 1;
      w = w === 6 ? 0 : w + 1;
    }
    for (let y = Math.max(MIN_YEAR, loYear - 1); y <= hiYear; y++) {
      for (const c of this.#computeYear(y)) {
        const i = c.dayNumber - base;
        if (i >= 0 && i < len) off[i] = 1;
      }
      for (const n of this.#noticesByYear.get(y) ?? []) {
        if (n.kind !== 'makeup_workday') continue;
        const i = dayNumberOrThrow(n.date) - base;
        if (i >= 0 && i < len) off[i] = 0;
      }
    }
    const cum = new Int32Array(len + 1);
    let count = 0;
    for (let i = 0; i < len; i++) {
      cum[i] = count;
      if (off[i] === 0) count++;
    }
    cum[len] = count;
    const work = new Int32Array(count);
    for (let i = 0, k = 0; i < len; i++) if (off[i] === 0) work[k++] = i;

    const oldIso = this.#iso;
    const shift = this.#base - base;
    const iso: Array<string | undefined> = new Array(len);
    for (let i = 0; i < oldIso.length; i++) {
      const s = oldIso[i];
      if (s !== undefined) iso[i + shift] = s;
    }
    this.#loYear = loYear;
    this.#hiYear = hiYear;
    this.#base = base;
    this.#len = len;
    this.#off = off;
    this.#cum = cum;
    this.#work = work;
    this.#workCount = count;
    this.#iso = iso;
  }

  /** Makes the window cover days `lo..hi` (RangeError outside the supported years). */
  #ensureDays(lo: number, hi: number): void {
    if (!Number.isInteger(lo) || !Number.isInteger(hi))
      throw new RangeError(`Not a day number: ${lo}, ${hi}`);
    if (lo >= this.#base && hi < this.#base + this.#len) return;
    const yLo = yearOfDayNumber(lo);
    const yHi = yearOfDayNumber(hi);
    assertSupportedYear(yLo);
    assertSupportedYear(yHi);
    if (this.#len === 0) {
      this.#rebuild(Math.max(MIN_YEAR, yLo - 5), Math.min(MAX_YEAR, yHi + 15));
    } else {
      const newLo = yLo < this.#loYear ? Math.max(MIN_YEAR, yLo - 10) : this.#loYear;
      const newHi = yHi > this.#hiYear ? Math.min(MAX_YEAR, yHi + 10) : this.#hiYear;
      this.#rebuild(newLo, newHi);
    }
  }

  /** Grows the window forward (the base stays put) until working day index `k` exists. */
  #ensureWorkIndex(k: number): void {
    while (k >= this.#workCount) {
      if (this.#hiYear >= MAX_YEAR) {
        throw new RangeError(`Result is beyond the supported range (year ${MAX_YEAR})`);
      }
      this.#rebuild(this.#loYear, Math.min(MAX_YEAR, this.#hiYear + 20));
    }
  }

  #isoOf(dn: number): IsoDate {
    const i = dn - this.#base;
    if (i >= 0 && i < this.#len) {
      const cached = this.#iso[i];
      if (cached !== undefined) return cached;
      const s = formatIsoDate(dn);
      this.#iso[i] = s;
      return s;
    }
    return formatIsoDate(dn);
  }

  // ---------------------------------------------------------------------------------------------------
  // Whole days (day-number API: the same functions without string parsing)

  /** Whether day number `dn` is a working day. */
  isWorkingDayNumber(dn: number): boolean {
    if (!(dn >= this.#base && dn < this.#base + this.#len && Number.isInteger(dn))) this.#ensureDays(dn, dn);
    return this.#off[dn - this.#base] === 0;
  }

  /** {@link addWorkingDays} on day numbers. */
  addWorkingDaysToDayNumber(dn: number, n: number): number {
    if (!(Number.isInteger(n) && n >= 0)) throw new RangeError(`n must be an integer ≥ 0, got ${n}`);
    let i = dn - this.#base;
    // Negated form so that NaN / non-integers fall into #ensureDays, which throws RangeError.
    if (!(i >= 0 && i < this.#len && Number.isInteger(i))) {
      this.#ensureDays(dn, dn);
      i = dn - this.#base;
    }
    const k = n === 0 ? this.#cum[i]! : this.#cum[i + 1]! + n - 1;
    if (k >= this.#workCount) this.#ensureWorkIndex(k);
    return this.#base + this.#work[k]!;
  }

  /** {@link workingDaysBetween} on day numbers. */
  workingDaysBetweenDayNumbers(a: number, b: number): number {
    this.#ensureDays(Math.min(a, b), Math.max(a, b));
    return this.#cum[b - this.#base + 1]! - this.#cum[a - this.#base + 1]!;
  }

  // ---------------------------------------------------------------------------------------------------
  // Whole days (ISO dates)

  /** Whether `date` is a working day: not a weekly rest day (unless worked by notice) and not a day off. */
  isWorkingDay(date: IsoDate): boolean {
    return this.isWorkingDayNumber(dayNumberOrThrow(date));
  }

  /**
   * The n-th working day strictly after `date` (n ≥ 1). `date` itself never counts, whether or not it is
   * a working day: Friday + 1 = Monday, Saturday + 1 = Monday. With n = 0: `date` if it is a working day,
   * else the next working day (the day the clock starts). `addWorkingDays(d, a + b)` equals
   * `addWorkingDays(addWorkingDays(d, a), b)` for every a ≥ 1.
   */
  addWorkingDays(date: IsoDate, n: number): IsoDate {
    return this.#isoOf(this.addWorkingDaysToDayNumber(dayNumberOrThrow(date), n));
  }

  /**
   * Number of working days in `(a, b]` — `a` excluded, `b` included — so that
   * `workingDaysBetween(d, addWorkingDays(d, n)) === n` for n ≥ 1. Negative when `b < a`
   * (`workingDaysBetween(b, a) === -workingDaysBetween(a, b)`).
   */
  workingDaysBetween(a: IsoDate, b: IsoDate): number {
    return this.workingDaysBetweenDayNumbers(dayNumberOrThrow(a), dayNumberOrThrow(b));
  }

  /** The next working day on or after `date` (= `addWorkingDays(date, 0)`). */
  nextWorkingDayOnOrAfter(date: IsoDate): IsoDate {
    return this.addWorkingDays(date, 0);
  }

  // ---------------------------------------------------------------------------------------------------
  // Working time on instants (Asia/Ho_Chi_Minh, UTC+7)

  /** Working ms of day `i` of the window up to local time-of-day `tod`. */
  #workedInDay(i: number, tod: number): number {
    if (this.#off[i] !== 0) return 0;
    let sum = 0;
    for (let j = 0; j < this.#segStart.length; j++) {
      const s = this.#segStart[j]!;
      if (tod <= s) break;
      const e = this.#segEnd[j]!;
      sum += Math.min(tod, e) - s;
    }
    return sum;
  }

  /** Working ms from the window base to instant `t` (epoch ms). The window must cover `t`. */
  #workClock(t: number): number {
    const local = t + VN_UTC_OFFSET_MS;
    const dn = Math.floor(local / MS_PER_DAY);
    const i = dn - this.#base;
    return this.#cum[i]! * this.#dayMs + this.#workedInDay(i, local - dn * MS_PER_DAY);
  }

  #ensureInstants(a: number, b: number): void {
    const da = Math.floor((a + VN_UTC_OFFSET_MS) / MS_PER_DAY);
    const db = Math.floor((b + VN_UTC_OFFSET_MS) / MS_PER_DAY);
    this.#ensureDays(Math.min(da, db), Math.max(da, db));
  }

  /** Instant (epoch ms) at which the working clock reads `w` (> 0): the earliest such instant. */
  #instantAtWorkClock(w: number): number {
    const k = Math.ceil(w / this.#dayMs) - 1;
    let r = w - k * this.#dayMs; // in (0, dayMs]
    if (k >= this.#workCount) this.#ensureWorkIndex(k);
    const dn = this.#base + this.#work[k]!;
    let tod = this.#segEnd[this.#segEnd.length - 1]!;
    for (let j = 0; j < this.#segStart.length; j++) {
      const s = this.#segStart[j]!;
      const len = this.#segEnd[j]! - s;
      if (r <= len) {
        tod = s + r;
        break;
      }
      r -= len;
    }
    return dn * MS_PER_DAY + tod - VN_UTC_OFFSET_MS;
  }

  #clockStartMs(t: number): number {
    this.#ensureInstants(t, t);
    const local = t + VN_UTC_OFFSET_MS;
    const dn = Math.floor(local / MS_PER_DAY);
    const tod = local - dn * MS_PER_DAY;
    if (this.#off[dn - this.#base] === 0) {
      for (let j = 0; j < this.#segStart.length; j++) {
        const e = this.#segEnd[j]!;
        if (tod < e) {
          const s = this.#segStart[j]!;
          return t + (tod < s ? s - tod : 0);
        }
      }
    }
    const next = this.addWorkingDaysToDayNumber(dn, 1);
    return next * MS_PER_DAY + this.#segStart[0]! - VN_UTC_OFFSET_MS;
  }

  #addWorkingMs(t: number, ms: number): number {
    if (ms === 0) return this.#clockStartMs(t);
    this.#ensureInstants(t, t);
    return this.#instantAtWorkClock(this.#workClock(t) + ms);
  }

  #workingMsBetween(a: number, b: number): number {
    this.#ensureInstants(a, b);
    return this.#workClock(b) - this.#workClock(a);
  }

  /** Whether `at` is inside office hours (`[start, end)` of a session) of a working day. */
  isWorkingTime(at: Date): boolean {
    const t = assertInstant(at, 'at');
    this.#ensureInstants(t, t);
    const local = t + VN_UTC_OFFSET_MS;
    const dn = Math.floor(local / MS_PER_DAY);
    if (this.#off[dn - this.#base] !== 0) return false;
    const tod = local - dn * MS_PER_DAY;
    for (let j = 0; j < this.#segStart.length; j++) {
      if (tod >= this.#segStart[j]! && tod < this.#segEnd[j]!) return true;
    }
    return false;
  }

  /**
   * When the working clock starts for something received at `at`: `at` itself inside office hours;
   * the session start when before it (before opening → 07:00, during lunch → 13:30); the first session of
   * the next working day when after closing (≥ 17:00) or on a day that is not a working day.
   */
  clockStart(at: Date): Date {
    return new Date(this.#clockStartMs(assertInstant(at, 'at')));
  }

  /**
   * The instant at which `hours` working hours have elapsed since `at` (counted from {@link clockStart}),
   * spilling across lunch, nights, weekends and days off. For `hours` > 0 the result is the EARLIEST such
   * instant, so a deadline that uses up a session exactly ends at the session's end (11:30 or 17:00), never
   * at the next session's start; it always lies in `(session start, session end]` of a working day.
   * For `hours` = 0 the result is {@link clockStart}. Precision: 1 ms.
   */
  addWorkingHours(at: Date, hours: number): Date {
    const t = assertInstant(at, 'at');
    assertAmount(hours, 'hours');
    return new Date(this.#addWorkingMs(t, Math.round(hours * MS_PER_HOUR)));
  }

  /** {@link addWorkingHours} with `days × hoursPerDay` hours (1 working day = 8 h, STANDARDS §6.2). */
  addWorkingDaysAt(at: Date, days: number): Date {
    assertAmount(days, 'days');
    return this.addWorkingHours(at, days * this.hoursPerDay);
  }

  /** Working hours between two instants (office hours of working days only); negative when `b < a`. */
  workingHoursBetween(a: Date, b: Date): number {
    return this.#workingMsBetween(assertInstant(a, 'a'), assertInstant(b, 'b')) / MS_PER_HOUR;
  }

  /**
   * The deadline of `workingHours` of working time from `start`, with the clock stopped during `pauses`
   * (e.g. supplement requests): the earliest instant at which the working time elapsed since `start`
   * outside the pauses reaches `workingHours`. A pause therefore shifts the deadline by the working time it
   * covers (a pause over a weekend or a night shifts nothing); pauses may overlap or lie after the
   * deadline (then they change nothing). After a pause the clock restarts like a receipt (after 17:00 →
   * 07:00 next working day).
   *
   * An open pause (`to: null`) ends at `now` when `now` is given (a provisional deadline "if the citizen
   * supplemented now"); without `now` the deadline is unknown and the result is `null` — unless the
   * deadline falls before the open pause begins.
   */
  dueWithPauses(start: Date, workingHours: number, pauses: readonly Pause[], now?: Date): Date | null {
    let cur = assertInstant(start, 'start');
    assertAmount(workingHours, 'workingHours');
    const nowMs = now === undefined ? undefined : assertInstant(now, 'now');
    let remaining = Math.round(workingHours * MS_PER_HOUR);
    if (remaining === 0) return new Date(this.#clockStartMs(cur));
    const list = pauses
      .map((p, idx) => {
        const from = assertInstant(p.from, `pauses[${idx}].from`);
        const to =
          p.to === null
            ? nowMs === undefined
              ? Number.POSITIVE_INFINITY
              : Math.max(nowMs, from)
            : assertInstant(p.to, `pauses[${idx}].to`);
        if (to < from) throw new RangeError(`pauses[${idx}] ends before it starts`);
        return { from, to };
      })
      .sort((x, y) => x.from - y.from);
    for (const p of list) {
      if (p.to <= cur) continue;
      const from = Math.max(p.from, cur);
      const available = this.#workingMsBetween(cur, from);
      if (available >= remaining) return new Date(this.#addWorkingMs(cur, remaining));
      remaining -= available;
      if (p.to === Number.POSITIVE_INFINITY) return null;
      cur = p.to;
    }
    return new Date(this.#addWorkingMs(cur, remaining));
  }
}

let statutory: WorkCalendar | undefined;

/**
 * The calendar of the statutory rules alone (no notices; Sat/Sun rest; default hours), shared. What the
 * CLI uses: `statutoryCalendar().addWorkingDays('2026-04-24', 1)`, `statutoryCalendar().daysOff(2026)`.
 */
export function statutoryCalendar(): WorkCalendar {
  statutory ??= new WorkCalendar();
  return statutory;
}
