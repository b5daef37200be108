import { WorkCalendar } from '@congvu/workdays';
import { describe, expect, it } from 'vitest';
import { agencyTimes, dueFrom, receptionClockStart, resumedDue, stepTiming } from './deadline.ts';

const cal = new WorkCalendar();
const vn = (s: string) => new Date(`${s}+07:00`);

describe('clock start at reception', () => {
  it('after the 15:00 cut-off on the Friday before Giỗ Tổ (Sun 26/4/2026, made up Mon 27/4): Tue 28/4 07:00', () => {
    expect(receptionClockStart(cal, vn('2026-04-24T16:30:00'), '15:00:00')).toEqual(
      vn('2026-04-28T07:00:00'),
    );
  });
  it('exactly at the cut-off counts as after it', () => {
    expect(receptionClockStart(cal, vn('2026-05-12T15:00:00'), '15:00')).toEqual(vn('2026-05-13T07:00:00'));
  });
  it('before the cut-off: the receipt itself; before opening 07:00; at lunch 13:30', () => {
    expect(receptionClockStart(cal, vn('2026-05-12T10:00:00'), '15:00:00')).toEqual(
      vn('2026-05-12T10:00:00'),
    );
    expect(receptionClockStart(cal, vn('2026-05-12T06:10:00'), '15:00:00')).toEqual(
      vn('2026-05-12T07:00:00'),
    );
    expect(receptionClockStart(cal, vn('2026-05-12T12:00:00'), '15:00:00')).toEqual(
      vn('2026-05-12T13:30:00'),
    );
  });
  it('on a Saturday: the next working morning', () => {
    expect(receptionClockStart(cal, vn('2026-05-16T09:00:00'), '15:00:00')).toEqual(
      vn('2026-05-18T07:00:00'),
    );
  });
  it('an agency with a later cut-off keeps a 16:00 receipt today', () => {
    expect(receptionClockStart(cal, vn('2026-05-12T16:00:00'), '16:30:00')).toEqual(
      vn('2026-05-12T16:00:00'),
    );
  });
});

describe('due date', () => {
  it('3 working days from Tue 28/4 07:00: Tue, Wed, then 30/4 and 1/5 are holidays → Mon 04/05 17:00', () => {
    expect(dueFrom(cal, vn('2026-04-28T07:00:00'), 3, 'working_days')).toEqual(vn('2026-05-04T17:00:00'));
  });
  it('3 working days from Tue 12/5 10:00: 5 h Tue, 8 Wed, 8 Thu, 3 Fri → Fri 15/05 10:00', () => {
    expect(dueFrom(cal, vn('2026-05-12T10:00:00'), 3, 'working_days')).toEqual(vn('2026-05-15T10:00:00'));
  });
  it('working hours as is: 4 h from Tue 12/5 10:00 → 1.5 h before lunch, 2.5 after → 16:00', () => {
    expect(dueFrom(cal, vn('2026-05-12T10:00:00'), 4, 'working_hours')).toEqual(vn('2026-05-12T16:00:00'));
  });
  it('calendar days: the day + N at 17:00; a Saturday moves to Monday', () => {
    expect(dueFrom(cal, vn('2026-05-04T09:00:00'), 10, 'calendar_days')).toEqual(vn('2026-05-14T17:00:00'));
    expect(dueFrom(cal, vn('2026-05-06T09:00:00'), 10, 'calendar_days')).toEqual(vn('2026-05-18T17:00:00'));
  });
});

describe('pauses', () => {
  it('moves the due date by the paused working time (as dueWithPauses from the start)', () => {
    const start = vn('2026-05-12T09:00:00');
    const due = dueFrom(cal, start, 3, 'working_days'); // Fri 15/05 09:00
    expect(due).toEqual(vn('2026-05-15T09:00:00'));
    // Paused Wed 08:00 → Thu 08:00 = 3.5 + 3.5 + 1 = 8 working hours: Fri 09:00 + 8 h = Mon 18/05 09:00.
    const from = vn('2026-05-13T08:00:00');
    const to = vn('2026-05-14T08:00:00');
    const after = resumedDue(cal, due, from, to);
    expect(after).toEqual(vn('2026-05-18T09:00:00'));
    expect(after).toEqual(cal.dueWithPauses(start, 24, [{ from, to }]));
  });
  it('a deadline already passed at the pause keeps its lateness', () => {
    const due = vn('2026-05-12T10:00:00');
    // Overdue since 10:00; paused 14:00–15:00 (1 working hour): the due date moves to 11:00.
    expect(resumedDue(cal, due, vn('2026-05-12T14:00:00'), vn('2026-05-12T15:00:00'))).toEqual(
      vn('2026-05-12T11:00:00'),
    );
  });
});

describe('step timing and agency time', () => {
  it('classifies steps', () => {
    const now = vn('2026-05-13T10:00:00');
    const due = vn('2026-05-13T09:00:00');
    expect(stepTiming({ started_at: null, due_at: null, finished_at: null }, now)).toBe('pending');
    expect(stepTiming({ started_at: due, due_at: due, finished_at: null }, now)).toBe('overdue');
    expect(stepTiming({ started_at: due, due_at: now, finished_at: null }, now)).toBe('running');
    expect(stepTiming({ started_at: due, due_at: due, finished_at: due }, now)).toBe('on_time');
    expect(stepTiming({ started_at: due, due_at: due, finished_at: now }, now)).toBe('late');
  });
  it('sums each agency’s working time outside pauses against its allowance', () => {
    const steps = [
      {
        agency_id: 'a',
        agency_name: 'A',
        duration_hours: 4,
        started_at: vn('2026-05-12T07:00:00'),
        finished_at: vn('2026-05-12T09:00:00'),
      },
      {
        agency_id: 'b',
        agency_name: 'B',
        duration_hours: 2,
        started_at: vn('2026-05-12T09:00:00'),
        finished_at: vn('2026-05-12T14:30:00'),
      },
      {
        agency_id: 'a',
        agency_name: 'A',
        duration_hours: 4,
        started_at: vn('2026-05-12T14:30:00'),
        finished_at: null,
      },
    ];
    // B: 09:00–11:30 + 13:30–14:30 = 3.5 h, less the pause 10:00–11:00 = 2.5 h > 2 → late.
    const t = agencyTimes(
      cal,
      steps,
      [{ from: vn('2026-05-12T10:00:00'), to: vn('2026-05-12T11:00:00') }],
      vn('2026-05-12T16:30:00'),
    );
    expect(t).toEqual([
      { agencyId: 'a', agencyName: 'A', allowedHours: 8, usedHours: 4, finished: false, onTime: true },
      { agencyId: 'b', agencyName: 'B', allowedHours: 2, usedHours: 2.5, finished: true, onTime: false },
    ]);
  });
});
