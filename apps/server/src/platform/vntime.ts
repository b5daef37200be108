/**
 * Việt Nam time (Asia/Ho_Chi_Minh: UTC+7 all year, no daylight saving), pure: the local day of an
 * instant, its local time, an instant from a local day and time, and the dd/MM/yyyy display.
 * Modules use these instead of adding the offset themselves.
 */
const VN_OFFSET_MS = 7 * 3_600_000;

const shifted = (at: Date) => new Date(at.getTime() + VN_OFFSET_MS).toISOString();

/** The local day of an instant, YYYY-MM-DD. */
export function localDay(at: Date): string {
  return shifted(at).slice(0, 10);
}

/** The local time of day of an instant, HH:MM:SS. */
export function localTime(at: Date): string {
  return shifted(at).slice(11, 19);
}

/** The instant of a local day and time (HH:MM or HH:MM:SS). */
export function localInstant(day: string, time: string): Date {
  const t = time.length === 5 ? `${time}:00` : time;
  return new Date(`${day}T${t}+07:00`);
}

/** dd/MM/yyyy HH:mm:ss (or HH:mm without seconds) in Việt Nam time. */
export function vnDateTime(at: Date, seconds = true): string {
  const s = shifted(at);
  return `${s.slice(8, 10)}/${s.slice(5, 7)}/${s.slice(0, 4)} ${s.slice(11, seconds ? 19 : 16)}`;
}
