import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentsService } from '../src/modules/documents/service.ts';
import { noSigner, type Signer } from '../src/modules/documents/signer.ts';
import { setupApp, type TestApp } from './helpers.ts';
import { makePdf } from './support/pdf.ts';
import { SIGNING_PASSWORD, signingKit } from './support/signing.ts';

/** Opinions, forwarding, draft versions, approval chains, the signature hook, recall/replace/update. */
let t: TestApp;
let a: string;
let b: string;
let depVP: string;
let depTH: string;
let outRegA: string;
let inRegA: string;
let inRegB: string;
type Person = { id: string; cookie: string };
let clerkA: Person;
let leaderA: Person;
let leaderA2: Person;
let drafter: Person;
let head: Person;
let p1: Person;
let p2: Person;
let deputy: Person;
let member: Person;
let spec: Person;
let outsider: Person;
let clerkB: Person;
let leaderB: Person;
let specB: Person;

async function person(roles: ('leader' | 'specialist' | 'clerk')[], agencyId: string, departmentId?: string) {
  const o = await t.f.official({ roles, agencyId, ...(departmentId && { departmentId }) });
  return { id: o.id, cookie: await t.f.login(o.username) };
}

beforeAll(async () => {
  t = await setupApp();
  a = (await t.f.agency({ name: 'Ủy ban nhân dân tỉnh Thử', shortName: 'UBND' })).id;
  b = (await t.f.agency({ name: 'Sở Tài chính', shortName: 'STC' })).id;
  depVP = (await t.f.department(a, 'Văn phòng')).id;
  depTH = (await t.f.department(a, 'Phòng Tổng hợp')).id;
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
  inRegA = await reg(a, 'incoming', 'DEN');
  inRegB = await reg(b, 'incoming', 'DEN');
  clerkA = await person(['clerk'], a);
  leaderA = await person(['leader'], a);
  const kit = await signingKit(t);
  await kit.personal(leaderA.id);
  await kit.agency(a);
  leaderA2 = await person(['leader'], a);
  drafter = await person(['specialist'], a, depVP);
  head = await person(['specialist'], a, depVP);
  p1 = await person(['specialist'], a);
  p2 = await person(['specialist'], a);
  deputy = await person(['leader'], a);
  member = await person(['specialist'], a, depTH);
  spec = await person(['specialist'], a);
  outsider = await person(['specialist'], a);
  clerkB = await person(['clerk'], b);
  leaderB = await person(['leader'], b);
  specB = await person(['specialist'], b);
});
afterAll(async () => t.close());

const post = (who: Person, url: string, payload?: object, headers: Record<string, string> = {}) =>
  t.app.inject({
    method: 'POST',
    url,
    headers: { cookie: who.cookie, ...headers },
    ...(payload && { payload }),
  });
const get = (who: Person, url: string) =>
  t.app.inject({ method: 'GET', url, headers: { cookie: who.cookie } });
const detail = async (who: Person, id: string) => {
  const res = await get(who, `/api/documents/${id}`);
  expect(res.statusCode).toBe(200);
  return res.json();
};
const counts = async (who: Person) => (await get(who, '/api/documents/worklist/counts')).json();
const kinds = (doc: { timeline: { kind: string }[] }) => doc.timeline.map((e) => e.kind);

const PDF = (n: number) =>
  Buffer.from(`%PDF-1.7\n% phien ban ${n}\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n`);
const DOCX = (n: number) =>
  Buffer.concat([
    Buffer.from([0x50, 0x4b, 0x03, 0x04]),
    Buffer.from(`[Content_Types].xml\0word/document.xml\0du-thao-${n}`),
  ]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

async function upload(who: Person, name: string, data: Buffer): Promise<string> {
  const boundary = `----congvu${Math.random().toString(16).slice(2)}`;
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/files',
    payload,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie: who.cookie },
  });
  expect(res.statusCode).toBe(201);
  return res.json().sha256;
}

async function incoming(subject = 'Về việc báo cáo tình hình thực hiện nhiệm vụ') {
  const res = await post(clerkA, '/api/documents/incoming', {
    registerId: inRegA,
    typeId: 'cong_van',
    issuerName: 'Bộ Tài chính',
    subject,
  });
  expect(res.statusCode).toBe(201);
  return res.json().documentId as string;
}

