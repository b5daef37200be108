/**
 * Vietnamese lunisolar calendar (âm lịch) after Hồ Ngọc Đức's astronomical method.
 *
 * - Months begin on the civil day (in the given time zone) of the astronomical new moon.
 * - Month 11 is the month containing the winter solstice (sun longitude 270°).
 * - A year with 13 months between two months 11 has a leap month: the first month after month 11 that
 *   contains no major solar term (the sun's longitude does not cross a multiple of 30°), and it takes the
 *   number of the month before it.
 *
 * Vietnam computes with time zone UTC+7 (`VN_TIME_ZONE`); the Chinese calendar uses UTC+8 and differs in
 * some years (e.g. Tết 1985 and 2007). Every function takes the zone as its last argument, default 7.
 *
 * The astronomy (mean new moon with the main periodic terms and ΔT, the sun's apparent longitude) follows
 * J. Meeus, *Astronomical Algorithms*, in the truncated form used by Hồ Ngọc Đức; it is accurate for
 * roughly 1800–2199. All Julian Day Numbers (JDN) here are integers for a civil day (noon-based).
 */

import { isValidCivilDate } from './daynum.ts';

/** Vietnam's time zone, in hours east of UTC, for the lunar calendar. */
export const VN_TIME_ZONE = 7;

/** A lunar date: day 1–30, month 1–12, lunar year (the year whose month 1 starts near the solar new year). */
export interface LunarDate {
  day: number;
  month: number;
  year: number;
  /** True for the intercalary (nhuận) month that repeats `month`. */
  leap: boolean;
}

/** A solar (Gregorian) date. */
export interface SolarDate {
  y: number;
  m: number;
  d: number;
}

const RAD = Math.PI / 180;
/** JD of the new moon of 1900-01-01 13:52 UTC, Meeus's k = 0 for this series. */
const NEW_MOON_EPOCH = 2_415_021.076998695;
/** Mean synodic month in days. */
const SYNODIC_MONTH = 29.530588853;

/**
 * Julian Day Number of a calendar date: Gregorian from 1582-10-15, Julian before (the classic Fliegel–Van
 * Flandern style integer formula).
 */
export function jdFromDate(d: number, m: number, y: number): number {
  const a = Math.floor((14 - m) / 12);
  const yy = y + 4800 - a;
  const mm = m + 12 * a - 3;
  const common = d + Math.floor((153 * mm + 2) / 5) + 365 * yy + Math.floor(yy / 4);
  const gregorian = common - Math.floor(yy / 100) + Math.floor(yy / 400) - 32_045;
  return gregorian >= 2_299_161 ? gregorian : common - 32_083;
}

/** Inverse of {@link jdFromDate}. */
export function jdToDate(jd: number): SolarDate {
  let century: number;
  let c: number;
  if (jd >= 2_299_161) {
    const a = jd + 32_044;
    century = Math.floor((4 * a + 3) / 146_097);
    c = a - Math.floor((146_097 * century) / 4);
  } else {
    century = 0;
    c = jd + 32_082;
  }
  const yearInCycle = Math.floor((4 * c + 3) / 1461);
  const e = c - Math.floor((1461 * yearInCycle) / 4);
  const mp = Math.floor((5 * e + 2) / 153);
  return {
    d: e - Math.floor((153 * mp + 2) / 5) + 1,
    m: mp + 3 - 12 * Math.floor(mp / 10),
    y: century * 100 + yearInCycle - 4800 + Math.floor(mp / 10),
  };
}

/**
 * Julian Day (fractional, UT) of the k-th new moon after the epoch new moon of January 1900
 * (Meeus ch. 49, truncated series, with ΔT correction).
 */
export function newMoon(k: number): number {
  const t = k / 1236.85; // Julian centuries since 1900-01-00.5
  const t2 = t * t;
  const t3 = t2 * t;
  let jd = 2_415_020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3;
  jd += 0.00033 * Math.sin((166.56 + 132.87 * t - 0.009173 * t2) * RAD);
  // Mean anomalies of the sun (m) and moon (mp), and the moon's argument of latitude (f), in degrees.
  const m = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3;
  const mp = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3;
  const f = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3;
  const s = (deg: number) => Math.sin(deg * RAD);
  const correction =
    (0.1734 - 0.000393 * t) * s(m) +
    0.0021 * s(2 * m) -
    0.4068 * s(mp) +
    0.0161 * s(2 * mp) -
    0.0004 * s(3 * mp) +
    0.0104 * s(2 * f) -
    0.0051 * s(m + mp) -
    0.0074 * s(m - mp) +
    0.0004 * s(2 * f + m) -
    0.0004 * s(2 * f - m) -
    0.0006 * s(2 * f + mp) +
    0.001 * s(2 * f - mp) +
    0.0005 * s(2 * mp + m);
  // ΔT (TT − UT) in days.
  const deltaT =
    t < -11
      ? 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
      : -0.000278 + 0.000265 * t + 0.000262 * t2;
  return jd + correction - deltaT;
}

