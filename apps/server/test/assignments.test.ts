import { statutoryCalendar } from '@congvu/workdays';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupApp, type TestApp } from './helpers.ts';

let t: TestApp;
let agencyId: string;
let registerId: string;
let secretRegisterId: string;
let depLead: string;
let depSupport: string;
let clerk: string;
let leader: string;
let head: { cookie: string; id: string };
let specialist: { cookie: string; id: string };
let outsider: string;

beforeAll(async () => {
  t = await setupApp();
  const ag = await t.f.agency({ name: 'Sở Nội vụ' });
  agencyId = ag.id;
  depLead = (await t.f.department(agencyId, 'Phòng Cải cách hành chính')).id;
  depSupport = (await t.f.department(agencyId, 'Phòng Tổ chức - Biên chế')).id;
  const admin = (await t.f.session(['admin'])).cookie;
  const reg = async (secret: boolean) =>
    (
      await t.app.inject({
        method: 'POST',
        url: '/api/documents/registers',
        headers: { cookie: admin },
        payload: { agencyId, kind: 'incoming', secret, code: secret ? 'DEN-MAT' : 'DEN', name: 'Sổ đến' },
      })
    ).json().id as string;
  registerId = await reg(false);
  secretRegisterId = await reg(true);
  clerk = (await t.f.session(['clerk'], agencyId)).cookie;
  leader = (await t.f.session(['leader'], agencyId)).cookie;
  const h = await t.f.official({
    roles: ['specialist'],
    agencyId,
    departmentId: depLead,
    fullName: 'Trưởng phòng Cải cách',
  });
  head = { id: h.id, cookie: await t.f.login(h.username) };
  const s = await t.f.official({ roles: ['specialist'], agencyId, fullName: 'Chuyên viên Xử lý' });
  specialist = { id: s.id, cookie: await t.f.login(s.username) };
  outsider = (await t.f.session(['specialist'], agencyId)).cookie;
});
afterAll(async () => t.close());

async function incoming(extra: Record<string, unknown> = {}) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/documents/incoming',
    headers: { cookie: clerk },
    payload: {
      registerId,
      typeId: 'cong_van',
      issuerName: 'Bộ Nội vụ',
      subject: 'Về việc báo cáo cải cách hành chính',
      ...extra,
    },
  });
  expect(res.statusCode).toBe(201);
  return res.json().documentId as string;
}
const post = (cookie: string, url: string, payload?: object) =>
  t.app.inject({ method: 'POST', url, headers: { cookie }, ...(payload && { payload }) });
const vnToday = () => new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);