async function draft(extra: Record<string, unknown> = {}) {
  const res = await post(drafter, '/api/documents/outgoing', {
    agencyId: a,
    typeId: 'cong_van',
    subject: 'Về việc triển khai kế hoạch chuyển đổi số năm 2027',
    draftingUnit: 'VP',
    signerCompetence: 'TM. ỦY BAN NHÂN DÂN',
    recipients: [{ agencyId: b }, { name: 'Lưu: VT, VP' }],
    ...(!('steps' in extra) && !('reviewerIds' in extra) && { reviewerIds: [leaderA.id] }),
    ...extra,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().documentId as string;
}

const approve = async (who: Person, id: string) =>
  expect((await post(who, `/api/documents/${id}/review`, { decision: 'approved' })).statusCode).toBe(204);

/** A document approved by leaderA alone, issued by clerkA, delivered to agency B. */
async function issued(subject: string) {
  const main = await upload(drafter, 'du-thao.pdf', await makePdf(`Draft ${subject.length}`));
  const id = await draft({
    subject,
    reviewerIds: [leaderA.id],
    files: [{ sha256: main, name: 'du-thao.pdf', role: 'main' }],
  });
  const signing = { password: SIGNING_PASSWORD };
  const ok = await post(leaderA, `/api/documents/${id}/review`, { decision: 'approved', signing });
  expect(ok.statusCode, ok.body).toBe(204);
  const res = await post(clerkA, `/api/documents/${id}/issue`, { registerId: outRegA, signing });
  expect(res.statusCode, res.body).toBe(200);
  return { id, copyId: res.json().deliveredTo[0].documentId as string, ...res.json() };
}

describe('opinions (ý kiến xử lý)', () => {
  it('the assignee, the assigner and a leader record opinions with files; shown in the detail and the timeline', async () => {
    const id = await incoming();
    const assignment = (
      await post(leaderA, `/api/documents/${id}/assignments`, {
        items: [{ role: 'lead', officialId: spec.id }],
      })
    ).json().items[0];
    const url = `/api/documents/${id}/assignments/${assignment.id}/opinions`;
    const file = await upload(spec, 'bao-cao.pdf', PDF(1));
    const mine = await post(spec, url, {
      content: 'Đề xuất giao Phòng Tổng hợp rà soát số liệu.',
      files: [{ sha256: file, name: 'bao-cao.pdf' }],
    });
    expect(mine.statusCode).toBe(201);
    expect(mine.json()).toMatchObject({
      assignmentId: assignment.id,
      authorId: spec.id,
      content: 'Đề xuất giao Phòng Tổng hợp rà soát số liệu.',
      files: [{ sha256: file, name: 'bao-cao.pdf', position: 1 }],
    });
    expect((await post(leaderA, url, { content: 'Đồng ý đề xuất.' })).statusCode).toBe(201);
    expect((await post(leaderA2, url, { content: 'Lưu ý thời hạn.' })).statusCode).toBe(201);

    const doc = await detail(spec, id);
    expect(doc.opinions.map((o: { content: string }) => o.content)).toEqual([
      'Đề xuất giao Phòng Tổng hợp rà soát số liệu.',
      'Đồng ý đề xuất.',
      'Lưu ý thời hạn.',
    ]);
    expect(doc.opinions[0].files).toHaveLength(1);
    expect(kinds(doc).filter((k: string) => k === 'opinion')).toHaveLength(3);
  });

  it('is refused to officials who neither hold, gave nor lead the assignment; files must exist', async () => {
    const id = await incoming();
    const assignment = (
      await post(leaderA, `/api/documents/${id}/assignments`, {
        items: [{ role: 'lead', departmentId: depVP }],
      })
    ).json().items[0];
    const url = `/api/documents/${id}/assignments/${assignment.id}/opinions`;
    // A member of the assigned department is an assignee; others are not.
    expect((await post(head, url, { content: 'Phòng đã nhận.' })).statusCode).toBe(201);
    const denied = await post(outsider, url, { content: 'Tôi góp ý.' });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().code).toBe('FORBIDDEN');
    expect((await post(specB, url, { content: 'Cơ quan khác.' })).statusCode).toBe(404);
    const missing = await post(head, url, {
      content: 'Kèm tệp',
      files: [{ sha256: 'c'.repeat(64), name: 'x.pdf' }],
    });
    expect(missing.json().code).toBe('FILE_NOT_FOUND');
    // An assignment of another document is not found here.
    const other = await incoming();
    const otherAssignment = (
      await post(leaderA, `/api/documents/${other}/assignments`, {
        items: [{ role: 'lead', officialId: spec.id }],
      })
    ).json().items[0];
    expect(
      (
        await post(spec, `/api/documents/${id}/assignments/${otherAssignment.id}/opinions`, {
          content: 'Nhầm.',
        })
      ).json().code,
    ).toBe('ASSIGNMENT_NOT_FOUND');
    expect((await detail(leaderA, id)).opinions).toHaveLength(1);
  });

  it('a retry with the same idempotency key records the opinion once', async () => {
    const id = await incoming();
    const assignment = (
      await post(leaderA, `/api/documents/${id}/assignments`, {
        items: [{ role: 'lead', officialId: spec.id }],
      })
    ).json().items[0];
    const url = `/api/documents/${id}/assignments/${assignment.id}/opinions`;
    const headers = { 'idempotency-key': 'y-kien-thu-0001' };
    const [first, second] = await Promise.all([
      post(spec, url, { content: 'Đã xử lý xong phần việc.' }, headers),
      post(spec, url, { content: 'Đã xử lý xong phần việc.' }, headers),
    ]);
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.json().id).toBe(first.json().id);
    expect((await detail(spec, id)).opinions).toHaveLength(1);
  });
});