/** JDN of the civil day (in `timeZone`) on which the k-th new moon falls. */
export function newMoonDay(k: number, timeZone = VN_TIME_ZONE): number {
  return Math.floor(newMoon(k) + 0.5 + timeZone / 24);
}

/** Apparent longitude of the sun, in radians in [0, 2π), at Julian Day `jd` (UT, fractional). */
export function sunLongitude(jd: number): number {
  const t = (jd - 2_451_545.0) / 36_525; // Julian centuries since J2000.0
  const t2 = t * t;
  const meanAnomaly = 357.5291 + 35_999.0503 * t - 0.0001559 * t2 - 0.00000048 * t * t2;
  const meanLongitude = 280.46645 + 36_000.76983 * t + 0.0003032 * t2;
  const center =
    (1.9146 - 0.004817 * t - 0.000014 * t2) * Math.sin(meanAnomaly * RAD) +
    (0.019993 - 0.000101 * t) * Math.sin(2 * meanAnomaly * RAD) +
    0.00029 * Math.sin(3 * meanAnomaly * RAD);
  const lon = (meanLongitude + center) * RAD;
  const full = 2 * Math.PI;
  return lon - full * Math.floor(lon / full);
}

/**
 * Index 0–11 of the 30° sector of the sun's longitude at the start of the civil day `jdn` in `timeZone`
 * (0 = [0°, 30°) … 9 = [270°, 300°), the sector that begins at the winter solstice).
 */
export function sunLongitudeSector(jdn: number, timeZone = VN_TIME_ZONE): number {
  return Math.floor((sunLongitude(jdn - 0.5 - timeZone / 24) / Math.PI) * 6);
}

/** JDN of the first day of lunar month 11 that contains the winter solstice of solar year `year`. */
export function lunarMonth11(year: number, timeZone = VN_TIME_ZONE): number {
  const offset = jdFromDate(31, 12, year) - NEW_MOON_EPOCH;
  const k = Math.floor(offset / SYNODIC_MONTH);
  const start = newMoonDay(k, timeZone);
  // If the month starting at the last new moon of December begins after the solstice sector has been
  // entered, the solstice belongs to it; otherwise it belongs to the month before.
  return sunLongitudeSector(start, timeZone) >= 9 ? newMoonDay(k - 1, timeZone) : start;
}

/**
 * For a 13-month lunar year starting at month 11 whose first day is `month11Start` (JDN): how many months
 * after month 11 the leap month is (1 = the month right after month 11).
 */
export function leapMonthOffset(month11Start: number, timeZone = VN_TIME_ZONE): number {
  const k = Math.floor((month11Start - NEW_MOON_EPOCH) / SYNODIC_MONTH + 0.5);
  let i = 1;
  let sector = sunLongitudeSector(newMoonDay(k + i, timeZone), timeZone);
  let previous: number;
  do {
    previous = sector;
    i++;
    sector = sunLongitudeSector(newMoonDay(k + i, timeZone), timeZone);
  } while (sector !== previous && i < 14);
  return i - 1;
}

