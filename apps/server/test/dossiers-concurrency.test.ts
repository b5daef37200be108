import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthContext, permissionsFor } from '../src/platform/policy.ts';
import { setupApp, type TestApp } from './helpers.ts';
import { insertProcedure } from './support/onestop-factory.ts';

/** 1,000 dossiers received concurrently at one agency on one day: codes -0001 … -1000, no gap, no duplicate. */
let t: TestApp;
beforeAll(async () => {
  t = await setupApp();
});
afterAll(async () => t?.close());

describe('dossier codes under concurrency', () => {
  it('1,000 concurrent receptions get 0001…1000', { timeout: 600_000 }, async () => {
    const agency = await t.f.agency({ code: 'H22.77' });
    const o = await t.f.official({ roles: ['counter'], agencyId: agency.id });
    const grants = [{ role: 'counter' as const, agencyId: agency.id }];
    const auth: AuthContext = {
      officialId: o.id,
      fullName: o.fullName,
      roles: grants,
      permissions: new Set(permissionsFor(grants)),
      actingFor: null,
      sessionId: null,
      tokenId: null,
    };
    const p = await insertProcedure(t.db, { agencyIds: [agency.id] });
    const at = new Date('2026-05-12T09:00:00+07:00');
    const N = 1000;
    const codes: string[] = [];
    let next = 0;
    // A pool of 25 callers sharing the app's 5 database connections.
    const worker = async () => {
      while (next < N) {
        const i = next++;
        const d = await t.services.dossiers.receive(
          { auth, ip: null },
          {
            procedureId: p.id,
            caseId: p.caseIds[0] as string,
            channel: 1,
            applicant: { kind: 1, name: `Công dân ${i}`, idNo: String(100000000000 + i) },
            sets: 1,
            components: [],
            paidFees: [],
          },
          at,
        );
        codes.push(d.code);
      }
    };
    await Promise.all(Array.from({ length: 25 }, worker));
    const expected = Array.from({ length: N }, (_, i) => `H22.77-260512-${String(i + 1).padStart(4, '0')}`);
    expect(new Set(codes).size).toBe(N);
    expect([...codes].sort()).toEqual(expected);
    const stored = await t.db
      .selectFrom('dossiers')
      .select('code')
      .where('agency_id', '=', agency.id)
      .orderBy('code')
      .execute();
    expect(stored.map((r) => r.code)).toEqual(expected);
    const counter = await t.db
      .selectFrom('dossier_counters')
      .select(['day', 'last'])
      .where('agency_id', '=', agency.id)
      .executeTakeFirstOrThrow();
    expect(counter).toEqual({ day: '2026-05-12', last: N });
  });
});
