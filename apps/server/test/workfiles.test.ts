import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../src/demo/province.ts';
import { seedDemo } from '../src/demo/seed.ts';
import { setupApp, type TestApp } from './helpers.ts';

let t: TestApp;
let a: string;
let b: string;
let depA1: string;
let depA2: string;
type Person = { id: string; cookie: string };
let leaderA: Person;
let clerkA: Person;
let specA: Person;
let specA2: Person;
let specAB: Person;
let leaderB: Person;
let specB: Person;
let adminB: Person;
let docA: string;
let secretDocA: string;
let docB: string;

/** Today in Việt Nam, and shifted by whole days. */
function vnDay(shiftDays = 0): string {
  return new Date(Date.now() + 7 * 3_600_000 + shiftDays * 86_400_000).toISOString().slice(0, 10);
}
function plusYear(day: string): string {
  const [y, m, d] = day.split('-');
  return `${Number(y) + 1}-${m}-${d}`;
}

async function person(
  roles: ('leader' | 'specialist' | 'clerk' | 'admin')[],
  agencyId: string,
  departmentId?: string,
): Promise<Person> {
  const o = await t.f.official({ roles, agencyId, ...(departmentId && { departmentId }) });
  return { id: o.id, cookie: await t.f.login(o.username) };
}

const call = (
  p: Person,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  payload?: object,
  headers: Record<string, string> = {},
) => t.app.inject({ method, url, headers: { cookie: p.cookie, ...headers }, ...(payload && { payload }) });

const audits = (action: string, entityId: string) =>
  t.db
    .selectFrom('audit_log')
    .select(['action', 'actor_id', 'summary'])
    .where('action', '=', action)
    .where('entity_id', '=', entityId)
    .execute();

beforeAll(async () => {
  t = await setupApp();
  a = (await t.f.agency({ name: 'Văn phòng UBND tỉnh Thử', shortName: 'VP' })).id;
  b = (await t.f.agency({ name: 'Sở Tài chính', shortName: 'STC' })).id;
  depA1 = (await t.f.department(a, 'Phòng Tổng hợp')).id;
  depA2 = (await t.f.department(a, 'Phòng Kinh tế')).id;
  const depB = (await t.f.department(b, 'Văn phòng Sở')).id;
  leaderA = await person(['leader'], a, depA1);
  clerkA = await person(['clerk'], a);
  specA = await person(['specialist'], a, depA1);
  specA2 = await person(['specialist'], a, depA2);
  // Works in A (role) and in B (membership): sees documents of both.
  specAB = await person(['specialist'], a, depB);
  leaderB = await person(['leader'], b, depB);
  specB = await person(['specialist'], b, depB);
  adminB = await person(['admin'], b, depB);

  const admin = (await t.f.session(['admin'])).cookie;
  const register = async (agencyId: string, secret: boolean) =>
    (
      await t.app.inject({
        method: 'POST',
        url: '/api/documents/registers',
        headers: { cookie: admin },
        payload: { agencyId, kind: 'incoming', secret, code: secret ? 'DEN-MAT' : 'DEN', name: 'Sổ đến' },
      })
    ).json().id as string;
  const regA = await register(a, false);
  const secretRegA = await register(a, true);
  const regB = await register(b, false);
  const clerkB = await person(['clerk'], b);
  const incoming = async (clerk: Person, registerId: string, subject: string, secrecy = 'none') => {
    const res = await call(clerk, 'POST', '/api/documents/incoming', {
      registerId,
      typeId: 'cong_van',
      issuerName: 'Bộ Nội vụ',
      subject,
      secrecy,
    });
    expect(res.statusCode).toBe(201);
    return res.json().documentId as string;
  };
  docA = await incoming(clerkA, regA, 'Về việc lập danh mục hồ sơ năm 2026');
  secretDocA = await incoming(clerkA, secretRegA, 'Về công tác bảo vệ bí mật nhà nước', 'secret');
  docB = await incoming(clerkB, regB, 'Về dự toán ngân sách');
});
afterAll(async () => t.close());

