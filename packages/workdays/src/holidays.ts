/**
 * Statutory days off as data, and the per-year computation of a year's days off.
 *
 * Legal frame (STANDARDS §6.1):
 * - Bộ luật Lao động 45/2019/QH14, Điều 112.1 — the art. 112.1 holidays (11 days);
 *   Điều 112.3 — the Prime Minister fixes the concrete Tết days and the day adjacent to 2/9;
 *   Điều 111.3 — a weekly rest day that coincides with an art. 112.1 holiday is made up on the next
 *   working day.
 * - Nghị quyết 28/2026/QH16, Điều 2 — 24/11 "Ngày Văn hóa Việt Nam", a paid day off from 01/7/2026,
 *   outside art. 112.1, so not made up.
 *
 * Every rule is an effective-dated record in {@link VN_HOLIDAY_RULES}; a change in the law is a data edit
 * (close a rule with `validTo`, add one with `validFrom`). The yearly government notice comes in as
 * {@link Notice} records: extra days off, swapped working Saturdays, and — through `replaces` — the concrete
 * days of the rules the Prime Minister fixes each year (`decidedByNotice`).
 */

import {
  formatIsoDate,
  fromDayNumber,
  type IsoDate,
  parseIsoDate,
  toDayNumber,
  weekdayOf,
  yearOfDayNumber,
} from './daynum.ts';
import { lunarToSolar } from './lunar.ts';

interface HolidayRuleBase {
  /** Stable identifier, also used by `relative` rules and by `Notice.replaces`. */
  id: string;
  /** Vietnamese name as it is printed, e.g. `'Giỗ Tổ Hùng Vương'`. */
  name: string;
  /** First date (inclusive, `'YYYY-MM-DD'`) on which an occurrence of the rule is a day off. */
  validFrom: IsoDate;
  /** Last date (inclusive) on which an occurrence is a day off; `null` while the rule is in force. */
  validTo: IsoDate | null;
  /** Điều 111.3: an occurrence on a weekly rest day is made up on the next working day. */
  makeUp: boolean;
  /**
   * Điều 112.3: the rule only gives the default placement; the yearly notice fixes the actual days.
   * Notices with `replaces` equal to the rule's `group` (or `id` when no group) replace the rule's
   * occurrences in that year.
   */
  decidedByNotice: boolean;
  /** Rules that a notice replaces together (the five Tết days), default the rule's `id`. */
  group?: string;
  /** Legal basis, for people reading the data. */
  basis: string;
}

/** A fixed day of the solar (Gregorian) calendar every year. */
export interface SolarHolidayRule extends HolidayRuleBase {
  kind: 'solar';
  month: number;
  day: number;
}

/** A day of the Vietnamese lunar calendar (UTC+7), non-leap month, on whichever solar date it falls. */
export interface LunarHolidayRule extends HolidayRuleBase {
  kind: 'lunar';
  month: number;
  day: number;
}

/** A day at a fixed offset from each occurrence of another rule (e.g. the day before Tết). */
export interface RelativeHolidayRule extends HolidayRuleBase {
  kind: 'relative';
  /** `id` of the rule this one is relative to. Its own validity does not matter, only the date. */
  to: string;
  offsetDays: number;
}

export type HolidayRule = SolarHolidayRule | LunarHolidayRule | RelativeHolidayRule;

/**
 * A line of the yearly notice (Thông báo of Bộ LĐTBXH to 2025, Bộ Nội vụ from 2026).
 * - `day_off`: the date is a day off (e.g. a swapped weekday, Fri 2/5/2025).
 * - `makeup_workday`: the date is a working day (e.g. the Saturday worked in exchange, Sat 26/4/2025).
 */
export interface Notice {
  date: IsoDate;
  kind: 'day_off' | 'makeup_workday';
  name: string;
  /**
   * Only for `day_off`: the group (or id) of a `decidedByNotice` rule whose default days this notice fixes
   * in the notice's year — e.g. `'tet-nguyen-dan'`, `'quoc-khanh-lien-ke'`. All notices of a year that
   * replace a group together replace all of its default occurrences. The listed days are taken as given
   * (the notice already arranges them; no automatic make-up).
   */
  replaces?: string;
  /** Reference of the notice, e.g. `'6150/TB-BLĐTBXH'`. Informational. */
  source?: string;
}

