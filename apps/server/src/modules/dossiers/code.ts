/**
 * The dossier code (mã hồ sơ, NĐ 61/2018; STANDARDS §4.3): `{agencyCode}-{yyMMdd}-{NNNN}`, the
 * number from a per-agency daily counter (dossier_counters), the day being the local (UTC+7) day
 * of receipt. Pure.
 */

// The local day, time and instant are Việt Nam time's (platform/vntime.ts).
export { localDay, localInstant, localTime } from '../../platform/vntime.ts';

/** `{agencyCode}-{yyMMdd}-{NNNN}`; numbers past 9999 simply take more digits. */
export function dossierCode(agencyCode: string, day: string, n: number): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new RangeError(`Not a day: ${day}`);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`Not a sequence number: ${n}`);
  return `${agencyCode}-${day.slice(2).replaceAll('-', '')}-${String(n).padStart(4, '0')}`;
}
