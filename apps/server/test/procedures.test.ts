import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../src/demo/province.ts';
import { seedDemo } from '../src/demo/seed.ts';
import { vnToday } from '../src/modules/procedures/service.ts';
import { setupApp, type TestApp } from './helpers.ts';
import { insertDossier } from './support/onestop-factory.ts';

let t: TestApp;
let admin: string;
let reader: string;
let commune: { id: string };
let communeCode: string;
let police: { id: string };
let hoTich: { id: string };
let policeDep: { id: string };

beforeAll(async () => {
  t = await setupApp();
  admin = (await t.f.session(['admin'])).cookie;
  reader = (await t.f.session(['counter'])).cookie;
  const c = await t.f.agency({ name: 'UBND xã Thử', kind: 'commune_committee' });
  commune = c;
  communeCode = c.code;
  police = await t.f.agency({ name: 'Công an xã Thử', kind: 'other' });
  hoTich = await t.f.department(commune.id, 'Tư pháp - Hộ tịch');
  policeDep = await t.f.department(police.id, 'Đội Cư trú');
  const s = await call('POST', '/api/procedure-sectors', admin, { code: 'HT', name: 'Hộ tịch' });
  expect(s.statusCode).toBe(201);
});
afterAll(async () => t.close());

async function call(method: 'GET' | 'POST' | 'PUT', url: string, cookie: string, payload?: unknown) {
  return t.app.inject({
    method,
    url,
    headers: { cookie },
    ...(payload !== undefined && { payload: payload as object }),
  });
}

const input = (over: Record<string, unknown> = {}) => ({
  code: '1.001193',
  name: 'Đăng ký khai sinh',
  sectorCode: 'HT',
  authorityLevel: 'commune',
  onlineLevel: 'full',
  applicants: ['Công dân Việt Nam'],
  results: [{ name: 'Giấy khai sinh' }],
  legalBasis: [{ number: '60/2014/QH13', title: 'Luật Hộ tịch' }],
  agencyIds: [commune.id],
  validFrom: '2025-07-01',
  published: true,
  cases: [
    {
      name: 'Đăng ký khai sinh trong nước',
      steps: ['Nộp hồ sơ', 'Trả kết quả'],
      channels: [
        { channel: 1, durationValue: 1, durationUnit: 'working_days', fees: [] },
        {
          channel: 2,
          durationValue: 8,
          durationUnit: 'working_hours',
          fees: [{ name: 'Lệ phí', kind: 'charge', amount: 0, when: 'exempt' }],
        },
      ],
      components: [{ name: 'Tờ khai đăng ký khai sinh', originals: 1 }],
      workflow: [
        { name: 'Tiếp nhận', kind: 'receive', role: 'counter', durationHours: 0.5 },
        {
          name: 'Thẩm định',
          kind: 'appraise',
          departmentId: hoTich.id,
          role: 'specialist',
          durationHours: 4,
        },
        { name: 'Ký', kind: 'sign', role: 'leader', durationHours: 2 },
        { name: 'Trả kết quả', kind: 'return', role: 'counter', durationHours: 0.5 },
      ],
    },
  ],
  ...over,
});

