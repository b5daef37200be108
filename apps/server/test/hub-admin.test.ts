import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildEdoc, parseDocumentId } from '@congvu/edxml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { signHubRequest } from '../src/modules/hub/client.ts';
import { connectHubDatabase, type HubDatabaseHandle } from '../src/modules/hub/database.ts';
import { buildHubApp } from '../src/modules/hub/server.ts';
import { emptyDatabase, setupApp, type TestApp } from './helpers.ts';

/*
 * The hub operator's API (/api/hub-admin) inside `serve` (a session with hub.manage), and in
 * `congvu hub` alone (HUB_ADMIN_TOKEN). Systems talk to the hub through signed /hub/v1 requests.
 */

let t: TestApp;
let admin: string;
let specialist: string;
let seq = 0;
/** A callback that always fails: its pushes end as dead letters. */
let failingCallback: http.Server;
let callbackCalls = 0;

type Sys = { id: string; secret: string };

function edoc(from: string, to: string[]) {
  const documentId = `${from},2026/11/23,${++seq}/ADMIN-${process.pid}`;
  const parts = parseDocumentId(documentId)!;
  return Buffer.from(
    buildEdoc(
      {
        header: {
          from: { organId: from, organName: 'Cơ quan gửi' },
          to: to.map((organId) => ({ organId })),
          documentId,
          code: { number: parts.number, notation: parts.notation },
          promulgation: { date: parts.date },
          documentType: { type: 1, typeName: 'Công văn' },
          subject: `Văn bản thử ${seq}`,
          responseFor: [],
        },
        traceHeaders: [],
        business: { documentId, docType: 0 },
        manifest: [],
      },
      [],
      { mode: 'lenient' },
    ),
  );
}

async function signed(
  sys: Sys,
  method: 'GET' | 'POST',
  url: string,
  body?: Buffer | string,
  type?: string,
  extra: Record<string, string> = {},
) {
  return t.app.inject({
    method,
    url,
    headers: {
      ...signHubRequest({ systemId: sys.id, secret: sys.secret, method, pathWithQuery: url, body }),
      ...(body !== undefined && { 'content-type': type ?? 'application/xml' }),
      ...extra,
    },
    ...(body !== undefined && { payload: body }),
  });
}
const send = async (sys: Sys, from: string, to: string[]) => {
  const r = await signed(sys, 'POST', '/hub/v1/messages', edoc(from, to), undefined, {
    'x-message-key': `admin-${++seq}`,
  });
  expect(r.statusCode, r.body).toBe(201);
  return r.json().id as string;
};
const ack = (sys: Sys, id: string, agency: string, status: 'done' | 'fail', reason?: string) =>
  signed(
    sys,
    'POST',
    `/hub/v1/messages/${id}/ack`,
    JSON.stringify({ agency, status, ...(reason && { reason }) }),
    'application/json',
  );

const as = (cookie: string) => ({
  get: (url: string) => t.app.inject({ method: 'GET', url, headers: { cookie } }),
  post: (url: string, payload: object = {}) =>
    t.app.inject({ method: 'POST', url, headers: { cookie }, payload }),
  patch: (url: string, payload: object) =>
    t.app.inject({ method: 'PATCH', url, headers: { cookie }, payload }),
});

async function waitFor<T>(what: string, f: () => Promise<T | undefined>, ms = 5000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 30));
  }
}

beforeAll(async () => {
  failingCallback = http.createServer((req, res) => {
    callbackCalls++;
    req.resume();
    res.writeHead(500).end('down');
  });
  await new Promise<void>((r) => failingCallback.listen(0, '127.0.0.1', r));
  t = await setupApp({}, { hub: { pushDelaysMs: [0, 20, 20] } });
  admin = (await t.f.session(['admin'])).cookie;
  specialist = (await t.f.session(['specialist'])).cookie;
});
afterAll(async () => {
  await t?.close();
  await new Promise((r) => failingCallback?.close(r));
});

