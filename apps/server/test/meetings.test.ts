import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupApp, type TestApp } from './helpers.ts';
import { type MailSink, startMailSink } from './support/mail-sink.ts';
import { makePdf, uploadFile } from './support/pdf.ts';
import { type Client, connectLive } from './support/ws-client.ts';

let t: TestApp;
type Person = { official: { id: string; fullName: string }; cookie: string };
let secretary: Person;
let outsider: Person;
let otherManager: Person;
let chair: Person;
const delegates: Person[] = [];
let A: { id: string };
let bodyId: string;
let meetingId: string;
const memberOf = new Map<string, string>();

const call = (p: Person | null, method: 'GET' | 'POST', url: string, payload?: object) =>
  t.app.inject({ method, url, headers: p ? { cookie: p.cookie } : {}, ...(payload && { payload }) });

let sink: MailSink;
const emailOf = (p: Person) => `${p.official.id.slice(-12)}@hdnd-thu.vn`;

beforeAll(async () => {
  sink = await startMailSink();
  t = await setupApp({ SMTP_URL: sink.smtpUrl, CONGVU_OUTBOX_POLL_MS: '50' });
  A = await t.f.agency({ name: 'HĐND xã Thử Nghiệm', kind: 'commune_committee' });
  const B = await t.f.agency({ name: 'Cơ quan khác' });
  secretary = await t.f.session(['clerk'], A.id);
  otherManager = await t.f.session(['clerk'], B.id);
  outsider = await t.f.session([]);
  chair = await t.f.session([]);
  for (let i = 0; i < 6; i++) delegates.push(await t.f.session([]));

  const body = await call(secretary, 'POST', '/api/meetings/bodies', {
    agencyId: A.id,
    kind: 'council',
    name: 'Hội đồng nhân dân xã Thử Nghiệm khóa I',
    quorumRule: 'majority_of_all',
  });
  expect(body.statusCode).toBe(201);
  bodyId = body.json().id;
  const add = async (p: Person, role: string) => {
    const r = await call(secretary, 'POST', `/api/meetings/bodies/${bodyId}/members`, {
      officialId: p.official.id,
      email: emailOf(p),
      role,
      validFrom: '2026-01-01',
    });
    expect(r.statusCode).toBe(201);
    memberOf.set(p.official.id, r.json().id);
    return r.json();
  };
  expect((await add(chair, 'chair')).voting).toBe(true);
  for (const d of delegates) await add(d, 'delegate');
  expect((await add(secretary, 'secretary')).voting).toBe(false);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  liveUrl = `ws://127.0.0.1:${(t.app.server.address() as AddressInfo).port}/api/live`;
});
afterAll(async () => {
  for (const c of live) c.ws.terminate();
  await t?.close();
  await sink?.close();
});

const live: Client[] = [];
let liveUrl: string;
/** Reads a client's messages until one matches (the poll's votes come before its close). */
async function until(c: Client, pred: (m: Record<string, unknown>) => boolean) {
  for (;;) {
    const m = await c.next();
    if (pred(m)) return m;
  }
}