/** Converts a solar date (Gregorian from 1582-10-15) to the lunar date. */
export function solarToLunar(y: number, m: number, d: number, timeZone = VN_TIME_ZONE): LunarDate {
  const jdn = jdFromDate(d, m, y);
  // The last new moon day on or before the date. The mean-moon estimate k can be one too high when the
  // true new moon runs late (2054-05-07 and 2062-04-09 are the 30th of their lunar month, the next month
  // starting the day after): step back as long as needed, not just once.
  let k = Math.floor((jdn - NEW_MOON_EPOCH) / SYNODIC_MONTH) + 1;
  let monthStart = newMoonDay(k, timeZone);
  while (monthStart > jdn) {
    k--;
    monthStart = newMoonDay(k, timeZone);
  }

  // a11/b11: the months 11 that enclose the date.
  let a11 = lunarMonth11(y, timeZone);
  let b11: number;
  let lunarYear: number;
  if (a11 >= monthStart) {
    b11 = a11;
    lunarYear = y;
    a11 = lunarMonth11(y - 1, timeZone);
  } else {
    b11 = lunarMonth11(y + 1, timeZone);
    lunarYear = y + 1;
  }

  const day = jdn - monthStart + 1;
  const monthsAfter11 = Math.floor((monthStart - a11) / 29);
  let month = monthsAfter11 + 11;
  let leap = false;
  if (b11 - a11 > 365) {
    const leapOffset = leapMonthOffset(a11, timeZone);
    if (monthsAfter11 >= leapOffset) {
      month = monthsAfter11 + 10;
      leap = monthsAfter11 === leapOffset;
    }
  }
  if (month > 12) month -= 12;
  if (month >= 11 && monthsAfter11 < 4) lunarYear -= 1;
  return { day, month, year: lunarYear, leap };
}

/** JDN of day 1 of a lunar month, or NaN when `leap` is set and that month has no leap twin that year. */
function lunarMonthStart(month: number, year: number, leap: boolean, timeZone: number): number {
  const a11 = month < 11 ? lunarMonth11(year - 1, timeZone) : lunarMonth11(year, timeZone);
  const b11 = month < 11 ? lunarMonth11(year, timeZone) : lunarMonth11(year + 1, timeZone);
  const k = Math.floor(0.5 + (a11 - NEW_MOON_EPOCH) / SYNODIC_MONTH);
  let offset = month - 11;
  if (offset < 0) offset += 12;
  if (b11 - a11 > 365) {
    const leapOffset = leapMonthOffset(a11, timeZone);
    let leapMonth = leapOffset - 2;
    if (leapMonth < 0) leapMonth += 12;
    if (leap && month !== leapMonth) return Number.NaN;
    if (leap || offset >= leapOffset) offset += 1;
  } else if (leap) {
    return Number.NaN;
  }
  return newMoonDay(k + offset, timeZone);
}

/**
 * The leap month (1–12) of lunar year `year`, or 0 when the year has none. A leap month 11 or 12 found
 * after month 11 of `year` belongs to `year`.
 */
export function leapMonthOf(year: number, timeZone = VN_TIME_ZONE): number {
  for (let month = 1; month <= 12; month++) {
    if (!Number.isNaN(lunarMonthStart(month, year, true, timeZone))) return month;
  }
  return 0;
}

/** Number of days (29 or 30) of a lunar month; throws `RangeError` when the leap month does not exist. */
export function lunarMonthLength(month: number, year: number, leap = false, timeZone = VN_TIME_ZONE): number {
  const start = lunarMonthStart(month, year, leap, timeZone);
  if (Number.isNaN(start)) throw new RangeError(`Lunar year ${year} has no leap month ${month}`);
  const k = Math.floor((start - NEW_MOON_EPOCH) / SYNODIC_MONTH + 0.5);
  // The next new moon day after `start` is the next month's first day.
  let next = newMoonDay(k + 1, timeZone);
  if (next <= start) next = newMoonDay(k + 2, timeZone);
  return next - start;
}

/**
 * Converts a lunar date to the solar date. Throws `RangeError` for a leap month that does not exist that
 * year or a day beyond the month's length (29 or 30).
 */
export function lunarToSolar(
  day: number,
  month: number,
  year: number,
  leap = false,
  timeZone = VN_TIME_ZONE,
): SolarDate {
  if (!Number.isInteger(month) || month < 1 || month > 12 || !Number.isInteger(year)) {
    throw new RangeError(`Not a lunar month: ${month}/${year}`);
  }
  if (!Number.isInteger(day) || day < 1 || day > 30) throw new RangeError(`Not a lunar day: ${day}`);
  const start = lunarMonthStart(month, year, leap, timeZone);
  if (Number.isNaN(start)) throw new RangeError(`Lunar year ${year} has no leap month ${month}`);
  if (day === 30 && lunarMonthLength(month, year, leap, timeZone) < 30) {
    throw new RangeError(`Lunar month ${month}${leap ? ' (nhuận)' : ''}/${year} has only 29 days`);
  }
  const solar = jdToDate(start + day - 1);
  if (!isValidCivilDate(solar.y, solar.m, solar.d)) throw new RangeError(`Out of range: ${year}`);
  return solar;
}
