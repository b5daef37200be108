import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ProcedureInput, type Role } from '@congvu/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import type { OutboxLog } from '../src/platform/outbox/service.ts';
import type { AuthContext } from '../src/platform/policy.ts';
import {
  createSmsProvider,
  httpSmsProvider,
  loggingSmsProvider,
  maskPhone,
  smsHandler,
} from '../src/platform/sms/service.ts';
import { setupApp, type TestApp } from './helpers.ts';
import { type MailSink, startMailSink } from './support/mail-sink.ts';

/**
 * Citizen notifications (issue 7): dossier events become a row of the notification centre, an
 * e-mail through a real SMTP server on loopback and an SMS through the HTTP provider against a
 * local HTTP server standing for a brandname-SMS API.
 */
let t: TestApp;
let sink: MailSink;
let smsServer: Server;
const sent: { auth: string | undefined; body: { to: string; message: string; requestId: string } }[] = [];
/** What the SMS test server answers (status). */
let smsStatus = 200;
const PUBLIC_URL = 'https://dichvucong.sonlam.example.vn';
const SMS_TOKEN = 'sms-token-thu-nghiem';
const PASSWORD = 'MatKhau-CongDan-2026';
let proc: { id: string; caseId: string };
let counter: { auth: AuthContext; ip: null };

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });

const actor = (roles: Role[], agencyId: string | null) => t.f.actor(roles, agencyId);

beforeAll(async () => {
  sink = await startMailSink();
  smsServer = createServer(async (req, res) => {
    const body = JSON.parse(await readBody(req));
    if (smsStatus === 200) sent.push({ auth: req.headers.authorization, body });
    res.writeHead(smsStatus, { 'content-type': 'application/json' });
    res.end(JSON.stringify(smsStatus === 200 ? { code: '00' } : { code: 'ERR' }));
  });
  await new Promise<void>((resolve) => smsServer.listen(0, '127.0.0.1', resolve));
  t = await setupApp({
    SMTP_URL: sink.smtpUrl,
    CONGVU_PUBLIC_URL: PUBLIC_URL,
    CONGVU_OUTBOX_POLL_MS: '50',
    CONGVU_SMS_URL: `http://127.0.0.1:${(smsServer.address() as AddressInfo).port}/sms/send`,
    CONGVU_SMS_TOKEN: SMS_TOKEN,
  });
  const A = await t.f.agency({ name: 'UBND xã Thông Báo', kind: 'commune_committee' });
  const admin = await actor(['admin'], null);
  const p = t.services.procedures;
  await p.createSector(admin, { code: 'HT', name: 'Hộ tịch' });
  const workflow = [
    {
      name: 'Tiếp nhận',
      kind: 'receive' as const,
      agencyId: null,
      departmentId: null,
      role: 'counter' as const,
      durationHours: 4,
    },
    {
      name: 'Trả kết quả',
      kind: 'return' as const,
      agencyId: null,
      departmentId: null,
      role: 'counter' as const,
      durationHours: 4,
    },
  ];
  await p.create(
    admin,
    ProcedureInput.parse({
      code: '1.001193',
      name: 'Đăng ký khai sinh',
      sectorCode: 'HT',
      authorityLevel: 'commune',
      onlineLevel: 'full',
      agencyIds: [A.id],
      published: true,
      validFrom: '2025-01-01',
      validTo: null,
      cases: [
        {
          name: 'Đăng ký khai sinh đúng hạn',
          channels: [
            { channel: 1, durationValue: 1, durationUnit: 'working_days', fees: [] },
            { channel: 2, durationValue: 2, durationUnit: 'working_days', fees: [] },
          ],
          workflow,
        },
      ],
    }),
  );
  const listed = (
    await p.list({
      code: '1.001193',
      published: true,
      allVersions: undefined,
      sort: 'name',
      page: 1,
      pageSize: 1,
    })
  ).items[0]!;
  proc = { id: listed.id, caseId: (await p.get(listed.id)).cases[0]!.id };
  counter = await actor(['counter'], A.id);
});
afterAll(async () => {
  await t?.close();
  await sink.close();
  await new Promise<void>((resolve) => smsServer.close(() => resolve()));
});

