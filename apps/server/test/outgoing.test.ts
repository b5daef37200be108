import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupApp, type TestApp } from './helpers.ts';
import { makePdf, uploadFile } from './support/pdf.ts';
import { SIGNING_PASSWORD, signingKit } from './support/signing.ts';

let t: TestApp;
let a: string;
let b: string;
let outRegA: string;
let inRegB: string;
let drafter: { id: string; cookie: string };
let head: { id: string; cookie: string };
let leader: { id: string; cookie: string };
let clerkA: string;
let clerkB: string;
let leaderB: string;

async function person(roles: ('leader' | 'specialist' | 'clerk')[], agencyId: string, departmentId?: string) {
  const o = await t.f.official({ roles, agencyId, ...(departmentId && { departmentId }) });
  return { id: o.id, cookie: await t.f.login(o.username) };
}

beforeAll(async () => {
  t = await setupApp();
  a = (await t.f.agency({ name: 'Ủy ban nhân dân tỉnh Thử', shortName: 'UBND' })).id;
  b = (await t.f.agency({ name: 'Sở Tài chính', shortName: 'STC' })).id;
  const dep = (await t.f.department(a, 'Văn phòng')).id;
  const admin = (await t.f.session(['admin'])).cookie;
  const reg = async (agencyId: string, kind: 'incoming' | 'outgoing', code: string) =>
    (
      await t.app.inject({
        method: 'POST',
        url: '/api/documents/registers',
        headers: { cookie: admin },
        payload: { agencyId, kind, code, name: `Sổ văn bản ${code}` },
      })
    ).json().id as string;
  outRegA = await reg(a, 'outgoing', 'DI');
  inRegB = await reg(b, 'incoming', 'DEN');
  drafter = await person(['specialist'], a, dep);
  head = await person(['specialist'], a, dep);
  leader = await person(['leader'], a);
  clerkA = (await person(['clerk'], a)).cookie;
  clerkB = (await person(['clerk'], b)).cookie;
  leaderB = (await person(['leader'], b)).cookie;
  const kit = await signingKit(t);
  await kit.personal(leader.id);
  await kit.agency(a);
});
const signing = { password: SIGNING_PASSWORD };
afterAll(async () => t.close());

const post = (cookie: string, url: string, payload?: object) =>
  t.app.inject({ method: 'POST', url, headers: { cookie }, ...(payload && { payload }) });
const get = (cookie: string, url: string) => t.app.inject({ method: 'GET', url, headers: { cookie } });

async function draft(extra: Record<string, unknown> = {}) {
  const res = await post(drafter.cookie, '/api/documents/outgoing', {
    agencyId: a,
    typeId: 'cong_van',
    subject: 'Về việc báo cáo tình hình thực hiện dự toán ngân sách',
    draftingUnit: 'VP',
    typistInitials: 'NVT',
    signerCompetence: 'TM. ỦY BAN NHÂN DÂN',
    signerName: 'Trần Quốc Hưng',
    recipients: [{ agencyId: b }, { name: 'Lưu: VT, VP' }],
    reviewerIds: [head.id, leader.id],
    ...extra,
  });
  expect(res.statusCode).toBe(201);
  return res.json().documentId as string;
}