describe('retention classes', () => {
  it('are effective-dated rows of TT 10/2022: permanent has no years; nothing before it took effect', async () => {
    const res = await call(specA, 'GET', '/api/workfiles/retention-classes');
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { code: string; label: string; years: number | null }[];
    expect(items.map((c) => c.label)).toEqual([
      'Vĩnh viễn',
      '70 năm',
      '50 năm',
      '20 năm',
      '10 năm',
      '05 năm',
    ]);
    expect(items[0]).toMatchObject({ code: 'vinh_vien', years: null, depositRequired: true });
    const before = await call(specA, 'GET', '/api/workfiles/retention-classes?asOf=2020-01-01');
    expect(before.json().items).toEqual([]);
  });
});

describe('file list (danh mục hồ sơ)', () => {
  let listId: string;

  it('is drafted by the office, approved by the head of the agency, and then frozen', async () => {
    expect((await call(specA, 'POST', '/api/workfiles/lists', { agencyId: a, year: 2026 })).statusCode).toBe(
      403,
    );
    expect(
      (await call(leaderB, 'POST', '/api/workfiles/lists', { agencyId: a, year: 2026 })).statusCode,
    ).toBe(403);
    const made = await call(clerkA, 'POST', '/api/workfiles/lists', { agencyId: a, year: 2026 });
    expect(made.statusCode).toBe(201);
    expect(made.json()).toMatchObject({ agencyId: a, year: 2026, status: 'draft', items: [] });
    listId = made.json().id;
    const again = await call(leaderA, 'POST', '/api/workfiles/lists', { agencyId: a, year: 2026 });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('FILE_LIST_EXISTS');

    const add = (p: Person, item: object) => call(p, 'POST', `/api/workfiles/lists/${listId}/items`, item);
    const first = await add(clerkA, {
      section: 'I. Công tác tổng hợp',
      code: '01.TH',
      title: 'Hồ sơ xây dựng chương trình công tác năm 2026',
      retentionCode: '20_nam',
      departmentId: depA1,
      officialId: specA.id,
    });
    expect(first.statusCode).toBe(201);
    expect(first.json().items[0]).toMatchObject({
      code: '01.TH',
      retentionLabel: '20 năm',
      departmentName: 'Phòng Tổng hợp',
      officialId: specA.id,
      fileId: null,
    });
    expect(
      (
        await add(leaderA, {
          code: '02.KT',
          title: 'Hồ sơ theo dõi giải ngân vốn đầu tư công',
          retentionCode: '10_nam',
          departmentId: depA2,
        })
      ).statusCode,
    ).toBe(201);
    const dup = await add(clerkA, { code: '01.TH', title: 'Trùng số ký hiệu', retentionCode: '5_nam' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe('FILE_CODE_TAKEN');
    const badClass = await add(clerkA, { code: '03.TH', title: 'Không rõ thời hạn', retentionCode: '3_nam' });
    expect(badClass.json().code).toBe('RETENTION_CLASS_UNKNOWN');
    const foreign = await add(clerkA, {
      code: '03.TH',
      title: 'Người lập ở cơ quan khác',
      retentionCode: '5_nam',
      officialId: specB.id,
    });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().code).toBe('WORK_FILE_OWNER_INVALID');
    expect(
      (await add(specA, { code: '03.TH', title: 'Chuyên viên không lập danh mục', retentionCode: '5_nam' }))
        .statusCode,
    ).toBe(403);

    const temp = await add(clerkA, { code: '09.TH', title: 'Hồ sơ tạm', retentionCode: '5_nam' });
    const tempId = (temp.json().items as { id: string; code: string }[]).find((i) => i.code === '09.TH')!.id;
    const patched = await call(clerkA, 'PATCH', `/api/workfiles/lists/${listId}/items/${tempId}`, {
      title: 'Hồ sơ tạm đã sửa',
      note: 'Sẽ bỏ',
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json().items.find((i: { id: string }) => i.id === tempId)).toMatchObject({
      title: 'Hồ sơ tạm đã sửa',
      note: 'Sẽ bỏ',
    });
    const removed = await call(clerkA, 'DELETE', `/api/workfiles/lists/${listId}/items/${tempId}`);
    expect(removed.json().items).toHaveLength(2);

    // Files are opened only from an approved list.
    const early = await call(specA, 'POST', '/api/workfiles/files', {
      listItemId: first.json().items[0].id,
    });
    expect(early.json().code).toBe('FILE_LIST_NOT_APPROVED');

    // The clerk lacks the permission; another agency's leader does not even see the list.
    expect((await call(clerkA, 'POST', `/api/workfiles/lists/${listId}/approve`)).statusCode).toBe(403);
    expect((await call(leaderB, 'POST', `/api/workfiles/lists/${listId}/approve`)).statusCode).toBe(404);
    expect((await call(adminB, 'POST', `/api/workfiles/lists/${listId}/approve`)).statusCode).toBe(404);
    const ok = await call(leaderA, 'POST', `/api/workfiles/lists/${listId}/approve`);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'approved', approvedById: leaderA.id, itemCount: 2 });
    expect(await audits('workfiles.list.approved', listId)).toHaveLength(1);

    const late = await add(clerkA, { code: '04.TH', title: 'Thêm sau khi duyệt', retentionCode: '5_nam' });
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('FILE_LIST_APPROVED');
    expect((await call(leaderA, 'POST', `/api/workfiles/lists/${listId}/approve`)).json().code).toBe(
      'FILE_LIST_APPROVED',
    );
  });

  it('an empty list cannot be approved', async () => {
    const made = await call(clerkA, 'POST', '/api/workfiles/lists', { agencyId: a, year: 2027 });
    const res = await call(leaderA, 'POST', `/api/workfiles/lists/${made.json().id}/approve`);
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('FILE_LIST_EMPTY');
  });

  it('lists are read in their own agency only', async () => {
    const mine = await call(specA, 'GET', '/api/workfiles/lists?year=2026');
    expect(mine.json().items.map((l: { id: string }) => l.id)).toEqual([listId]);
    expect((await call(specA, 'GET', `/api/workfiles/lists/${listId}`)).statusCode).toBe(200);
    expect((await call(leaderB, 'GET', '/api/workfiles/lists')).json().items).toEqual([]);
    expect((await call(leaderB, 'GET', `/api/workfiles/lists?agencyId=${a}`)).json().items).toEqual([]);
    const other = await call(leaderB, 'GET', `/api/workfiles/lists/${listId}`);
    expect(other.statusCode).toBe(404);
    expect(other.json().code).toBe('FILE_LIST_NOT_FOUND');
  });
});