async function until<T>(what: string, f: () => T | undefined | Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await f();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`never: ${what}`);
}

/** The outbox has nothing pending of these keys (the dispatcher is done with them). */
const settled = (keys: string[]) =>
  until('outbox settled', async () => {
    const pending = await t.db
      .selectFrom('outbox')
      .select('id')
      .where('dedupe_key', 'in', keys)
      .where('status', '=', 'pending')
      .execute();
    return pending.length === 0 ? true : undefined;
  });

let seq = 0;
async function citizen() {
  seq++;
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/citizen/sign-up',
    payload: {
      email: `nhan${seq}@example.vn`,
      phone: `09120000${String(seq).padStart(2, '0')}`,
      password: PASSWORD,
      fullName: `Vì Thị Nhận ${seq}`,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  const c = res.cookies.find((x) => x.name === 'congvu_citizen')!;
  return {
    id: res.json().id as string,
    email: res.json().email,
    phone: res.json().phone,
    cookie: `congvu_citizen=${c.value}`,
  };
}

/** An online dossier (channel 2: submitted, waiting for acceptance). */
async function submitted(applicant: { email?: string; phone?: string } = {}) {
  const d = await t.services.dossiers.receive(counter, {
    procedureId: proc.id,
    caseId: proc.caseId,
    channel: 2,
    applicant: { kind: 1, name: 'Lò Văn Nộp', idNo: '001090012345', ...applicant },
    sets: 1,
    components: [],
    paidFees: [],
  } as never);
  return d as { id: string; code: string; lookupSecret: string };
}

/**
 * The submission helper of the portal is being built by another helper: until then a dossier is
 * given to a citizen account with a direct UPDATE of dossiers.citizen_id (0028).
 */
async function own(dossierId: string, citizenId: string) {
  // The "submitted" event is handled first, so that only the later events see the account.
  const ev = await eventOf(dossierId, 'submitted');
  await until('submitted noted', async () => (await notesOf(ev))[0]);
  await t.db.updateTable('dossiers').set({ citizen_id: citizenId }).where('id', '=', dossierId).execute();
}

async function eventOf(dossierId: string, kind: string) {
  return until(`event ${kind}`, () =>
    t.db
      .selectFrom('dossier_events')
      .select('id')
      .where('dossier_id', '=', dossierId)
      .where('kind', '=', kind)
      .executeTakeFirst()
      .then((r) => r?.id),
  );
}
const notesOf = (eventId: string) =>
  t.db.selectFrom('citizen_notifications').selectAll().where('event_id', '=', eventId).execute();
const outboxOf = (eventId: string) =>
  t.db
    .selectFrom('outbox')
    .select(['topic', 'dedupe_key', 'status'])
    .where('dedupe_key', 'like', `citizen.notice.%:${eventId}`)
    .execute();

describe('dossier events → notification, e-mail, SMS', () => {
  it('a dossier without account: the applicant is told on the dossier contacts, with the lookup link', async () => {
    const d = await submitted({ email: 'nguoinop@example.vn', phone: '0987654321' });
    const ev = await eventOf(d.id, 'submitted');
    const note = await until('notification', async () => (await notesOf(ev))[0]);
    expect(note.citizen_id).toBeNull();
    expect(note.link).toBe(`${PUBLIC_URL}/cong-dich-vu/tra-cuu?ma=${d.code}&k=${d.lookupSecret}`);
    const mail = await until('mail', () => sink.inbox.find((m) => m.to.includes('nguoinop@example.vn')));
    const text = mail.text;
    expect(text).toContain(d.code);
    expect(text).toContain('Đăng ký khai sinh');
    const sms = await until('sms', () => sent.find((s) => s.body.to === '0987654321'));
    expect(sms.auth).toBe(`Bearer ${SMS_TOKEN}`);
    expect(sms.body.message).toContain(d.code);
  });

  it('an account dossier: one row, one e-mail to the account (code and link), one SMS; a retry adds nothing', async () => {
    const c = await citizen();
    const d = await submitted();
    await own(d.id, c.id);
    await t.services.dossiers.accept(counter, d.id, { components: [], paidFees: [] });
    const ev = await eventOf(d.id, 'received');
    await until('notification', async () => (await notesOf(ev))[0]);
    const mail = await until('mail', () => sink.inbox.find((m) => m.to.includes(c.email)));
    const text = mail.text;
    expect(text).toContain(d.code);
    expect(text).toContain(`${PUBLIC_URL}/cong-dich-vu/ho-so-cua-toi/${d.code}`);
    expect(text, text).toContain('Ngày hẹn trả kết quả');
    const sms = await until('sms', () => sent.find((s) => s.body.to === c.phone));
    expect(sms.body.message).toContain(`/cong-dich-vu/ho-so-cua-toi/${d.code}`);
    await settled([`citizen.notice.mail:${ev}`, `citizen.notice.sms:${ev}`]);

    // The same event again (an outbox redelivery): nothing more.
    const notice = await t.services.dossiers.eventNotice(t.db, ev);
    expect(await t.services.citizens.onDossierEvent(t.db, notice!)).toBe(false);
    expect(await notesOf(ev)).toHaveLength(1);
    expect((await outboxOf(ev)).map((o) => o.topic).sort()).toEqual(['mail.send', 'sms.send']);
    expect(sink.inbox.filter((m) => m.to.includes(c.email))).toHaveLength(1);
    expect(sent.filter((s) => s.body.to === c.phone)).toHaveLength(1);
  });

  it('at the counter the applicant is told once, of the reception (not of the submission too)', async () => {
    const d = (await t.services.dossiers.receive(counter, {
      procedureId: proc.id,
      caseId: proc.caseId,
      channel: 1,
      applicant: { kind: 1, name: 'Lò Văn Quầy', idNo: '001090012346', phone: '0977000111' },
      sets: 1,
      components: [],
      paidFees: [],
    } as never)) as { id: string; code: string };
    const received = await eventOf(d.id, 'received');
    await until('notification', async () => (await notesOf(received))[0]);
    const submittedEv = await eventOf(d.id, 'submitted');
    await settled([`dossiers.event:${submittedEv}`, `dossiers.event:${received}`]);
    expect(await notesOf(submittedEv)).toEqual([]);
    const sms = await until('sms', () => sent.find((s) => s.body.to === '0977000111'));
    expect(sms.body.message).toContain('tiep nhan');
    expect(sent.filter((s) => s.body.to === '0977000111')).toHaveLength(1);
  });

  it('preferences off: the centre has it, no e-mail and no SMS', async () => {
    const c = await citizen();
    const prefs = await t.app.inject({
      method: 'PUT',
      url: '/api/citizen/notification-preferences',
      headers: { cookie: c.cookie },
      payload: { email: false, sms: false },
    });
    expect(prefs.statusCode, prefs.body).toBe(200);
    expect(prefs.json()).toMatchObject({ notifyEmail: false, notifySms: false });
    const d = await submitted({ email: 'khac@example.vn', phone: '0911111111' });
    await own(d.id, c.id);
    await t.services.dossiers.refuse(counter, d.id, { reason: 'Thiếu giấy chứng sinh' });
    const ev = await eventOf(d.id, 'refused');
    const note = await until('notification', async () => (await notesOf(ev))[0]);
    expect(note.citizen_id).toBe(c.id);
    expect(note.body_vi).toContain('Thiếu giấy chứng sinh');
    expect(await outboxOf(ev)).toEqual([]);
  });
});

describe('the SMS provider', () => {
  const log: OutboxLog & { lines: unknown[] } = {
    lines: [],
    info(o, m) {
      this.lines.push([o, m]);
    },
    warn() {},
    error() {},
  };
  const ctx = { trx: undefined as never, id: 'row-1', dedupeKey: 'k', attempts: 0, log };
  const url = () => `http://127.0.0.1:${(smsServer.address() as AddressInfo).port}/sms/send`;

  it('a 4xx is final (skipped); a 5xx throws so the outbox retries', async () => {
    const handler = smsHandler(httpSmsProvider({ url: url(), token: SMS_TOKEN }));
    try {
      smsStatus = 400;
      expect(await handler({ to: '0900000001', text: 'x' }, ctx)).toMatchObject({
        skipped: expect.stringContaining('400'),
      });
      smsStatus = 503;
      await expect(handler({ to: '0900000001', text: 'x' }, ctx)).rejects.toThrow(/503/);
    } finally {
      smsStatus = 200;
    }
  });

  it('configuration: URL and token together, or the logging provider', () => {
    expect(() => loadConfig({ CONGVU_SMS_URL: 'https://sms.example.vn/send' })).toThrow(
      /CONGVU_SMS_URL and CONGVU_SMS_TOKEN go together/,
    );
    expect(createSmsProvider(loadConfig({}), log).name).toBe('log');
    const http = loadConfig({ CONGVU_SMS_URL: 'https://sms.example.vn/send', CONGVU_SMS_TOKEN: 'k' });
    expect(http.sms).toEqual({ url: 'https://sms.example.vn/send', token: 'k' });
    expect(createSmsProvider(http, log).name).toBe('http');
  });

  it('the logging provider sends nothing and masks the number but its last 3 digits', async () => {
    expect(maskPhone('0912345678')).toBe('*******678');
    await smsHandler(loggingSmsProvider(log))({ to: '0912345678', text: 'Xin chào' }, ctx);
    expect(JSON.stringify(log.lines)).toContain('*******678');
    expect(JSON.stringify(log.lines)).not.toContain('0912345678');
  });
});

/** A browser without JavaScript: a cookie jar, forms posted urlencoded with the page's CSRF token. */
class Browser {
  jar = new Map<string, string>();
  constructor(cookie?: string) {
    if (cookie) {
      const [k, v] = cookie.split('=') as [string, string];
      this.jar.set(k, v);
    }
  }
  get cookie() {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  keep(res: Awaited<ReturnType<TestApp['app']['inject']>>) {
    for (const c of res.cookies) if (c.value) this.jar.set(c.name, c.value);
    return res;
  }
  async get(url: string) {
    return this.keep(await t.app.inject({ method: 'GET', url, headers: { cookie: this.cookie } }));
  }
  post(url: string, fields: Record<string, string>) {
    return t.app.inject({
      method: 'POST',
      url,
      headers: {
        cookie: this.cookie,
        'content-type': 'application/x-www-form-urlencoded',
        origin: PUBLIC_URL,
      },
      payload: new URLSearchParams(fields).toString(),
    });
  }
}
const tokenOf = (body: string) => /name="_csrf" value="([^"]+)"/.exec(body)?.[1] ?? '';

