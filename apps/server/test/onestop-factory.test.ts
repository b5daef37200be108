import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupApp, type TestApp } from './helpers.ts';
import { insertDossier, insertProcedure } from './support/onestop-factory.ts';

let t: TestApp;
beforeAll(async () => {
  t = await setupApp();
});
afterAll(async () => t?.close());

describe('one-stop test factory', () => {
  it('inserts a procedure with its case, channels, components and workflow, and a dossier of it', async () => {
    const a = await t.f.agency({ code: 'H99.61' });
    const p = await insertProcedure(t.db, { sectorCode: 'HT', agencyIds: [a.id] });
    expect(p.caseIds).toHaveLength(1);
    const steps = await t.db
      .selectFrom('procedure_workflow_steps')
      .selectAll()
      .where('case_id', '=', p.caseIds[0]!)
      .execute();
    expect(steps.map((s) => s.name)).toEqual(['Tiếp nhận hồ sơ', 'Thẩm định, trình ký']);
    const d = await insertDossier(t.db, {
      agencyId: a.id,
      agencyCode: a.code,
      procedureId: p.id,
      caseId: p.caseIds[0]!,
      number: 7,
      receivedAt: new Date('2026-04-24T09:30:00+07:00'),
    });
    expect(d.code).toBe('H99.61-260424-0007');
    const row = await t.db
      .selectFrom('dossiers')
      .selectAll()
      .where('id', '=', d.id)
      .executeTakeFirstOrThrow();
    expect(row.portal_status).toBe(2);
    expect(row.search_text).toContain('nguyen van dan');
  });
});