describe('forwarding an assignment (chuyển xử lý)', () => {
  it('the assignee hands it to another official: re-pointed, pending again, recorded; one lead per level still', async () => {
    const id = await incoming();
    const items = (
      await post(leaderA, `/api/documents/${id}/assignments`, {
        instruction: 'Văn phòng chủ trì xử lý.',
        items: [
          { role: 'lead', departmentId: depVP, deadlineWorkingDays: 5 },
          { role: 'support', officialId: p1.id },
        ],
      })
    ).json().items;
    const lead = items.find((x: { role: string }) => x.role === 'lead');
    const base = `/api/documents/${id}/assignments/${lead.id}`;
    expect((await post(head, `${base}/start`)).statusCode).toBe(200);

    // Neither an outsider nor the support assignee may forward the lead assignment.
    expect(
      (await post(outsider, `${base}/forward`, { officialId: spec.id, note: 'Chuyển tiếp' })).statusCode,
    ).toBe(403);
    expect((await post(p1, `${base}/forward`, { officialId: spec.id, note: 'Chuyển tiếp' })).statusCode).toBe(
      403,
    );
    // Only inside the agency.
    expect(
      (await post(head, `${base}/forward`, { officialId: specB.id, note: 'Chuyển sang Sở' })).json().code,
    ).toBe('ASSIGNEE_INVALID');
    expect(
      (await post(head, `${base}/forward`, { departmentId: depVP, note: 'Cho chính mình' })).json().code,
    ).toBe('VALIDATION_ERROR');

    const fwd = await post(head, `${base}/forward`, {
      officialId: spec.id,
      note: 'Chuyển đồng chí Chuyên viên xử lý theo thẩm quyền.',
    });
    expect(fwd.statusCode).toBe(201);
    expect(fwd.json()).toMatchObject({
      assignmentId: lead.id,
      fromDepartmentId: depVP,
      fromDepartmentName: 'Văn phòng',
      toOfficialId: spec.id,
      forwardedById: head.id,
      note: 'Chuyển đồng chí Chuyên viên xử lý theo thẩm quyền.',
    });

    const doc = await detail(leaderA, id);
    const after = doc.assignments.find((x: { id: string }) => x.id === lead.id);
    expect(after).toMatchObject({
      assigneeOfficialId: spec.id,
      assigneeDepartmentId: null,
      status: 'pending',
      deadline: lead.deadline,
      instruction: 'Văn phòng chủ trì xử lý.',
    });
    expect(doc.assignmentForwards).toHaveLength(1);
    expect(kinds(doc)).toContain('assignment_forwarded');

    // The former holder no longer acts on it; the new one does.
    expect((await post(head, `${base}/finish`, { result: 'Xong' })).statusCode).toBe(403);
    expect((await post(head, `${base}/forward`, { officialId: p2.id, note: 'Lại chuyển' })).statusCode).toBe(
      403,
    );
    expect((await counts(spec)).to_handle).toBeGreaterThanOrEqual(1);
    expect((await post(spec, `${base}/start`)).statusCode).toBe(200);
    // Still one lead at the top level.
    const second = await post(leaderA, `/api/documents/${id}/assignments`, {
      items: [{ role: 'lead', officialId: p2.id }],
    });
    expect(second.statusCode).toBe(400);
    // A finished assignment is not forwarded.
    expect((await post(spec, `${base}/finish`, { result: 'Đã xử lý' })).statusCode).toBe(200);
    expect((await post(spec, `${base}/forward`, { officialId: p2.id, note: 'Muộn rồi' })).json().code).toBe(
      'ASSIGNMENT_STATE',
    );
  });

  it('to a department: its members see it to handle', async () => {
    const id = await incoming();
    const lead = (
      await post(leaderA, `/api/documents/${id}/assignments`, {
        items: [{ role: 'lead', officialId: spec.id }],
      })
    ).json().items[0];
    const before = (await counts(member)).to_handle;
    const res = await post(spec, `/api/documents/${id}/assignments/${lead.id}/forward`, {
      departmentId: depTH,
      note: 'Thuộc lĩnh vực Phòng Tổng hợp.',
    });
    expect(res.json()).toMatchObject({ fromOfficialId: spec.id, toDepartmentName: 'Phòng Tổng hợp' });
    expect((await counts(member)).to_handle).toBe(before + 1);
  });
});

describe('draft versions (phiên bản dự thảo)', () => {
  it('keeps every version; the latest is the main file; drafter or the reviewer whose turn it is; not after approval', async () => {
    const v1 = await upload(drafter, 'du-thao-1.docx', DOCX(1));
    const id = await draft({
      files: [{ sha256: v1, name: 'du-thao-1.docx', role: 'main' }],
      steps: [{ reviewerId: head.id }, { reviewerId: leaderA.id }],
    });
    const list = async () => (await get(drafter, `/api/documents/${id}/versions`)).json().items;
    expect(await list()).toMatchObject([{ version: 1, sha256: v1, current: true, uploadedById: drafter.id }]);

    const v2 = await upload(drafter, 'du-thao-2.pdf', PDF(2));
    const added = await post(drafter, `/api/documents/${id}/versions`, {
      sha256: v2,
      name: 'du-thao-2.pdf',
      note: 'Sửa theo góp ý của Văn phòng',
    });
    expect(added.statusCode).toBe(201);
    expect(added.json()).toMatchObject({
      version: 2,
      mime: 'application/pdf',
      note: 'Sửa theo góp ý của Văn phòng',
      current: true,
    });
    // Sending the current file again adds nothing.
    expect(
      (await post(drafter, `/api/documents/${id}/versions`, { sha256: v2, name: 'x.pdf' })).json().version,
    ).toBe(2);
    const png = await upload(drafter, 'anh.png', PNG);
    expect(
      (await post(drafter, `/api/documents/${id}/versions`, { sha256: png, name: 'anh.png' })).json().code,
    ).toBe('DRAFT_FILE_TYPE');
    expect(
      (await post(drafter, `/api/documents/${id}/versions`, { sha256: 'd'.repeat(64), name: 'x.pdf' })).json()
        .code,
    ).toBe('FILE_NOT_FOUND');

    // The signer's turn has not come; the first reviewer's has.
    const v3 = await upload(head, 'du-thao-3.docx', DOCX(3));
    expect(
      (await post(leaderA, `/api/documents/${id}/versions`, { sha256: v3, name: 'v3.docx' })).statusCode,
    ).toBe(403);
    expect(
      (await post(outsider, `/api/documents/${id}/versions`, { sha256: v3, name: 'v3.docx' })).statusCode,
    ).toBe(403);
    expect(
      (await post(head, `/api/documents/${id}/versions`, { sha256: v3, name: 'du-thao-3.docx' })).json(),
    ).toMatchObject({ version: 3, uploadedById: head.id });

    let doc = await detail(drafter, id);
    expect(doc.versions.map((x: { version: number; current: boolean }) => [x.version, x.current])).toEqual([
      [1, false],
      [2, false],
      [3, true],
    ]);
    expect(doc.files.filter((f: { role: string }) => f.role === 'main')).toMatchObject([
      { sha256: v3, name: 'du-thao-3.docx' },
    ]);
    expect(kinds(doc).filter((k: string) => k === 'version_added')).toHaveLength(2);
    // Old versions stay downloadable.
    const old = await get(drafter, `/api/files/${v1}`);
    expect(old.statusCode).toBe(200);
    expect(old.rawPayload.equals(DOCX(1))).toBe(true);

    await approve(head, id);
    // The signer's approval is a digital signature, and only a PDF is signed: the signer puts the
    // final PDF as the last version first.
    const signing = { password: SIGNING_PASSWORD };
    expect((await post(leaderA, `/api/documents/${id}/review`, { decision: 'approved' })).json().code).toBe(
      'SIGNING_REQUIRED',
    );
    expect(
      (await post(leaderA, `/api/documents/${id}/review`, { decision: 'approved', signing })).json().code,
    ).toBe('SIGNING_FILE_NOT_PDF');
    const final = await upload(leaderA, 'ban-cuoi.pdf', await makePdf('Final version'));
    expect(
      (await post(leaderA, `/api/documents/${id}/versions`, { sha256: final, name: 'ban-cuoi.pdf' })).json(),
    ).toMatchObject({ version: 4 });
    expect(
      (await post(leaderA, `/api/documents/${id}/review`, { decision: 'approved', signing })).statusCode,
    ).toBe(204);
    doc = await detail(drafter, id);
    const signedVersion = doc.versions.at(-1);
    expect(signedVersion).toMatchObject({ version: 5, name: 'ban-cuoi.pdf', current: true });
    expect(signedVersion.sha256).not.toBe(final);
    const v4 = await upload(drafter, 'du-thao-4.pdf', PDF(4));
    expect(
      (await post(drafter, `/api/documents/${id}/versions`, { sha256: v4, name: 'v4.pdf' })).json().code,
    ).toBe('DOCUMENT_STATE');
    const res = await post(clerkA, `/api/documents/${id}/issue`, { registerId: outRegA, signing });
    expect(
      (await post(drafter, `/api/documents/${id}/versions`, { sha256: v4, name: 'v4.pdf' })).json().code,
    ).toBe('DOCUMENT_STATE');
    // The recipient receives the file signed by the signer and by the agency as the main file.
    const issuedMain = (await detail(drafter, id)).files.find((f: { role: string }) => f.role === 'main');
    expect(issuedMain.sha256).not.toBe(signedVersion.sha256);
    doc = await detail(clerkB, res.json().deliveredTo[0].documentId);
    expect(doc.files.find((f: { role: string }) => f.role === 'main').sha256).toBe(issuedMain.sha256);
    expect(doc.versions).toEqual([]);
  });
});