describe('work files (hồ sơ công việc)', () => {
  let fileId: string;
  let itemKT: string;

  it('are opened from the approved list once, by the official it names or for whom the office decides', async () => {
    const list = (await call(specA, 'GET', '/api/workfiles/lists?year=2026')).json().items[0];
    const items = (await call(specA, 'GET', `/api/workfiles/lists/${list.id}`)).json().items as {
      id: string;
      code: string;
    }[];
    const itemTH = items.find((i) => i.code === '01.TH')!.id;
    itemKT = items.find((i) => i.code === '02.KT')!.id;
    // 01.TH names specA: specA2 may not take it, nor open a file for someone else.
    expect((await call(specA2, 'POST', '/api/workfiles/files', { listItemId: itemTH })).statusCode).toBe(403);
    expect(
      (await call(specA2, 'POST', '/api/workfiles/files', { listItemId: itemKT, ownerId: specA.id }))
        .statusCode,
    ).toBe(403);
    // Another agency cannot see the item at all.
    const foreign = await call(specB, 'POST', '/api/workfiles/files', { listItemId: itemTH });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().code).toBe('FILE_LIST_ITEM_NOT_FOUND');

    const opened = await call(specA, 'POST', '/api/workfiles/files', { listItemId: itemTH });
    expect(opened.statusCode).toBe(201);
    expect(opened.json()).toMatchObject({
      agencyId: a,
      year: 2026,
      code: '01.TH',
      title: 'Hồ sơ xây dựng chương trình công tác năm 2026',
      retentionLabel: '20 năm',
      retentionYears: 20,
      ownerId: specA.id,
      departmentName: 'Phòng Tổng hợp',
      status: 'open',
      openedOn: vnDay(),
      closedOn: null,
      documents: [],
      notes: [],
      canChange: true,
      canReopen: false,
    });
    fileId = opened.json().id;
    const twice = await call(specA, 'POST', '/api/workfiles/files', { listItemId: itemTH });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('WORK_FILE_ALREADY_OPENED');
    expect(await audits('workfiles.file.opened', fileId)).toHaveLength(1);

    // The list shows the item's file.
    const after = (await call(specA, 'GET', `/api/workfiles/lists/${list.id}`)).json().items;
    expect(after.find((i: { code: string }) => i.code === '01.TH')).toMatchObject({
      fileId,
      fileStatus: 'open',
    });
  });

  it('off-list files need the five things of art. 28 and a code free in the list of the year', async () => {
    const missing = await call(specA, 'POST', '/api/workfiles/files', {
      agencyId: a,
      title: 'Thiếu người lập và thời gian bắt đầu',
      code: '50.TH',
      retentionCode: '5_nam',
    });
    expect(missing.statusCode).toBe(400);
    const base = {
      agencyId: a,
      title: 'Hồ sơ đoàn công tác đột xuất',
      retentionCode: '10_nam',
      ownerId: specA.id,
      openedOn: vnDay(),
    };
    const taken = await call(specA, 'POST', '/api/workfiles/files', { ...base, code: '02.KT' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().code).toBe('FILE_CODE_TAKEN');
    const future = await call(specA, 'POST', '/api/workfiles/files', {
      ...base,
      code: '51.TH',
      openedOn: vnDay(3),
    });
    expect(future.json().code).toBe('WORK_FILE_DATE_INVALID');
    expect(
      (await call(specA, 'POST', '/api/workfiles/files', { ...base, code: '51.TH', ownerId: specA2.id }))
        .statusCode,
    ).toBe(403);
    expect(
      (await call(specB, 'POST', '/api/workfiles/files', { ...base, code: '51.TH', ownerId: specB.id }))
        .statusCode,
    ).toBe(403);
    const ok = await call(specA, 'POST', '/api/workfiles/files', { ...base, code: '51.TH' });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ listItemId: null, code: '51.TH', year: Number(vnDay().slice(0, 4)) });
    const dup = await call(specA, 'POST', '/api/workfiles/files', { ...base, code: '51.TH' });
    expect(dup.json().code).toBe('FILE_CODE_TAKEN');
    // The office may open a file for a colleague from the list.
    const forColleague = await call(clerkA, 'POST', '/api/workfiles/files', {
      listItemId: itemKT,
      ownerId: specA2.id,
    });
    expect(forColleague.statusCode).toBe(201);
    expect(forColleague.json()).toMatchObject({ ownerId: specA2.id, departmentName: 'Phòng Kinh tế' });
  });

  it('gathers readable documents of its agency and notes; secret ones stay hidden from who may not read them', async () => {
    const attach = (p: Person, documentId: string) =>
      call(p, 'POST', `/api/workfiles/files/${fileId}/documents`, { documentId });
    const first = await attach(specA, docA);
    expect(first.statusCode).toBe(200);
    expect(first.json().documents).toHaveLength(1);
    expect(first.json().documents[0].document).toMatchObject({
      id: docA,
      subject: 'Về việc lập danh mục hồ sơ năm 2026',
    });
    // Twice is once (a retried request adds nothing, and is audited once).
    expect((await attach(specA, docA)).json().documentCount).toBe(1);
    expect(await audits('workfiles.file.document_attached', fileId)).toHaveLength(1);
    // A secret document specA may not read, and another agency's document, are "not found".
    expect((await attach(specA, secretDocA)).json().code).toBe('DOCUMENT_NOT_FOUND');
    expect((await attach(specA, docB)).json().code).toBe('DOCUMENT_NOT_FOUND');
    // The leader may read and add the secret one: the owner sees it counted, not its subject.
    expect((await attach(leaderA, secretDocA)).statusCode).toBe(200);
    const seen = (await call(specA, 'GET', `/api/workfiles/files/${fileId}`)).json();
    expect(seen.documentCount).toBe(2);
    expect(
      seen.documents.find((d: { documentId: string }) => d.documentId === secretDocA).document,
    ).toBeNull();
    const byLeader = (await call(leaderA, 'GET', `/api/workfiles/files/${fileId}`)).json();
    expect(
      byLeader.documents.find((d: { documentId: string }) => d.documentId === secretDocA).document.subject,
    ).toBe('Về công tác bảo vệ bí mật nhà nước');

    const note = (key: string) =>
      call(
        specA,
        'POST',
        `/api/workfiles/files/${fileId}/notes`,
        { body: 'Đã xin ý kiến các sở' },
        {
          'idempotency-key': key,
        },
      );
    expect((await note('ghi-chu-0001')).statusCode).toBe(201);
    const replay = await note('ghi-chu-0001');
    expect(replay.json().notes).toHaveLength(1);
    expect(replay.json().notes[0]).toMatchObject({ body: 'Đã xin ý kiến các sở', authorId: specA.id });
    const extra = (await note('ghi-chu-0002')).json().notes[1].id as string;
    expect((await call(specA, 'DELETE', `/api/workfiles/files/${fileId}/notes/${extra}`)).statusCode).toBe(
      204,
    );
    expect((await call(specA, 'GET', `/api/workfiles/files/${fileId}`)).json().notes).toHaveLength(1);

    expect(
      (await call(specA, 'DELETE', `/api/workfiles/files/${fileId}/documents/${secretDocA}`)).statusCode,
    ).toBe(204);
    expect((await call(specA, 'GET', `/api/workfiles/files/${fileId}`)).json().documentCount).toBe(1);
    expect(await audits('workfiles.file.document_detached', fileId)).toHaveLength(1);
  });

  it('only adds documents of the agency keeping the file', async () => {
    const f = await call(specAB, 'POST', '/api/workfiles/files', {
      agencyId: a,
      title: 'Hồ sơ phối hợp liên ngành',
      code: '60.TH',
      retentionCode: '5_nam',
      ownerId: specAB.id,
      openedOn: vnDay(),
    });
    expect(f.statusCode).toBe(201);
    const res = await call(specAB, 'POST', `/api/workfiles/files/${f.json().id}/documents`, {
      documentId: docB,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('WORK_FILE_DOCUMENT_AGENCY');
  });

  it('are seen by their owner, their department and the agency office, changed by the owner and leaders', async () => {
    expect((await call(specA2, 'GET', `/api/workfiles/files/${fileId}`)).statusCode).toBe(404);
    const byClerk = await call(clerkA, 'GET', `/api/workfiles/files/${fileId}`);
    expect(byClerk.statusCode).toBe(200);
    expect(byClerk.json().canChange).toBe(false);
    expect(
      (await call(clerkA, 'POST', `/api/workfiles/files/${fileId}/notes`, { body: 'Văn thư ghi' }))
        .statusCode,
    ).toBe(403);
    expect(
      (await call(specA2, 'POST', `/api/workfiles/files/${fileId}/notes`, { body: 'Người khác ghi' }))
        .statusCode,
    ).toBe(404);

    const codes = async (p: Person, query = '') =>
      ((await call(p, 'GET', `/api/workfiles/files${query}`)).json().items as { code: string }[])
        .map((x) => x.code)
        .sort();
    expect(await codes(specA)).toEqual(['01.TH', '51.TH']);
    expect(await codes(specA2)).toEqual(['02.KT']);
    expect(await codes(leaderA)).toEqual(['01.TH', '02.KT', '51.TH', '60.TH']);
    expect(await codes(leaderA, '?mine=true')).toEqual([]);
    expect(await codes(leaderA, '?year=2026&status=open')).toEqual(['01.TH', '02.KT', '51.TH', '60.TH']);
  });

  it('a closed file refuses every change until a leader of the agency reopens it', async () => {
    const close = (p: Person, body: object) => call(p, 'POST', `/api/workfiles/files/${fileId}/close`, body);
    expect(
      (await close(specA, { closingNote: 'Hồ sơ gồm 01 văn bản', closedOn: vnDay(1) })).json().code,
    ).toBe('WORK_FILE_DATE_INVALID');
    expect((await close(specA, { closingNote: 'Trước ngày mở', closedOn: '2020-01-01' })).json().code).toBe(
      'WORK_FILE_DATE_INVALID',
    );
    const unreal = await close(specA, { closingNote: 'Ngày không có thật', closedOn: '2026-02-30' });
    expect(unreal.json().code).toBe('VALIDATION_ERROR');
    const closed = await close(specA, { closingNote: 'Hồ sơ gồm 01 văn bản, 01 ghi chú; tình trạng tốt' });
    expect(closed.statusCode).toBe(200);
    expect(closed.json()).toMatchObject({
      status: 'closed',
      closedOn: vnDay(),
      closingNote: 'Hồ sơ gồm 01 văn bản, 01 ghi chú; tình trạng tốt',
      canChange: false,
    });

    const refused = [
      await call(specA, 'POST', `/api/workfiles/files/${fileId}/documents`, { documentId: docA }),
      await call(specA, 'DELETE', `/api/workfiles/files/${fileId}/documents/${docA}`),
      await call(specA, 'POST', `/api/workfiles/files/${fileId}/notes`, { body: 'Ghi thêm' }),
      await close(specA, { closingNote: 'Đóng lần nữa' }),
      await call(leaderA, 'POST', `/api/workfiles/files/${fileId}/documents`, { documentId: secretDocA }),
    ];
    for (const r of refused) {
      expect(r.statusCode).toBe(409);
      expect(r.json()).toMatchObject({
        code: 'WORK_FILE_CLOSED',
        message: 'Hồ sơ đã kết thúc, không thể thay đổi',
      });
    }
    expect((await call(specA, 'GET', `/api/workfiles/files/${fileId}`)).json().documentCount).toBe(1);

    const reopen = (p: Person) =>
      call(p, 'POST', `/api/workfiles/files/${fileId}/reopen`, { reason: 'Bổ sung văn bản còn thiếu' });
    expect((await reopen(specA)).statusCode).toBe(403);
    expect((await reopen(clerkA)).statusCode).toBe(403);
    expect((await reopen(leaderB)).statusCode).toBe(404);
    const back = await reopen(leaderA);
    expect(back.statusCode).toBe(200);
    expect(back.json()).toMatchObject({ status: 'open', closedOn: null, closingNote: null, canChange: true });
    const rows = await audits('workfiles.file.reopened', fileId);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.actor_id).toBe(leaderA.id);
    expect(rows[0]!.summary).toMatchObject({
      reason: 'Bổ sung văn bản còn thiếu',
      closedOnBefore: vnDay(),
      closingNoteBefore: 'Hồ sơ gồm 01 văn bản, 01 ghi chú; tình trạng tốt',
    });
    expect((await reopen(leaderA)).json().code).toBe('WORK_FILE_NOT_CLOSED');
    expect(
      (await call(specA, 'POST', `/api/workfiles/files/${fileId}/notes`, { body: 'Đã bổ sung' })).statusCode,
    ).toBe(201);
  });

  it('never shows or changes a file of another agency', async () => {
    for (const p of [leaderB, specB, adminB]) {
      expect((await call(p, 'GET', `/api/workfiles/files/${fileId}`)).statusCode).toBe(404);
      expect((await call(p, 'GET', '/api/workfiles/files')).json().total).toBe(0);
      expect((await call(p, 'GET', `/api/workfiles/files?agencyId=${a}`)).json().items).toEqual([]);
      expect(
        (await call(p, 'POST', `/api/workfiles/files/${fileId}/notes`, { body: 'Xâm nhập' })).statusCode,
      ).toBe(404);
      expect(
        (await call(p, 'POST', `/api/workfiles/files/${fileId}/close`, { closingNote: 'Đóng hộ' }))
          .statusCode,
      ).toBe(404);
    }
  });
});

