import { describe, expect, it } from 'vitest';
import { fold, invitationIcs } from '../src/modules/meetings/ics.ts';

describe('meetings/ics: the invitation as iCalendar', () => {
  const ics = invitationIcs({
    uid: 'abc@congvu',
    sequence: 0,
    stamp: new Date('2026-12-01T02:00:00Z'),
    start: new Date('2026-12-10T01:00:00Z'),
    end: null,
    summary: 'Kỳ họp thứ 5, HĐND xã; phiên sáng',
    location: 'Hội trường UBND xã',
    description: 'Chương trình:\n1. Khai mạc',
    url: null,
    organizer: null,
    attendee: { name: 'Nguyễn Văn "A"', email: 'a@example.vn' },
  });
  it('is a REQUEST with UTC times, an hour when no end, escaped text and CRLF lines', () => {
    expect(ics.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
    expect(ics).toContain('METHOD:REQUEST\r\n');
    expect(ics).toContain('DTSTART:20261210T010000Z\r\n');
    expect(ics).toContain('DTEND:20261210T020000Z\r\n');
    expect(ics).toContain('SUMMARY:Kỳ họp thứ 5\\, HĐND xã\\; phiên sáng\r\n');
    expect(ics).toContain('DESCRIPTION:Chương trình:\\n1. Khai mạc\r\n');
    expect(ics).toContain('ATTENDEE;CN="Nguyễn Văn \'A\'";');
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
  });
  it('folds at 75 octets without cutting a Vietnamese letter', () => {
    const line = `SUMMARY:${'Đại biểu Hội đồng nhân dân '.repeat(6)}`;
    const folded = fold(line).split('\r\n');
    expect(folded.length).toBeGreaterThan(1);
    for (const l of folded) expect(Buffer.byteLength(l)).toBeLessThanOrEqual(75);
    expect(folded.map((l, i) => (i ? l.slice(1) : l)).join('')).toBe(line);
  });
});