describe('assignment and handling', () => {
  it('leader → department (lead) + department (support) → specialist; deadlines in working days; statuses once', async () => {
    const id = await incoming();
    const assign = await post(leader, `/api/documents/${id}/assignments`, {
      instruction: 'Giao Phòng CCHC chủ trì, Phòng TCBC phối hợp, báo cáo trong 5 ngày làm việc.',
      items: [
        { role: 'lead', departmentId: depLead, deadlineWorkingDays: 5 },
        { role: 'support', departmentId: depSupport, deadlineWorkingDays: 5 },
        { role: 'info', officialId: specialist.id },
      ],
    });
    expect(assign.statusCode).toBe(201);
    const lead = assign.json().items.find((a: { role: string }) => a.role === 'lead');
    expect(lead.deadline).toBe(statutoryCalendar().addWorkingDays(vnToday(), 5));
    // A second lead at the same level is refused.
    const twoLeads = await post(leader, `/api/documents/${id}/assignments`, {
      items: [{ role: 'lead', departmentId: depSupport }],
    });
    expect(twoLeads.statusCode).toBe(400);

    // The head of the lead department hands it to a specialist.
    const sub = await post(head.cookie, `/api/documents/${id}/assignments`, {
      parentId: lead.id,
      instruction: 'Đồng chí xử lý, dự thảo báo cáo.',
      items: [{ role: 'lead', officialId: specialist.id, deadlineWorkingDays: 3 }],
    });
    expect(sub.statusCode).toBe(201);
    const mine = sub.json().items.find((a: { parentId: string | null }) => a.parentId === lead.id);
    expect((await post(outsider, `/api/documents/${id}/assignments/${mine.id}/start`)).statusCode).toBe(403);
    expect(
      (await post(specialist.cookie, `/api/documents/${id}/assignments/${mine.id}/start`)).statusCode,
    ).toBe(200);
    expect(
      (await post(specialist.cookie, `/api/documents/${id}/assignments/${mine.id}/start`)).json().code,
    ).toBe('ASSIGNMENT_STATE');
    expect(
      (
        await post(specialist.cookie, `/api/documents/${id}/assignments/${mine.id}/finish`, {
          result: 'Đã dự thảo báo cáo',
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (
        await post(head.cookie, `/api/documents/${id}/assignments/${lead.id}/finish`, {
          result: 'Đã báo cáo Bộ Nội vụ',
        })
      ).statusCode,
    ).toBe(200);

    const doc = (
      await t.app.inject({ method: 'GET', url: `/api/documents/${id}`, headers: { cookie: leader } })
    ).json();
    expect(doc.status).toBe('done');
    const kinds = doc.timeline.map((e: { kind: string }) => e.kind);
    expect(kinds).toEqual([
      'received',
      'registered',
      'assignment',
      'assigned',
      'assignment',
      'in_progress',
      'assignment_done',
      'assignment_done',
      'done',
    ]);
    for (const k of ['received', 'registered', 'assigned', 'in_progress', 'done'])
      expect(kinds.filter((x: string) => x === k)).toHaveLength(1);
    expect(doc.assignments).toHaveLength(4);
  });

  it('only a leader assigns at the top level; only assignees assign below', async () => {
    const id = await incoming();
    expect(
      (
        await post(specialist.cookie, `/api/documents/${id}/assignments`, {
          items: [{ role: 'lead', departmentId: depLead }],
        })
      ).statusCode,
    ).toBe(403);
    const a = (
      await post(leader, `/api/documents/${id}/assignments`, {
        items: [{ role: 'lead', departmentId: depLead }],
      })
    ).json().items[0];
    const below = await post(outsider, `/api/documents/${id}/assignments`, {
      parentId: a.id,
      items: [{ role: 'lead', officialId: specialist.id }],
    });
    expect(below.statusCode).toBe(403);
  });

  it('assignees must belong to the agency holding the document', async () => {
    const id = await incoming();
    const other = await t.f.agency();
    const dep = await t.f.department(other.id);
    const res = await post(leader, `/api/documents/${id}/assignments`, {
      items: [{ role: 'lead', departmentId: dep.id }],
    });
    expect(res.json().code).toBe('ASSIGNEE_INVALID');
  });

  it('a secret document becomes visible to the official it is assigned to, and to nobody else', async () => {
    const id = await incoming({
      registerId: secretRegisterId,
      secrecy: 'confidential',
      subject: 'Báo cáo mật về công tác cán bộ',
    });
    const get = (cookie: string) =>
      t.app.inject({ method: 'GET', url: `/api/documents/${id}`, headers: { cookie } });
    expect((await get(specialist.cookie)).statusCode).toBe(404);
    await post(leader, `/api/documents/${id}/assignments`, {
      items: [{ role: 'lead', officialId: specialist.id }],
    });
    expect((await get(specialist.cookie)).statusCode).toBe(200);
    expect((await get(outsider)).statusCode).toBe(404);
    const found = await t.app.inject({
      method: 'GET',
      url: `/api/documents?q=${encodeURIComponent('cong tac can bo')}`,
      headers: { cookie: specialist.cookie },
    });
    expect(found.json().items.map((d: { id: string }) => d.id)).toEqual([id]);
    const counted = await t.app.inject({
      method: 'GET',
      url: `/api/documents/count?q=${encodeURIComponent('cong tac can bo')}`,
      headers: { cookie: specialist.cookie },
    });
    expect(counted.json().total).toBe(1);
  });

  it('returning an assignment records the reason', async () => {
    const id = await incoming();
    const a = (
      await post(leader, `/api/documents/${id}/assignments`, {
        items: [{ role: 'lead', officialId: specialist.id }],
      })
    ).json().items[0];
    const res = await post(specialist.cookie, `/api/documents/${id}/assignments/${a.id}/return`, {
      reason: 'Không thuộc lĩnh vực phụ trách',
    });
    expect(res.json().items[0]).toMatchObject({
      status: 'returned',
      result: 'Không thuộc lĩnh vực phụ trách',
    });
  });

  it('worklists: to assign for the leader, to handle / in progress / for information for assignees', async () => {
    const fresh = await setupApp();
    try {
      const ag = await fresh.f.agency();
      const dep = (await fresh.f.department(ag.id)).id;
      const admin = (await fresh.f.session(['admin'])).cookie;
      const reg = (
        await fresh.app.inject({
          method: 'POST',
          url: '/api/documents/registers',
          headers: { cookie: admin },
          payload: { agencyId: ag.id, kind: 'incoming', code: 'DEN', name: 'Sổ đến' },
        })
      ).json().id;
      const c = (await fresh.f.session(['clerk'], ag.id)).cookie;
      const l = (await fresh.f.session(['leader'], ag.id)).cookie;
      const member = await fresh.f.official({ roles: ['specialist'], agencyId: ag.id, departmentId: dep });
      const m = await fresh.f.login(member.username);
      const reader = await fresh.f.official({ roles: ['specialist'], agencyId: ag.id });
      const r = await fresh.f.login(reader.username);
      const docs: string[] = [];
      for (const [subject, urgency] of [
        ['Văn bản thường', 'normal'],
        ['Văn bản hỏa tốc', 'flash'],
        ['Văn bản khẩn', 'urgent'],
      ]) {
        docs.push(
          (
            await fresh.app.inject({
              method: 'POST',
              url: '/api/documents/incoming',
              headers: { cookie: c },
              payload: { registerId: reg, typeId: 'cong_van', issuerName: 'Sở Tài chính', subject, urgency },
            })
          ).json().documentId,
        );
      }
      const counts = async (cookie: string) =>
        (
          await fresh.app.inject({
            method: 'GET',
            url: '/api/documents/worklist/counts',
            headers: { cookie },
          })
        ).json();
      const list = async (cookie: string, queue: string) =>
        (
          await fresh.app.inject({
            method: 'GET',
            url: `/api/documents/worklist?queue=${queue}`,
            headers: { cookie },
          })
        ).json();
      expect(await counts(l)).toMatchObject({ to_assign: 3, to_handle: 0 });
      // The most urgent first.
      expect((await list(l, 'to_assign')).items.map((d: { subject: string }) => d.subject)).toEqual([
        'Văn bản hỏa tốc',
        'Văn bản khẩn',
        'Văn bản thường',
      ]);
      const a = await fresh.app.inject({
        method: 'POST',
        url: `/api/documents/${docs[0]}/assignments`,
        headers: { cookie: l },
        payload: {
          items: [
            { role: 'lead', departmentId: dep, deadline: '2020-01-02' },
            { role: 'info', officialId: reader.id },
          ],
        },
      });
      const leadId = a.json().items.find((x: { role: string }) => x.role === 'lead').id;
      expect(await counts(l)).toMatchObject({ to_assign: 2 });
      expect(await counts(m)).toMatchObject({
        to_assign: 0,
        to_handle: 1,
        in_progress: 0,
        overdue: 1,
        for_info: 0,
      });
      expect(await counts(r)).toMatchObject({ to_handle: 0, for_info: 1 });
      await fresh.app.inject({
        method: 'POST',
        url: `/api/documents/${docs[0]}/assignments/${leadId}/start`,
        headers: { cookie: m },
      });
      expect(await counts(m)).toMatchObject({ to_handle: 0, in_progress: 1, overdue: 1 });
      expect((await list(m, 'in_progress')).items[0].id).toBe(docs[0]);
    } finally {
      await fresh.close();
    }
  });
});