describe('archive due (nộp lưu)', () => {
  let overdue: string;
  let dueNextYear: string;
  let shortKept: string;

  async function closedFile(
    p: Person,
    agencyId: string,
    code: string,
    retentionCode: string,
    opened: string,
    closed: string,
  ) {
    const f = await call(p, 'POST', '/api/workfiles/files', {
      agencyId,
      title: `Hồ sơ ${code}`,
      code,
      retentionCode,
      ownerId: p.id,
      openedOn: opened,
    });
    expect(f.statusCode).toBe(201);
    const c = await call(p, 'POST', `/api/workfiles/files/${f.json().id}/close`, {
      closingNote: 'Đã đủ văn bản',
      closedOn: closed,
    });
    expect(c.statusCode).toBe(200);
    return f.json().id as string;
  }

  beforeAll(async () => {
    // A class that is not deposited (kept under 05 years), added as data.
    await sql`INSERT INTO retention_classes (code, label, years, deposit_required, sort_order, valid_from, legal_basis)
      VALUES ('2_nam', '02 năm', 2, false, 9, '2023-02-01', 'thử')`.execute(t.db);
    overdue = await closedFile(specA, a, 'NL.01', '10_nam', '2024-01-05', '2024-06-30');
    dueNextYear = await closedFile(specA, a, 'NL.02', 'vinh_vien', vnDay(), vnDay());
    shortKept = await closedFile(specA, a, 'NL.03', '2_nam', '2024-01-05', '2024-01-10');
    await closedFile(specB, b, 'NL.04', '10_nam', '2024-01-05', '2024-02-01');
  });

  it('lists closed files kept 05 years or more whose deadline (closing + 01 year) is reached or near', async () => {
    const due = async (p: Person, days: number) =>
      (await call(p, 'GET', `/api/workfiles/archive-due?withinDays=${days}`)).json().items as {
        id: string;
        depositDue: string;
        overdue: boolean;
      }[];
    const now = await due(clerkA, 0);
    expect(now.map((x) => x.id)).toEqual([overdue]);
    expect(now[0]).toMatchObject({ depositDue: '2025-06-30', overdue: true });
    const year = await due(clerkA, 400);
    expect(year.map((x) => x.id)).toEqual([overdue, dueNextYear]);
    expect(year[1]).toMatchObject({ depositDue: plusYear(vnDay()), overdue: false });
    expect((await due(clerkA, 400)).some((x) => x.id === shortKept)).toBe(false);
    // Another agency's archive sees its own files only; specialists do not hold the permission.
    expect((await due(leaderB, 400)).map((x) => x.id)).not.toContain(overdue);
    expect((await due(leaderB, 400)).length).toBe(1);
    expect((await call(specA, 'GET', '/api/workfiles/archive-due')).statusCode).toBe(403);
  });

  it('marks a file deposited once, after which it neither reopens nor shows as due', async () => {
    const deposit = (p: Person, id: string, body: object = {}) =>
      call(p, 'POST', `/api/workfiles/files/${id}/deposit`, body);
    expect((await deposit(leaderB, overdue)).statusCode).toBe(404);
    expect((await deposit(clerkA, overdue, { depositedOn: '2024-06-01' })).json().code).toBe(
      'WORK_FILE_DATE_INVALID',
    );
    expect((await deposit(clerkA, shortKept)).json().code).toBe('WORK_FILE_DEPOSIT_NOT_REQUIRED');
    const open = (await call(specA, 'GET', '/api/workfiles/files?status=open')).json().items[0].id as string;
    expect((await deposit(clerkA, open)).json().code).toBe('WORK_FILE_NOT_CLOSED');

    const ok = await deposit(clerkA, overdue, { depositedOn: '2025-07-15' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ depositedOn: '2025-07-15', canReopen: false, canDeposit: false });
    expect(await audits('workfiles.file.deposited', overdue)).toHaveLength(1);
    expect((await deposit(clerkA, overdue)).json().code).toBe('WORK_FILE_DEPOSITED');
    expect(
      (await call(leaderA, 'POST', `/api/workfiles/files/${overdue}/reopen`, { reason: 'Mở lại thử' })).json()
        .code,
    ).toBe('WORK_FILE_DEPOSITED');
    const left = (await call(clerkA, 'GET', '/api/workfiles/archive-due?withinDays=400')).json().items;
    expect(left.map((x: { id: string }) => x.id)).toEqual([dueNextYear]);
  });
});

describe('demo data', () => {
  it('gives the provincial office an approved 2026 file list and one open file', async () => {
    const t2 = await setupApp();
    try {
      await seedDemo(t2.services.org, t2.services.calendar, t2.services.documents, () => {}, {
        workfiles: t2.services.workfiles,
      });
      const cv = { cookie: await t2.f.login('cv.tonghop', DEMO_PASSWORD) };
      const lists = await t2.app.inject({
        method: 'GET',
        url: '/api/workfiles/lists?year=2026',
        headers: { cookie: cv.cookie },
      });
      expect(lists.json().items).toHaveLength(1);
      expect(lists.json().items[0]).toMatchObject({
        agencyName: 'Văn phòng Ủy ban nhân dân tỉnh Sơn Lâm',
        status: 'approved',
        itemCount: 4,
      });
      const files = await t2.app.inject({
        method: 'GET',
        url: '/api/workfiles/files?mine=true',
        headers: { cookie: cv.cookie },
      });
      expect(files.json().items).toMatchObject([{ code: '01.TH', status: 'open', openedOn: '2026-01-05' }]);
    } finally {
      await t2.close();
    }
  });
});