describe('outgoing documents', () => {
  it('draft → two-step approval (with a return) → issued 01/UBND-VP → delivered and registered by the recipient', async () => {
    const main = await uploadFile(t.app, drafter.cookie, 'cong-van.pdf', await makePdf('Bao cao du toan'));
    const id = await draft({ files: [{ sha256: main, name: 'cong-van.pdf', role: 'main' }] });
    // The leader is step 2: not their turn yet.
    expect(
      (await post(leader.cookie, `/api/documents/${id}/review`, { decision: 'approved' })).statusCode,
    ).toBe(403);
    expect((await get(head.cookie, '/api/documents/worklist/counts')).json().to_review).toBe(1);
    expect(
      (await post(head.cookie, `/api/documents/${id}/review`, { decision: 'approved', comment: 'Đồng ý' }))
        .statusCode,
    ).toBe(204);
    expect(
      (
        await post(leader.cookie, `/api/documents/${id}/review`, {
          decision: 'returned',
          comment: 'Bổ sung số liệu quý III',
        })
      ).statusCode,
    ).toBe(204);
    expect((await get(drafter.cookie, `/api/documents/${id}`)).json().status).toBe('draft');
    // Issuing a draft is refused.
    expect((await post(clerkA, `/api/documents/${id}/issue`, { registerId: outRegA })).json().code).toBe(
      'DOCUMENT_STATE',
    );
    expect(
      (await post(drafter.cookie, `/api/documents/${id}/submit`, { reviewerIds: [leader.id] })).statusCode,
    ).toBe(204);
    // The signer's approval of an electronic draft is their digital signature.
    expect(
      (await post(leader.cookie, `/api/documents/${id}/review`, { decision: 'approved' })).json().code,
    ).toBe('SIGNING_REQUIRED');
    expect(
      (
        await post(leader.cookie, `/api/documents/${id}/review`, {
          decision: 'approved',
          signing: { password: 'sai-mat-khau' },
        })
      ).json().code,
    ).toBe('SIGNING_PASSWORD_WRONG');
    expect((await get(drafter.cookie, `/api/documents/${id}`)).json().status).toBe('in_review');
    expect(
      (await post(leader.cookie, `/api/documents/${id}/review`, { decision: 'approved', signing }))
        .statusCode,
    ).toBe(204);
    const approved = (await get(drafter.cookie, `/api/documents/${id}`)).json();
    expect(approved.status).toBe('approved');
    expect(approved.timeline.find((e: { kind: string }) => e.kind === 'approved').data).toMatchObject({
      signed: true,
    });

    // Only a clerk of the issuing agency issues.
    expect(
      (await post(drafter.cookie, `/api/documents/${id}/issue`, { registerId: outRegA })).statusCode,
    ).toBe(403);
    expect((await post(clerkB, `/api/documents/${id}/issue`, { registerId: outRegA })).statusCode).toBe(404);
    expect((await get(clerkA, '/api/documents/worklist/counts')).json().to_issue).toBe(1);
    // The agency signature is required to send it; a wrong password signs nothing, but the number stays taken.
    expect((await post(clerkA, `/api/documents/${id}/issue`, { registerId: outRegA })).json().code).toBe(
      'SIGNING_REQUIRED',
    );
    expect(
      (
        await post(clerkA, `/api/documents/${id}/issue`, {
          registerId: outRegA,
          signing: { password: 'sai-mat-khau' },
        })
      ).json().code,
    ).toBe('SIGNING_PASSWORD_WRONG');
    const pending = (await get(clerkA, `/api/documents/${id}`)).json();
    expect(pending).toMatchObject({ status: 'approved', number: '01', notation: 'UBND-VP' });
    const issued = await post(clerkA, `/api/documents/${id}/issue`, { registerId: outRegA, signing });
    expect(issued.statusCode).toBe(200);
    expect(issued.json()).toMatchObject({
      number: '01',
      notation: 'UBND-VP',
      deliveredTo: [{ agencyId: b }],
      paper: false,
    });
    const copyId = issued.json().deliveredTo[0].documentId;

    // The recipient's clerk finds it waiting, registers it; the leader there can assign it.
    const waiting = (await get(clerkB, '/api/documents/worklist?queue=to_register')).json();
    expect(waiting.items.map((d: { id: string }) => d.id)).toEqual([copyId]);
    expect(waiting.items[0]).toMatchObject({
      number: '01',
      notation: 'UBND-VP',
      status: 'received',
      issuerName: 'Ủy ban nhân dân tỉnh Thử',
    });
    const reg = await post(clerkB, `/api/documents/${copyId}/register`, { registerId: inRegB });
    expect(reg.json()).toMatchObject({ number: 1 });
    expect(
      (await post(clerkB, `/api/documents/${copyId}/register`, { registerId: inRegB })).json().code,
    ).toBe('DOCUMENT_STATE');
    expect((await get(leaderB, '/api/documents/worklist/counts')).json().to_assign).toBe(1);
    const copy = (await get(leaderB, `/api/documents/${copyId}`)).json();
    expect(copy.timeline.map((e: { kind: string }) => e.kind)).toEqual(['received', 'registered']);

    // The issuer follows its copies as it follows recipients outside: 01 arrived, 03 registered.
    const bCode = (await t.services.org.getAgency(b)).code;
    const end = Date.now() + 20_000;
    let events: { agencyCode: string; event: string }[] = [];
    while (Date.now() < end) {
      events = (await get(clerkA, `/api/documents/${id}/exchange`)).json().events;
      if (events.some((e) => e.event === '03')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(events.map((e) => [e.agencyCode, e.event])).toEqual([
      [bCode, '01'],
      [bCode, '03'],
    ]);
  });

  it('numbers continue in the register, and a quyết định gets TYPE-AGENCY notation', async () => {
    const approve = async (id: string) => {
      await post(head.cookie, `/api/documents/${id}/review`, { decision: 'approved' });
      await post(leader.cookie, `/api/documents/${id}/review`, { decision: 'approved' });
    };
    const qd = await draft({
      typeId: 'quyet_dinh',
      subject: 'Quyết định giao dự toán ngân sách năm 2027',
      recipients: [{ name: 'Như Điều 3' }],
    });
    await approve(qd);
    const res = await post(clerkA, `/api/documents/${qd}/issue`, { registerId: outRegA });
    expect(res.json()).toMatchObject({ number: '02', notation: 'QĐ-UBND', deliveredTo: [] });
  });

  it('a công văn without a drafting unit cannot be numbered', async () => {
    const id = await draft({ draftingUnit: undefined });
    await post(head.cookie, `/api/documents/${id}/review`, { decision: 'approved' });
    await post(leader.cookie, `/api/documents/${id}/review`, { decision: 'approved' });
    const res = await post(clerkA, `/api/documents/${id}/issue`, { registerId: outRegA });
    expect(res.json().code).toBe('NOTATION_INVALID');
    // Nothing was consumed: the next good issuance still gets the next number.
    const ok = await draft();
    await post(head.cookie, `/api/documents/${ok}/review`, { decision: 'approved' });
    await post(leader.cookie, `/api/documents/${ok}/review`, { decision: 'approved' });
    expect((await post(clerkA, `/api/documents/${ok}/issue`, { registerId: outRegA })).json().number).toBe(
      '03',
    );
  });

  it('only officials of the agency draft, and reviewers must belong to it', async () => {
    const outsider = await person(['specialist'], b);
    const res = await post(outsider.cookie, '/api/documents/outgoing', {
      agencyId: a,
      typeId: 'cong_van',
      subject: 'Thử',
      draftingUnit: 'VP',
      recipients: [{ name: 'Lưu' }],
      reviewerIds: [leader.id],
    });
    expect(res.statusCode).toBe(403);
    const bad = await post(drafter.cookie, '/api/documents/outgoing', {
      agencyId: a,
      typeId: 'cong_van',
      subject: 'Thử người duyệt',
      draftingUnit: 'VP',
      recipients: [{ name: 'Lưu' }],
      reviewerIds: [outsider.id],
    });
    expect(bad.json().code).toBe('ASSIGNEE_INVALID');
  });

  it('a reply names the incoming document it answers; only one of the same agency', async () => {
    // An incoming document of agency A, and one of agency B.
    const inRegA = (
      await post((await t.f.session(['admin'])).cookie, '/api/documents/registers', {
        agencyId: a,
        kind: 'incoming',
        code: 'DEN',
        name: 'Sổ văn bản đến',
      })
    ).json().id as string;
    const incoming = async (cookie: string, registerId: string) =>
      (
        await post(cookie, '/api/documents/incoming', {
          registerId,
          typeId: 'cong_van',
          issuerName: 'Bộ Tài chính',
          subject: 'Về việc báo cáo dự toán ngân sách năm sau',
        })
      ).json().documentId as string;
    const askA = await incoming(clerkA, inRegA);
    const askB = await incoming(clerkB, inRegB);
    const reply = await draft({ replyToId: askA });
    const detail = (await get(drafter.cookie, `/api/documents/${reply}`)).json();
    expect(detail.replyTo).toMatchObject({ id: askA });
    const asked = (await get(leader.cookie, `/api/documents/${askA}`)).json();
    expect(asked.replies).toEqual([expect.objectContaining({ id: reply, status: 'in_review' })]);
    // Another agency's document is not found; an outgoing one cannot be answered.
    const other = await post(drafter.cookie, '/api/documents/outgoing', {
      agencyId: a,
      typeId: 'cong_van',
      subject: 'Trả lời nhầm cơ quan',
      draftingUnit: 'VP',
      recipients: [{ agencyId: b }],
      reviewerIds: [leader.id],
      replyToId: askB,
    });
    expect(other.json().code).toBe('DOCUMENT_NOT_FOUND');
    const toOutgoing = await post(drafter.cookie, '/api/documents/outgoing', {
      agencyId: a,
      typeId: 'cong_van',
      subject: 'Trả lời văn bản đi',
      draftingUnit: 'VP',
      recipients: [{ agencyId: b }],
      reviewerIds: [leader.id],
      replyToId: reply,
    });
    expect(toOutgoing.json().code).toBe('VALIDATION_ERROR');
  });
});