describe('procedure catalogue', () => {
  let id: string;

  it('creates a procedure with cases, channels, components and workflow, audited', async () => {
    const res = await call('POST', '/api/procedures', admin, input());
    expect(res.statusCode, res.body).toBe(201);
    const d = res.json();
    id = d.id;
    expect(d).toMatchObject({
      code: '1.001193',
      sectorName: 'Hộ tịch',
      agencies: [{ id: commune.id }],
      interAgency: false,
      validTo: null,
    });
    expect(d.cases[0].channels.map((c: { channel: number }) => c.channel)).toEqual([1, 2]);
    expect(d.cases[0].workflow[1]).toMatchObject({ departmentName: 'Tư pháp - Hộ tịch', ordinal: 2 });
    expect(d.cases[0].totalHours).toBe(7);
    const audit = await t.db.selectFrom('audit_log').select('action').where('entity_id', '=', id).execute();
    expect(audit.map((a) => a.action)).toContain('procedures.created');
    // The same code again is refused: a change is a new version.
    const again = await call('POST', '/api/procedures', admin, input());
    expect(again.json().code).toBe('PROCEDURE_CODE_TAKEN');
  });

  it('reads with any session; searches without diacritics; filters', async () => {
    await call(
      'POST',
      '/api/procedures',
      admin,
      input({
        code: '1.000894',
        name: 'Đăng ký kết hôn',
        authorityLevel: 'commune',
        onlineLevel: 'partial',
        published: false,
      }),
    );
    await call(
      'POST',
      '/api/procedures',
      admin,
      input({
        code: '2.000001',
        name: 'Cấp giấy phép xây dựng',
        sectorCode: null,
        authorityLevel: 'province',
        agencyIds: [],
        cases: [{ name: 'Chung' }],
      }),
    );
    const list = async (q: string) => (await call('GET', `/api/procedures${q}`, reader)).json();
    expect((await list('?q=dang ky khai sinh')).items.map((p: { code: string }) => p.code)).toEqual([
      '1.001193',
    ]);
    expect((await list('?q=KET HON')).items.map((p: { code: string }) => p.code)).toEqual(['1.000894']);
    expect((await list('?authorityLevel=province')).total).toBe(1);
    expect((await list('?onlineLevel=partial')).items[0].code).toBe('1.000894');
    expect((await list('?published=false')).items.map((p: { code: string }) => p.code)).toEqual(['1.000894']);
    expect((await list('?sectorCode=HT')).total).toBe(2);
    expect((await list(`?agencyId=${commune.id}`)).total).toBe(2);
    // Vietnamese order (Đ after D, C; "kết" before "khai").
    expect((await list('')).items.map((p: { name: string }) => p.name)).toEqual([
      'Cấp giấy phép xây dựng',
      'Đăng ký kết hôn',
      'Đăng ký khai sinh',
    ]);
    expect((await list('?on=2025-01-01')).total).toBe(0);
    const one = await call('GET', `/api/procedures/${id}`, reader);
    expect(one.statusCode).toBe(200);
    expect((await call('GET', `/api/procedures/${crypto.randomUUID()}`, reader)).json().code).toBe(
      'PROCEDURE_NOT_FOUND',
    );
  });

  it('updates in place, publishes and unpublishes, audited', async () => {
    const { cases: _c, code: _code, validFrom: _v, ...rest } = input();
    const upd = await call('PUT', `/api/procedures/${id}`, admin, {
      ...rest,
      name: 'Thủ tục đăng ký khai sinh',
      cases: [{ ...input().cases[0], components: [{ name: 'Tờ khai' }, { name: 'Giấy chứng sinh' }] }],
    });
    expect(upd.statusCode, upd.body).toBe(200);
    expect(upd.json().cases[0].components.map((c: { name: string }) => c.name)).toEqual([
      'Tờ khai',
      'Giấy chứng sinh',
    ]);
    const off = await call('POST', `/api/procedures/${id}/publish`, admin, { published: false });
    expect(off.json().published).toBe(false);
    const on = await call('POST', `/api/procedures/${id}/publish`, admin, { published: true });
    expect(on.json().published).toBe(true);
    const actions = (
      await t.db.selectFrom('audit_log').select('action').where('entity_id', '=', id).orderBy('id').execute()
    ).map((a) => a.action);
    expect(actions).toEqual([
      'procedures.created',
      'procedures.updated',
      'procedures.unpublished',
      'procedures.published',
    ]);
  });

  it('a new version from D closes the one in force; the list shows the version in force', async () => {
    const { code: _code, validFrom: _v, ...rest } = input();
    const from = '2026-01-01';
    const v2 = await call('POST', `/api/procedures/${id}/versions`, admin, {
      ...rest,
      name: 'Đăng ký khai sinh (2026)',
      validFrom: from,
    });
    expect(v2.statusCode, v2.body).toBe(201);
    const old = (await call('GET', `/api/procedures/${id}`, reader)).json();
    expect(old.validTo).toBe(from);
    const inForce = (await call('GET', '/api/procedures?code=1.001193&on=2025-12-31', reader)).json();
    expect(inForce.items.map((p: { id: string }) => p.id)).toEqual([id]);
    const later = (await call('GET', '/api/procedures?code=1.001193&on=2026-01-01', reader)).json();
    expect(later.items.map((p: { id: string }) => p.id)).toEqual([v2.json().id]);
    expect(vnToday() >= from).toBe(true);
    expect((await call('GET', '/api/procedures?code=1.001193', reader)).json().items[0].id).toBe(
      v2.json().id,
    );
    expect((await call('GET', '/api/procedures?code=1.001193&allVersions=true', reader)).json().total).toBe(
      2,
    );
    const same = await call('POST', `/api/procedures/${id}/versions`, admin, { ...rest, validFrom: from });
    expect(same.json().code).toBe('PROCEDURE_VERSION_INVALID');
  });

  it('validates the workflow: role, department of the agency, order; flags inter-agency', async () => {
    const wf = (workflow: unknown[]) =>
      input({ code: `3.${Math.floor(Math.random() * 1e6)}`, cases: [{ name: 'Chung', workflow }] });
    const bad = await call(
      'POST',
      '/api/procedures',
      admin,
      wf([
        {
          name: 'Thẩm định',
          kind: 'appraise',
          agencyId: police.id,
          departmentId: hoTich.id,
          role: 'specialist',
          durationHours: 4,
        },
        { name: 'Tiếp nhận', kind: 'receive', role: 'counter', durationHours: 1 },
        {
          name: 'Phòng lạ',
          kind: 'appraise',
          departmentId: policeDep.id,
          role: 'specialist',
          durationHours: 1,
        },
      ]),
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('PROCEDURE_WORKFLOW_INVALID');
    expect(
      bad.json().details.issues.map((i: { stepIndex: number; field: string }) => [i.stepIndex, i.field]),
    ).toEqual([
      [0, 'departmentId'],
      [1, 'kind'],
      [2, 'departmentId'],
    ]);
    const role = await call(
      'POST',
      '/api/procedures',
      admin,
      wf([{ name: 'X', kind: 'other', role: 'vua', durationHours: 1 }]),
    );
    expect(role.json().code).toBe('VALIDATION_ERROR');
    const unknownAgency = await call(
      'POST',
      '/api/procedures',
      admin,
      input({ code: '3.9', agencyIds: [crypto.randomUUID()] }),
    );
    expect(unknownAgency.json().code).toBe('PROCEDURE_AGENCY_UNKNOWN');
    const unknownSector = await call(
      'POST',
      '/api/procedures',
      admin,
      input({ code: '3.8', sectorCode: 'KHONG' }),
    );
    expect(unknownSector.json().code).toBe('PROCEDURE_SECTOR_UNKNOWN');
    const chain = await call(
      'POST',
      '/api/procedures',
      admin,
      wf([
        { name: 'Tiếp nhận', kind: 'receive', role: 'counter', durationHours: 0.5 },
        {
          name: 'Đăng ký thường trú',
          kind: 'appraise',
          agencyId: police.id,
          departmentId: policeDep.id,
          role: 'specialist',
          durationHours: 16,
        },
        { name: 'Trả kết quả', kind: 'return', role: 'counter', durationHours: 0.5 },
      ]),
    );
    expect(chain.statusCode, chain.body).toBe(201);
    expect(chain.json()).toMatchObject({ interAgency: true, cases: [{ interAgency: true, totalHours: 17 }] });
    expect(chain.json().cases[0].workflow[1].agencyName).toBe('Công an xã Thử');
  });

  it('caseForReception gives the dossiers module the case, channel, components and workflow', async () => {
    const cur = (await call('GET', '/api/procedures?code=1.001193', reader)).json().items[0];
    const d = (await call('GET', `/api/procedures/${cur.id}`, reader)).json();
    const r = await t.services.procedures.caseForReception(d.cases[0].id, 2, vnToday());
    expect(r.procedure).toMatchObject({ code: '1.001193', agencyIds: [commune.id] });
    expect(r.channel).toMatchObject({ channel: 2, durationValue: 8, durationUnit: 'working_hours' });
    expect(r.workflow.map((w) => w.kind)).toEqual(['receive', 'appraise', 'sign', 'return']);
    await expect(t.services.procedures.caseForReception(d.cases[0].id, 3, vnToday())).rejects.toMatchObject({
      code: 'PROCEDURE_CHANNEL_UNAVAILABLE',
    });
    await expect(
      t.services.procedures.caseForReception(d.cases[0].id, 1, '2025-01-01'),
    ).rejects.toMatchObject({
      code: 'PROCEDURE_NOT_IN_FORCE',
    });
  });

  it('a changed LayThuTuc record becomes a new version from today that keeps the local workflow and agencies', async () => {
    const exported = (await call('GET', '/api/procedures/export', admin)).json().result;
    const rec = exported.find((r: { MATTHC: string }) => r.MATTHC === '1.001193');
    const before = (await call('GET', '/api/procedures?code=1.001193', reader)).json().items[0];
    const report = (
      await call('POST', '/api/procedures/import', admin, [
        { ...rec, TENTTHC: 'Đăng ký khai sinh (cập nhật)' },
      ])
    ).json();
    expect(report).toMatchObject({ created: 0, updated: 1, unchanged: 0, rejected: [] });
    const now = (await call('GET', '/api/procedures?code=1.001193', reader)).json().items[0];
    expect(now.id).not.toBe(before.id);
    expect(now).toMatchObject({
      validFrom: vnToday(),
      source: 'import',
      name: 'Đăng ký khai sinh (cập nhật)',
    });
    const d = (await call('GET', `/api/procedures/${now.id}`, reader)).json();
    expect(d.agencies.map((a: { id: string }) => a.id)).toEqual([commune.id]);
    expect(d.cases[0].workflow.map((w: { kind: string }) => w.kind)).toEqual([
      'receive',
      'appraise',
      'sign',
      'return',
    ]);
    expect((await call('GET', `/api/procedures/${before.id}`, reader)).json().validTo).toBe(vnToday());
  });

  it('a version that dossiers use is not rewritten in place', async () => {
    const d = (await call('GET', `/api/procedures/${id}`, reader)).json();
    await insertDossier(t.db, {
      agencyId: commune.id,
      agencyCode: communeCode,
      procedureId: id,
      caseId: d.cases[0].id,
    });
    const { code: _code, validFrom: _v, ...rest } = input();
    const res = await call('PUT', `/api/procedures/${id}`, admin, rest);
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('PROCEDURE_IN_USE');
    // Still whole.
    expect((await call('GET', `/api/procedures/${id}`, reader)).json().cases).toHaveLength(1);
  });

  it('sectors: list for any session, create for procedures.manage only', async () => {
    expect(
      (await call('GET', '/api/procedure-sectors', reader)).json().items.map((s: { code: string }) => s.code),
    ).toContain('HT');
    expect((await call('POST', '/api/procedure-sectors', admin, { code: 'HT', name: 'x' })).json().code).toBe(
      'PROCEDURE_SECTOR_EXISTS',
    );
  });

  it('every change is denied without procedures.manage; reading needs a session', async () => {
    const uuid = crypto.randomUUID();
    const changes: Array<['POST' | 'PUT', string, unknown]> = [
      ['POST', '/api/procedure-sectors', { code: 'X', name: 'X' }],
      ['POST', '/api/procedures', input({ code: '9.1' })],
      ['PUT', `/api/procedures/${uuid}`, {}],
      ['POST', `/api/procedures/${uuid}/publish`, { published: true }],
      ['POST', `/api/procedures/${uuid}/versions`, {}],
      ['POST', '/api/procedures/import', []],
    ];
    for (const [m, url, body] of changes) {
      const res = await call(m, url, reader, body);
      expect(res.statusCode, url).toBe(403);
      expect(res.json().code).toBe('FORBIDDEN');
    }
    for (const url of [
      '/api/procedures',
      '/api/procedure-sectors',
      `/api/procedures/${uuid}`,
      '/api/procedures/export',
    ]) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(401);
    }
  });
});