describe('approval chains', () => {
  it('a parallel group moves on when all approve; to_review shows each pending member; the signer approves unsigned', async () => {
    const id = await draft({
      steps: [{ reviewerId: head.id }, { parallel: [p1.id, p2.id] }, { reviewerId: leaderA.id }],
    });
    const toReview = async (who: Person) => (await counts(who)).to_review;
    expect([await toReview(head), await toReview(p1), await toReview(p2), await toReview(leaderA)]).toEqual([
      1, 0, 0, 0,
    ]);
    await approve(head, id);
    expect([await toReview(head), await toReview(p1), await toReview(p2), await toReview(leaderA)]).toEqual([
      0, 1, 1, 0,
    ]);
    expect((await get(p1, '/api/documents/worklist?queue=to_review')).json().items[0].id).toBe(id);
    expect((await post(leaderA, `/api/documents/${id}/review`, { decision: 'approved' })).statusCode).toBe(
      403,
    );
    await approve(p1, id);
    expect((await post(p1, `/api/documents/${id}/review`, { decision: 'approved' })).statusCode).toBe(403);
    let doc = await detail(drafter, id);
    expect(doc.status).toBe('in_review');
    expect(doc.pendingReviewerIds).toEqual([p2.id]);
    expect([await toReview(p1), await toReview(p2), await toReview(leaderA)]).toEqual([0, 1, 0]);
    await approve(p2, id);
    expect(await toReview(leaderA)).toBe(1);
    await approve(leaderA, id);

    doc = await detail(drafter, id);
    expect(doc.status).toBe('approved');
    expect(doc.pendingReviewerIds).toEqual([]);
    expect(doc.signature).toEqual({ personal: 'unsigned', agency: null });
    expect(
      doc.approvals.map((p: { step: number; reviewerId: string; parallel: boolean; decision: string }) => [
        p.step,
        p.reviewerId,
        p.parallel,
        p.decision,
      ]),
    ).toEqual([
      [1, head.id, false, 'approved'],
      [2, p1.id, true, 'approved'],
      [2, p2.id, true, 'approved'],
      [3, leaderA.id, false, 'approved'],
    ]);
    expect(doc.approvals.at(-1).signature).toBe('unsigned');
    expect(doc.timeline.find((e: { kind: string }) => e.kind === 'approved').data).toMatchObject({
      signature: 'unsigned',
      note: 'Đã duyệt, chưa ký số',
    });

    // Issuance records the agency signature step, unsigned too.
    expect((await post(clerkA, `/api/documents/${id}/issue`, { registerId: outRegA })).statusCode).toBe(200);
    doc = await detail(drafter, id);
    expect(doc.signature).toEqual({ personal: 'unsigned', agency: 'unsigned' });
    expect(doc.timeline.find((e: { kind: string }) => e.kind === 'issued').data).toMatchObject({
      agencySignature: 'unsigned',
    });
  });

  it('one return in a group sends the draft back; the other member stops seeing it; resubmitting with reviewerIds still works', async () => {
    const id = await draft({ steps: [{ parallel: [p1.id, p2.id] }, { reviewerId: leaderA.id }] });
    const before = (await counts(p1)).to_review;
    expect(
      (
        await post(p2, `/api/documents/${id}/review`, {
          decision: 'returned',
          comment: 'Thiếu số liệu quý IV',
        })
      ).statusCode,
    ).toBe(204);
    expect((await detail(drafter, id)).status).toBe('draft');
    expect((await counts(p1)).to_review).toBe(before - 1);
    expect((await post(p1, `/api/documents/${id}/review`, { decision: 'approved' })).json().code).toBe(
      'DOCUMENT_STATE',
    );
    // Only the drafter resubmits.
    expect((await post(head, `/api/documents/${id}/submit`, { reviewerIds: [leaderA.id] })).statusCode).toBe(
      403,
    );
    expect(
      (await post(drafter, `/api/documents/${id}/submit`, { reviewerIds: [leaderA.id] })).statusCode,
    ).toBe(204);
    // The undecided row of the returned round does not count any more.
    expect((await counts(p1)).to_review).toBe(before - 1);
    expect((await detail(drafter, id)).pendingReviewerIds).toEqual([leaderA.id]);
    await approve(leaderA, id);
    const doc = await detail(drafter, id);
    expect(doc.status).toBe('approved');
    expect(doc.approvals.filter((p: { round: number }) => p.round === 2)).toHaveLength(1);
  });

  it('a reviewer forwards to another official: a step is inserted after theirs', async () => {
    const id = await draft({ steps: [{ reviewerId: head.id }, { reviewerId: leaderA.id }] });
    const url = `/api/documents/${id}/review/forward`;
    expect((await post(outsider, url, { toOfficialId: deputy.id, comment: 'Chuyển duyệt' })).statusCode).toBe(
      403,
    );
    expect((await post(head, url, { toOfficialId: head.id, comment: 'Cho chính mình' })).statusCode).toBe(
      400,
    );
    expect((await post(head, url, { toOfficialId: specB.id, comment: 'Ra ngoài cơ quan' })).json().code).toBe(
      'ASSIGNEE_INVALID',
    );
    expect(
      (
        await post(head, url, {
          toOfficialId: deputy.id,
          comment: 'Kính chuyển Phó Chánh Văn phòng cho ý kiến',
        })
      ).statusCode,
    ).toBe(204);
    expect((await counts(head)).to_review).toBe(0);
    expect((await counts(deputy)).to_review).toBe(1);
    let doc = await detail(drafter, id);
    expect(
      doc.approvals.map(
        (p: { step: number; reviewerId: string; decision: string | null; addedById: string | null }) => [
          p.step,
          p.reviewerId,
          p.decision,
          p.addedById,
        ],
      ),
    ).toEqual([
      [1, head.id, 'forwarded', null],
      [2, deputy.id, null, head.id],
      [3, leaderA.id, null, null],
    ]);
    expect(doc.timeline.find((e: { kind: string }) => e.kind === 'review_forwarded').data).toMatchObject({
      to: deputy.id,
      comment: 'Kính chuyển Phó Chánh Văn phòng cho ý kiến',
    });
    await approve(deputy, id);
    // The signer forwards too: the new official becomes the last step and signs.
    expect(
      (await post(leaderA, url, { toOfficialId: leaderA2.id, comment: 'Đồng chí Phó Chủ tịch ký thay' }))
        .statusCode,
    ).toBe(204);
    expect((await post(leaderA, `/api/documents/${id}/review`, { decision: 'approved' })).statusCode).toBe(
      403,
    );
    await approve(leaderA2, id);
    doc = await detail(drafter, id);
    expect(doc.status).toBe('approved');
    expect(doc.approvals.at(-1)).toMatchObject({ step: 4, reviewerId: leaderA2.id, signature: 'unsigned' });
  });

  it('a member of a parallel group forwards: the inserted step comes after the group', async () => {
    const id = await draft({ steps: [{ parallel: [p1.id, p2.id] }, { reviewerId: leaderA.id }] });
    await post(p1, `/api/documents/${id}/review/forward`, {
      toOfficialId: deputy.id,
      comment: 'Nhờ đồng chí xem',
    });
    expect((await counts(deputy)).to_review).toBe(0);
    await approve(p2, id);
    expect((await detail(drafter, id)).pendingReviewerIds).toEqual([deputy.id]);
  });

  it('the last step is one signer; steps and reviewerIds do not go together; reviewers belong to the agency', async () => {
    const base = {
      agencyId: a,
      typeId: 'cong_van',
      subject: 'Thử chuỗi duyệt',
      draftingUnit: 'VP',
      recipients: [{ name: 'Lưu: VT' }],
    };
    const bad = [
      { steps: [{ reviewerId: head.id }, { parallel: [p1.id, p2.id] }] },
      { steps: [{ parallel: [p1.id, p1.id] }, { reviewerId: leaderA.id }] },
      { steps: [{ reviewerId: leaderA.id }], reviewerIds: [leaderA.id] },
      {},
    ];
    for (const extra of bad) {
      const res = await post(drafter, '/api/documents/outgoing', { ...base, ...extra });
      expect(res.statusCode, JSON.stringify(extra)).toBe(400);
    }
    const outside = await post(drafter, '/api/documents/outgoing', {
      ...base,
      steps: [{ parallel: [p1.id, specB.id] }, { reviewerId: leaderA.id }],
    });
    expect(outside.json().code).toBe('ASSIGNEE_INVALID');
  });
});

