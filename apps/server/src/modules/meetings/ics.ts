/**
 * An iCalendar invitation (RFC 5545, METHOD:REQUEST) for a meeting (pure): what a mail client
 * shows as "accept / decline" and puts in the calendar. Times in UTC; text escaped; lines folded at
 * 75 octets without splitting a UTF-8 character.
 */
export interface IcsInvitation {
  uid: string;
  /** Raised when the meeting changes, so calendars replace the earlier invitation. */
  sequence: number;
  stamp: Date;
  start: Date;
  end: Date | null;
  summary: string;
  location: string | null;
  description: string;
  url: string | null;
  organizer: { name: string; email: string } | null;
  attendee: { name: string; email: string };
}

const utc = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
const text = (s: string) =>
  s.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
const param = (s: string) => `"${s.replace(/"/g, "'")}"`;

/** Folds a content line at 75 octets (continuation lines start with a space). */
export function fold(line: string): string {
  const out: string[] = [];
  let cur = '';
  let bytes = 0;
  for (const ch of line) {
    const n = Buffer.byteLength(ch);
    if (bytes + n > (out.length ? 74 : 75)) {
      out.push(cur);
      cur = '';
      bytes = 0;
    }
    cur += ch;
    bytes += n;
  }
  out.push(cur);
  return out.join('\r\n ');
}

export function invitationIcs(i: IcsInvitation): string {
  // Without an end, an hour (a calendar needs one).
  const end = i.end ?? new Date(i.start.getTime() + 3_600_000);
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//CongVu//Hop khong giay//VI',
    'CALSCALE:GREGORIAN',
    'METHOD:REQUEST',
    'BEGIN:VEVENT',
    `UID:${i.uid}`,
    `SEQUENCE:${i.sequence}`,
    `DTSTAMP:${utc(i.stamp)}`,
    `DTSTART:${utc(i.start)}`,
    `DTEND:${utc(end)}`,
    `SUMMARY:${text(i.summary)}`,
    ...(i.location ? [`LOCATION:${text(i.location)}`] : []),
    `DESCRIPTION:${text(i.description)}`,
    ...(i.url ? [`URL:${i.url}`] : []),
    ...(i.organizer ? [`ORGANIZER;CN=${param(i.organizer.name)}:mailto:${i.organizer.email}`] : []),
    `ATTENDEE;CN=${param(i.attendee.name)};ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:${i.attendee.email}`,
    'STATUS:CONFIRMED',
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return `${lines.map(fold).join('\r\n')}\r\n`;
}
