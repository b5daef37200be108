import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupApp, type TestApp } from './helpers.ts';

let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await setupApp();
  admin = (await t.f.session(['admin'])).cookie;
});
afterAll(async () => t.close());

const as = (cookie: string) => ({ headers: { cookie } });

describe('agencies', () => {
  it('creates an agency with a QĐ 20 code and refuses a duplicate or malformed one', async () => {
    const parent = await t.f.agency({ code: 'H88', name: 'UBND tỉnh Thử', kind: 'province_committee' });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/org/agencies',
      ...as(admin),
      payload: {
        code: 'H88.02',
        legacyCode: '000.00.02.H88',
        name: 'Sở Nội vụ',
        kind: 'province_department',
        parentId: parent.id,
      },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ code: 'H88.02', parentId: parent.id, validTo: null });
    const dup = await t.app.inject({
      method: 'POST',
      url: '/api/org/agencies',
      ...as(admin),
      payload: { code: 'H88.02', name: 'Sở khác', kind: 'province_department' },
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({
      code: 'AGENCY_CODE_TAKEN',
      message: 'Mã định danh đã được dùng cho cơ quan khác',
    });
    for (const code of ['h88.03', 'H88-03', `H${'1'.repeat(35)}`, 'H88..03']) {
      const bad = await t.app.inject({
        method: 'POST',
        url: '/api/org/agencies',
        ...as(admin),
        payload: { code, name: 'Sở X', kind: 'province_department' },
      });
      expect(bad.statusCode, code).toBe(400);
    }
  });

  it('merges two agencies: the old ones end, keep history and resolve to the successor', async () => {
    const a = await t.f.agency({ code: 'M1', name: 'Sở Kế hoạch và Đầu tư' });
    const b = await t.f.agency({ code: 'M2', name: 'Sở Tài chính' });
    const child = await t.f.agency({
      code: 'M2.01',
      name: 'Trung tâm thuộc Sở',
      parentId: b.id,
      kind: 'other',
    });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/org/reorganisations',
      ...as(admin),
      payload: {
        kind: 'merge',
        effectiveDate: '2025-09-01',
        sourceIds: [a.id, b.id],
        targets: [{ code: 'M2', name: 'Sở Tài chính (mới)', kind: 'province_department' }],
      },
    });
    expect(res.statusCode).toBe(201);
    const target = res.json().targets[0];
    expect(target).toMatchObject({ code: 'M2', validFrom: '2025-09-01' });
    const old = await t.app.inject({ method: 'GET', url: `/api/org/agencies/${a.id}`, ...as(admin) });
    expect(old.json()).toMatchObject({
      validTo: '2025-08-31',
      successorId: target.id,
      successor: { id: target.id },
    });
    // The tree as of a date before the merge shows the old agencies; today it shows the new one.
    const before = await t.app.inject({
      method: 'GET',
      url: '/api/org/agencies?asOf=2025-08-01',
      ...as(admin),
    });
    const beforeIds = before.json().items.map((x: { id: string }) => x.id);
    expect(beforeIds).toEqual(expect.arrayContaining([a.id, b.id]));
    expect(beforeIds).not.toContain(target.id);
    const now = await t.app.inject({ method: 'GET', url: '/api/org/agencies', ...as(admin) });
    const nowIds = now.json().items.map((x: { id: string }) => x.id);
    expect(nowIds).toContain(target.id);
    expect(nowIds).not.toContain(a.id);
    const movedChild = await t.app.inject({
      method: 'GET',
      url: `/api/org/agencies/${child.id}`,
      ...as(admin),
    });
    expect(movedChild.json().parentId).toBe(target.id);
    // An ended agency cannot be merged again.
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/org/reorganisations',
      ...as(admin),
      payload: {
        kind: 'merge',
        effectiveDate: '2025-10-01',
        sourceIds: [a.id],
        targets: [{ existingId: target.id }],
      },
    });
    expect(again.json().code).toBe('AGENCY_INACTIVE');
  });

  it('splits an agency into two', async () => {
    const s = await t.f.agency({ code: 'S1', name: 'Sở Văn hóa, Thể thao và Du lịch' });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/org/reorganisations',
      ...as(admin),
      payload: {
        kind: 'split',
        effectiveDate: '2026-01-01',
        sourceIds: [s.id],
        targets: [
          { code: 'S1.A', name: 'Sở Văn hóa và Thể thao', kind: 'province_department' },
          { code: 'S1.B', name: 'Sở Du lịch', kind: 'province_department' },
        ],
      },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().targets).toHaveLength(2);
    const audit = await t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'org.agency.split')
      .execute();
    expect(audit).toHaveLength(1);
  });

  it('holds the pre-2025 province–district–commune shape and central bodies', async () => {
    const ministry = await t.f.agency({
      code: 'G22',
      name: 'Văn phòng Chính phủ',
      kind: 'central',
      validFrom: '2000-01-01',
    });
    const province = await t.f.agency({
      code: 'H77',
      name: 'UBND tỉnh Cũ',
      kind: 'province_committee',
      validFrom: '2000-01-01',
    });
    const district = await t.f.agency({
      code: 'H77.20',
      name: 'UBND huyện Cũ',
      kind: 'district_committee',
      parentId: province.id,
      validFrom: '2000-01-01',
    });
    const commune = await t.f.agency({
      code: 'H77.20.01',
      name: 'UBND xã Cũ',
      kind: 'commune_committee',
      parentId: district.id,
      validFrom: '2000-01-01',
    });
    // 2025 reform: the district ends, its communes come directly under the province.
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/org/reorganisations',
      ...as(admin),
      payload: {
        kind: 'merge',
        effectiveDate: '2025-07-01',
        sourceIds: [district.id],
        targets: [{ existingId: province.id }],
        note: 'Bỏ cấp huyện',
      },
    });
    expect(res.statusCode).toBe(201);
    const asOf2024 = (
      await t.app.inject({ method: 'GET', url: '/api/org/agencies?asOf=2024-01-01', ...as(admin) })
    ).json().items;
    expect(asOf2024.map((a: { id: string }) => a.id)).toEqual(
      expect.arrayContaining([ministry.id, province.id, district.id, commune.id]),
    );
    const c = (
      await t.app.inject({ method: 'GET', url: `/api/org/agencies/${commune.id}`, ...as(admin) })
    ).json();
    expect(c.parentId).toBe(province.id);
    const d = (
      await t.app.inject({ method: 'GET', url: `/api/org/agencies/${district.id}`, ...as(admin) })
    ).json();
    expect(d).toMatchObject({ validTo: '2025-06-30', successor: { id: province.id } });
  });

  it('searches agencies without diacritics', async () => {
    await t.f.agency({ code: 'Q1', name: 'Sở Nông nghiệp và Môi trường' });
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/org/agencies?q=${encodeURIComponent('nong nghiep moi truong')}`,
      ...as(admin),
    });
    expect(res.json().items.map((x: { code: string }) => x.code)).toContain('Q1');
  });
});

describe('departments, positions and officials', () => {
  it('creates a department and an official in it; the official sees it in /me', async () => {
    const ag = await t.f.agency();
    const dep = await t.app.inject({
      method: 'POST',
      url: '/api/org/departments',
      ...as(admin),
      payload: { agencyId: ag.id, name: 'Phòng Tổng hợp' },
    });
    expect(dep.statusCode).toBe(201);
    const pos = await t.app.inject({
      method: 'POST',
      url: '/api/org/positions',
      ...as(admin),
      payload: { name: 'Trưởng phòng', rank: 50 },
    });
    expect(pos.statusCode).toBe(201);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/org/officials',
      ...as(admin),
      payload: {
        username: 'Tran.Van.Binh',
        fullName: 'Trần Văn Bình',
        email: 'binh@sonlam.gov.vn',
        password: 'MatKhau-2026',
        roles: [{ role: 'specialist', agencyId: ag.id }],
        memberships: [{ departmentId: dep.json().id, positionId: pos.json().id, isPrimary: true }],
      },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      username: 'tran.van.binh',
      memberships: [{ departmentName: 'Phòng Tổng hợp', positionName: 'Trưởng phòng', isPrimary: true }],
    });
    expect(JSON.stringify(res.json())).not.toContain('password');
    const cookie = await t.f.login('tran.van.binh', 'MatKhau-2026');
    const me = await t.app.inject({ method: 'GET', url: '/api/auth/me', ...as(cookie) });
    expect(me.json().memberships[0]).toMatchObject({ agencyId: ag.id, departmentName: 'Phòng Tổng hợp' });
    const dup = await t.app.inject({
      method: 'POST',
      url: '/api/org/officials',
      ...as(admin),
      payload: { username: 'tran.van.binh', fullName: 'Người khác', password: 'MatKhau-2026' },
    });
    expect(dup.json().code).toBe('USERNAME_TAKEN');
  });

  it('an official may work in several departments of several agencies, one of them primary', async () => {
    const a = await t.f.agency();
    const b = await t.f.agency();
    const da = await t.f.department(a.id, 'Phòng Tổng hợp');
    const db = await t.f.department(b.id, 'Tổ công tác liên ngành');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/org/officials',
      ...as(admin),
      payload: {
        username: 'kiem.nhiem',
        fullName: 'Lê Văn Kiêm',
        password: 'MatKhau-2026',
        memberships: [
          { departmentId: da.id, positionId: null, isPrimary: true },
          { departmentId: db.id, positionId: null, isPrimary: false },
        ],
      },
    });
    expect(res.statusCode).toBe(201);
    expect(
      res.json().memberships.map((m: { agencyId: string; isPrimary: boolean }) => [m.agencyId, m.isPrimary]),
    ).toEqual([
      [a.id, true],
      [b.id, false],
    ]);
    const two = await t.app.inject({
      method: 'PATCH',
      url: `/api/org/officials/${res.json().id}`,
      ...as(admin),
      payload: {
        memberships: [
          { departmentId: da.id, positionId: null, isPrimary: true },
          { departmentId: db.id, positionId: null, isPrimary: true },
        ],
      },
    });
    expect(two.statusCode).toBe(400);
  });

  it('refuses memberships in unknown departments', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/org/officials',
      ...as(admin),
      payload: {
        username: 'ai.do',
        fullName: 'Ai Đó',
        password: 'MatKhau-2026',
        memberships: [
          { departmentId: '01900000-0000-7000-8000-000000000000', positionId: null, isPrimary: true },
        ],
      },
    });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('DEPARTMENT_NOT_FOUND');
  });

  it('lists officials sorted the Vietnamese way (given name first) and finds them without diacritics', async () => {
    const ag = await t.f.agency();
    const dep = await t.f.department(ag.id);
    for (const n of ['Trần Văn Ân', 'Nguyễn Thị Bình', 'Lê Văn An', 'Phạm Thị Đào', 'Hoàng Văn Dũng']) {
      await t.f.official({ fullName: n, departmentId: dep.id });
    }
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/org/officials?departmentId=${dep.id}`,
      ...as(admin),
    });
    expect(res.json().items.map((x: { fullName: string }) => x.fullName)).toEqual([
      'Lê Văn An',
      'Trần Văn Ân',
      'Nguyễn Thị Bình',
      'Hoàng Văn Dũng',
      'Phạm Thị Đào',
    ]);
    const found = await t.app.inject({
      method: 'GET',
      url: `/api/org/officials?q=${encodeURIComponent('pham thi dao')}`,
      ...as(admin),
    });
    expect(found.json().items.map((x: { fullName: string }) => x.fullName)).toContain('Phạm Thị Đào');
  });
});