describe('meetings: a council session with attendance and polls', () => {
  it('creates a meeting with an agenda tree and invites every member on its day', async () => {
    const r = await call(secretary, 'POST', '/api/meetings', {
      bodyId,
      kind: 'session',
      title: 'Kỳ họp thứ 5',
      place: 'Hội trường UBND xã',
      startsAt: '2026-12-10T08:00:00+07:00',
      endsAt: '2026-12-10T11:30:00+07:00',
      agenda: [
        { title: 'Khai mạc', plannedMinutes: 10 },
        {
          title: 'Thảo luận các tờ trình',
          items: [{ title: 'Tờ trình dự toán ngân sách 2027', rapporteur: 'Trưởng ban Kinh tế - Xã hội' }],
        },
      ],
    });
    expect(r.statusCode).toBe(201);
    meetingId = r.json().id;
    expect(r.json().status).toBe('draft');
    expect(r.json().agenda.map((i: { number: string }) => i.number)).toEqual(['1', '2']);
    expect(r.json().agenda[1].items[0]).toMatchObject({
      number: '2.1',
      rapporteur: 'Trưởng ban Kinh tế - Xã hội',
    });

    const inv = await call(secretary, 'POST', `/api/meetings/${meetingId}/invite`);
    expect(inv.json()).toEqual({ invited: 8 });
    // Again: nobody is invited twice.
    expect((await call(secretary, 'POST', `/api/meetings/${meetingId}/invite`)).json()).toEqual({
      invited: 0,
    });
    // Each member gets the invitation (giấy mời) by e-mail, with its calendar entry.
    const mail = await sink.textTo(emailOf(delegates[0]!));
    expect(mail).toContain(`Kính gửi: ${delegates[0]!.official.fullName}`);
    expect(mail).toContain('Thời gian: 08:00 ngày 10/12/2026 đến 11:30 ngày 10/12/2026.');
    expect(mail).toContain('2.1. Tờ trình dự toán ngân sách 2027 (Trưởng ban Kinh tế - Xã hội)');
    expect(mail).toContain('BEGIN:VCALENDAR');
    expect(mail).toContain('METHOD:REQUEST');
    expect(mail).toContain('DTSTART:20261210T010000Z');
    expect(sink.inbox.find((m) => m.to.includes(emailOf(chair)))?.subject).toBe('Giấy mời họp: Kỳ họp thứ 5');
    const seen = await call(delegates[0]!, 'GET', `/api/meetings/${meetingId}`);
    expect(seen.json()).toMatchObject({ status: 'invited', me: { role: 'delegate', voting: true } });
  });

  it('delegates answer; absent needs a reason; check-in moves the quorum', async () => {
    const noReason = await call(delegates[4]!, 'POST', `/api/meetings/${meetingId}/response`, {
      response: 'absent',
    });
    expect(noReason.statusCode).toBe(400);
    const absent = await call(delegates[4]!, 'POST', `/api/meetings/${meetingId}/response`, {
      response: 'absent',
      reason: 'Đi công tác',
    });
    expect(absent.statusCode).toBe(200);
    await call(delegates[5]!, 'POST', `/api/meetings/${meetingId}/response`, {
      response: 'delegated',
      delegatedTo: 'Phó Trưởng ban',
    });
    for (const p of [chair, ...delegates.slice(0, 2)])
      expect(
        (await call(p, 'POST', `/api/meetings/${meetingId}/response`, { response: 'attend' })).statusCode,
      ).toBe(200);
    // Three present of seven: "more than half of all" needs four.
    for (const p of [chair, delegates[0]!, delegates[1]!])
      expect((await call(p, 'POST', `/api/meetings/${meetingId}/check-in`, {})).statusCode).toBe(200);
    const att = await call(secretary, 'GET', `/api/meetings/${meetingId}/attendance`);
    expect(att.json().quorum).toMatchObject({ electorate: 7, present: 3, required: 4, reached: false });
    const row = att
      .json()
      .items.find((x: { memberId: string }) => x.memberId === memberOf.get(delegates[4]!.official.id));
    expect(row).toMatchObject({ response: 'absent', reason: 'Đi công tác', checkedInAt: null });

    expect((await call(chair, 'POST', `/api/meetings/${meetingId}/open`)).json().status).toBe('open');
    const early = await call(chair, 'POST', `/api/meetings/${meetingId}/polls`, {
      title: 'Thông qua chương trình kỳ họp',
      kind: 'open',
      rule: 'majority_of_all',
    });
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('MEETING_NO_QUORUM');

    // The secretariat checks two more in (one self check-in already counted).
    for (const d of delegates.slice(2, 4)) {
      const r = await call(secretary, 'POST', `/api/meetings/${meetingId}/check-in`, {
        memberId: memberOf.get(d.official.id),
      });
      expect(r.statusCode).toBe(200);
    }
    const after = (await call(chair, 'GET', `/api/meetings/${meetingId}/attendance`)).json();
    expect(after.quorum).toMatchObject({ present: 5, reached: true });
    const bySecretariat = after.items.find(
      (x: { memberId: string }) => x.memberId === memberOf.get(delegates[2]!.official.id),
    );
    expect(bySecretariat.checkedInBySelf).toBe(false);
  });

  it('documents: versions, "new" for every delegate until opened, proof of delivery and opening', async () => {
    const agenda = (await call(secretary, 'GET', `/api/meetings/${meetingId}`)).json().agenda;
    const sha1 = await uploadFile(
      t.app,
      secretary.cookie,
      'du-thao-v1.pdf',
      await makePdf('Dự thảo nghị quyết, bản 1'),
    );
    const add = await call(secretary, 'POST', `/api/meetings/${meetingId}/documents`, {
      itemId: agenda[1].items[0].id,
      kind: 'draft_resolution',
      title: 'Dự thảo Nghị quyết dự toán ngân sách 2027',
      sha256: sha1,
      filename: 'du-thao-v1.pdf',
    });
    expect(add.statusCode).toBe(201);
    const docId = add.json().id as string;
    const [d0, d1] = [delegates[0]!, delegates[1]!];
    const list = async (p: Person) =>
      (await call(p, 'GET', `/api/meetings/${meetingId}/documents`)).json().items;
    const first = (await list(d0))[0];
    // Added after the invitations: new for the delegate; listing it is its delivery.
    expect(first).toMatchObject({ version: 1, isNew: true, openedAt: null, mime: 'application/pdf' });
    expect(first.deliveredAt).not.toBeNull();
    const file = await call(d0, 'GET', `/api/meetings/documents/${docId}/file`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect((await list(d0))[0]).toMatchObject({ isNew: false, openedAt: expect.any(String) });

    // Replaced: version 2 is new again for every delegate.
    const sha2 = await uploadFile(
      t.app,
      secretary.cookie,
      'du-thao-v2.pdf',
      await makePdf('Dự thảo nghị quyết, bản 2'),
    );
    const v2 = await call(secretary, 'POST', `/api/meetings/documents/${docId}/versions`, {
      sha256: sha2,
      filename: 'du-thao-v2.pdf',
    });
    expect(v2.json()).toEqual({ id: docId, version: 2 });
    expect((await list(d0))[0]).toMatchObject({ version: 2, isNew: true, openedAt: null });
    expect((await list(d1))[0]).toMatchObject({ version: 2, isNew: true });

    // Only the secretariat adds, with its own uploads; strangers see nothing.
    expect(
      (
        await call(d0, 'POST', `/api/meetings/documents/${docId}/versions`, {
          sha256: sha2,
          filename: 'x.pdf',
        })
      ).statusCode,
    ).toBe(403);
    const foreign = await uploadFile(
      t.app,
      otherManager.cookie,
      'la.pdf',
      await makePdf('Tệp của người khác'),
    );
    const notOwn = await call(secretary, 'POST', `/api/meetings/documents/${docId}/versions`, {
      sha256: foreign,
      filename: 'la.pdf',
    });
    expect(notOwn.json().code).toBe('FILE_NOT_FOUND');
    expect((await call(outsider, 'GET', `/api/meetings/documents/${docId}/file`)).statusCode).toBe(404);
    expect((await call(d0, 'GET', `/api/meetings/${meetingId}/deliveries`)).statusCode).toBe(403);

    const proof = (await call(secretary, 'GET', `/api/meetings/${meetingId}/deliveries`)).json().items;
    const rowOf = (p: Person, v: number) =>
      proof.find(
        (r: { memberId: string; version: number }) =>
          r.memberId === memberOf.get(p.official.id) && r.version === v,
      );
    expect(rowOf(d0, 1).openedAt).not.toBeNull();
    expect(rowOf(d0, 2)).toMatchObject({ openedAt: null, deliveredAt: expect.any(String) });
    expect(rowOf(d1, 2)).toBeDefined();
    expect(rowOf(d1, 1)).toBeUndefined();
    const csv = await call(secretary, 'GET', `/api/meetings/${meetingId}/deliveries?format=csv`);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('"Đại biểu","Tài liệu","Phiên bản","Đã gửi đến","Mở lần đầu"');
    expect(lines).toHaveLength(proof.length + 1);
    expect(lines[1]).toMatch(/"\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}"/);
  });

  it('live: members and the secretariat follow the meeting; others are refused', async () => {
    const topic = `meeting:${meetingId}`;
    for (const p of [delegates[0]!, secretary]) {
      const c = await connectLive(liveUrl, p.cookie);
      live.push(c);
      expect(await c.subscribe(topic)).toMatchObject({ type: 'subscribed', topic });
    }
    const stranger = await connectLive(liveUrl, outsider.cookie);
    live.push(stranger);
    expect(await stranger.subscribe(topic)).toMatchObject({ type: 'error', code: 'FORBIDDEN' });
    expect(await stranger.subscribe('meeting:not-a-uuid')).toMatchObject({
      type: 'error',
      code: 'FORBIDDEN',
    });

    // A notice from the chair reaches every follower; a delegate cannot send one.
    const text = 'Đề nghị các đại biểu về chỗ ngồi, 5 phút nữa tiếp tục phiên họp.';
    const sent = await call(chair, 'POST', `/api/meetings/${meetingId}/notices`, { text });
    expect(sent.statusCode).toBe(201);
    for (const c of live.slice(0, 2))
      expect(await until(c, (m) => (m.data as { type?: string })?.type === 'notice')).toMatchObject({
        topic,
        data: { noticeId: sent.json().id, text },
      });
    expect(
      (await call(delegates[0]!, 'POST', `/api/meetings/${meetingId}/notices`, { text: 'x' })).statusCode,
    ).toBe(403);
    expect((await call(outsider, 'GET', `/api/meetings/${meetingId}/notices`)).statusCode).toBe(404);
    const list = await call(delegates[0]!, 'GET', `/api/meetings/${meetingId}/notices`);
    expect(list.json().items.map((n: { text: string }) => n.text)).toEqual([text]);
  });

  it('a secret poll under "more than half of all delegates": 3 yes of 5 present fails, 4 passes; nobody votes twice', async () => {
    const vote = (p: Person, pollId: string, option: number) =>
      call(p, 'POST', `/api/meetings/polls/${pollId}/vote`, { option });
    const open = async (title: string) => {
      const r = await call(chair, 'POST', `/api/meetings/${meetingId}/polls`, {
        title,
        kind: 'secret',
        rule: 'majority_of_all',
      });
      expect(r.statusCode).toBe(201);
      expect(r.json()).toMatchObject({
        electorate: 7,
        present: 5,
        options: ['Tán thành', 'Không tán thành', 'Không biểu quyết'],
      });
      return r.json().id as string;
    };
    const p1 = await open('Nghị quyết dự toán ngân sách 2027');
    for (const [p, o] of [
      [chair, 0],
      [delegates[0]!, 0],
      [delegates[1]!, 0],
      [delegates[2]!, 1],
      [delegates[3]!, 2],
    ] as const)
      expect((await vote(p, p1, o)).statusCode).toBe(200);
    const twice = await vote(delegates[0]!, p1, 1);
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('POLL_ALREADY_VOTED');
    // Not checked in, or not a voting member: refused.
    expect((await vote(delegates[4]!, p1, 0)).json().code).toBe('POLL_NOT_ELIGIBLE');
    expect((await vote(secretary, p1, 0)).json().code).toBe('POLL_NOT_ELIGIBLE');
    expect((await vote(outsider, p1, 0)).statusCode).toBe(404);
    // Only the presiding members or the secretariat close it.
    expect((await call(delegates[0]!, 'POST', `/api/meetings/polls/${p1}/close`)).statusCode).toBe(403);
    const closed = await call(chair, 'POST', `/api/meetings/polls/${p1}/close`);
    // Every follower sees the poll open and its result, live.
    for (const c of live.slice(0, 2)) {
      expect(await until(c, (m) => (m.data as { type?: string })?.type === 'poll.opened')).toMatchObject({
        data: { pollId: p1 },
      });
      expect(await until(c, (m) => (m.data as { type?: string })?.type === 'poll.closed')).toMatchObject({
        data: { pollId: p1, counts: [3, 1, 1], outcome: 'failed' },
      });
    }
    expect(closed.json()).toMatchObject({
      status: 'closed',
      voted: 5,
      counts: [3, 1, 1],
      outcome: 'failed',
      choices: null,
    });
    expect((await vote(delegates[0]!, p1, 0)).json().code).toBe('POLL_CLOSED');

    const p2 = await open('Nghị quyết dự toán ngân sách 2027 (biểu quyết lại)');
    for (const p of [chair, delegates[0]!, delegates[1]!, delegates[2]!]) await vote(p, p2, 0);
    await vote(delegates[3]!, p2, 1);
    const passed = (await call(secretary, 'POST', `/api/meetings/polls/${p2}/close`)).json();
    expect(passed).toMatchObject({ counts: [4, 1, 0], outcome: 'passed' });

    // What remains of both secret polls: who voted, and counts; no row ties a member to a choice.
    const voters = [chair, ...delegates.slice(0, 4)].map((p) => memberOf.get(p.official.id)!);
    const officials = [chair, ...delegates.slice(0, 4)].map((p) => p.official.id);
    const { rows: tables } = await sql<{ table_name: string }>`
      SELECT table_name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`.execute(t.db);
    for (const poll of [p1, p2]) {
      for (const { table_name } of tables) {
        const { rows } = await sql<{ r: string }>`
          SELECT row_to_json(x)::text AS r FROM ${sql.table(table_name)} x
          WHERE row_to_json(x)::text LIKE ${`%${poll}%`}`.execute(t.db);
        for (const { r } of rows) {
          const names = [...voters, ...officials].filter((id) => r.includes(id));
          // A row may name the poll and a voter (who voted), or the poll and a choice (the counts),
          // never both.
          if (names.length) expect(r, `${table_name}: ${r}`).not.toMatch(/"option"/);
        }
      }
      const box = await sql<{
        n: string;
      }>`SELECT count(*) AS n FROM meeting_poll_box WHERE poll_id = ${poll}`.execute(t.db);
      expect(Number(box.rows[0]!.n)).toBe(0);
      const choices = await sql<{
        n: string;
      }>`SELECT count(*) AS n FROM meeting_poll_choices WHERE poll_id = ${poll}`.execute(t.db);
      expect(Number(choices.rows[0]!.n)).toBe(0);
    }
  });

  it('the current agenda item: set by the chair, the previous one done, followed live', async () => {
    const agenda = (await call(delegates[0]!, 'GET', `/api/meetings/${meetingId}`)).json().agenda;
    const [first, second] = [agenda[0].id as string, agenda[1].items[0].id as string];
    const move = (p: Person, itemId: string) =>
      call(p, 'POST', `/api/meetings/${meetingId}/current-item`, { itemId });
    expect((await move(delegates[0]!, first)).statusCode).toBe(403);
    expect((await move(chair, first)).json().currentItemId).toBe(first);
    const after = (await move(chair, second)).json();
    expect(after.currentItemId).toBe(second);
    expect(after.agenda[0].status).toBe('done');
    expect(after.agenda[1].items[0].status).toBe('current');
    expect(
      await until(live[0]!, (m) => (m.data as { type?: string; itemId?: string })?.itemId === second),
    ).toMatchObject({ data: { type: 'item', previousItemId: first } });
  });

  it('speakers: a point of order goes first; the chair reorders, starts and stops; timers go live', async () => {
    const ask = (p: Person, kind: string) => call(p, 'POST', `/api/meetings/${meetingId}/speakers`, { kind });
    const [d1, d2, d3] = [delegates[1]!, delegates[2]!, delegates[3]!];
    expect((await ask(d1, 'speech')).statusCode).toBe(201);
    expect((await ask(d2, 'speech')).statusCode).toBe(201);
    const third = await ask(d3, 'point_of_order');
    const names = (items: Array<{ fullName: string; status: string }>) =>
      items.filter((x) => x.status === 'waiting').map((x) => x.fullName);
    expect(names(third.json().items)).toEqual([
      d3.official.fullName,
      d1.official.fullName,
      d2.official.fullName,
    ]);
    const again = await ask(d1, 'speech');
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('SPEAKER_ALREADY_WAITING');
    const idOf = (items: Array<{ id: string; memberId: string }>, p: Person) =>
      items.find((x) => x.memberId === memberOf.get(p.official.id))!.id;
    const list = third.json().items;
    // A delegate does not run the list.
    expect(
      (await call(delegates[0]!, 'POST', `/api/meetings/speakers/${idOf(list, d1)}/start`)).statusCode,
    ).toBe(403);
    const reordered = await call(chair, 'POST', `/api/meetings/${meetingId}/speakers/order`, {
      ids: [idOf(list, d2), idOf(list, d1)],
    });
    expect(names(reordered.json().items)).toEqual([
      d3.official.fullName,
      d2.official.fullName,
      d1.official.fullName,
    ]);
    await call(chair, 'POST', `/api/meetings/speakers/${idOf(list, d3)}/start`);
    // Starting the next speaker ends the one speaking.
    const started = (await call(chair, 'POST', `/api/meetings/speakers/${idOf(list, d2)}/start`)).json()
      .items;
    expect(started[0]).toMatchObject({
      memberId: memberOf.get(d2.official.id),
      status: 'speaking',
      plannedSeconds: 300,
    });
    expect(
      started.find((x: { memberId: string }) => x.memberId === memberOf.get(d3.official.id)),
    ).toMatchObject({
      status: 'done',
      plannedSeconds: 120,
    });
    const seen = await until(live[0]!, (m) => {
      const d = m.data as { type?: string; items?: Array<{ status: string; memberId: string }> };
      return (
        d?.type === 'speakers' &&
        d.items?.[0]?.status === 'speaking' &&
        d.items[0].memberId === memberOf.get(d2.official.id)
      );
    });
    expect((seen.data as { items: Array<{ startedAt: string | null }> }).items[0]!.startedAt).not.toBeNull();
    // The member withdraws their own request; the chair stops the speaker, once.
    expect((await call(d1, 'POST', `/api/meetings/speakers/${idOf(list, d1)}/withdraw`)).statusCode).toBe(
      200,
    );
    expect((await call(chair, 'POST', `/api/meetings/speakers/${idOf(list, d2)}/stop`)).statusCode).toBe(200);
    const twice = await call(chair, 'POST', `/api/meetings/speakers/${idOf(list, d2)}/stop`);
    expect(twice.json().code).toBe('SPEAKER_STATE');
    const final = (await call(d1, 'GET', `/api/meetings/${meetingId}/speakers`)).json().items;
    expect(final.map((x: { status: string }) => x.status).sort()).toEqual(['done', 'done', 'withdrawn']);
    expect((await call(outsider, 'GET', `/api/meetings/${meetingId}/speakers`)).statusCode).toBe(404);
  });

  it('an open poll records who chose what; the audit has every step', async () => {
    const r = await call(chair, 'POST', `/api/meetings/${meetingId}/polls`, {
      title: 'Thông qua biên bản',
      kind: 'named',
      options: ['Đồng ý', 'Không đồng ý'],
      rule: 'majority_of_present',
    });
    const id = r.json().id as string;
    await call(chair, 'POST', `/api/meetings/polls/${id}/vote`, { option: 0 });
    await call(delegates[0]!, 'POST', `/api/meetings/polls/${id}/vote`, { option: 1 });
    expect(
      (await call(delegates[0]!, 'POST', `/api/meetings/polls/${id}/vote`, { option: 5 })).statusCode,
    ).toBe(422);
    const done = (await call(chair, 'POST', `/api/meetings/polls/${id}/close`)).json();
    expect(done).toMatchObject({ counts: [1, 1], outcome: 'failed' });
    expect(done.choices).toEqual(
      expect.arrayContaining([
        { memberId: memberOf.get(chair.official.id), fullName: chair.official.fullName, option: 0 },
        {
          memberId: memberOf.get(delegates[0]!.official.id),
          fullName: delegates[0]!.official.fullName,
          option: 1,
        },
      ]),
    );
    const { rows } = await sql<{ action: string }>`
      SELECT DISTINCT action FROM audit_log WHERE action LIKE 'meetings.%'`.execute(t.db);
    expect(rows.map((x) => x.action).sort()).toEqual([
      'meetings.attendance.checked_in',
      'meetings.attendance.responded',
      'meetings.body.created',
      'meetings.document.added',
      'meetings.document.replaced',
      'meetings.item.current',
      'meetings.meeting.created',
      'meetings.meeting.invited',
      'meetings.meeting.opened',
      'meetings.member.added',
      'meetings.notice.sent',
      'meetings.poll.closed',
      'meetings.poll.opened',
      'meetings.poll.voted',
      'meetings.speaker.reordered',
      'meetings.speaker.requested',
      'meetings.speaker.started',
      'meetings.speaker.stopped',
      'meetings.speaker.withdrawn',
    ]);
    const close = await call(chair, 'POST', `/api/meetings/${meetingId}/close`);
    expect(close.json().status).toBe('closed');
  });

  it('access: no session 401; not a member nor running the body 404; a delegate cannot run the body', async () => {
    expect((await call(null, 'GET', `/api/meetings/${meetingId}`)).statusCode).toBe(401);
    expect((await call(null, 'GET', '/api/meetings/rules')).statusCode).toBe(401);
    expect((await call(outsider, 'GET', `/api/meetings/${meetingId}`)).statusCode).toBe(404);
    expect((await call(otherManager, 'GET', `/api/meetings/${meetingId}`)).statusCode).toBe(404);
    expect((await call(otherManager, 'GET', `/api/meetings/bodies/${bodyId}/members`)).statusCode).toBe(403);
    expect((await call(delegates[0]!, 'POST', `/api/meetings/${meetingId}/invite`)).statusCode).toBe(403);
    expect((await call(delegates[0]!, 'GET', '/api/meetings/bodies')).statusCode).toBe(403);
    expect(
      (
        await call(otherManager, 'POST', '/api/meetings/bodies', {
          agencyId: A.id,
          kind: 'adhoc',
          name: 'Họp thử',
        })
      ).statusCode,
    ).toBe(403);
    // A delegate checks only themselves in.
    expect(
      (
        await call(delegates[0]!, 'POST', `/api/meetings/${meetingId}/check-in`, {
          memberId: memberOf.get(delegates[5]!.official.id),
        })
      ).statusCode,
    ).toBe(403);
    const mine = await call(delegates[0]!, 'GET', '/api/meetings');
    expect(mine.json().items.map((m: { id: string }) => m.id)).toContain(meetingId);
    const theirs = await call(outsider, 'GET', '/api/meetings');
    expect(theirs.json().items).toEqual([]);
    const rules = await call(outsider, 'GET', '/api/meetings/rules');
    expect(rules.json().items.find((r: { code: string }) => r.code === 'majority_of_all')).toMatchObject({
      label: 'Quá nửa tổng số đại biểu',
      base: 'all',
      strict: true,
    });
  });
});