/** `holiday`: the holiday itself; `compensatory`: nghỉ bù (Điều 111.3); `notice`: another day off by notice. */
export type DayOffKind = 'holiday' | 'compensatory' | 'notice';

export interface DayOff {
  date: IsoDate;
  name: string;
  kind: DayOffKind;
  /** The rule behind a `holiday` or `compensatory` day, when it comes from a rule. */
  ruleId?: string;
}

/** Weekly rest days of the civil service: Sunday and Saturday (NĐ 45/2013 Điều 5 style, 40-hour week). */
export const DEFAULT_WEEKLY_REST: readonly number[] = [0, 6];

const BLLD_2019 = 'BLLĐ 45/2019/QH14 Điều 112.1';
/**
 * The core days were already in BLLĐ 10/2012/QH13 Điều 115 (in force 01/5/2013) [R: recollection, not read
 * for this package]; the 2-day Quốc khánh is new in BLLĐ 2019 (in force 01/01/2021).
 */
const SINCE_2013 = '2013-05-01';

/**
 * The statutory rules (data, frozen). Order matters only for the listing of coinciding days. To change
 * the law for a deployment, pass an edited copy as `new WorkCalendar({ rules })`.
 */
export const VN_HOLIDAY_RULES: readonly HolidayRule[] = Object.freeze(
  (
    [
      {
        id: 'tet-duong-lich',
        name: 'Tết Dương lịch',
        kind: 'solar',
        month: 1,
        day: 1,
        validFrom: SINCE_2013,
        validTo: null,
        makeUp: true,
        decidedByNotice: false,
        basis: `${BLLD_2019}.a`,
      },
      {
        // The last day of the old lunar year (30 Tết, or 29 when month 12 is short): default arrangement.
        id: 'tet-cuoi-nam',
        name: 'Tết Nguyên đán',
        kind: 'relative',
        to: 'tet-mung-1',
        offsetDays: -1,
        validFrom: SINCE_2013,
        validTo: null,
        makeUp: true,
        decidedByNotice: true,
        group: 'tet-nguyen-dan',
        basis: `${BLLD_2019}.b (05 ngày); concrete days: Điều 112.3`,
      },
      ...[1, 2, 3, 4].map(
        (day): LunarHolidayRule => ({
          id: `tet-mung-${day}`,
          name: 'Tết Nguyên đán',
          kind: 'lunar',
          month: 1,
          day,
          validFrom: SINCE_2013,
          validTo: null,
          makeUp: true,
          decidedByNotice: true,
          group: 'tet-nguyen-dan',
          basis: `${BLLD_2019}.b (05 ngày); concrete days: Điều 112.3`,
        }),
      ),
      {
        id: 'gio-to-hung-vuong',
        name: 'Giỗ Tổ Hùng Vương',
        kind: 'lunar',
        month: 3,
        day: 10,
        validFrom: SINCE_2013,
        validTo: null,
        makeUp: true,
        decidedByNotice: false,
        basis: `${BLLD_2019}.e`,
      },
      {
        id: 'chien-thang',
        name: 'Ngày Chiến thắng',
        kind: 'solar',
        month: 4,
        day: 30,
        validFrom: SINCE_2013,
        validTo: null,
        makeUp: true,
        decidedByNotice: false,
        basis: `${BLLD_2019}.c`,
      },
      {
        id: 'quoc-te-lao-dong',
        name: 'Ngày Quốc tế Lao động',
        kind: 'solar',
        month: 5,
        day: 1,
        validFrom: SINCE_2013,
        validTo: null,
        makeUp: true,
        decidedByNotice: false,
        basis: `${BLLD_2019}.d`,
      },
      {
        id: 'quoc-khanh',
        name: 'Quốc khánh',
        kind: 'solar',
        month: 9,
        day: 2,
        validFrom: SINCE_2013,
        validTo: null,
        makeUp: true,
        decidedByNotice: false,
        basis: `${BLLD_2019}.đ`,
      },
      {
        // "02/9 và 01 ngày liền kề trước hoặc sau": default = the day after; the notice decides.
        id: 'quoc-khanh-lien-ke',
        name: 'Quốc khánh (ngày liền kề)',
        kind: 'relative',
        to: 'quoc-khanh',
        offsetDays: 1,
        validFrom: '2021-01-01',
        validTo: null,
        makeUp: true,
        decidedByNotice: true,
        basis: `${BLLD_2019}.đ; concrete day: Điều 112.3`,
      },
      {
        id: 'van-hoa-viet-nam',
        name: 'Ngày Văn hóa Việt Nam',
        kind: 'solar',
        month: 11,
        day: 24,
        validFrom: '2026-07-01',
        validTo: null,
        makeUp: false,
        decidedByNotice: false,
        basis: 'NQ 28/2026/QH16 Điều 2 (ngoài Điều 112.1: không nghỉ bù)',
      },
    ] satisfies HolidayRule[]
  ).map((rule): HolidayRule => Object.freeze(rule)),
);

