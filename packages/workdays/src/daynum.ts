/**
 * Day numbers and ISO dates.
 *
 * A *day number* is the number of days since 1970-01-01 in the proleptic Gregorian calendar
 * (1970-01-01 = 0, 1969-12-31 = -1). It is the currency of the hot paths: integers compare, add and
 * index arrays without allocating. `dayNumber * 86_400_000` is the UTC midnight of that civil date.
 */

/** A civil date as `'YYYY-MM-DD'` (four-digit year, zero-padded month and day). */
export type IsoDate = string;

/** A civil date split into year, month (1–12) and day (1–31). */
export interface CivilDate {
  y: number;
  m: number;
  d: number;
}

export const MS_PER_DAY = 86_400_000;
export const MS_PER_HOUR = 3_600_000;
export const MS_PER_MINUTE = 60_000;
/** Asia/Ho_Chi_Minh is UTC+7 all year (no daylight saving since 1975). */
export const VN_UTC_OFFSET_MS = 7 * MS_PER_HOUR;
/** Julian Day Number of 1970-01-01 (the JDN is an integer at noon UTC). */
export const JDN_UNIX_EPOCH = 2_440_588;

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`). No validation. */
export function toDayNumber(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** Inverse of {@link toDayNumber}. */
export function fromDayNumber(dayNumber: number): CivilDate {
  const z = dayNumber + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}

/** Gregorian year of a day number (cheaper than {@link fromDayNumber} when only the year is needed). */
export function yearOfDayNumber(dayNumber: number): number {
  const z = dayNumber + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  // doy 306.. is January/February of the following civil year.
  return yoe + era * 400 + (doy >= 306 ? 1 : 0);
}

/** Day of the week of a day number: 0 = Sunday … 6 = Saturday (JavaScript's `getDay()` convention). */
export function weekdayOf(dayNumber: number): number {
  // 1970-01-01 was a Thursday (4).
  return (((dayNumber + 4) % 7) + 7) % 7;
}

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(y: number, m: number): number {
  if (m === 2) return isLeapYear(y) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** True for a real Gregorian date with a four-digit year (0001–9999). */
export function isValidCivilDate(y: number, m: number, d: number): boolean {
  return (
    Number.isInteger(y) &&
    Number.isInteger(m) &&
    Number.isInteger(d) &&
    y >= 1 &&
    y <= 9999 &&
    m >= 1 &&
    m <= 12 &&
    d >= 1 &&
    d <= daysInMonth(y, m)
  );
}

/** Days before month m (1–12) in a common year, index 0 unused. */
const DAYS_BEFORE_MONTH = [0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
/** Days from 0001-01-01 to 1970-01-01. */
const DAYS_0001_TO_1970 = 719_162;

/**
 * Parses a strict `'YYYY-MM-DD'` into a day number, or returns `NaN` when the text is not a real date.
 * Allocation-free, integer-only; this is what the hot paths use.
 */
export function tryParseIsoDate(s: string): number {
  if (s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return Number.NaN;
  const y0 = s.charCodeAt(0) - 48;
  const y1 = s.charCodeAt(1) - 48;
  const y2 = s.charCodeAt(2) - 48;
  const y3 = s.charCodeAt(3) - 48;
  const m0 = s.charCodeAt(5) - 48;
  const m1 = s.charCodeAt(6) - 48;
  const d0 = s.charCodeAt(8) - 48;
  const d1 = s.charCodeAt(9) - 48;
  if ((y0 | y1 | y2 | y3 | m0 | m1 | d0 | d1) < 0) return Number.NaN;
  if (y0 > 9 || y1 > 9 || y2 > 9 || y3 > 9 || m0 > 9 || m1 > 9 || d0 > 9 || d1 > 9) return Number.NaN;
  const y = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
  const m = m0 * 10 + m1;
  const d = d0 * 10 + d1;
  const leap = (y & 3) === 0 && (y % 100 !== 0 || y % 400 === 0);
  const monthLength = m === 2 ? (leap ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
  if (y < 1 || m < 1 || m > 12 || d < 1 || d > monthLength) return Number.NaN;
  const p = y - 1;
  const beforeYear = p * 365 + ((p / 4) | 0) - ((p / 100) | 0) + ((p / 400) | 0) - DAYS_0001_TO_1970;
  return beforeYear + DAYS_BEFORE_MONTH[m]! + (m > 2 && leap ? 1 : 0) + d - 1;
}

/** Parses a strict `'YYYY-MM-DD'` into a day number; throws `RangeError` on anything else. */
export function parseIsoDate(s: string): number {
  const dn = tryParseIsoDate(s);
  if (Number.isNaN(dn)) throw new RangeError(`Not a valid YYYY-MM-DD date: ${JSON.stringify(s)}`);
  return dn;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}

/** Formats a civil date as `'YYYY-MM-DD'`. */
export function formatCivilDate(y: number, m: number, d: number): IsoDate {
  const ys = y < 10 ? `000${y}` : y < 100 ? `00${y}` : y < 1000 ? `0${y}` : `${y}`;
  return `${ys}-${pad2(m)}-${pad2(d)}`;
}

/** Formats a day number as `'YYYY-MM-DD'`; throws `RangeError` outside years 0001–9999. */
export function formatIsoDate(dayNumber: number): IsoDate {
  if (!Number.isInteger(dayNumber)) throw new RangeError(`Not a day number: ${dayNumber}`);
  const { y, m, d } = fromDayNumber(dayNumber);
  if (y < 1 || y > 9999) throw new RangeError(`Year ${y} is outside 0001–9999`);
  return formatCivilDate(y, m, d);
}

/** Day number of the Vietnamese civil date (UTC+7) on which the instant falls. */
export function vnDayNumberOf(at: Date): number {
  return Math.floor((at.getTime() + VN_UTC_OFFSET_MS) / MS_PER_DAY);
}

/** The Vietnamese civil date (UTC+7) on which the instant falls, as `'YYYY-MM-DD'`. */
export function vnIsoDateOf(at: Date): IsoDate {
  return formatIsoDate(vnDayNumberOf(at));
}

/** Parses `'HH:MM'` (00:00–24:00) into milliseconds since midnight; throws `RangeError` otherwise. */
export function parseClock(hhmm: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  const h = m ? Number(m[1]) : Number.NaN;
  const min = m ? Number(m[2]) : Number.NaN;
  if (!(h >= 0 && min >= 0 && min < 60 && (h < 24 || (h === 24 && min === 0)))) {
    throw new RangeError(`Not a valid HH:MM time: ${JSON.stringify(hhmm)}`);
  }
  return h * MS_PER_HOUR + min * MS_PER_MINUTE;
}

/**
 * The instant at which it is `date` `time` in Vietnam (UTC+7), e.g. `vnDateTime('2026-04-24', '18:00')`.
 * `time` is `'HH:MM'` or `'HH:MM:SS'`, default `'00:00'`.
 */
export function vnDateTime(date: IsoDate, time = '00:00'): Date {
  const dn = parseIsoDate(date);
  const sec = /^(\d{2}):(\d{2}):(\d{2})$/.exec(time);
  let ms: number;
  if (sec) {
    const s = Number(sec[3]);
    if (s >= 60) throw new RangeError(`Not a valid HH:MM:SS time: ${JSON.stringify(time)}`);
    ms = parseClock(`${sec[1]}:${sec[2]}`) + s * 1000;
  } else {
    ms = parseClock(time);
  }
  return new Date(dn * MS_PER_DAY + ms - VN_UTC_OFFSET_MS);
}

/** Formats an instant as Vietnamese local time `'YYYY-MM-DD HH:MM'` (seconds shown only when non-zero). */
export function formatVnDateTime(at: Date): string {
  const local = at.getTime() + VN_UTC_OFFSET_MS;
  const dn = Math.floor(local / MS_PER_DAY);
  const tod = local - dn * MS_PER_DAY;
  const h = Math.floor(tod / MS_PER_HOUR);
  const min = Math.floor((tod % MS_PER_HOUR) / MS_PER_MINUTE);
  const s = Math.floor((tod % MS_PER_MINUTE) / 1000);
  return `${formatIsoDate(dn)} ${pad2(h)}:${pad2(min)}${s ? `:${pad2(s)}` : ''}`;
}
