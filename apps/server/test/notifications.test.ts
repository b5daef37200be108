import type { AddressInfo } from 'node:net';
import type { Role } from '@congvu/contracts';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DocumentEvent, publishDocumentEvent } from '../src/modules/documents/events.ts';
import { setupApp, type TestApp } from './helpers.ts';
import { makePdf, uploadFile } from './support/pdf.ts';
import { SIGNING_PASSWORD, signingKit } from './support/signing.ts';

/**
 * Notifications of the documents workflow: the right people only, in the app and by e-mail
 * through a real SMTP server listening on loopback.
 */
let t: TestApp;
let smtp: SMTPServer;
const inbox: { to: string[]; raw: string }[] = [];
const PUBLIC_URL = 'https://congvu.sonlam.example.vn';

let a: string;
let b: string;
let depA: string;
let depC: string;
let regIn: string;
let regSecret: string;
let regOut: string;
type Person = { id: string; cookie: string; email: string | null; name: string };
const p = {} as Record<
  | 'leader'
  | 'headA'
  | 'staffA'
  | 'staffC1'
  | 'staffC2'
  | 'clerkA'
  | 'drafter'
  | 'reviewer'
  | 'clerkB1'
  | 'clerkB2'
  | 'leaderB',
  Person
>;

let seq = 0;
async function person(
  name: string,
  roles: Role[],
  agencyId: string,
  departmentId: string | null,
  email: boolean,
): Promise<Person> {
  seq++;
  const username = `nguoi${seq}`;
  const mail = email ? `${username}@sonlam.example.vn` : null;
  const o = await t.services.org.createOfficial(
    { auth: null, ip: null },
    {
      username,
      fullName: name,
      ...(mail && { email: mail }),
      password: 'MatKhau-2026',
      roles: roles.map((role) => ({ role, agencyId })),
      memberships: departmentId ? [{ departmentId, positionId: null, isPrimary: true }] : [],
    },
  );
  return { id: o.id, cookie: await t.f.login(username), email: mail, name };
}

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, done) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        inbox.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('latin1'),
        });
        done();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const port = (smtp.server.address() as AddressInfo).port;
  t = await setupApp({
    SMTP_URL: `smtp://127.0.0.1:${port}`,
    SMTP_FROM: 'CongVu Sơn Lâm <congvu@sonlam.example.vn>',
    CONGVU_PUBLIC_URL: PUBLIC_URL,
    CONGVU_OUTBOX_POLL_MS: '50',
  });
  a = (await t.f.agency({ name: 'Ủy ban nhân dân tỉnh Thử', shortName: 'UBND' })).id;
  b = (await t.f.agency({ name: 'Sở Tài chính', shortName: 'STC' })).id;
  depA = (await t.f.department(a, 'Phòng Tổng hợp')).id;
  depC = (await t.f.department(a, 'Phòng Kinh tế')).id;
  p.leader = await person('Trần Quốc Hưng', ['leader'], a, null, true);
  p.headA = await person('Hoàng Minh Tuấn', ['leader'], a, depA, true);
  p.staffA = await person('Bùi Quang Vinh', ['specialist'], a, depA, true);
  p.staffC1 = await person('Đỗ Thị Mai', ['specialist'], a, depC, true);
  p.staffC2 = await person('Lê Văn Khánh', ['specialist'], a, depC, false);
  p.clerkA = await person('Đặng Thị Hoa', ['clerk'], a, null, true);
  p.drafter = await person('Vũ Thị Lan', ['specialist'], a, depA, true);
  p.reviewer = await person('Phạm Văn Đức', ['specialist'], a, null, true);
  p.clerkB1 = await person('Tạ Thị Bích', ['clerk'], b, null, true);
  p.clerkB2 = await person('Chu Thị Thảo', ['clerk'], b, null, true);
  p.leaderB = await person('Phan Thị Kim Oanh', ['leader'], b, null, true);
  const admin = (await t.f.session(['admin'])).cookie;
  const reg = async (agencyId: string, kind: 'incoming' | 'outgoing', code: string, secret = false) =>
    (
      await post(admin, '/api/documents/registers', {
        agencyId,
        kind,
        code,
        secret,
        name: `Sổ ${code}`,
      })
    ).json().id as string;
  regIn = await reg(a, 'incoming', 'DEN');
  regSecret = await reg(a, 'incoming', 'MAT', true);
  regOut = await reg(a, 'outgoing', 'DI');
  await reg(b, 'incoming', 'DEN');
  const kit = await signingKit(t);
  await kit.personal(p.leader.id);
  await kit.agency(a);
});
const signing = { password: SIGNING_PASSWORD };
afterAll(async () => {
  await t?.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

const post = (cookie: string, url: string, payload?: object) =>
  t.app.inject({ method: 'POST', url, headers: { cookie }, ...(payload && { payload }) });
const get = (cookie: string, url: string) => t.app.inject({ method: 'GET', url, headers: { cookie } });

/** Runs the outbox until nothing of its topics is due (the background loop may hold a row). */
async function settle() {
  const until = Date.now() + 15_000;
  while (Date.now() < until) {
    await t.services.outbox.runOnce();
    if ((await t.services.outbox.due()) === 0) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('outbox did not settle');
}

type Item = { id: string; kind: string; title: string; body: string; link: string; readAt: string | null };
async function notes(who: Person): Promise<Item[]> {
  const res = await get(who.cookie, '/api/notifications?pageSize=100');
  expect(res.statusCode).toBe(200);
  return res.json().items;
}
/** What each person got since `before` (ids), as "kind|link". */
async function newNotes(before: Map<string, Set<string>>) {
  const out: Record<string, Item[]> = {};
  for (const [k, who] of Object.entries(p)) {
    const seen = before.get(who.id) ?? new Set();
    out[k] = (await notes(who)).filter((n) => !seen.has(n.id));
  }
  return out;
}
async function snapshot() {
  const m = new Map<string, Set<string>>();
  for (const who of Object.values(p)) m.set(who.id, new Set((await notes(who)).map((n) => n.id)));
  return m;
}
const who = (got: Record<string, Item[]>) =>
  Object.entries(got)
    .filter(([, items]) => items.length > 0)
    .map(([k]) => k)
    .sort();

// --- a minimal RFC 5322 / 2047 reader (mailparser is not installed)
function unfoldHeaders(raw: string) {
  const [head = '', ...rest] = raw.split('\r\n\r\n');
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const i = line.indexOf(':');
    headers.set(line.slice(0, i).toLowerCase(), line.slice(i + 1).trim());
  }
  return { headers, body: rest.join('\r\n\r\n') };
}
function decodeWords(v: string): string {
  const word = /=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g;
  // Adjacent encoded words join without the whitespace between them; bytes join before UTF-8.
  const joined = v.replace(/\?=\s+=\?/g, '?==?');
  return joined.replace(/(=\?[^?]+\?[BbQq]\?[^?]*\?=)+/g, (run) => {
    const bytes: Buffer[] = [];
    for (const m of run.matchAll(word)) {
      const [, , enc, text = ''] = m;
      bytes.push(
        enc!.toUpperCase() === 'B'
          ? Buffer.from(text, 'base64')
          : Buffer.from(
              text
                .replace(/_/g, ' ')
                .replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
              'latin1',
            ),
      );
    }
    return Buffer.concat(bytes).toString('utf8');
  });
}
function parseMail(raw: string) {
  const { headers, body } = unfoldHeaders(raw);
  const cte = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  const bytes =
    cte === 'base64'
      ? Buffer.from(body.replace(/\s+/g, ''), 'base64')
      : cte === 'quoted-printable'
        ? Buffer.from(
            body
              .replace(/=\r\n/g, '')
              .replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
            'latin1',
          )
        : Buffer.from(body, 'latin1');
  return {
    subject: decodeWords(headers.get('subject') ?? ''),
    to: decodeWords(headers.get('to') ?? ''),
    contentType: headers.get('content-type') ?? '',
    text: bytes.toString('utf8').replace(/\r\n/g, '\n'),
    rawSubject: headers.get('subject') ?? '',
  };
}
const mailsTo = (who: Person, from: number) =>
  inbox.slice(from).filter((m) => who.email !== null && m.to.includes(who.email));

async function registerIncoming(subject: string, secret = false) {
  const res = await post(p.clerkA.cookie, '/api/documents/incoming', {
    registerId: secret ? regSecret : regIn,
    typeId: 'cong_van',
    issuerName: 'Bộ Tài chính',
    subject,
    ...(secret && { secrecy: 'confidential' }),
  });
  expect(res.statusCode).toBe(201);
  // The leaders are told it waits for them; settle so tests see only what follows.
  await settle();
  return res.json().documentId as string;
}

describe('workflow notifications', () => {
  it('assignment reaches the assignee, the leaders of an assigned department (or all its members when it has none), never the assigner; e-mails go to those with an address', async () => {
    const subject = 'Về việc rà soát đầu tư công năm 2027';
    const id = await registerIncoming(subject);
    await settle();
    const before = await snapshot();
    const mailFrom = inbox.length;
    const res = await post(p.leader.cookie, `/api/documents/${id}/assignments`, {
      instruction: 'Phòng Tổng hợp phối hợp',
      items: [
        { role: 'lead', officialId: p.staffA.id, deadline: '2027-03-05' },
        { role: 'support', departmentId: depA },
        { role: 'info', departmentId: depC },
      ],
    });
    expect(res.statusCode).toBe(201);
    await settle();
    const got = await newNotes(before);
    expect(who(got)).toEqual(['headA', 'staffA', 'staffC1', 'staffC2']);
    expect(got.staffA).toHaveLength(1);
    expect(got.staffA![0]).toMatchObject({
      kind: 'document_assigned',
      title: 'Văn bản giao chủ trì xử lý',
      link: `/van-ban/${id}`,
      readAt: null,
    });
    expect(got.staffA![0]!.body).toBe(
      `Trần Quốc Hưng giao văn bản “${subject}” cho đồng chí. Hạn xử lý: 05/03/2027.`,
    );
    expect(got.headA![0]).toMatchObject({ title: 'Văn bản giao phối hợp xử lý' });
    expect(got.headA![0]!.body).toContain('cho Phòng Tổng hợp');
    expect(got.staffC2![0]).toMatchObject({ title: 'Văn bản gửi để biết' });

    // One e-mail per notified person with an address (staffC2 has none).
    const sent = inbox.slice(mailFrom);
    expect(sent.flatMap((m) => m.to).sort()).toEqual(
      [p.headA.email, p.staffA.email, p.staffC1.email].sort() as string[],
    );
    const mail = parseMail(mailsTo(p.staffA, mailFrom)[0]!.raw);
    expect(mail.rawSubject).toMatch(/=\?UTF-8\?[BQ]\?/i); // encoded on the wire, not raw UTF-8
    expect(mail.subject).toBe(`[CongVu] Văn bản giao chủ trì xử lý: ${subject}`);
    expect(mail.to).toContain('Bùi Quang Vinh');
    expect(mail.contentType).toMatch(/text\/plain; charset=utf-8/i);
    expect(mail.text).toContain('Kính gửi đồng chí Bùi Quang Vinh,');
    expect(mail.text).toContain(got.staffA![0]!.body);
    expect(mail.text).toContain(`Xem chi tiết: ${PUBLIC_URL}/van-ban/${id}`);

    // Finishing and returning reach the assigner.
    const detail = (await get(p.staffA.cookie, `/api/documents/${id}`)).json();
    const mine = detail.assignments.find((x: { role: string }) => x.role === 'lead');
    const depAssignment = detail.assignments.find((x: { role: string }) => x.role === 'support');
    const before2 = await snapshot();
    const mailFrom2 = inbox.length;
    expect(
      (
        await post(p.staffA.cookie, `/api/documents/${id}/assignments/${mine.id}/finish`, {
          result: 'Đã rà soát, báo cáo kèm theo',
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (
        await post(p.headA.cookie, `/api/documents/${id}/assignments/${depAssignment.id}/return`, {
          reason: 'Không thuộc chức năng của phòng',
        })
      ).statusCode,
    ).toBe(200);
    await settle();
    const got2 = await newNotes(before2);
    expect(who(got2)).toEqual(['leader']);
    expect(got2.leader!.map((n) => n.title).sort()).toEqual([
      'Phân công bị trả lại',
      'Phân công đã hoàn thành',
    ]);
    expect(got2.leader!.find((n) => n.kind === 'assignment_returned')!.body).toBe(
      `Hoàng Minh Tuấn trả lại phân công xử lý văn bản “${subject}”: Không thuộc chức năng của phòng.`,
    );
    expect(mailsTo(p.leader, mailFrom2)).toHaveLength(2);
  });

  it('drafts: the reviewer whose turn it is, the drafter on return and approval; issuance: the clerks of the recipient agency', async () => {
    const subject = 'Về việc báo cáo tình hình thực hiện dự toán ngân sách quý III';
    const before = await snapshot();
    const mailFrom = inbox.length;
    const created = await post(p.drafter.cookie, '/api/documents/outgoing', {
      agencyId: a,
      typeId: 'cong_van',
      subject,
      draftingUnit: 'TH',
      recipients: [{ agencyId: b }, { name: 'Lưu: VT, TH' }],
      reviewerIds: [p.reviewer.id, p.leader.id],
      files: [
        {
          sha256: await uploadFile(t.app, p.drafter.cookie, 'bao-cao.pdf', await makePdf('Bao cao quy III')),
          name: 'bao-cao.pdf',
          role: 'main',
        },
      ],
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().documentId as string;
    await settle();
    let got = await newNotes(before);
    expect(who(got)).toEqual(['reviewer']);
    expect(got.reviewer![0]).toMatchObject({
      kind: 'draft_to_review',
      title: 'Dự thảo chờ đồng chí duyệt',
      body: `Vũ Thị Lan trình dự thảo “${subject}”.`,
      link: `/van-ban/${id}`,
    });

    // Step 1 approves: now the leader's turn.
    let snap = await snapshot();
    await post(p.reviewer.cookie, `/api/documents/${id}/review`, { decision: 'approved' });
    await settle();
    got = await newNotes(snap);
    expect(who(got)).toEqual(['leader']);
    expect(got.leader![0]!.body).toBe(`Phạm Văn Đức đã duyệt và chuyển dự thảo “${subject}” đến đồng chí.`);

    // The leader returns it: the drafter hears, with the comment.
    snap = await snapshot();
    await post(p.leader.cookie, `/api/documents/${id}/review`, {
      decision: 'returned',
      comment: 'Bổ sung số liệu quý III',
    });
    await settle();
    got = await newNotes(snap);
    expect(who(got)).toEqual(['drafter']);
    expect(got.drafter![0]).toMatchObject({
      kind: 'draft_returned',
      body: `Trần Quốc Hưng trả lại dự thảo “${subject}”: Bổ sung số liệu quý III.`,
    });

    // Resubmitted to the leader alone, approved: the leader, then the drafter.
    snap = await snapshot();
    await post(p.drafter.cookie, `/api/documents/${id}/submit`, { reviewerIds: [p.leader.id] });
    await settle();
    expect(who(await newNotes(snap))).toEqual(['leader']);
    snap = await snapshot();
    await post(p.leader.cookie, `/api/documents/${id}/review`, { decision: 'approved', signing });
    await settle();
    got = await newNotes(snap);
    expect(who(got)).toEqual(['drafter']);
    expect(got.drafter![0]).toMatchObject({ kind: 'draft_approved', title: 'Dự thảo đã được duyệt' });

    // Issued: both clerks of the recipient agency, not its leader, not the issuing clerk.
    snap = await snapshot();
    const mailFrom2 = inbox.length;
    const issued = await post(p.clerkA.cookie, `/api/documents/${id}/issue`, { registerId: regOut, signing });
    expect(issued.statusCode).toBe(200);
    const copyId = issued.json().deliveredTo[0].documentId as string;
    await settle();
    got = await newNotes(snap);
    expect(who(got)).toEqual(['clerkB1', 'clerkB2']);
    expect(got.clerkB1![0]).toMatchObject({
      kind: 'document_received',
      title: 'Văn bản đến chờ vào sổ',
      body: `Ủy ban nhân dân tỉnh Thử gửi văn bản “${subject}”, số 01/UBND-TH.`,
      link: `/van-ban/${copyId}`,
    });
    const mail = parseMail(mailsTo(p.clerkB1, mailFrom2)[0]!.raw);
    expect(mail.subject).toBe(`[CongVu] Văn bản đến chờ vào sổ: ${subject}`);
    expect(mail.text).toContain(`${PUBLIC_URL}/van-ban/${copyId}`);
    expect(mailsTo(p.clerkB2, mailFrom2)).toHaveLength(1);

    // Across the flow, one e-mail per notification (everyone here has an address): reviewer,
    // leader twice, drafter twice, two clerks.
    expect(inbox.length - mailFrom).toBe(7);
  });

  it('registering presents the document to the leaders of the agency; urgent ones say so', async () => {
    const snap = await snapshot();
    const res = await post(p.clerkA.cookie, '/api/documents/incoming', {
      registerId: regIn,
      typeId: 'cong_van',
      issuerName: 'Bộ Xây dựng',
      subject: 'Về việc ứng phó bão số 5',
      urgency: 'flash',
    });
    expect(res.statusCode).toBe(201);
    await settle();
    const got = await newNotes(snap);
    expect(who(got)).toEqual(['headA', 'leader']);
    expect(got.leader![0]).toMatchObject({
      kind: 'document_to_assign',
      title: 'Văn bản HỎA TỐC chờ phân công',
      link: `/van-ban/${res.json().documentId}`,
    });
    expect(got.leader![0]!.body).toContain('Về việc ứng phó bão số 5');
    expect(got.leader![0]!.body).toContain(`số đến ${res.json().number}`);
  });

  it('a parallel group: every member hears it is their turn', async () => {
    const snap = await snapshot();
    const res = await post(p.drafter.cookie, '/api/documents/outgoing', {
      agencyId: a,
      typeId: 'cong_van',
      subject: 'Về việc góp ý dự thảo quy chế',
      draftingUnit: 'TH',
      recipients: [{ agencyId: b }],
      steps: [{ parallel: [p.reviewer.id, p.staffA.id] }, { reviewerId: p.leader.id }],
    });
    expect(res.statusCode).toBe(201);
    await settle();
    const got = await newNotes(snap);
    expect(who(got)).toEqual(['reviewer', 'staffA']);
    expect(got.staffA![0]!.kind).toBe('draft_to_review');
  });

  it('a secret document: the subject stays out of notifications and e-mails', async () => {
    const subject = 'Phương án bảo vệ mục tiêu trọng điểm';
    const id = await registerIncoming(subject, true);
    const mailFrom = inbox.length;
    const snap = await snapshot();
    const res = await post(p.leader.cookie, `/api/documents/${id}/assignments`, {
      items: [{ role: 'lead', officialId: p.staffA.id }],
    });
    expect(res.statusCode).toBe(201);
    await settle();
    const got = await newNotes(snap);
    expect(who(got)).toEqual(['staffA']);
    expect(got.staffA![0]!.body).toBe('Trần Quốc Hưng giao một văn bản mật cho đồng chí.');
    const mail = parseMail(mailsTo(p.staffA, mailFrom)[0]!.raw);
    expect(mail.subject).toBe('[CongVu] Văn bản giao chủ trì xử lý');
    expect(mail.text).not.toContain('mục tiêu');
    for (const m of inbox.slice(mailFrom).map((x) => parseMail(x.raw)))
      expect(`${m.subject}\n${m.text}`).not.toContain('Phương án');
  });

  it('a redelivered event notifies once and mails once', async () => {
    const id = await registerIncoming('Về việc thử gửi lại sự kiện');
    const event = DocumentEvent.parse({
      kind: 'assigned',
      documentId: id,
      subject: 'Về việc thử gửi lại sự kiện',
      secret: false,
      actorId: p.leader.id,
      assignments: [
        {
          id: '01900000-0000-7000-8000-000000000001',
          role: 'info',
          officialId: p.reviewer.id,
          departmentId: null,
          deadline: null,
        },
      ],
    });
    const mailFrom = inbox.length;
    const snap = await snapshot();
    // Publishing the same transition twice enqueues it once.
    expect(await t.db.transaction().execute((trx) => publishDocumentEvent(trx, event))).toBe(true);
    expect(await t.db.transaction().execute((trx) => publishDocumentEvent(trx, event))).toBe(false);
    await settle();
    // The handler run again for the same outbox row (a crash after its work) adds nothing.
    for (let i = 0; i < 2; i++)
      await t.db.transaction().execute((trx) =>
        t.services.notifications.onDocumentEvent(event, {
          trx,
          id: '01900000-0000-7000-8000-0000000000ff',
          dedupeKey: 'documents:assigned:01900000-0000-7000-8000-000000000001',
          attempts: 1,
          log: { info() {}, warn() {}, error() {} },
        }),
      );
    await settle();
    const got = await newNotes(snap);
    expect(who(got)).toEqual(['reviewer']);
    expect(got.reviewer).toHaveLength(1);
    expect(mailsTo(p.reviewer, mailFrom)).toHaveLength(1);
  });
});

describe('notification routes', () => {
  it('list (unread filter, pages), count, mark one and all read — own notifications only', async () => {
    const me = p.staffA;
    const all = await notes(me);
    expect(all.length).toBeGreaterThanOrEqual(2);
    const count = (await get(me.cookie, '/api/notifications/count')).json();
    expect(count).toEqual({ unread: all.filter((n) => !n.readAt).length });
    const page1 = (await get(me.cookie, '/api/notifications?pageSize=1&page=1')).json();
    const page2 = (await get(me.cookie, '/api/notifications?pageSize=1&page=2')).json();
    expect(page1.total).toBe(all.length);
    expect(page1.items[0].id).toBe(all[0]!.id); // newest first
    expect(page2.items[0].id).toBe(all[1]!.id);

    const first = all[0]!;
    expect((await post(me.cookie, `/api/notifications/${first.id}/read`)).statusCode).toBe(204);
    expect((await post(me.cookie, `/api/notifications/${first.id}/read`)).statusCode).toBe(204); // idempotent
    expect((await get(me.cookie, '/api/notifications/count')).json().unread).toBe(count.unread - 1);
    const read = (await get(me.cookie, '/api/notifications?unread=false')).json();
    expect(read.items.map((n: Item) => n.id)).toEqual([first.id]);
    const unread = (await get(me.cookie, '/api/notifications?unread=true')).json();
    expect(unread.total).toBe(count.unread - 1);
    expect(unread.unread).toBe(count.unread - 1);

    // Someone else's notification: not found (its existence does not leak), and it stays unread.
    const theirs = (await notes(p.headA)).find((n) => !n.readAt)!;
    const denied = await post(me.cookie, `/api/notifications/${theirs.id}/read`);
    expect(denied.statusCode).toBe(404);
    expect(denied.json()).toMatchObject({
      code: 'NOTIFICATION_NOT_FOUND',
      message: 'Không tìm thấy thông báo',
    });
    expect((await notes(p.headA)).find((n) => n.id === theirs.id)!.readAt).toBeNull();
    // Their list never shows up in mine.
    const mineIds = new Set((await notes(me)).map((n) => n.id));
    expect((await notes(p.headA)).some((n) => mineIds.has(n.id))).toBe(false);

    // Read all: mine only.
    const headUnread = (await get(p.headA.cookie, '/api/notifications/count')).json().unread;
    const all2 = await post(me.cookie, '/api/notifications/read-all');
    expect(all2.json()).toEqual({ updated: count.unread - 1 });
    expect((await get(me.cookie, '/api/notifications/count')).json()).toEqual({ unread: 0 });
    expect((await get(p.headA.cookie, '/api/notifications/count')).json().unread).toBe(headUnread);
  });

  it('an API token has no inbox', async () => {
    const issued = await t.ctx.auth.createToken(
      {
        officialId: null,
        fullName: 'x',
        roles: [],
        permissions: new Set(),
        actingFor: null,
        sessionId: null,
        tokenId: null,
      },
      { name: 'Hệ thống thử', permissions: ['documents.read'] },
      { ip: null, userAgent: null },
    );
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/notifications/count',
      headers: { authorization: `Bearer ${issued.secret}` },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('FORBIDDEN');
  });
});
