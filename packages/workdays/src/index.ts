/**
 * @congvu/workdays — Vietnamese working days, statutory holidays, lunar calendar and deadline arithmetic.
 * Pure: no I/O, no clock reads (pass `now` where the current time matters).
 */

export {
  DEFAULT_WORKING_HOURS,
  type Pause,
  statutoryCalendar,
  WorkCalendar,
  type WorkCalendarOptions,
  type WorkingHours,
} from './calendar.ts';
export {
  type CivilDate,
  daysInMonth,
  formatIsoDate,
  formatVnDateTime,
  fromDayNumber,
  type IsoDate,
  isValidCivilDate,
  JDN_UNIX_EPOCH,
  MS_PER_DAY,
  MS_PER_HOUR,
  parseClock,
  parseIsoDate,
  toDayNumber,
  tryParseIsoDate,
  VN_UTC_OFFSET_MS,
  vnDateTime,
  vnDayNumberOf,
  vnIsoDateOf,
  weekdayOf,
  yearOfDayNumber,
} from './daynum.ts';
export {
  type DayOff,
  type DayOffKind,
  DEFAULT_WEEKLY_REST,
  type HolidayRule,
  type LunarHolidayRule,
  MAX_YEAR,
  MIN_YEAR,
  type Notice,
  type RelativeHolidayRule,
  type SolarHolidayRule,
  statutoryDaysOff,
  VN_HOLIDAY_RULES,
} from './holidays.ts';
export {
  jdFromDate,
  jdToDate,
  type LunarDate,
  leapMonthOf,
  leapMonthOffset,
  lunarMonth11,
  lunarMonthLength,
  lunarToSolar,
  newMoon,
  newMoonDay,
  type SolarDate,
  solarToLunar,
  sunLongitude,
  sunLongitudeSector,
  VN_TIME_ZONE,
} from './lunar.ts';