/** Years for which days off can be computed (the range where the lunar algorithm is trusted). */
export const MIN_YEAR = 1900;
export const MAX_YEAR = 2199;

export function assertSupportedYear(year: number): void {
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) {
    throw new RangeError(`Year ${year} is outside the supported range ${MIN_YEAR}–${MAX_YEAR}`);
  }
}

/** A rule set checked once: ids unique, relative targets exist without cycles, dates valid. */
export interface CompiledRules {
  readonly rules: readonly HolidayRule[];
  readonly byId: ReadonlyMap<string, HolidayRule>;
  readonly validFrom: ReadonlyMap<string, number>;
  readonly validTo: ReadonlyMap<string, number>;
  /** group → rules, only for `decidedByNotice` rules. */
  readonly replaceable: ReadonlySet<string>;
}

export function groupOf(rule: HolidayRule): string {
  return rule.group ?? rule.id;
}

export function compileRules(rules: readonly HolidayRule[]): CompiledRules {
  const byId = new Map<string, HolidayRule>();
  const validFrom = new Map<string, number>();
  const validTo = new Map<string, number>();
  const replaceable = new Set<string>();
  for (const rule of rules) {
    if (byId.has(rule.id)) throw new Error(`Duplicate holiday rule id '${rule.id}'`);
    byId.set(rule.id, rule);
    validFrom.set(rule.id, parseIsoDate(rule.validFrom));
    validTo.set(rule.id, rule.validTo === null ? Number.POSITIVE_INFINITY : parseIsoDate(rule.validTo));
    if (rule.decidedByNotice) replaceable.add(groupOf(rule));
    if (rule.kind === 'solar' && (rule.month < 1 || rule.month > 12 || rule.day < 1 || rule.day > 31)) {
      throw new Error(`Rule '${rule.id}': invalid solar date ${rule.day}/${rule.month}`);
    }
    if (rule.kind === 'lunar' && (rule.month < 1 || rule.month > 12 || rule.day < 1 || rule.day > 30)) {
      throw new Error(`Rule '${rule.id}': invalid lunar date ${rule.day}/${rule.month}`);
    }
  }
  for (const rule of rules) {
    const seen = new Set<string>([rule.id]);
    let r: HolidayRule | undefined = rule;
    while (r?.kind === 'relative') {
      if (!Number.isInteger(r.offsetDays)) throw new Error(`Rule '${r.id}': offsetDays must be an integer`);
      const target = byId.get(r.to);
      if (!target) throw new Error(`Rule '${r.id}' is relative to unknown rule '${r.to}'`);
      if (seen.has(target.id)) throw new Error(`Rule '${rule.id}': cycle through relative rules`);
      seen.add(target.id);
      r = target;
    }
  }
  return { rules, byId, validFrom, validTo, replaceable };
}