describe('delegations', () => {
  it('a leader delegates their role for a time; the delegate acts for them and the audit says so', async () => {
    const leader = await t.f.official({ roles: ['admin'], fullName: 'Trần Quốc Hưng' });
    const deputy = await t.f.official({ roles: ['specialist'] });
    const leaderCookie = await t.f.login(leader.username);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/org/delegations',
      ...as(leaderCookie),
      payload: {
        fromOfficialId: leader.id,
        toOfficialId: deputy.id,
        roles: ['admin'],
        startsAt: new Date(Date.now() - 60_000).toISOString(),
        endsAt: new Date(Date.now() + 3_600_000).toISOString(),
        reason: 'Đi công tác nước ngoài',
      },
    });
    expect(res.statusCode).toBe(201);
    const deputyCookie = await t.f.login(deputy.username);
    // Without acting for the leader, the deputy cannot read the audit log.
    expect((await t.app.inject({ method: 'GET', url: '/api/audit', ...as(deputyCookie) })).statusCode).toBe(
      403,
    );
    const acting = { cookie: deputyCookie, 'x-acting-for': leader.id };
    const me = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: acting });
    expect(me.json().actingFor).toEqual({ id: leader.id, fullName: 'Trần Quốc Hưng' });
    const pos = await t.app.inject({
      method: 'POST',
      url: '/api/org/positions',
      headers: acting,
      payload: { name: 'Phó Giám đốc', rank: 40 },
    });
    expect(pos.statusCode).toBe(201);
    const row = await t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'org.position.created')
      .where('entity_id', '=', pos.json().id)
      .executeTakeFirstOrThrow();
    expect(row.actor_id).toBe(deputy.id);
    expect(row.on_behalf_of_id).toBe(leader.id);
    // Revoked: acting for the leader is refused.
    await t.app.inject({
      method: 'POST',
      url: `/api/org/delegations/${res.json().id}/revoke`,
      ...as(leaderCookie),
    });
    const after = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: acting });
    expect(after.statusCode).toBe(403);
    expect(after.json().code).toBe('DELEGATION_NOT_ACTIVE');
  });

  it('cannot delegate a role one does not hold', async () => {
    const a = await t.f.official({ roles: ['clerk'] });
    const b = await t.f.official();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/org/delegations',
      ...as(admin),
      payload: {
        fromOfficialId: a.id,
        toOfficialId: b.id,
        roles: ['leader'],
        startsAt: '2026-01-01T00:00:00+07:00',
        endsAt: '2026-01-31T00:00:00+07:00',
        reason: 'Nghỉ phép',
      },
    });
    expect(res.json()).toMatchObject({ code: 'DELEGATION_INVALID', details: { missing: ['leader'] } });
  });
});