describe('the signature hook', () => {
  it('a signer plugged into the service signs the main file at approval and issuance; the signed files become the document', async () => {
    const calls: { kind: string; documentId: string; sha256: string }[] = [];
    const signedByLeader = await upload(leaderA, 'da-ky.pdf', PDF(100));
    const signedByAgency = await upload(clerkA, 'da-ky-co-quan.pdf', PDF(101));
    const signer: Signer = {
      ...noSigner,
      async signPersonal(req, signing) {
        expect(signing).toEqual({ password: 'mat-khau' });
        calls.push({ kind: 'personal', documentId: req.documentId, sha256: req.file.sha256 });
        return { sha256: signedByLeader, name: req.file.name };
      },
      async signAgency(req, signing) {
        expect(signing).toEqual({ password: 'mat-khau-co-quan' });
        expect(req.notation).toMatch(/^\d+\/UBND-VP$/);
        calls.push({ kind: 'agency', documentId: req.documentId, sha256: req.file.sha256 });
        return { file: { sha256: signedByAgency, name: req.file.name }, appendices: [] };
      },
    };
    const docs = documentsService(t.db, t.services.org, t.services.calendar, signer);
    const authOf = async (p: Person) => {
      const auth = await t.ctx.auth.fromSession(p.cookie.slice('congvu_sid='.length), null);
      return { auth: auth!, ip: null };
    };
    const file = await upload(drafter, 'du-thao-ky.pdf', PDF(99));
    const id = await draft({
      files: [{ sha256: file, name: 'du-thao-ky.pdf', role: 'main' }],
      reviewerIds: [head.id, leaderA.id],
    });
    await docs.review(await authOf(head), id, 'approved', undefined);
    expect(calls).toEqual([]);
    // The final approval of a draft with a file is a signature: without one it is refused.
    await expect(docs.review(await authOf(leaderA), id, 'approved', undefined)).rejects.toMatchObject({
      code: 'SIGNING_REQUIRED',
    });
    await docs.review(await authOf(leaderA), id, 'approved', undefined, { password: 'mat-khau' });
    await expect(docs.issue(await authOf(clerkA), id, outRegA)).rejects.toMatchObject({
      code: 'SIGNING_REQUIRED',
    });
    const res = await docs.issue(await authOf(clerkA), id, outRegA, { password: 'mat-khau-co-quan' });
    expect(res.paper).toBe(false);
    expect(calls).toEqual([
      { kind: 'personal', documentId: id, sha256: file },
      { kind: 'agency', documentId: id, sha256: signedByLeader },
    ]);
    const doc = await detail(drafter, id);
    expect(doc.signature).toEqual({ personal: 'signed', agency: 'signed' });
    expect(doc.timeline.find((e: { kind: string }) => e.kind === 'approved').data).toMatchObject({
      signed: true,
      note: 'Đã duyệt, đã ký số',
    });
    expect(doc.files.find((f: { role: string }) => f.role === 'main').sha256).toBe(signedByAgency);
    expect(doc.versions.map((v: { sha256: string }) => v.sha256)).toEqual([
      file,
      signedByLeader,
      signedByAgency,
    ]);
    // The recipient receives the file carrying both signatures.
    const copy = await detail(clerkB, res.deliveredTo[0]!.documentId);
    expect(copy.files.find((f: { role: string }) => f.role === 'main').sha256).toBe(signedByAgency);
  });

  it('without a main file the document is signed and sealed on paper: issued, nothing sent electronically', async () => {
    const id = await draft({ subject: 'Văn bản giấy' });
    await approve(leaderA, id);
    const res = await post(clerkA, `/api/documents/${id}/issue`, { registerId: outRegA });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ paper: true, deliveredTo: [] });
    expect((await detail(drafter, id)).signature).toEqual({ personal: 'unsigned', agency: 'unsigned' });
  });
});