describe('hub admin inside serve (session with hub.manage)', () => {
  let A: Sys;
  let B: Sys;

  it('denies officials without hub.manage and callers without a session', async () => {
    const anon = await t.app.inject({ method: 'GET', url: '/api/hub-admin/agencies' });
    expect(anon.statusCode).toBe(401);
    const denied = await as(specialist).post('/api/hub-admin/agencies', { code: 'H98', name: 'Không được' });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().code).toBe('FORBIDDEN');
    expect((await as(admin).get('/api/hub-admin/agencies?q=khong')).json().items).toEqual([]);
  });

  it('adds, finds (without diacritics), edits, disables and enables agencies; each change is logged', async () => {
    const add = await as(admin).post('/api/hub-admin/agencies', {
      code: 'H98',
      legacyCode: '000.00.00.H98',
      name: 'UBND tỉnh Đắk Thử',
      email: 'vanthu@dakthu.gov.vn',
    });
    expect(add.statusCode, add.body).toBe(201);
    expect(add.json()).toMatchObject({
      code: 'H98',
      legacyCode: '000.00.00.H98',
      active: true,
      parentCode: null,
    });
    for (const [code, name] of [
      ['H98.01', 'Sở Nội vụ tỉnh Đắk Thử'],
      ['H98.02', 'Sở Tài chính tỉnh Đắk Thử'],
    ])
      expect(
        (await as(admin).post('/api/hub-admin/agencies', { code, name, parentCode: 'H98' })).statusCode,
      ).toBe(201);
    const again = await as(admin).post('/api/hub-admin/agencies', { code: 'H98', name: 'Trùng' });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('HUB_AGENCY_EXISTS');

    const found = (
      await as(admin).get(`/api/hub-admin/agencies?q=${encodeURIComponent('so noi vu dak')}`)
    ).json();
    expect(found.items.map((a: { code: string }) => a.code)).toEqual(['H98.01']);
    const byCode = (await as(admin).get('/api/hub-admin/agencies?q=H98.02')).json();
    expect(byCode.items.map((a: { code: string }) => a.code)).toEqual(['H98.02']);

    const edit = await as(admin).patch('/api/hub-admin/agencies/H98.01', {
      name: 'Sở Nội vụ',
      phone: '0262 3850 000',
    });
    expect(edit.statusCode, edit.body).toBe(200);
    expect(edit.json()).toMatchObject({ name: 'Sở Nội vụ', phone: '0262 3850 000', parentCode: 'H98' });
    const cycle = await as(admin).patch('/api/hub-admin/agencies/H98', { parentCode: 'H98.01' });
    expect(cycle.statusCode).toBe(422);
    expect(cycle.json().code).toBe('HUB_AGENCY_PARENT_INVALID');
    const missing = await as(admin).patch('/api/hub-admin/agencies/H97', { name: 'Không có' });
    expect(missing.json().code).toBe('HUB_AGENCY_NOT_FOUND');

    expect((await as(admin).post('/api/hub-admin/agencies/H98.02/disable')).statusCode).toBe(200);
    const inactive = (await as(admin).get('/api/hub-admin/agencies?active=false')).json();
    expect(inactive.items.map((a: { code: string }) => a.code)).toEqual(['H98.02']);
    expect((await as(admin).post('/api/hub-admin/agencies/H98.02/enable')).statusCode).toBe(200);
    expect((await as(admin).get('/api/hub-admin/agencies?active=false')).json().items).toEqual([]);

    const log = await t
      .hubDb!.selectFrom('hub_admin_log')
      .select(['actor', 'action', 'subject', 'summary'])
      .where('subject', 'like', 'H98%')
      .orderBy('id')
      .execute();
    expect(log.map((l) => `${l.action} ${l.subject}`)).toEqual([
      'agency.added H98',
      'agency.added H98.01',
      'agency.added H98.02',
      'agency.updated H98.01',
      'agency.disabled H98.02',
      'agency.enabled H98.02',
    ]);
    expect(log[0]!.actor).toMatch(/^official:[0-9a-f-]{36} /);
    expect(log[3]!.summary).toEqual({
      name: { from: 'Sở Nội vụ tỉnh Đắk Thử', to: 'Sở Nội vụ' },
      phone: { from: null, to: '0262 3850 000' },
    });
  });

  it('adds systems (the secret shown once), rotates a secret: the old one stops working', async () => {
    const a = await as(admin).post('/api/hub-admin/systems', {
      name: 'Hệ thống tỉnh',
      agencies: ['H98', 'H98.01'],
    });
    expect(a.statusCode, a.body).toBe(201);
    A = { id: a.json().id, secret: a.json().secret };
    expect(A.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const b = await as(admin).post('/api/hub-admin/systems', {
      name: 'Hệ thống sở',
      agencies: ['H98.02'],
      callbackUrl: `http://127.0.0.1:${(failingCallback.address() as AddressInfo).port}/bao-tin`,
    });
    B = { id: b.json().id, secret: b.json().secret };
    const unknown = await as(admin).post('/api/hub-admin/systems', { name: 'X', agencies: ['H00'] });
    expect(unknown.json().code).toBe('HUB_AGENCY_NOT_FOUND');

    const list = await as(admin).get('/api/hub-admin/systems');
    expect(list.body).not.toContain(A.secret);
    expect(list.json().items).toEqual([
      expect.objectContaining({ id: A.id, active: true, agencies: ['H98', 'H98.01'], callbackUrl: null }),
      expect.objectContaining({ id: B.id, agencies: ['H98.02'] }),
    ]);

    expect((await signed(A, 'GET', '/hub/v1/messages')).statusCode).toBe(200);
    const rotated = await as(admin).post(`/api/hub-admin/systems/${A.id}/rotate-secret`);
    expect(rotated.statusCode).toBe(200);
    const fresh = rotated.json().secret as string;
    expect(fresh).not.toBe(A.secret);
    const old = await signed(A, 'GET', '/hub/v1/messages');
    expect(old.statusCode).toBe(401);
    expect(old.json().code).toBe('HUB_AUTH_FAILED');
    A = { id: A.id, secret: fresh };
    expect((await signed(A, 'GET', '/hub/v1/messages')).statusCode).toBe(200);

    expect((await as(admin).post(`/api/hub-admin/systems/${B.id}/disable`)).statusCode).toBe(200);
    expect((await signed(B, 'GET', '/hub/v1/messages')).statusCode).toBe(401);
    expect((await as(admin).post(`/api/hub-admin/systems/${B.id}/enable`)).statusCode).toBe(200);
    expect((await signed(B, 'GET', '/hub/v1/messages')).statusCode).toBe(200);
    const none = await as(admin).post('/api/hub-admin/systems/01900000-0000-7000-8000-00000000dead/disable');
    expect(none.json().code).toBe('HUB_SYSTEM_NOT_FOUND');

    const actions = await t
      .hubDb!.selectFrom('hub_admin_log')
      .select(['action', 'summary'])
      .where('subject', 'in', [A.id, B.id])
      .orderBy('id')
      .execute();
    expect(actions.map((x) => x.action)).toEqual([
      'system.added',
      'system.added',
      'system.secret_rotated',
      'system.disabled',
      'system.enabled',
    ]);
    expect(JSON.stringify(actions)).not.toContain(fresh);
  });

  it('shows queues per agency and system, finds messages, lists and requeues dead letters', async () => {
    const m1 = await send(A, 'H98', ['H98.02']);
    const m2 = await send(A, 'H98.01', ['H98.02', 'H98']);

    const q = (await as(admin).get('/api/hub-admin/queues')).json();
    const h9802 = q.agencies.find((x: { code: string }) => x.code === 'H98.02');
    expect(h9802).toMatchObject({ name: 'Sở Tài chính tỉnh Đắk Thử', edoc: 2, status: 0 });
    expect(Date.parse(h9802.oldestAt)).toBeLessThanOrEqual(Date.parse(q.now));
    expect(q.systems.find((s: { id: string }) => s.id === B.id)).toMatchObject({ edoc: 2, status: 0 });
    expect(q.systems.find((s: { id: string }) => s.id === A.id)).toMatchObject({ edoc: 1 });

    const byFrom = (await as(admin).get('/api/hub-admin/messages?from=H98.01')).json().items;
    expect(byFrom.map((m: { id: string }) => m.id)).toEqual([m2]);
    expect(byFrom[0].deliveries.map((d: { to: string; state: string }) => `${d.to}:${d.state}`)).toEqual([
      'H98:pending',
      'H98.02:pending',
    ]);
    const byTo = (await as(admin).get('/api/hub-admin/messages?to=H98.02&kind=edoc')).json().items;
    expect(byTo.map((m: { id: string }) => m.id)).toEqual([m2, m1]); // newest first
    expect((await as(admin).get(`/api/hub-admin/messages?id=${m1}`)).json().items).toHaveLength(1);

    // B refuses m1 at transport level; nobody takes B's pushes either.
    expect((await ack(B, m1, 'H98.02', 'fail', 'Không đọc được tệp đính kèm')).statusCode).toBe(200);
    expect((await as(admin).get('/api/hub-admin/messages?to=H98.02&state=fail')).json().items).toHaveLength(
      1,
    );
    const letters = await waitFor('the push dead letters', async () => {
      const items = (await as(admin).get('/api/hub-admin/dead-letters')).json().items as {
        type: string;
        messageId: string;
      }[];
      return items.some((l) => l.type === 'push' && l.messageId === m2) ? items : undefined;
    });
    expect(letters).toContainEqual(
      expect.objectContaining({
        type: 'delivery',
        messageId: m1,
        to: 'H98.02',
        reason: 'Không đọc được tệp đính kèm',
      }),
    );
    expect(letters).toContainEqual(
      expect.objectContaining({
        type: 'push',
        messageId: m2,
        systemId: B.id,
        attempts: 3,
        reason: 'HTTP 500',
      }),
    );
    // m1 was refused (no longer pending for B): its push is not a dead letter any more.
    expect(letters.filter((l) => l.type === 'push').map((l) => l.messageId)).not.toContain(m1);

    const wrong = await as(admin).post('/api/hub-admin/dead-letters/requeue', {
      type: 'delivery',
      messageId: m2,
      to: 'H98.02',
    });
    expect(wrong.statusCode).toBe(404);
    expect(wrong.json().code).toBe('HUB_DEAD_LETTER_NOT_FOUND');

    const requeued = await as(admin).post('/api/hub-admin/dead-letters/requeue', {
      type: 'delivery',
      messageId: m1,
      to: 'H98.02',
    });
    expect(requeued.statusCode, requeued.body).toBe(200);
    const pendingB = (await signed(B, 'GET', '/hub/v1/messages')).json() as { id: string }[];
    expect(pendingB.map((p) => p.id)).toContain(m1);

    const before = callbackCalls;
    const push = await as(admin).post('/api/hub-admin/dead-letters/requeue', {
      type: 'push',
      messageId: m2,
      systemId: B.id,
    });
    expect(push.statusCode, push.body).toBe(200);
    await waitFor('a new round of pushes', async () => (callbackCalls >= before + 3 ? true : undefined));
    const after = await waitFor('the push dead letter after its new round', async () => {
      const l = (
        (await as(admin).get('/api/hub-admin/dead-letters')).json().items as {
          type: string;
          messageId: string;
          attempts?: number;
        }[]
      ).find((x) => x.type === 'push' && x.messageId === m2);
      return l && l.attempts === 6 ? l : undefined;
    });
    expect(after.attempts).toBe(6);

    const log = await t
      .hubDb!.selectFrom('hub_admin_log')
      .select(['action', 'subject', 'summary'])
      .where('action', 'in', ['delivery.requeued', 'push.requeued'])
      .orderBy('id')
      .execute();
    expect(log).toEqual([
      {
        action: 'delivery.requeued',
        subject: m1,
        summary: { to: 'H98.02', failReason: 'Không đọc được tệp đính kèm' },
      },
      { action: 'push.requeued', subject: m2, summary: { systemId: B.id, attempts: 3 } },
    ]);
  });

  it('purges acknowledged messages only, and logs the purge', async () => {
    const m = await send(A, 'H98', ['H98.01']);
    expect((await ack(A, m, 'H98.01', 'done')).statusCode).toBe(200);
    const r = await as(admin).post('/api/hub-admin/purge', { days: 0 });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ messages: 1, deliveries: 1 });
    expect((await as(admin).get(`/api/hub-admin/messages?id=${m}`)).json().items).toEqual([]);
    expect((await as(admin).get('/api/hub-admin/messages?to=H98.02')).json().items).toHaveLength(2);
    const log = await t
      .hubDb!.selectFrom('hub_admin_log')
      .select(['action'])
      .where('action', '=', 'messages.purged')
      .execute();
    expect(log).toHaveLength(1);
  });
});