describe('the notification centre', () => {
  async function withNotice() {
    const c = await citizen();
    const d = await submitted();
    await own(d.id, c.id);
    await t.services.dossiers.accept(counter, d.id, { components: [], paidFees: [] });
    const ev = await eventOf(d.id, 'received');
    const note = await until('notification', async () => (await notesOf(ev))[0]);
    return { c, d, note };
  }

  it('lists only the own notifications, unread marked and counted in the header; marks read (CSRF); another citizen 404', async () => {
    const one = await withNotice();
    const two = await withNotice();
    const b = new Browser(one.c.cookie);
    const page = await b.get('/cong-dich-vu/thong-bao');
    expect(page.statusCode, page.body).toBe(200);
    expect(page.body).not.toMatch(/<script/i);
    expect(page.body).toContain(`Đã tiếp nhận hồ sơ ${one.d.code}`);
    expect(page.body).toContain(`href="/cong-dich-vu/ho-so-cua-toi/${one.d.code}"`);
    expect(page.body).not.toContain(two.d.code);
    expect(page.body).toContain('Chưa đọc');
    expect(page.body).toContain('(1 chưa đọc)');

    // Without the token: refused, nothing changes.
    const forged = await b.post(`/cong-dich-vu/thong-bao/${one.note.id}/da-doc`, {});
    expect(forged.statusCode).toBe(403);
    // Another citizen's notification: not found.
    const other = await b.post(`/cong-dich-vu/thong-bao/${two.note.id}/da-doc`, {
      _csrf: tokenOf(page.body),
    });
    expect(other.statusCode).toBe(404);
    expect((await notesOf(two.note.event_id))[0]!.read_at).toBeNull();

    const done = await b.post(`/cong-dich-vu/thong-bao/${one.note.id}/da-doc`, { _csrf: tokenOf(page.body) });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/cong-dich-vu/thong-bao?da-doc=1');
    expect((await notesOf(one.note.event_id))[0]!.read_at).not.toBeNull();
    const after = await b.get('/cong-dich-vu/thong-bao?da-doc=1');
    expect(after.body).toContain('Đã đánh dấu thông báo là đã đọc.');
    expect(after.body).not.toContain('chưa đọc)');
  });

  it('"mark all read" on the page; signed out the page sends to sign in', async () => {
    const one = await withNotice();
    const b = new Browser(one.c.cookie);
    const page = await b.get('/cong-dich-vu/thong-bao');
    const res = await b.post('/cong-dich-vu/thong-bao/da-doc-het', { _csrf: tokenOf(page.body) });
    expect(res.statusCode).toBe(303);
    expect((await notesOf(one.note.event_id))[0]!.read_at).not.toBeNull();
    const out = await t.app.inject({ method: 'GET', url: '/cong-dich-vu/thong-bao' });
    expect(out.statusCode).toBe(303);
    expect(out.headers.location).toBe(
      `/cong-dich-vu/dang-nhap?tiep=${encodeURIComponent('/cong-dich-vu/thong-bao')}`,
    );
  });

  it('API: own list with the unread count, read one (another citizen 404), read all', async () => {
    const one = await withNotice();
    const two = await withNotice();
    const api = (method: 'GET' | 'POST', url: string, cookie: string) =>
      t.app.inject({ method, url, headers: { cookie } });
    const list = await api('GET', '/api/citizen/notifications', one.c.cookie);
    expect(list.statusCode).toBe(200);
    expect(list.json().unread).toBe(1);
    expect(list.json().items.map((i: { id: string }) => i.id)).toEqual([one.note.id]);
    const foreign = await api('POST', `/api/citizen/notifications/${two.note.id}/read`, one.c.cookie);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().code).toBe('CITIZEN_NOTIFICATION_NOT_FOUND');
    expect(
      (await api('POST', `/api/citizen/notifications/${one.note.id}/read`, one.c.cookie)).statusCode,
    ).toBe(204);
    expect((await api('GET', '/api/citizen/notifications', one.c.cookie)).json().unread).toBe(0);
    expect((await api('POST', '/api/citizen/notifications/read-all', two.c.cookie)).statusCode).toBe(204);
    expect((await api('GET', '/api/citizen/notifications', two.c.cookie)).json().unread).toBe(0);
    expect((await api('GET', '/api/citizen/notifications', '')).statusCode).toBe(401);
  });

  it('the profile page saves the e-mail/SMS preferences (checkboxes)', async () => {
    const c = await citizen();
    const b = new Browser(c.cookie);
    const page = await b.get('/cong-dich-vu/tai-khoan');
    expect(page.body).toContain('name="notifyEmail"');
    const res = await b.post('/cong-dich-vu/tai-khoan/thong-bao', {
      _csrf: tokenOf(page.body),
      notifyEmail: '1',
    });
    expect(res.statusCode, res.body).toBe(303);
    const me = await t.app.inject({ method: 'GET', url: '/api/citizen/me', headers: { cookie: c.cookie } });
    expect(me.json()).toMatchObject({ notifyEmail: true, notifySms: false });
  });
});