describe('demo catalogue', () => {
  it('seeds at least 12 procedures at both levels, the three-agency chain and a 30-working-day land procedure', async () => {
    const t2 = await setupApp();
    try {
      await seedDemo(t2.services.org, t2.services.calendar, t2.services.documents, () => {}, {
        procedures: t2.services.procedures,
      });
      const cookie = await t2.f.login('motcua.xtl', DEMO_PASSWORD);
      const list = (
        await t2.app.inject({ method: 'GET', url: '/api/procedures?pageSize=200', headers: { cookie } })
      ).json();
      expect(list.total).toBeGreaterThanOrEqual(12);
      const levels = new Set(list.items.map((p: { authorityLevel: string }) => p.authorityLevel));
      expect([...levels].sort()).toEqual(['commune', 'province']);
      const chain = list.items.find((p: { name: string }) =>
        p.name.startsWith('Liên thông đăng ký khai sinh'),
      );
      const d = (
        await t2.app.inject({ method: 'GET', url: `/api/procedures/${chain.id}`, headers: { cookie } })
      ).json();
      expect(d.interAgency).toBe(true);
      const agencies = new Set(
        d.cases[0].workflow.map((w: { agencyName: string | null }) => w.agencyName ?? d.agencies[0].name),
      );
      expect([...agencies]).toEqual([
        'Ủy ban nhân dân xã Tân Lập',
        'Công an xã Tân Lập',
        'Bảo hiểm xã hội tỉnh Sơn Lâm',
      ]);
      const land = list.items.find((p: { code: string }) => p.code === '1.012766');
      const ld = (
        await t2.app.inject({ method: 'GET', url: `/api/procedures/${land.id}`, headers: { cookie } })
      ).json();
      expect(ld.cases[0].channels[0]).toMatchObject({ durationValue: 30, durationUnit: 'working_days' });
      expect(
        ld.cases[0].workflow.some((w: { departmentName: string }) => w.departmentName === 'Phòng Đất đai'),
      ).toBe(true);
      // The demo catalogue survives its own export → import unchanged.
      const admin = await t2.f.login('quantri', DEMO_PASSWORD);
      const exported = (
        await t2.app.inject({ method: 'GET', url: '/api/procedures/export', headers: { cookie: admin } })
      ).json();
      const report = (
        await t2.app.inject({
          method: 'POST',
          url: '/api/procedures/import',
          headers: { cookie: admin },
          payload: exported,
        })
      ).json();
      expect(report).toMatchObject({ created: 0, updated: 0, unchanged: list.total, rejected: [] });
    } finally {
      await t2.close();
    }
  }, 120_000);
});