describe('hub admin in `congvu hub` alone (HUB_ADMIN_TOKEN)', () => {
  let handle: HubDatabaseHandle;
  const TOKEN = 'mot-ma-quan-tri-truc-dai-it-nhat-32-ky-tu';
  beforeAll(async () => {
    handle = await connectHubDatabase((await emptyDatabase()).url);
  });
  afterAll(async () => handle?.close());

  it('answers the operator token, refuses a missing or wrong one', async () => {
    const warnings: string[] = [];
    const { app } = await buildHubApp({
      config: loadConfig({ CONGVU_LOG_LEVEL: 'silent', HUB_ADMIN_TOKEN: TOKEN }),
      db: handle.db,
      logger: false,
      log: (m) => warnings.push(m),
    });
    try {
      const none = await app.inject({ method: 'GET', url: '/api/hub-admin/agencies' });
      expect(none.statusCode).toBe(401);
      expect(none.json().code).toBe('UNAUTHENTICATED');
      const wrong = await app.inject({
        method: 'POST',
        url: '/api/hub-admin/agencies',
        headers: { authorization: `Bearer ${TOKEN}x` },
        payload: { code: 'H96', name: 'Không được' },
      });
      expect(wrong.statusCode).toBe(401);
      expect(wrong.json().code).toBe('AUTH_TOKEN_INVALID');
      const add = await app.inject({
        method: 'POST',
        url: '/api/hub-admin/agencies',
        headers: { authorization: `Bearer ${TOKEN}` },
        payload: { code: 'H96', name: 'UBND tỉnh Riêng' },
      });
      expect(add.statusCode, add.body).toBe(201);
      const list = await app.inject({
        method: 'GET',
        url: '/api/hub-admin/agencies?q=rieng',
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(list.json().items.map((a: { code: string }) => a.code)).toEqual(['H96']);
      const row = await handle.db
        .selectFrom('hub_admin_log')
        .select(['actor', 'action'])
        .where('subject', '=', 'H96')
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ actor: 'operator-token', action: 'agency.added' });
      expect(warnings.join('\n')).not.toContain('HUB_ADMIN_TOKEN');
    } finally {
      await app.close();
    }
  });

  it('has no admin API without HUB_ADMIN_TOKEN, and says so at start', async () => {
    const warnings: string[] = [];
    const { app } = await buildHubApp({
      config: loadConfig({ CONGVU_LOG_LEVEL: 'silent' }),
      db: handle.db,
      logger: false,
      log: (m) => warnings.push(m),
    });
    try {
      const r = await app.inject({ method: 'GET', url: '/api/hub-admin/agencies' });
      expect(r.statusCode).toBe(404);
      expect(warnings.join('\n')).toContain('HUB_ADMIN_TOKEN');
    } finally {
      await app.close();
    }
  });
});
