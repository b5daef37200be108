/**
 * The dossier code (mã hồ sơ, NĐ 61/2018; STANDARDS §4.3): `{agencyCode}-{yyMMdd}-{NNNN}`, the
 * number from a per-agency daily counter (dossier_counters), the day being the local (UTC+7) day
 * of receipt. Pure.
 */

const VN_OFFSET_MS = 7 * 3_600_000;

/** The local (Asia/Ho_Chi_Minh, UTC+7 all year) day of an instant, YYYY-MM-DD. */
export function localDay(at: Date): string {
  return new Date(at.getTime() + VN_OFFSET_MS).toISOString().slice(0, 10);
}

/** The local time of day of an instant, HH:MM:SS. */
export function localTime(at: Date): string {
  return new Date(at.getTime() + VN_OFFSET_MS).toISOString().slice(11, 19);
}

/** The instant of a local day and time (HH:MM or HH:MM:SS). */
export function localInstant(day: string, time: string): Date {
  const t = time.length === 5 ? `${time}:00` : time;
  return new Date(`${day}T${t}+07:00`);
}

/** `{agencyCode}-{yyMMdd}-{NNNN}`; numbers past 9999 simply take more digits. */
export function dossierCode(agencyCode: string, day: string, n: number): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new RangeError(`Not a day: ${day}`);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`Not a sequence number: ${n}`);
  return `${agencyCode}-${day.slice(2).replaceAll('-', '')}-${String(n).padStart(4, '0')}`;
}
