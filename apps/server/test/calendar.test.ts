import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupApp, type TestApp } from './helpers.ts';

let t: TestApp;
let admin: string;
let user: string;
beforeAll(async () => {
  t = await setupApp();
  admin = (await t.f.session(['admin'])).cookie;
  user = (await t.f.session(['specialist'])).cookie;
});
afterAll(async () => t.close());

describe('working calendar', () => {
  it('lists statutory days off for a year', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/calendar/holidays?year=2026',
      headers: { cookie: user },
    });
    const dates = res.json().items.map((d: { date: string }) => d.date);
    expect(dates).toEqual(
      expect.arrayContaining([
        '2026-01-01',
        '2026-02-17',
        '2026-04-27',
        '2026-04-30',
        '2026-05-01',
        '2026-09-02',
        '2026-11-24',
      ]),
    );
  });

  it('a yearly notice is data: adding a day off moves deadlines and is audited', async () => {
    const before = await t.app.inject({
      method: 'GET',
      url: '/api/calendar/add?from=2027-12-30&days=1',
      headers: { cookie: user },
    });
    expect(before.json().date).toBe('2027-12-31');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/calendar/notices',
      headers: { cookie: admin },
      payload: {
        date: '2027-12-31',
        kind: 'day_off',
        name: 'Nghỉ hoán đổi dịp Tết Dương lịch',
        legalRef: 'TB thử',
      },
    });
    expect(res.statusCode).toBe(201);
    const after = await t.app.inject({
      method: 'GET',
      url: '/api/calendar/add?from=2027-12-30&days=1',
      headers: { cookie: user },
    });
    // 1/1/2028 is a Saturday, made up on Monday 3/1 (art. 111.3), so the next working day is Tuesday.
    expect(after.json().date).toBe('2028-01-04');
    const dup = await t.app.inject({
      method: 'POST',
      url: '/api/calendar/notices',
      headers: { cookie: admin },
      payload: { date: '2027-12-31', kind: 'day_off', name: 'Lặp' },
    });
    expect(dup.json().code).toBe('HOLIDAY_NOTICE_EXISTS');
    const holidays = await t.app.inject({
      method: 'GET',
      url: '/api/calendar/holidays?year=2027',
      headers: { cookie: user },
    });
    expect(holidays.json().items).toContainEqual({
      date: '2027-12-31',
      name: 'Nghỉ hoán đổi dịp Tết Dương lịch',
      source: 'notice',
    });
    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/calendar/notices/${res.json().id}`,
      headers: { cookie: admin },
    });
    expect(del.statusCode).toBe(204);
    const back = await t.app.inject({
      method: 'GET',
      url: '/api/calendar/add?from=2027-12-30&days=1',
      headers: { cookie: user },
    });
    expect(back.json().date).toBe('2027-12-31');
    const audit = await t.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_type', '=', 'holiday_notice')
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['calendar.notice.created', 'calendar.notice.deleted']);
  });

  it('a swapped working Saturday counts as a working day', async () => {
    await t.app.inject({
      method: 'POST',
      url: '/api/calendar/notices',
      headers: { cookie: admin },
      payload: { date: '2028-03-04', kind: 'makeup_workday', name: 'Làm bù' },
    });
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/calendar/add?from=2028-03-03&days=1',
      headers: { cookie: user },
    });
    expect(res.json().date).toBe('2028-03-04');
  });
});
