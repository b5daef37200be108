/**
 * Deadline arithmetic of a dossier on the working calendar (STANDARDS §6; docs/dossiers.md). Pure:
 * the WorkCalendar and the cut-off are passed in.
 *
 * - Clock start: a complete dossier received on a working day before the cut-off (15:00 by default,
 *   one_stop_settings) starts at `calendar.clockStart(receipt)` (the receipt itself in office hours,
 *   07:00 before opening, 13:30 during lunch); received at or after the cut-off, or on a day that is
 *   not a working day, it starts at 07:00 of the next working day.
 * - Due date: working_days → value × 8 working hours; working_hours as is (addWorkingHours from the
 *   clock start); calendar_days → the local day of the clock start + value days, at the end of office
 *   hours (17:00), moved to the next working day (same time) when that day is not a working day.
 * - A pause (supplement, financial obligations) moves the due date by the working time it covered:
 *   `resumedDue` counts the working time that was left when the clock stopped from the resumption
 *   (calendar.dueWithPauses).
 */
import type { DurationUnit } from '../../db/schema.ts';
import { localDay, localInstant, localTime } from './code.ts';

/** The part of WorkCalendar used here (packages/workdays). */
export interface DeadlineCalendar {
  readonly hours: { morning: readonly [string, string]; afternoon: readonly [string, string] };
  readonly hoursPerDay: number;
  isWorkingDay(date: string): boolean;
  nextWorkingDayOnOrAfter(date: string): string;
  clockStart(at: Date): Date;
  addWorkingHours(at: Date, hours: number): Date;
  workingHoursBetween(a: Date, b: Date): number;
  dueWithPauses(
    start: Date,
    workingHours: number,
    pauses: readonly { from: Date; to: Date | null }[],
    now?: Date,
  ): Date | null;
}

function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

const hhmmss = (t: string) => (t.length === 5 ? `${t}:00` : t);

/** When the processing clock of a complete dossier received at `at` starts (cut-off 'HH:MM[:SS]'). */
export function receptionClockStart(cal: DeadlineCalendar, at: Date, cutoff: string): Date {
  const day = localDay(at);
  if (!cal.isWorkingDay(day) || localTime(at) >= hhmmss(cutoff)) {
    const next = cal.nextWorkingDayOnOrAfter(addDays(day, 1));
    return localInstant(next, cal.hours.morning[0]);
  }
  return cal.clockStart(at);
}

/** The due date (ngày hẹn trả) of a duration counted from the clock start. */
export function dueFrom(cal: DeadlineCalendar, start: Date, value: number, unit: DurationUnit): Date {
  if (!(Number.isFinite(value) && value >= 0)) throw new RangeError(`Bad duration ${value}`);
  switch (unit) {
    case 'working_days':
      return cal.addWorkingHours(start, value * cal.hoursPerDay);
    case 'working_hours':
      return cal.addWorkingHours(start, value);
    case 'calendar_days': {
      const day = addDays(localDay(start), Math.ceil(value));
      const due = cal.isWorkingDay(day) ? day : cal.nextWorkingDayOnOrAfter(day);
      return localInstant(due, cal.hours.afternoon[1]);
    }
  }
}

/**
 * The due date after a pause from `pausedAt` to `resumedAt` of a deadline that was `dueBefore`: the
 * working time left at the pause, counted again from the resumption. A deadline already passed when
 * the clock stopped keeps its lateness: it moves by the paused working time.
 */
export function resumedDue(cal: DeadlineCalendar, dueBefore: Date, pausedAt: Date, resumedAt: Date): Date {
  const left = cal.workingHoursBetween(pausedAt, dueBefore);
  if (left >= 0) {
    const due = cal.dueWithPauses(pausedAt, left, [{ from: pausedAt, to: resumedAt }]);
    if (due) return due;
  }
  return cal.addWorkingHours(dueBefore, Math.max(0, cal.workingHoursBetween(pausedAt, resumedAt)));
}

export type StepTiming = 'pending' | 'running' | 'overdue' | 'on_time' | 'late';

/** A step's timing now. */
export function stepTiming(
  s: { started_at: Date | null; due_at: Date | null; finished_at: Date | null },
  now: Date,
): StepTiming {
  if (!s.started_at) return 'pending';
  if (s.finished_at) return s.due_at && s.finished_at > s.due_at ? 'late' : 'on_time';
  return s.due_at && now > s.due_at ? 'overdue' : 'running';
}

/** Working hours of [a, b] outside the pauses. */
export function workingHoursOutside(
  cal: DeadlineCalendar,
  a: Date,
  b: Date,
  pauses: readonly { from: Date; to: Date | null }[],
  now: Date,
): number {
  if (b <= a) return 0;
  let h = cal.workingHoursBetween(a, b);
  for (const p of pauses) {
    const from = p.from > a ? p.from : a;
    const pTo = p.to ?? now;
    const to = pTo < b ? pTo : b;
    if (to > from) h -= cal.workingHoursBetween(from, to);
  }
  return Math.max(0, h);
}

/**
 * Each agency's own time on the dossier: the working hours its steps took (pauses excluded)
 * against the hours its steps allow; in order of first appearance.
 */
export function agencyTimes(
  cal: DeadlineCalendar,
  steps: readonly {
    agency_id: string;
    agency_name: string;
    duration_hours: number;
    started_at: Date | null;
    finished_at: Date | null;
  }[],
  pauses: readonly { from: Date; to: Date | null }[],
  now: Date,
) {
  const out = new Map<
    string,
    {
      agencyId: string;
      agencyName: string;
      allowedHours: number;
      usedHours: number;
      finished: boolean;
      onTime: boolean;
    }
  >();
  for (const s of steps) {
    const e = out.get(s.agency_id) ?? {
      agencyId: s.agency_id,
      agencyName: s.agency_name,
      allowedHours: 0,
      usedHours: 0,
      finished: true,
      onTime: true,
    };
    e.allowedHours += s.duration_hours;
    if (s.started_at)
      e.usedHours += workingHoursOutside(cal, s.started_at, s.finished_at ?? now, pauses, now);
    if (!s.finished_at) e.finished = false;
    out.set(s.agency_id, e);
  }
  return [...out.values()].map((e) => ({
    ...e,
    usedHours: Math.round(e.usedHours * 100) / 100,
    onTime: e.usedHours <= e.allowedHours + 1e-9,
  }));
}
