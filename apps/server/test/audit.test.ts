import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../src/platform/audit/service.ts';
import { setupApp, type TestApp } from './helpers.ts';

let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await setupApp();
  admin = (await t.f.session(['admin'])).cookie;
  await t.f.agency({ name: 'Sở Tư pháp' });
});
afterAll(async () => t.close());

describe('audit log', () => {
  it('records state changes with before/after and is filterable', async () => {
    const ag = await t.f.agency({ name: 'Sở Y tế' });
    await t.app.inject({
      method: 'PATCH',
      url: `/api/org/agencies/${ag.id}`,
      headers: { cookie: admin },
      payload: { name: 'Sở Y tế tỉnh' },
    });
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/audit?entityType=agency&entityId=${ag.id}`,
      headers: { cookie: admin },
    });
    expect(res.statusCode).toBe(200);
    const items = res.json().items;
    expect(items.map((x: { action: string }) => x.action)).toEqual([
      'org.agency.updated',
      'org.agency.created',
    ]);
    expect(items[0].summary.before.name).toBe('Sở Y tế');
    expect(items[0].summary.after.name).toBe('Sở Y tế tỉnh');
    expect(items[0].actorName).toBeTruthy();
  });

  it('is append-only: UPDATE and DELETE are refused by the database', async () => {
    await expect(sql`UPDATE audit_log SET action = 'x'`.execute(t.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_log`.execute(t.db)).rejects.toThrow(/append-only/);
  });

  it('verify passes on an intact chain and reports an edited row', async () => {
    const ok = await t.app.inject({ method: 'GET', url: '/api/audit/verify', headers: { cookie: admin } });
    expect(ok.json()).toMatchObject({ ok: true, brokenAt: null });
    expect(ok.json().checked).toBeGreaterThan(3);
    // A superuser bypasses the trigger to tamper; the chain still tells.
    const victim = await t.db
      .selectFrom('audit_log')
      .select('id')
      .orderBy('id')
      .offset(2)
      .limit(1)
      .executeTakeFirstOrThrow();
    await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update`.execute(t.db);
    await sql`UPDATE audit_log SET summary = '{"forged": true}' WHERE id = ${victim.id}`.execute(t.db);
    await sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update`.execute(t.db);
    const bad = await verifyAudit(t.db);
    expect(bad).toMatchObject({ ok: false, brokenAt: victim.id });
    expect(bad.reason).toContain('bị sửa');
  });

  it('reports a deleted row as a broken link', async () => {
    const t2 = await import('./helpers.ts').then((h) => h.setupApp());
    try {
      for (let i = 0; i < 4; i++) await t2.f.agency();
      const rows = await t2.db.selectFrom('audit_log').select('id').orderBy('id').execute();
      await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update`.execute(t2.db);
      await sql`DELETE FROM audit_log WHERE id = ${rows[1]!.id}`.execute(t2.db);
      await sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update`.execute(t2.db);
      const r = await verifyAudit(t2.db);
      expect(r).toMatchObject({ ok: false, brokenAt: rows[2]!.id });
      expect(r.reason).toContain('đứt');
    } finally {
      await t2.close();
    }
  });

  it('concurrent writers keep one unbroken chain', async () => {
    const t3 = await import('./helpers.ts').then((h) => h.setupApp());
    try {
      await Promise.all(Array.from({ length: 20 }, () => t3.f.agency()));
      expect(await verifyAudit(t3.db)).toMatchObject({ ok: true, checked: 20 });
    } finally {
      await t3.close();
    }
  });
});