/** Day numbers on which a rule falls (before validity filtering), among dates of solar year `year`. */
function occurrences(rule: HolidayRule, year: number, byId: ReadonlyMap<string, HolidayRule>): number[] {
  switch (rule.kind) {
    case 'solar': {
      const dn = toDayNumber(year, rule.month, rule.day);
      // 29/2 in a common year (or 31/4 …) does not exist that year.
      return fromDayNumber(dn).m === rule.month ? [dn] : [];
    }
    case 'lunar': {
      // A lunar date of lunar year Y−1 (month 12) or Y (the rest) may fall in solar year Y.
      const out: number[] = [];
      for (const lunarYear of [year - 1, year]) {
        let s: { y: number; m: number; d: number };
        try {
          s = lunarToSolar(rule.day, rule.month, lunarYear);
        } catch {
          continue; // day 30 of a 29-day month: no occurrence that year
        }
        if (s.y === year) out.push(toDayNumber(s.y, s.m, s.d));
      }
      return out;
    }
    case 'relative': {
      const target = byId.get(rule.to)!;
      const out: number[] = [];
      for (const y of [year - 1, year, year + 1]) {
        for (const dn of occurrences(target, y, byId)) {
          const shifted = dn + rule.offsetDays;
          if (fromDayNumber(shifted).y === year) out.push(shifted);
        }
      }
      return out;
    }
  }
}

/** A day off as computed internally, by day number. */
export interface ComputedDayOff {
  dayNumber: number;
  name: string;
  kind: DayOffKind;
  ruleId?: string;
}

export interface YearInput {
  compiled: CompiledRules;
  /** Notices whose date lies in the year. */
  notices: readonly Notice[];
  /** 7 flags, index = weekday (0 = Sunday). */
  weeklyRestMask: readonly boolean[];
}

/**
 * Days off arising from year `year`'s rules and notices, sorted by date. A compensatory day may fall in
 * the next year (never with the current rules); it is listed here, with its holiday.
 *
 * Steps: (1) rule occurrences in the year that are valid on their date; (2) groups replaced by the year's
 * notices are dropped and the notice days put in; (3) other `day_off` notices; (4) Điều 111.3 make-up, in
 * date order: a `makeUp` holiday on a weekly rest day (not turned into a working day by a notice) gets the
 * next day that is neither a weekly rest day, nor already off, nor a Saturday worked by notice; (5)
 * `makeup_workday` notices win over everything else on their date.
 */
export function computeYearDaysOff(year: number, input: YearInput): ComputedDayOff[] {
  const { compiled, notices, weeklyRestMask } = input;
  const replacedGroups = new Set<string>();
  const workdays = new Set<number>();
  for (const n of notices) {
    if (n.kind === 'makeup_workday') workdays.add(parseIsoDate(n.date));
    else if (n.replaces !== undefined) replacedGroups.add(n.replaces);
  }

  const holidays: Array<ComputedDayOff & { makeUp: boolean }> = [];
  for (const rule of compiled.rules) {
    if (replacedGroups.has(groupOf(rule))) continue;
    const from = compiled.validFrom.get(rule.id)!;
    const to = compiled.validTo.get(rule.id)!;
    for (const dn of occurrences(rule, year, compiled.byId)) {
      if (dn < from || dn > to) continue;
      holidays.push({
        dayNumber: dn,
        name: rule.name,
        kind: 'holiday',
        ruleId: rule.id,
        makeUp: rule.makeUp,
      });
    }
  }
  const result: ComputedDayOff[] = [];
  for (const n of notices) {
    if (n.kind !== 'day_off') continue;
    const dayNumber = parseIsoDate(n.date);
    if (n.replaces !== undefined) {
      holidays.push({ dayNumber, name: n.name, kind: 'holiday', makeUp: false });
    } else {
      result.push({ dayNumber, name: n.name, kind: 'notice' });
    }
  }
  holidays.sort((a, b) => a.dayNumber - b.dayNumber);

  const off = new Set<number>();
  for (const h of holidays) off.add(h.dayNumber);
  for (const r of result) off.add(r.dayNumber);
  const isRest = (dn: number) => weeklyRestMask[weekdayOf(dn)] === true && !workdays.has(dn);

  for (const h of holidays) {
    result.push({
      dayNumber: h.dayNumber,
      name: h.name,
      kind: h.kind,
      ...(h.ruleId ? { ruleId: h.ruleId } : {}),
    });
    if (!h.makeUp || !isRest(h.dayNumber)) continue;
    let d = h.dayNumber + 1;
    // A Saturday worked by notice is not where a make-up day goes: the notice wants it worked.
    while (isRest(d) || off.has(d) || workdays.has(d)) d++;
    off.add(d);
    result.push({
      dayNumber: d,
      name: `Nghỉ bù ${h.name}`,
      kind: 'compensatory',
      ...(h.ruleId ? { ruleId: h.ruleId } : {}),
    });
  }
  const kept = result.filter((r) => !workdays.has(r.dayNumber));
  kept.sort((a, b) => a.dayNumber - b.dayNumber);
  return kept;
}

