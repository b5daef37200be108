import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupApp, type TestApp } from './helpers.ts';

/** Business time (platform/clock.ts): CONGVU_CLOCK starts it elsewhere; CONGVU_CLOCK_CONTROL lets an admin move it. */
let t: TestApp;
let plain: TestApp;
beforeAll(async () => {
  t = await setupApp({ CONGVU_CLOCK: '2026-04-24T16:30:00+07:00', CONGVU_CLOCK_CONTROL: '1' });
  plain = await setupApp();
});
afterAll(async () => {
  await t?.close();
  await plain?.close();
});

describe('business clock', () => {
  it('starts at CONGVU_CLOCK and runs on', () => {
    const now = t.clock.now().getTime();
    const start = Date.parse('2026-04-24T16:30:00+07:00');
    expect(now).toBeGreaterThanOrEqual(start);
    expect(now - start).toBeLessThan(10 * 60_000);
    expect(t.clock.shifted).toBe(true);
    expect(plain.clock.shifted).toBe(false);
  });

  it('an administrator moves it, audited; others are refused; without control the route does not exist', async () => {
    const admin = await t.f.official({ roles: ['admin'] });
    const clerk = await t.f.official({ roles: ['clerk'] });
    const at = '2026-04-28T09:00:00+07:00';
    const none = await t.app.inject({ method: 'POST', url: '/api/dev/clock', payload: { at } });
    expect(none.statusCode).toBe(401);
    const denied = await t.app.inject({
      method: 'POST',
      url: '/api/dev/clock',
      headers: { cookie: await t.f.login(clerk.username) },
      payload: { at },
    });
    expect(denied.statusCode).toBe(403);
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/dev/clock',
      headers: { cookie: await t.f.login(admin.username) },
      payload: { at: '28/04/2026' },
    });
    expect(bad.statusCode).toBe(400);
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/dev/clock',
      headers: { cookie: await t.f.login(admin.username) },
      payload: { at },
    });
    expect(ok.statusCode).toBe(200);
    expect(Date.parse(ok.json().now) - Date.parse(at)).toBeLessThan(60_000);
    expect(t.clock.now().getTime() - Date.parse(at)).toBeLessThan(60_000);
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['action', 'summary'])
      .where('action', '=', 'dev.clock.set')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.summary).toMatchObject({ after: new Date(at).toISOString() });
    const absent = await plain.app.inject({
      method: 'POST',
      url: '/api/dev/clock',
      headers: { cookie: await plain.f.login((await plain.f.official({ roles: ['admin'] })).username) },
      payload: { at },
    });
    expect(absent.statusCode).toBe(404);
  });
});