describe('recall, replacement, update of issued documents', () => {
  it('a clerk recalls: the document and its delivered copy are marked; others cannot', async () => {
    const x = await issued('Về việc tổ chức hội nghị tổng kết năm');
    // The recipient registered its copy; its leader has it to assign.
    expect(
      (await post(clerkB, `/api/documents/${x.copyId}/register`, { registerId: inRegB })).statusCode,
    ).toBe(200);
    const pending = (await counts(leaderB)).to_assign;
    const url = `/api/documents/${x.id}/recall`;
    expect((await post(drafter, url, { reason: 'Sai thời gian' })).statusCode).toBe(403);
    expect((await post(clerkB, url, { reason: 'Sai thời gian' })).statusCode).toBe(404);
    expect((await post(leaderB, url, { reason: 'Sai thời gian' })).statusCode).toBe(404);
    expect((await post(clerkB, `/api/documents/${x.copyId}/recall`, { reason: 'Bản sao' })).json().code).toBe(
      'DOCUMENT_STATE',
    );

    const res = await post(clerkA, url, { reason: 'Văn bản ban hành nhầm thời gian tổ chức' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      documentId: x.id,
      validity: 'recalled',
      copies: [{ agencyId: b, documentId: x.copyId }],
    });
    const doc = await detail(clerkA, x.id);
    expect(doc.status).toBe('issued');
    expect(doc.validity).toMatchObject({
      state: 'recalled',
      reason: 'Văn bản ban hành nhầm thời gian tổ chức',
      replacedBy: null,
    });
    expect(kinds(doc).at(-1)).toBe('recalled');
    const copy = await detail(clerkB, x.copyId);
    expect(copy.validity.state).toBe('recalled');
    expect(copy.timeline.at(-1)).toMatchObject({
      kind: 'recalled',
      data: { note: 'Văn bản đã bị thu hồi', sourceDocumentId: x.id },
    });
    // The recalled copy waits for nobody.
    expect((await counts(leaderB)).to_assign).toBe(pending - 1);
    // Once only; no update after a recall.
    expect((await post(clerkA, url, { reason: 'Lần nữa' })).json().code).toBe('DOCUMENT_STATE');
    expect(
      (await post(leaderA, `/api/documents/${x.id}/update`, { reason: 'Sửa', subject: 'Khác hẳn' })).json()
        .code,
    ).toBe('DOCUMENT_STATE');
    const events = await t.db
      .selectFrom('document_events')
      .select(['document_id', 'kind'])
      .where('document_id', 'in', [x.id, x.copyId])
      .where('kind', '=', 'recalled')
      .execute();
    expect(events).toHaveLength(2);
  });

  it('a leader replaces one issued document with another; copies point to the replacement’s copy', async () => {
    const y = await issued('Về việc phân bổ kinh phí đợt 1');
    const z = await issued('Về việc phân bổ kinh phí đợt 1 (thay thế)');
    const draftOnly = await draft();
    const url = `/api/documents/${y.id}/replace`;
    expect((await post(leaderA, url, { reason: 'Sai số liệu', replacementId: draftOnly })).json().code).toBe(
      'REPLACEMENT_INVALID',
    );
    expect((await post(leaderA, url, { reason: 'Sai số liệu', replacementId: y.id })).json().code).toBe(
      'REPLACEMENT_INVALID',
    );
    expect((await post(leaderA, url, { reason: 'Sai số liệu', replacementId: z.copyId })).json().code).toBe(
      'REPLACEMENT_INVALID',
    );
    expect((await post(spec, url, { reason: 'Sai số liệu', replacementId: z.id })).statusCode).toBe(403);

    const res = await post(leaderA, url, { reason: 'Sai số liệu phân bổ', replacementId: z.id });
    expect(res.json()).toMatchObject({
      validity: 'replaced',
      copies: [{ agencyId: b, documentId: y.copyId }],
    });
    const doc = await detail(leaderA, y.id);
    expect(doc.validity).toMatchObject({
      state: 'replaced',
      replacedBy: { id: z.id, number: z.number, notation: z.notation },
    });
    const replacing = await detail(leaderA, z.id);
    expect(replacing.validity.replaces).toMatchObject([{ id: y.id, number: y.number }]);
    expect(kinds(replacing).at(-1)).toBe('replaces');
    const copy = await detail(clerkB, y.copyId);
    expect(copy.validity).toMatchObject({ state: 'replaced', replacedBy: { id: z.copyId } });
    expect(copy.timeline.at(-1)).toMatchObject({
      kind: 'replaced',
      data: { note: `Được thay thế bởi văn bản số ${z.number}/${z.notation}` },
    });
    // The replaced copy is neither registered nor returned any more: the replacement is the one.
    expect(
      (await post(clerkB, `/api/documents/${y.copyId}/register`, { registerId: inRegB })).json().code,
    ).toBe('DOCUMENT_STATE');
    expect(
      (await post(clerkB, `/api/documents/${y.copyId}/return`, { reason: 'Không đúng thẩm quyền' })).json()
        .code,
    ).toBe('DOCUMENT_STATE');
    // A replaced document cannot replace another one.
    const w = await issued('Văn bản khác');
    expect(
      (await post(leaderA, `/api/documents/${w.id}/replace`, { reason: 'Thử', replacementId: y.id })).json()
        .code,
    ).toBe('REPLACEMENT_INVALID');
  });

  it("an update corrects the issued document; its delivered copy changes when the recipient's clerk accepts (15)", async () => {
    const u = await issued('Về việc chuẩn bi hội nghị');
    const url = `/api/documents/${u.id}/update`;
    expect((await post(clerkB, url, { reason: 'Sửa', subject: 'Khác' })).statusCode).toBe(404);
    const res = await post(clerkA, url, {
      reason: 'Sửa lỗi chính tả trong trích yếu',
      subject: 'Về việc chuẩn bị hội nghị',
      signerName: 'Trần Quốc Hưng',
    });
    expect(res.json()).toMatchObject({ validity: 'valid', copies: [{ documentId: u.copyId }] });
    const source = await detail(clerkA, u.id);
    expect(source).toMatchObject({ subject: 'Về việc chuẩn bị hội nghị', signerName: 'Trần Quốc Hưng' });
    expect(source.timeline.at(-1)).toMatchObject({
      kind: 'updated',
      data: {
        reason: 'Sửa lỗi chính tả trong trích yếu',
        changes: { subject: { from: 'Về việc chuẩn bi hội nghị', to: 'Về việc chuẩn bị hội nghị' } },
      },
    });
    // The copy records the request; nothing changes before its clerk answers.
    let copy = await detail(clerkB, u.copyId);
    expect(copy.subject).toBe('Về việc chuẩn bi hội nghị');
    expect(copy.timeline.at(-1)).toMatchObject({
      kind: 'update_requested',
      data: {
        reason: 'Sửa lỗi chính tả trong trích yếu',
        changes: { subject: { to: 'Về việc chuẩn bị hội nghị' }, signerName: { to: 'Trần Quốc Hưng' } },
      },
    });
    const answer = `/api/documents/${u.copyId}/exchange/update-answer`;
    // Only the clerk of the receiving agency answers.
    expect((await post(specB, answer, { accept: true, reason: 'Đồng ý' })).statusCode).toBe(403);
    expect((await post(clerkA, answer, { accept: true, reason: 'Đồng ý' })).statusCode).toBe(404);
    const ok = await post(clerkB, answer, { accept: true, reason: 'Đồng ý cập nhật' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ statusCode: '15' });
    copy = await detail(clerkB, u.copyId);
    expect(copy).toMatchObject({ subject: 'Về việc chuẩn bị hội nghị', signerName: 'Trần Quốc Hưng' });
    expect(copy.validity.state).toBe('valid');
    expect(copy.timeline.at(-1)).toMatchObject({ kind: 'updated', data: { answer: 'Đồng ý cập nhật' } });
    // Answered once.
    expect((await post(clerkB, answer, { accept: false, reason: 'Đổi ý' })).json().code).toBe(
      'EXCHANGE_NO_UPDATE_REQUEST',
    );
    // A second update, refused (16): the copy keeps its information.
    expect((await post(clerkA, url, { reason: 'Sửa số trang', pageCount: 3 })).statusCode).toBe(200);
    const no = await post(clerkB, answer, { accept: false, reason: 'Số trang đúng là 2' });
    expect(no.json()).toEqual({ statusCode: '16' });
    copy = await detail(clerkB, u.copyId);
    expect(copy.pageCount).toBeNull();
    expect(copy.timeline.at(-1)).toMatchObject({
      kind: 'update_refused',
      data: { answer: 'Số trang đúng là 2' },
    });
    // The issuer's per-recipient timeline shows both answers, with their reasons.
    const bCode = (await t.services.org.getAgency(b)).code;
    const answers = (await get(clerkA, `/api/documents/${u.id}/exchange`))
      .json()
      .events.filter((e: { event: string }) => e.event === '15' || e.event === '16');
    expect(answers).toMatchObject([
      { agencyCode: bCode, event: '15', description: expect.stringContaining('Đồng ý cập nhật') },
      { agencyCode: bCode, event: '16', description: expect.stringContaining('Số trang đúng là 2') },
    ]);
    // Nothing new: refused.
    expect(
      (await post(clerkA, url, { reason: 'Lại', subject: 'Về việc chuẩn bị hội nghị' })).json().code,
    ).toBe('VALIDATION_ERROR');
    // A draft is not updated this way.
    const d = await draft();
    expect(
      (await post(clerkA, `/api/documents/${d}/update`, { reason: 'Sửa', subject: 'Khác' })).json().code,
    ).toBe('DOCUMENT_STATE');
  });

  it('the recipient returns a delivered copy (02 with the reason); it stays, returned, and cannot be registered', async () => {
    const x = await issued('Về việc gửi nhầm nơi nhận');
    const url = `/api/documents/${x.copyId}/return`;
    expect((await post(specB, url, { reason: 'Không đúng thẩm quyền' })).statusCode).toBe(403);
    expect((await post(clerkA, url, { reason: 'Không đúng thẩm quyền' })).statusCode).toBe(404);
    // The issuer's own outgoing document is not returned this way.
    expect((await post(clerkA, `/api/documents/${x.id}/return`, { reason: 'Thử' })).json().code).toBe(
      'DOCUMENT_STATE',
    );
    const ok = await post(clerkB, url, { reason: 'Không đúng thẩm quyền giải quyết của Sở' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ documentId: x.copyId, status: 'returned' });
    const copy = await detail(clerkB, x.copyId);
    expect(copy.status).toBe('returned');
    expect(copy.timeline.at(-1)).toMatchObject({
      kind: 'returned',
      data: { reason: 'Không đúng thẩm quyền giải quyết của Sở' },
    });
    // Once; and a returned document cannot be registered.
    expect((await post(clerkB, url, { reason: 'Lần nữa' })).json().code).toBe('DOCUMENT_RETURNED');
    expect(
      (await post(clerkB, `/api/documents/${x.copyId}/register`, { registerId: inRegB })).json().code,
    ).toBe('DOCUMENT_RETURNED');
    // The issuer sees 02 with the reason on its per-recipient timeline.
    const bCode = (await t.services.org.getAgency(b)).code;
    const end = Date.now() + 20_000;
    let events: { agencyCode: string; event: string; description: string | null }[] = [];
    while (Date.now() < end) {
      events = (await get(clerkA, `/api/documents/${x.id}/exchange`)).json().events;
      if (events.some((e) => e.event === '02')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(events.map((e) => e.event)).toEqual(['01', '02']);
    expect(events[1]).toMatchObject({
      agencyCode: bCode,
      description: 'Từ chối tiếp nhận: Không đúng thẩm quyền giải quyết của Sở',
    });
  });
});

describe('bad bodies on real documents', () => {
  it('are refused with 400 before anything changes', async () => {
    const id = await incoming();
    const lead = (
      await post(leaderA, `/api/documents/${id}/assignments`, {
        items: [{ role: 'lead', officialId: spec.id }],
      })
    ).json().items[0];
    const out = await issued('Văn bản thử dữ liệu sai');
    const cases: [string, object][] = [
      [`/api/documents/${id}/assignments/${lead.id}/opinions`, { content: '   ' }],
      [
        `/api/documents/${id}/assignments/${lead.id}/forward`,
        { officialId: p1.id, departmentId: depTH, note: 'Hai nơi' },
      ],
      [`/api/documents/${id}/assignments/${lead.id}/forward`, { officialId: p1.id }],
      [`/api/documents/${out.id}/versions`, { sha256: 'A'.repeat(64), name: 'x.pdf' }],
      [`/api/documents/${out.id}/review/forward`, { toOfficialId: p1.id, comment: '' }],
      [`/api/documents/${out.id}/recall`, { reason: 'x' }],
      [`/api/documents/${out.id}/replace`, { reason: 'Thay thế' }],
      [`/api/documents/${out.id}/update`, { reason: 'Chỉ có lý do' }],
      [`/api/documents/${out.id}/submit`, { steps: [{ parallel: [p1.id] }] }],
    ];
    for (const [url, body] of cases) {
      const res = await post(spec, url, body);
      expect(res.statusCode, url).toBe(400);
      expect(res.json().code, url).toBe('VALIDATION_ERROR');
    }
    expect((await detail(leaderA, id)).opinions).toEqual([]);
    expect((await detail(leaderA, out.id)).validity.state).toBe('valid');
  });
});