/** Checks a notice list and groups it by the year of each date. */
export function indexNotices(notices: readonly Notice[], compiled: CompiledRules): Map<number, Notice[]> {
  const byYear = new Map<number, Notice[]>();
  const kindByDate = new Map<number, Notice['kind']>();
  for (const n of notices) {
    const dn = parseIsoDate(n.date);
    if (n.kind !== 'day_off' && n.kind !== 'makeup_workday') {
      throw new Error(`Notice ${n.date}: unknown kind '${String(n.kind)}'`);
    }
    const prev = kindByDate.get(dn);
    if (prev !== undefined && prev !== n.kind) {
      throw new Error(`Notice ${n.date}: both a day off and a working day`);
    }
    kindByDate.set(dn, n.kind);
    if (n.replaces !== undefined) {
      if (n.kind !== 'day_off') throw new Error(`Notice ${n.date}: only a day_off can replace rule days`);
      if (!compiled.replaceable.has(n.replaces)) {
        throw new Error(
          `Notice ${n.date}: '${n.replaces}' is not a rule group the yearly notice decides ` +
            `(one of: ${[...compiled.replaceable].join(', ')})`,
        );
      }
    }
    const y = fromDayNumber(dn).y;
    const list = byYear.get(y);
    if (list) list.push(n);
    else byYear.set(y, [n]);
  }
  return byYear;
}

export function weeklyRestMaskOf(weeklyRest: readonly number[]): boolean[] {
  const mask = [false, false, false, false, false, false, false];
  for (const w of weeklyRest) {
    if (!Number.isInteger(w) || w < 0 || w > 6) throw new RangeError(`weeklyRest: ${w} is not a weekday 0–6`);
    mask[w] = true;
  }
  if (mask.every(Boolean)) throw new RangeError('weeklyRest cannot contain all seven days');
  return mask;
}

/**
 * The days off dated in `year`, from the computations of `year` and of `year - 1` (whose compensatory
 * days could spill over), sorted by date (stable: rule order within a date).
 */
export function listDaysOff(
  year: number,
  computeYear: (year: number) => readonly ComputedDayOff[],
): DayOff[] {
  const out: DayOff[] = [];
  const years = year > MIN_YEAR ? [year - 1, year] : [year];
  for (const y of years) {
    for (const c of computeYear(y)) {
      if (yearOfDayNumber(c.dayNumber) !== year) continue;
      const entry: DayOff = { date: formatIsoDate(c.dayNumber), name: c.name, kind: c.kind };
      if (c.ruleId !== undefined) entry.ruleId = c.ruleId;
      out.push(entry);
    }
  }
  return out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

const STATUTORY_RULES = compileRules(VN_HOLIDAY_RULES);
const STATUTORY_REST_MASK = weeklyRestMaskOf(DEFAULT_WEEKLY_REST);
const statutoryCache = new Map<number, ComputedDayOff[]>();

function statutoryYear(year: number): ComputedDayOff[] {
  let c = statutoryCache.get(year);
  if (!c) {
    c = computeYearDaysOff(year, {
      compiled: STATUTORY_RULES,
      notices: [],
      weeklyRestMask: STATUTORY_REST_MASK,
    });
    statutoryCache.set(year, c);
  }
  return c;
}

/**
 * The statutory days off dated in `year` under {@link VN_HOLIDAY_RULES} with the default placements of the
 * notice-decided days (Tết: last day of the old lunar year + mùng 1–4; Quốc khánh: 2/9 + 3/9), Saturday
 * and Sunday as weekly rest days and no notices. Holidays on a weekend are listed too (kind `holiday`),
 * followed by their make-up day (kind `compensatory`, name `'Nghỉ bù …'`).
 */
export function statutoryDaysOff(year: number): DayOff[] {
  assertSupportedYear(year);
  return listDaysOff(year, statutoryYear);
}
