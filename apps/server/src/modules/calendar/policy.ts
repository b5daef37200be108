/** Everyone signed in reads the calendar; only holders of calendar.manage enter yearly notices. */
export const calendarPolicy = { read: 'session', manage: 'calendar.manage' } as const;
