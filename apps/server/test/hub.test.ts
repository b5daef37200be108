import { type ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { buildEdoc, buildStatus, parseDocumentId, type StatusCode } from '@congvu/edxml';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createDb } from '../src/db/pool.ts';
import { hubClient, sha256Hex, signHubRequest } from '../src/modules/hub/client.ts';
import { connectHubDatabase, type HubDatabaseHandle, openHubDatabase } from '../src/modules/hub/database.ts';
import { secretBox } from '../src/modules/hub/secrets.ts';
import { buildHubApp } from '../src/modules/hub/server.ts';
import { type HubService, hubService } from '../src/modules/hub/service.ts';
import type { HubDatabase } from '../src/modules/hub/tables.ts';
import { emptyDatabase, freshDatabase } from './helpers.ts';
import { sharedFixtures } from './support/fixtures.ts';

/*
 * The hub runs on its own empty database here (not a clone of the installation's template):
 * that is how it is deployed (congvu_hub or HUB_DATABASE_URL), and it shows the hub's
 * migrations stand alone.
 */

const NS = 'http://www.mic.gov.vn/TBT/QCVN_102_2016';
const FIXTURES = sharedFixtures('edxml-vxp-sdk');
const fixture = (f: string) => {
  const b = fs.readFileSync(path.join(FIXTURES!, f));
  return b.subarray(0, 4).toString() === '1212' ? b.subarray(4) : b; // edoc_new.edxml's stray bytes
};
const needFixtures = FIXTURES ? '' : ' (skipped: ../shared/fixtures/edxml-vxp-sdk not found)';

type Sys = { id: string; secret: string };

let handle: HubDatabaseHandle;
let app: Awaited<ReturnType<typeof buildHubApp>>['app'];
let hub: HubService;
let A: Sys; // acts for H13.20.02 and G22
let B: Sys; // acts for H17.22 and H41
let C: Sys; // acts for H99.01
let seq = 0;
const docId = (issuer = '000.00.00.G22') => `${issuer},2026/11/23,${++seq}/TEST-${process.pid}`;

/** A valid edXML edoc (built with @congvu/edxml); `pad` adds an attachment of that many bytes. */
function edoc(o: { from: string; to: string[]; documentId: string; type?: 0 | 1 | 2 | 3; pad?: number }) {
  const parts = parseDocumentId(o.documentId);
  if (!parts) throw new Error(`bad test DocumentId ${o.documentId}`);
  const attachments = o.pad
    ? [
        {
          contentId: 'cid:1',
          attachmentName: 'tep.bin',
          contentType: 'application/octet-stream',
          content: new Uint8Array(o.pad),
        },
      ]
    : [];
  return Buffer.from(
    buildEdoc(
      {
        header: {
          from: { organId: o.from, organName: 'Cơ quan gửi' },
          to: o.to.map((t) => ({ organId: t })),
          documentId: o.documentId,
          code: { number: parts.number, notation: parts.notation },
          promulgation: { date: parts.date },
          documentType: { type: 1, typeName: 'Công văn' },
          subject: `Văn bản thử ${seq}`,
          responseFor: [],
        },
        traceHeaders: [],
        business: { documentId: o.documentId, docType: o.type ?? 0 },
        manifest: attachments.map((a) => ({ contentId: a.contentId, attachmentName: a.attachmentName })),
      },
      attachments,
      { mode: 'lenient' },
    ),
  );
}

function status(o: { from: string; documentId: string; code: StatusCode }) {
  const issuer = o.documentId.split(',')[0] as string;
  return Buffer.from(
    buildStatus({
      from: { organId: o.from },
      responseFor: { organId: issuer, documentId: o.documentId },
      statusCode: o.code,
      timestamp: '2026/11/23 10:00:00',
    }),
  );
}

/** A request signed as `sys` (or unsigned with null), with knobs to break the signature. */
async function call(
  sys: Sys | null,
  method: 'GET' | 'POST',
  url: string,
  o: {
    body?: Buffer | string;
    type?: string;
    headers?: Record<string, string>;
    timestamp?: Date;
    nonce?: string;
    signWith?: string;
    signedPath?: string;
    signedBody?: Buffer | string;
  } = {},
) {
  const auth = sys
    ? signHubRequest({
        systemId: sys.id,
        secret: o.signWith ?? sys.secret,
        method,
        pathWithQuery: o.signedPath ?? url,
        body: o.signedBody ?? o.body,
        timestamp: o.timestamp,
        nonce: o.nonce,
      })
    : {};
  return app.inject({
    method,
    url,
    headers: {
      ...auth,
      ...(o.body !== undefined && { 'content-type': o.type ?? 'application/xml' }),
      ...o.headers,
    },
    ...(o.body !== undefined && { payload: o.body }),
  });
}

const send = (sys: Sys, body: Buffer, key: string, to?: string) =>
  call(sys, 'POST', '/hub/v1/messages', {
    body,
    headers: { 'x-message-key': key, ...(to && { 'x-to': to }) },
  });
const ack = (sys: Sys, id: string, agency: string, s: 'done' | 'fail' = 'done', reason?: string) =>
  call(sys, 'POST', `/hub/v1/messages/${id}/ack`, {
    body: JSON.stringify({ agency, status: s, ...(reason && { reason }) }),
    type: 'application/json',
  });
const pending = async (sys: Sys, query = '') => (await call(sys, 'GET', `/hub/v1/messages${query}`)).json();

beforeAll(async () => {
  const { url } = await emptyDatabase();
  handle = await connectHubDatabase(url);
  const built = await buildHubApp({
    config: loadConfig({ CONGVU_LOG_LEVEL: 'silent' }),
    db: handle.db,
    logger: false,
    log: () => {},
    pushDelaysMs: [0, 30, 30],
  });
  app = built.app;
  hub = built.hub;
  await app.ready();
  for (const [code, legacyCode, name] of [
    ['H13.20.02', '002.00.20.H13', 'UBND xã Hòa Tiến'],
    ['H17.22', '28.22.H17', 'UBND xã Hòa Sơn'],
    ['G22', '000.00.00.G22', 'Văn phòng Chính phủ'],
    ['H41', '000.00.00.H41', 'UBND tỉnh Nghệ An'],
    ['H99.01', null, 'Sở Thử nghiệm'],
    ['H99.02', null, 'Sở Nhận thông báo'],
    ['H99.03', null, 'Sở Ngừng kết nối'],
  ] as const)
    await hub.addAgency('test', { code, legacyCode, name });
  await hub.setAgencyActive('test', 'H99.03', false);
  A = await hub.addSystem('test', { name: 'Hệ thống A', agencies: ['H13.20.02', 'G22'] });
  B = await hub.addSystem('test', { name: 'Hệ thống B', agencies: ['H17.22', 'H41'] });
  C = await hub.addSystem('test', { name: 'Hệ thống C', agencies: ['H99.01'] });
});
afterAll(async () => {
  await app?.close();
  await handle?.close();
});

describe.skipIf(!FIXTURES)(`exchange of the SDK sample envelopes${needFixtures}`, () => {
  it('A sends edoc_new to B; B lists, fetches the same bytes, acks; the queue is then empty', async () => {
    const body = fixture('edoc_new.edxml');
    const r = await send(A, body, 'fixture-edoc-new');
    expect(r.statusCode, r.body).toBe(201);
    const { id, recipients } = r.json();
    expect(recipients).toEqual(['H17.22']); // To 28.22.H17 (QCVN 102) resolved to its QĐ 20 code

    const list = await pending(B, '?kind=edoc');
    expect(list).toEqual([
      {
        id,
        kind: 'edoc',
        from: 'H13.20.02',
        to: 'H17.22',
        documentId: '000.00.00.G22,2015/09/30,7816/VPCP-TTĐT',
        businessType: 0,
        size: body.length,
        sha256: sha256Hex(body),
        createdAt: expect.any(String),
      },
    ]);
    expect(await pending(B, '?kind=status')).toEqual([]);
    expect(await pending(A)).toEqual([]); // the sender's own queue

    const got = await call(B, 'GET', `/hub/v1/messages/${id}?agency=H17.22`);
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-type']).toMatch(/^application\/xml/);
    expect(Buffer.compare(got.rawPayload, body)).toBe(0);

    const a = await ack(B, id, 'H17.22');
    expect(a.statusCode, a.body).toBe(200);
    expect(a.json()).toMatchObject({ id, agency: 'H17.22', state: 'done' });
    expect(await pending(B)).toEqual([]);
    // Acknowledging again is harmless and keeps the first answer.
    const again = await ack(B, id, 'H17.22', 'fail', 'late');
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(a.json());

    const sent = (await call(A, 'GET', '/hub/v1/sent?kind=edoc')).json();
    const mine = sent.find((m: { id: string }) => m.id === id);
    expect(mine).toMatchObject({
      kind: 'edoc',
      from: 'H13.20.02',
      documentId: '000.00.00.G22,2015/09/30,7816/VPCP-TTĐT',
      recipients: [
        {
          code: 'H17.22',
          state: 'done',
          fetchedAt: expect.any(String),
          ackedAt: a.json().ackedAt,
          reason: null,
        },
      ],
    });
  });

  it('lists with small envelopes inline (counted as fetched) and takes many acks in one call', async () => {
    const body = fixture('edoc_new.edxml');
    const one = (await send(A, body, 'inline-1')).json().id as string;
    const two = (await send(A, body, 'inline-2')).json().id as string;
    const plain = await pending(B, '?kind=edoc');
    expect(plain.map((m: { id: string }) => m.id)).toEqual([one, two]);
    expect(plain[0].body).toBeUndefined();
    const inline = await pending(B, '?kind=edoc&withBodies=true');
    expect(inline.map((m: { id: string }) => m.id)).toEqual([one, two]);
    for (const m of inline) expect(Buffer.compare(Buffer.from(m.body, 'base64'), body)).toBe(0);
    const fetched = await handle.db
      .selectFrom('hub_deliveries')
      .select(['message_id', 'fetched_count'])
      .where('message_id', 'in', [one, two])
      .orderBy('message_id')
      .execute();
    expect(fetched.map((f) => f.fetched_count)).toEqual([1, 1]);
    expect((await call(B, 'GET', '/hub/v1/messages?withBodies=maybe')).statusCode).toBe(400);

    // Each item is answered alone: B's own deliveries are acknowledged, an agency B does not act
    // for and an unknown message are not found; nothing else changes.
    const acks = await call(B, 'POST', '/hub/v1/acks', {
      type: 'application/json',
      body: JSON.stringify({
        items: [
          { id: one, agency: 'H17.22', status: 'done' },
          { id: two, agency: 'H17.22', status: 'fail', reason: 'không đọc được' },
          { id: one, agency: 'H99.01', status: 'done' },
          { id: '01900000-0000-7000-8000-0000000000ff', agency: 'H17.22', status: 'done' },
        ],
      }),
    });
    expect(acks.statusCode, acks.body).toBe(200);
    expect(acks.json().items).toEqual([
      { id: one, agency: 'H17.22', state: 'done', ackedAt: expect.any(String) },
      { id: two, agency: 'H17.22', state: 'fail', ackedAt: expect.any(String) },
      { id: one, agency: 'H99.01', error: 'HUB_MESSAGE_NOT_FOUND' },
      { id: '01900000-0000-7000-8000-0000000000ff', agency: 'H17.22', error: 'HUB_MESSAGE_NOT_FOUND' },
    ]);
    expect(await pending(B, '?kind=edoc')).toEqual([]);
    // Again: the first answers stay.
    const again = await call(B, 'POST', '/hub/v1/acks', {
      type: 'application/json',
      body: JSON.stringify({ items: [{ id: two, agency: 'H17.22', status: 'done' }] }),
    });
    expect(again.json().items).toEqual([
      { id: two, agency: 'H17.22', state: 'fail', ackedAt: expect.any(String) },
    ]);
    const empty = await call(B, 'POST', '/hub/v1/acks', {
      type: 'application/json',
      body: JSON.stringify({ items: [] }),
    });
    expect(empty.statusCode).toBe(400);
  });

  it('routes statuses: a reply goes to the issuer; 13 from the issuer goes to the original recipients', async () => {
    // The document of status*.edxml, issued by 000.00.00.G22 (A) to 28.22.H17 and 000.00.00.H41 (B).
    const original = fixture('edoc_new.edxml')
      .toString('utf8')
      .replace('<edXML:OrganId>002.00.20.H13</edXML:OrganId>', '<edXML:OrganId>000.00.00.G22</edXML:OrganId>')
      .replace('<edXML:To>', '<edXML:To><edXML:OrganId>000.00.00.H41</edXML:OrganId></edXML:To><edXML:To>')
      .replaceAll('2015/09/30,7816/VPCP-TTĐT', '2015/09/30,7816/VPCP-TTĐT-ROUTING');
    const sentDoc = await send(A, Buffer.from(original), 'routing-edoc');
    expect(sentDoc.statusCode, sentDoc.body).toBe(201);
    expect(sentDoc.json().recipients).toEqual(['H17.22', 'H41']);
    for (const r of ['H17.22', 'H41']) expect((await ack(B, sentDoc.json().id, r)).statusCode).toBe(200);

    // 01 from H41 (B) about G22's document → G22 (A).
    const reply = fixture('status.edxml')
      .toString('utf8')
      .replaceAll('2015/09/30,7816/VPCP-TTĐT', '2015/09/30,7816/VPCP-TTĐT-ROUTING');
    const r1 = await send(B, Buffer.from(reply), 'routing-status-01');
    expect(r1.statusCode, r1.body).toBe(201);
    expect(r1.json().recipients).toEqual(['G22']);
    const atA = await pending(A, '?kind=status');
    expect(atA).toEqual([
      expect.objectContaining({ id: r1.json().id, from: 'H41', to: 'G22', statusCode: '01' }),
    ]);
    expect(atA[0].businessType).toBeUndefined();

    // 13 (recall request) from G22 (A), the issuer → everyone the document went to.
    const recall = fixture('status_cancellation_13.edxml')
      .toString('utf8')
      .replaceAll('2015/09/30,7816/VPCP-TTĐT', '2015/09/30,7816/VPCP-TTĐT-ROUTING');
    const r13 = await send(A, Buffer.from(recall), 'routing-status-13');
    expect(r13.statusCode, r13.body).toBe(201);
    expect(r13.json().recipients).toEqual(['H17.22', 'H41']);
    const atB = await pending(B, '?kind=status');
    expect(atB.map((m: { to: string; statusCode: string }) => [m.to, m.statusCode])).toEqual([
      ['H17.22', '13'],
      ['H41', '13'],
    ]);
    expect((await pending(B, '?kind=status&agency=H41')).length).toBe(1);
    for (const m of atB) await ack(B, m.id, m.to);
    await ack(A, r1.json().id, 'G22');
  });
});

describe('sending', () => {
  it('is idempotent per X-Message-Key: same bytes → 200 and the same answer; other bytes → 409', async () => {
    const body = edoc({ from: 'H13.20.02', to: ['H17.22'], documentId: docId() });
    const first = await send(A, body, 'idem-1');
    expect(first.statusCode).toBe(201);
    const count = async () =>
      Number(
        (
          await handle.db
            .selectFrom('hub_messages')
            .select((e) => e.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    const again = await send(A, body, 'idem-1');
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    expect(await count()).toBe(before);
    const other = await send(A, edoc({ from: 'H13.20.02', to: ['H17.22'], documentId: docId() }), 'idem-1');
    expect(other.statusCode).toBe(409);
    expect(other.json()).toMatchObject({ code: 'HUB_MESSAGE_KEY_REUSED' });
    expect(await count()).toBe(before);
    // Keys are per system: B may use the same key.
    const byB = await send(B, edoc({ from: 'H41', to: ['H99.01'], documentId: docId() }), 'idem-1');
    expect(byB.statusCode).toBe(201);
    await ack(B, first.json().id, 'H17.22');
    await ack(C, byB.json().id, 'H99.01');
  });

  it('needs X-Message-Key and the envelope bytes', async () => {
    const body = edoc({ from: 'H13.20.02', to: ['H17.22'], documentId: docId() });
    const noKey = await call(A, 'POST', '/hub/v1/messages', { body });
    expect(noKey.statusCode).toBe(400);
    expect(noKey.json().code).toBe('VALIDATION_ERROR');
    const json = await call(A, 'POST', '/hub/v1/messages', {
      body: '{"x":1}',
      type: 'application/json',
      headers: { 'x-message-key': 'json-body' },
    });
    expect(json.statusCode).toBe(400);
  });

  it('refuses a sender the system does not act for (axis 19)', async () => {
    const r = await send(B, edoc({ from: 'H13.20.02', to: ['H41'], documentId: docId() }), 'not-mine');
    expect(r.statusCode).toBe(403);
    expect(r.json()).toMatchObject({
      code: 'HUB_SENDER_NOT_ALLOWED',
      details: { axisCode: 19, from: 'H13.20.02' },
    });
    const unknown = await send(
      B,
      edoc({ from: '000.00.00.X00', to: ['H41'], documentId: docId() }),
      'unknown-from',
    );
    expect(unknown.json()).toMatchObject({ code: 'HUB_SENDER_NOT_ALLOWED', details: { axisCode: 19 } });
  });

  it('refuses an unknown or inactive recipient, naming it (axis 18); X-To must be within To', async () => {
    const unknown = await send(
      A,
      edoc({ from: 'G22', to: ['H17.22', 'H00.404'], documentId: docId() }),
      'unk-rcpt',
    );
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json()).toMatchObject({
      code: 'HUB_RECIPIENT_UNKNOWN',
      details: { axisCode: 18, recipient: 'H00.404' },
    });
    const inactive = await send(
      A,
      edoc({ from: 'G22', to: ['H99.03'], documentId: docId() }),
      'inactive-rcpt',
    );
    expect(inactive.json()).toMatchObject({
      code: 'HUB_RECIPIENT_UNKNOWN',
      details: { recipient: 'H99.03' },
    });
    const outside = await send(
      A,
      edoc({ from: 'G22', to: ['H17.22'], documentId: docId() }),
      'xto-outside',
      'H41',
    );
    expect(outside.json()).toMatchObject({ code: 'HUB_RECIPIENT_UNKNOWN', details: { recipient: 'H41' } });
    // Nothing was stored by the refusals.
    const keys = await handle.db
      .selectFrom('hub_messages')
      .select('message_key')
      .where('message_key', 'in', ['unk-rcpt', 'inactive-rcpt', 'xto-outside'])
      .execute();
    expect(keys).toEqual([]);
  });

  it('X-To restricts an edoc to some of its To', async () => {
    const r = await send(
      A,
      edoc({ from: 'G22', to: ['H17.22', 'H41'], documentId: docId() }),
      'xto-subset',
      'H41',
    );
    expect(r.statusCode).toBe(201);
    expect(r.json().recipients).toEqual(['H41']);
    await ack(B, r.json().id, 'H41');
  });

  it('refuses a bad envelope with the reason (axis 22)', async () => {
    const ok = edoc({ from: 'G22', to: ['H17.22'], documentId: docId() }).toString('utf8');
    for (const [body, reason] of [
      [ok.replace(`<edXML xmlns="${NS}">`, '<edXML>'), /^EDXML_WRONG_NAMESPACE: /],
      [ok.replace('?>', '?><!DOCTYPE edXML>'), /^EDXML_DOCTYPE_FORBIDDEN: /],
      // a few stray bytes are a documented leniency (the SDK's "1212"); more are refused
      [`${'x'.repeat(40)}${ok}`, /^EDXML_LEADING_JUNK: /],
      [
        ok.replace(/<edXML:DocumentId>[^<]*<\/edXML:DocumentId>/, ''),
        /^EDXML_MISSING_ELEMENT: .*MessageHeader/,
      ],
      ['not xml at all', /^EDXML_LEADING_JUNK: /],
    ] as const) {
      const r = await send(A, Buffer.from(body), `bad-${seq++}`);
      expect(r.statusCode, body.slice(0, 60)).toBe(422);
      expect(r.json()).toMatchObject({ code: 'HUB_ENVELOPE_INVALID', details: { axisCode: 22 } });
      expect(r.json().details.reason).toMatch(reason);
    }
  });

  it('a status with X-To goes there; without, and with an unknown issuer, it is refused (axis 18)', async () => {
    const d = docId('000.00.00.Q99');
    const withTo = await send(B, status({ from: 'H41', documentId: d, code: '03' }), 'st-xto', 'G22');
    expect(withTo.statusCode, withTo.body).toBe(201);
    expect(withTo.json().recipients).toEqual(['G22']);
    const without = await send(B, status({ from: 'H41', documentId: d, code: '03' }), 'st-unknown-issuer');
    expect(without.statusCode).toBe(422);
    expect(without.json()).toMatchObject({
      code: 'HUB_RECIPIENT_UNKNOWN',
      details: { recipient: '000.00.00.Q99' },
    });
    // The issuer's own status for a document the hub never carried has nobody to go to.
    const orphan = await send(A, status({ from: 'G22', documentId: docId('G22'), code: '13' }), 'st-orphan');
    expect(orphan.statusCode).toBe(422);
    await ack(A, withTo.json().id, 'G22');
  });

  it('stores a message and its deliveries in one transaction: a failing delivery leaves nothing', async () => {
    // Make the second delivery row fail after the message row is in.
    await sql`CREATE FUNCTION test_fail_delivery() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.recipient_code = 'H41' THEN RAISE EXCEPTION 'test failure'; END IF; RETURN NEW; END $$`.execute(
      handle.db,
    );
    await sql`CREATE TRIGGER test_fail_delivery BEFORE INSERT ON hub_deliveries
      FOR EACH ROW EXECUTE FUNCTION test_fail_delivery()`.execute(handle.db);
    try {
      const r = await send(A, edoc({ from: 'G22', to: ['H17.22', 'H41'], documentId: docId() }), 'atomic');
      expect(r.statusCode).toBe(500);
      const stored = await handle.db
        .selectFrom('hub_messages')
        .select('id')
        .where('message_key', '=', 'atomic')
        .execute();
      expect(stored).toEqual([]);
    } finally {
      await sql`DROP TRIGGER test_fail_delivery ON hub_deliveries`.execute(handle.db);
      await sql`DROP FUNCTION test_fail_delivery()`.execute(handle.db);
    }
    // The sender retries with the same key once the hub is healthy.
    const retry = await send(A, edoc({ from: 'G22', to: ['H17.22', 'H41'], documentId: docId() }), 'atomic');
    expect(retry.statusCode).toBe(201);
    for (const c of ['H17.22', 'H41']) await ack(B, retry.json().id, c);
  });
});

describe('receiving', () => {
  it('a delivery stays pending until acked: fetched twice (a crashed receiver) it is still listed', async () => {
    const r = await send(A, edoc({ from: 'G22', to: ['H41'], documentId: docId() }), 'twice');
    const id = r.json().id;
    for (let i = 0; i < 2; i++) expect((await call(B, 'GET', `/hub/v1/messages/${id}`)).statusCode).toBe(200);
    expect((await pending(B)).map((m: { id: string }) => m.id)).toContain(id);
    const row = await handle.db
      .selectFrom('hub_deliveries')
      .select(['fetched_count', 'state'])
      .where('message_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ fetched_count: 2, state: 'pending' });
    await ack(B, id, 'H41');
    expect((await pending(B)).map((m: { id: string }) => m.id)).not.toContain(id);
  });

  it('lists oldest first, by agency and kind, within limit', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++)
      ids.push(
        (await send(A, edoc({ from: 'G22', to: ['H41'], documentId: docId() }), `order-${i}`)).json().id,
      );
    const all = await pending(B, '?agency=H41&kind=edoc');
    expect(all.map((m: { id: string }) => m.id)).toEqual(ids);
    expect((await pending(B, '?agency=H41&limit=2')).map((m: { id: string }) => m.id)).toEqual(
      ids.slice(0, 2),
    );
    for (const id of ids) await ack(B, id, 'H41');
  });

  it('only a recipient or the sender may fetch; others hear 404; ack only by a recipient', async () => {
    const r = await send(A, edoc({ from: 'G22', to: ['H41'], documentId: docId() }), 'who-fetches');
    const id = r.json().id;
    const byC = await call(C, 'GET', `/hub/v1/messages/${id}`);
    expect(byC.statusCode).toBe(404);
    expect(byC.json().code).toBe('HUB_MESSAGE_NOT_FOUND');
    const unknown = await call(C, 'GET', '/hub/v1/messages/01900000-0000-7000-8000-000000000000');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual(byC.json()); // the same answer whether it exists or not
    expect((await call(A, 'GET', `/hub/v1/messages/${id}`)).statusCode).toBe(200); // the sender
    expect((await call(A, 'GET', `/hub/v1/messages/${id}?agency=G22`)).statusCode).toBe(200);
    expect((await call(B, 'GET', `/hub/v1/messages/${id}?agency=H17.22`)).statusCode).toBe(404); // not a recipient
    expect((await ack(C, id, 'H99.01')).statusCode).toBe(404);
    expect((await ack(A, id, 'G22')).statusCode).toBe(404); // the sender cannot ack for the recipient
    expect((await ack(C, id, 'H41')).statusCode).toBe(404); // C does not act for H41
    const sentByA = (await call(A, 'GET', '/hub/v1/sent')).json().find((m: { id: string }) => m.id === id);
    expect(sentByA.recipients).toEqual([
      { code: 'H41', state: 'pending', fetchedAt: null, ackedAt: null, reason: null },
    ]);
    await ack(B, id, 'H41');
  });

  it('a system may list only its own agencies', async () => {
    const r = await call(B, 'GET', '/hub/v1/messages?agency=G22');
    expect(r.statusCode).toBe(403);
    expect(r.json()).toMatchObject({ code: 'HUB_AGENCY_NOT_ALLOWED' });
  });

  it('sent shows each recipient: pending, done, fail with its reason', async () => {
    const since = new Date().toISOString();
    const r = await send(
      A,
      edoc({ from: 'G22', to: ['H17.22', 'H41', 'H99.01'], documentId: docId() }),
      'states',
    );
    const id = r.json().id;
    await call(B, 'GET', `/hub/v1/messages/${id}?agency=H17.22`);
    await ack(B, id, 'H17.22', 'done');
    await ack(B, id, 'H41', 'fail', 'Không đọc được tệp đính kèm');
    const list = (await call(A, 'GET', `/hub/v1/sent?since=${encodeURIComponent(since)}`)).json();
    expect(list.map((m: { id: string }) => m.id)).toEqual([id]);
    expect(list[0].recipients).toEqual([
      {
        code: 'H17.22',
        state: 'done',
        fetchedAt: expect.any(String),
        ackedAt: expect.any(String),
        reason: null,
      },
      {
        code: 'H41',
        state: 'fail',
        fetchedAt: null,
        ackedAt: expect.any(String),
        reason: 'Không đọc được tệp đính kèm',
      },
      { code: 'H99.01', state: 'pending', fetchedAt: null, ackedAt: null, reason: null },
    ]);
    expect((await call(B, 'GET', '/hub/v1/sent')).json().map((m: { id: string }) => m.id)).not.toContain(id);
    await ack(C, id, 'H99.01');
  });

  it('agencies lists the active agencies with both codes', async () => {
    const r = (await call(C, 'GET', '/hub/v1/agencies')).json();
    expect(r).toContainEqual({
      code: 'H17.22',
      legacyCode: '28.22.H17',
      name: 'UBND xã Hòa Sơn',
      parentCode: null,
    });
    expect(r.map((a: { code: string }) => a.code)).not.toContain('H99.03');
  });
});

describe('authentication of systems', () => {
  const ENDPOINTS: [method: 'GET' | 'POST', url: string][] = [
    ['POST', '/hub/v1/messages'],
    ['GET', '/hub/v1/messages'],
    ['GET', '/hub/v1/messages/01900000-0000-7000-8000-000000000000'],
    ['POST', '/hub/v1/messages/01900000-0000-7000-8000-000000000000/ack'],
    ['POST', '/hub/v1/acks'],
    ['GET', '/hub/v1/sent'],
    ['GET', '/hub/v1/agencies'],
  ];

  it('every endpoint refuses a request without the headers (401)', async () => {
    // The list above covers every documented non-public route.
    const doc = (await app.inject({ method: 'GET', url: '/hub/v1/openapi.json' })).json();
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(
      ([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`),
    );
    const covered = ENDPOINTS.map(([m, u]) => `${m} ${u.replace(/01900000-[^/]+/, '{id}')}`);
    expect(documented.filter((e) => e !== 'GET /hub/v1/health').sort()).toEqual([...covered].sort());
    for (const [method, url] of ENDPOINTS) {
      const r = await app.inject({
        method,
        url,
        headers: { 'content-type': 'application/json' },
        payload: '{}',
      });
      expect(r.statusCode, `${method} ${url}`).toBe(401);
      expect(r.json(), `${method} ${url}`).toMatchObject({
        code: 'HUB_AUTH_FAILED',
        details: { axisCode: 15 },
      });
    }
    expect((await app.inject({ method: 'GET', url: '/hub/v1/health' })).statusCode).toBe(200);
  });

  it('refuses a stale timestamp, both ways (HUB_REQUEST_STALE)', async () => {
    for (const offset of [-301_000, 301_000]) {
      const r = await call(A, 'GET', '/hub/v1/agencies', { timestamp: new Date(Date.now() + offset) });
      expect(r.statusCode).toBe(401);
      expect(r.json()).toMatchObject({ code: 'HUB_REQUEST_STALE', details: { axisCode: 15 } });
    }
    expect(
      (await call(A, 'GET', '/hub/v1/agencies', { timestamp: new Date(Date.now() - 250_000) })).statusCode,
    ).toBe(200);
  });

  it('refuses a replayed nonce (HUB_REQUEST_REPLAYED)', async () => {
    const headers = signHubRequest({
      systemId: A.id,
      secret: A.secret,
      method: 'GET',
      pathWithQuery: '/hub/v1/agencies',
    });
    expect((await app.inject({ method: 'GET', url: '/hub/v1/agencies', headers })).statusCode).toBe(200);
    const again = await app.inject({ method: 'GET', url: '/hub/v1/agencies', headers });
    expect(again.statusCode).toBe(401);
    expect(again.json()).toMatchObject({ code: 'HUB_REQUEST_REPLAYED', details: { axisCode: 15 } });
    // Another system may use the same nonce.
    expect((await call(B, 'GET', '/hub/v1/agencies', { nonce: headers['x-nonce'] })).statusCode).toBe(200);
  });

  it('refuses a bad signature: wrong secret, other path, other body, unknown or inactive system', async () => {
    const cases = [
      await call(A, 'GET', '/hub/v1/agencies', { signWith: B.secret }),
      await call(A, 'GET', '/hub/v1/sent', { signedPath: '/hub/v1/agencies' }),
      await call(A, 'GET', '/hub/v1/messages?kind=edoc', { signedPath: '/hub/v1/messages?kind=status' }),
      await call(A, 'POST', '/hub/v1/messages', {
        body: edoc({ from: 'G22', to: ['H41'], documentId: docId() }),
        signedBody: edoc({ from: 'G22', to: ['H41'], documentId: docId() }),
        headers: { 'x-message-key': 'tampered' },
      }),
      await call({ id: '01900000-0000-7000-8000-000000000001', secret: A.secret }, 'GET', '/hub/v1/agencies'),
      await call({ id: 'not-a-uuid', secret: A.secret }, 'GET', '/hub/v1/agencies'),
      await call(A, 'GET', '/hub/v1/agencies', { headers: { 'x-signature': 'AAAA' } }),
    ];
    for (const r of cases) {
      expect(r.statusCode).toBe(401);
      expect(r.json()).toMatchObject({ code: 'HUB_AUTH_FAILED', details: { axisCode: 15 } });
    }
    expect(
      await handle.db.selectFrom('hub_messages').select('id').where('message_key', '=', 'tampered').execute(),
    ).toEqual([]);
    const D = await hub.addSystem('test', { name: 'Hệ thống D', agencies: ['H99.01'] });
    expect((await call(D, 'GET', '/hub/v1/agencies')).statusCode).toBe(200);
    await hub.setSystemActive('test', D.id, false);
    const off = await call(D, 'GET', '/hub/v1/agencies');
    expect(off.statusCode).toBe(401);
    expect(off.json().code).toBe('HUB_AUTH_FAILED');
  });

  it('refuses malformed headers', async () => {
    const bad = await call(A, 'GET', '/hub/v1/agencies', { nonce: 'short' });
    expect(bad.json()).toMatchObject({ code: 'HUB_AUTH_FAILED' });
    const h = signHubRequest({
      systemId: A.id,
      secret: A.secret,
      method: 'GET',
      pathWithQuery: '/hub/v1/agencies',
    });
    const local = await app.inject({
      method: 'GET',
      url: '/hub/v1/agencies',
      headers: { ...h, 'x-timestamp': '23/11/2026 10:00:00' },
    });
    expect(local.json()).toMatchObject({ code: 'HUB_AUTH_FAILED' });
  });

  it('forgets nonces older than twice the window', async () => {
    await handle.db
      .insertInto('hub_nonces')
      .values({ system_id: A.id, nonce: 'old-nonce-0123456789', seen_at: new Date(Date.now() - 11 * 60_000) })
      .execute();
    expect(await hub.purgeNonces()).toBeGreaterThanOrEqual(1);
    const left = await handle.db
      .selectFrom('hub_nonces')
      .select('nonce')
      .where('nonce', '=', 'old-nonce-0123456789')
      .execute();
    expect(left).toEqual([]);
  });
});

describe('administration', () => {
  it('purge deletes old fully-acknowledged messages and keeps unacknowledged ones', async () => {
    const acked = (
      await send(A, edoc({ from: 'G22', to: ['H41'], documentId: docId() }), 'purge-acked')
    ).json().id;
    const open = (
      await send(A, edoc({ from: 'G22', to: ['H41', 'H17.22'], documentId: docId() }), 'purge-open')
    ).json().id;
    const recent = (
      await send(A, edoc({ from: 'G22', to: ['H41'], documentId: docId() }), 'purge-recent')
    ).json().id;
    await ack(B, acked, 'H41');
    await ack(B, open, 'H41'); // H17.22 still pending
    await ack(B, recent, 'H41');
    await handle.db
      .updateTable('hub_messages')
      .set({ created_at: sql`now() - interval '10 days'` })
      .where('id', 'in', [acked, open])
      .execute();
    const r = await hub.purge('test', 7);
    expect(r).toMatchObject({ messages: 1, deliveries: 1 });
    expect((await call(A, 'GET', `/hub/v1/messages/${acked}`)).statusCode).toBe(404);
    expect((await call(B, 'GET', `/hub/v1/messages/${open}?agency=H17.22`)).statusCode).toBe(200);
    expect((await call(A, 'GET', `/hub/v1/messages/${recent}`)).statusCode).toBe(200);
    const log = await handle.db
      .selectFrom('hub_admin_log')
      .select(['action', 'summary'])
      .where('action', '=', 'messages.purged')
      .execute();
    expect(log.at(-1)!.summary).toMatchObject({ days: 7, messages: 1, deliveries: 1 });
    await ack(B, open, 'H17.22');
  });

  it('agencies: duplicate codes are refused; legacy codes are unique; admin changes are logged', async () => {
    await expect(hub.addAgency('test', { code: 'H41', name: 'Trùng' })).rejects.toMatchObject({
      code: 'HUB_AGENCY_EXISTS',
    });
    await expect(
      hub.addAgency('test', { code: 'H41.01', legacyCode: '000.00.00.H41', name: 'Trùng mã cũ' }),
    ).rejects.toMatchObject({
      code: 'HUB_AGENCY_EXISTS',
    });
    await expect(hub.addAgency('test', { code: 'h41.lower', name: 'Sai mã' })).rejects.toThrow();
    await expect(hub.addSystem('test', { name: 'X', agencies: ['H00.NONE'] })).rejects.toMatchObject({
      code: 'HUB_AGENCY_NOT_FOUND',
    });
    const child = await hub.addAgency('test', {
      code: 'H41.02',
      name: 'Sở Nội vụ Nghệ An',
      parentCode: 'H41',
    });
    expect(child.parent_code).toBe('H41');
    const actions = await handle.db
      .selectFrom('hub_admin_log')
      .select('action')
      .where('subject', '=', 'H41.02')
      .execute();
    expect(actions).toEqual([{ action: 'agency.added' }]);
    await expect(sql`UPDATE hub_admin_log SET actor = 'x'`.execute(handle.db)).rejects.toThrow(/append-only/);
  });

  it('the hub table types match its migrated schema', async () => {
    const cols = await sql<{ table_name: string; column_name: string }>`
      SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`.execute(handle.db);
    const actual: Record<string, string[]> = {};
    for (const c of cols.rows) {
      actual[c.table_name] ??= [];
      actual[c.table_name]!.push(c.column_name);
    }
    const declared: { [T in keyof HubDatabase]: (keyof HubDatabase[T])[] } = {
      hub_agencies: [
        'code',
        'legacy_code',
        'name',
        'parent_code',
        'email',
        'phone',
        'active',
        'created_at',
        'updated_at',
      ],
      hub_systems: ['id', 'name', 'secret', 'callback_url', 'active', 'created_at'],
      hub_system_agencies: ['system_id', 'agency_code'],
      hub_messages: [
        'id',
        'sender_system',
        'from_code',
        'kind',
        'message_key',
        'document_id',
        'business_type',
        'status_code',
        'body',
        'size',
        'sha256',
        'created_at',
      ],
      hub_deliveries: [
        'message_id',
        'recipient_code',
        'kind',
        'state',
        'fetched_count',
        'first_fetched_at',
        'acked_at',
        'ack_reason',
      ],
      hub_nonces: ['system_id', 'nonce', 'seen_at'],
      hub_push_attempts: ['id', 'message_id', 'system_id', 'attempt', 'at', 'http_status', 'error'],
      hub_admin_log: ['id', 'at', 'actor', 'action', 'subject', 'summary'],
      schema_migrations: ['name', 'checksum', 'applied_at'],
    };
    expect(actual).toEqual(declared);
    // Every table and column is described.
    const undocumented = await sql<{ t: string }>`
      SELECT c.table_name || '.' || c.column_name AS t FROM information_schema.columns c
      JOIN pg_class k ON k.relname = c.table_name AND k.relkind = 'r'
      WHERE c.table_schema = 'public' AND c.table_name LIKE 'hub\\_%'
        AND col_description(k.oid, c.ordinal_position) IS NULL`.execute(handle.db);
    expect(undocumented.rows).toEqual([]);
  });

  it('secrets: encrypted under HUB_SECRET_KEY, plain ones sealed at start, refused to start without the key', async () => {
    const { url } = await emptyDatabase();
    const h = await connectHubDatabase(url);
    try {
      const plain = hubService(h.db, { secrets: secretBox(undefined) });
      await plain.addAgency('test', { code: 'H01', name: 'Sở Một' });
      const s = await plain.addSystem('test', { name: 'Plain', agencies: ['H01'] });
      const stored = async () =>
        (
          await h.db
            .selectFrom('hub_systems')
            .select('secret')
            .where('id', '=', s.id)
            .executeTakeFirstOrThrow()
        ).secret;
      expect(await stored()).toBe(`plain:${s.secret}`);
      const key = 'khoa-bi-mat-cua-truc-lien-thong-2026!';
      const sealed = hubService(h.db, { secrets: secretBox(key) });
      expect(await sealed.prepareSecrets()).toEqual({ sealed: 1 });
      expect(await stored()).toMatch(/^enc:v1:/);
      expect(await stored()).not.toContain(s.secret);
      await expect(plain.prepareSecrets()).rejects.toThrow(/HUB_SECRET_KEY/);
      await expect(
        hubService(h.db, { secrets: secretBox('x'.repeat(40)) }).prepareSecrets(),
      ).rejects.toThrow();
      // A request signed with the original secret still passes against the encrypted row.
      const c = await sealed.precheck(
        signHubRequest({ systemId: s.id, secret: s.secret, method: 'GET', pathWithQuery: '/x' }),
      );
      await expect(
        sealed.authenticate(c, { method: 'GET', pathWithQuery: '/x', body: Buffer.alloc(0) }),
      ).resolves.toEqual({
        systemId: s.id,
        agencies: ['H01'],
      });
    } finally {
      await h.close();
    }
  });
});

describe('push (optional callback)', () => {
  it('tells a system with a callback_url of a new message, signed with its own secret, and retries failures', async () => {
    const seen: { path: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
    let failFor = 0;
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        seen.push({ path: req.url ?? '', headers: req.headers, body });
        res.statusCode = seen.length <= failFor ? 500 : 204;
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const P = await hub.addSystem('test', {
        name: 'Có callback',
        agencies: ['H99.02'],
        callbackUrl: `http://127.0.0.1:${port}/hook?x=1`,
      });
      const waitFor = async (n: number) => {
        for (let i = 0; i < 100 && seen.length < n; i++) await new Promise((r) => setTimeout(r, 20));
      };
      const id = (await send(A, edoc({ from: 'G22', to: ['H99.02'], documentId: docId() }), 'push-1')).json()
        .id;
      await waitFor(1);
      expect(seen).toHaveLength(1);
      expect(JSON.parse(seen[0]!.body)).toEqual({ messageId: id, kind: 'edoc' });
      const h = seen[0]!.headers;
      expect(h['x-system-id']).toBe(P.id);
      const expected = signHubRequest({
        systemId: P.id,
        secret: P.secret,
        method: 'POST',
        pathWithQuery: '/hook?x=1',
        body: seen[0]!.body,
        timestamp: String(h['x-timestamp']),
        nonce: String(h['x-nonce']),
      });
      expect(h['x-signature']).toBe(expected['x-signature']);

      failFor = 3; // every try of the next push fails
      seen.length = 0;
      const id2 = (await send(A, edoc({ from: 'G22', to: ['H99.02'], documentId: docId() }), 'push-2')).json()
        .id;
      await waitFor(3);
      await new Promise((r) => setTimeout(r, 100));
      const attempts = await handle.db
        .selectFrom('hub_push_attempts')
        .select(['attempt', 'http_status'])
        .where('message_id', '=', id2)
        .orderBy('attempt')
        .execute();
      expect(attempts).toEqual([
        { attempt: 1, http_status: 500 },
        { attempt: 2, http_status: 500 },
        { attempt: 3, http_status: 500 },
      ]);
      // A push is a hint: the message is still pending until fetched and acknowledged.
      expect((await call(P, 'GET', '/hub/v1/messages')).json().map((m: { id: string }) => m.id)).toEqual([
        id,
        id2,
      ]);
      await ack(P, id, 'H99.02');
      await ack(P, id2, 'H99.02');
    } finally {
      server.close();
    }
  });
});

describe('hubClient against a listening hub', () => {
  it('send, list, fetch, ack, sent, agencies; refusals as HubRequestError with the axis code', async () => {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const a = hubClient({ url, systemId: A.id, secret: A.secret });
    const b = hubClient({ url: `${url}/`, secret: B.secret, systemId: B.id });
    const body = edoc({ from: '000.00.00.G22', to: ['000.00.00.H41'], documentId: docId() });
    const s = await a.send(body, { messageKey: 'client-1' });
    expect(s).toMatchObject({ recipients: ['H41'], created: true });
    expect(await a.send(body, { messageKey: 'client-1' })).toEqual({ ...s, created: false });
    const list = await b.list({ kind: 'edoc', agency: 'H41', limit: 10 });
    expect(list.map((m) => m.id)).toEqual([s.id]);
    expect(Buffer.compare(await b.fetch(s.id, { agency: 'H41' }), body)).toBe(0);
    expect(await b.ack(s.id, { agency: 'H41', status: 'done' })).toMatchObject({ state: 'done' });
    expect(await b.list()).toEqual([]);
    const sent = await a.sent({ kind: 'edoc', since: new Date(Date.now() - 60_000).toISOString() });
    expect(sent.find((m) => m.id === s.id)!.recipients[0]).toMatchObject({ code: 'H41', state: 'done' });
    expect((await a.agencies()).map((x) => x.code)).toContain('G22');
    const err = await a
      .send(edoc({ from: 'H41', to: ['G22'], documentId: docId() }), { messageKey: 'client-2' })
      .catch((e) => e);
    expect(err).toMatchObject({
      name: 'HubRequestError',
      status: 403,
      code: 'HUB_SENDER_NOT_ALLOWED',
      axisCode: 19,
    });
    const bad = hubClient({ url, systemId: A.id, secret: 'wrong' });
    await expect(bad.agencies()).rejects.toMatchObject({
      status: 401,
      code: 'HUB_AUTH_FAILED',
      axisCode: 15,
    });
  });
});

describe('the hub inside the installation (serve)', () => {
  it('is mounted under /hub/v1 beside /api, in the same OpenAPI document, with its own authentication', async () => {
    const { url } = await freshDatabase();
    const main = createDb(url, 3);
    const hubDb = await connectHubDatabase((await emptyDatabase()).url);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'congvu-hub-'));
    const built = await buildApp({
      config: loadConfig({
        CONGVU_DATA_DIR: dataDir,
        CONGVU_LOG_LEVEL: 'silent',
        DATABASE_URL: url,
        HUB_MAX_MESSAGE_MB: '0.002', // 2 097 bytes
      }),
      db: main.db,
      logger: false,
      dispatch: false,
      hub: { db: hubDb.db, log: () => {} },
    });
    try {
      await built.app.ready();
      expect((await built.app.inject({ method: 'GET', url: '/hub/v1/health' })).statusCode).toBe(200);
      expect((await built.app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
      const doc = (await built.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
      expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/hub/v1/messages', '/api/health']));
      const noAuth = await built.app.inject({
        method: 'GET',
        url: '/hub/v1/agencies',
        cookies: { congvu_sid: 'x' },
      });
      expect(noAuth.statusCode).toBe(401);
      expect(noAuth.json().code).toBe('HUB_AUTH_FAILED');
      const svc = built.services.hub!;
      await svc.addAgency('test', { code: 'H77', name: 'Sở Bảy' });
      const s = await svc.addSystem('test', { name: 'S', agencies: ['H77'] });
      const ok = await built.app.inject({
        method: 'GET',
        url: '/hub/v1/agencies',
        headers: signHubRequest({
          systemId: s.id,
          secret: s.secret,
          method: 'GET',
          pathWithQuery: '/hub/v1/agencies',
        }),
      });
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toEqual([{ code: 'H77', legacyCode: null, name: 'Sở Bảy', parentCode: null }]);
      // HUB_MAX_MESSAGE_MB bounds an envelope (and only the envelope route: the app's own limit is 1 MB).
      const sendSized = (n: number, key: string) => {
        const body = edoc({ from: 'H77', to: ['H77'], documentId: `H77,2026/11/23,${key}/X`, pad: n });
        return built.app.inject({
          method: 'POST',
          url: '/hub/v1/messages',
          headers: {
            ...signHubRequest({
              systemId: s.id,
              secret: s.secret,
              method: 'POST',
              pathWithQuery: '/hub/v1/messages',
              body,
            }),
            'content-type': 'application/xml',
            'x-message-key': key,
          },
          payload: body,
        });
      };
      expect((await sendSized(50, 'small')).statusCode).toBe(201);
      const big = await sendSized(3000, 'big');
      expect(big.statusCode).toBe(413);
      expect(big.json().code).toBe('FILE_TOO_LARGE');
      // The installation's tables are not in the hub's database, nor the hub's in the installation's.
      const mainTables = await sql<{
        n: string;
      }>`SELECT count(*) AS n FROM pg_tables WHERE tablename LIKE 'hub\\_%'`.execute(main.db);
      expect(mainTables.rows[0]!.n).toBe('0');
      // On DATABASE_URL without HUB_DATABASE_URL, serve has no hub database.
      expect(await openHubDatabase(loadConfig({ DATABASE_URL: url }), () => {}, { urlOf: null })).toBeNull();
    } finally {
      await built.app.close();
      await main.db.destroy();
      await hubDb.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('congvu hub (the command)', () => {
  const BIN = path.resolve(import.meta.dirname, '../bin/congvu.mjs');
  const run = promisify(execFile);

  it('administers agencies and systems, then runs the hub alone until SIGTERM', {
    timeout: 120_000,
  }, async () => {
    const { url } = await emptyDatabase();
    const env = {
      ...process.env,
      HUB_DATABASE_URL: url,
      HUB_PORT: '0',
      HOST: '127.0.0.1',
      CONGVU_LOG_LEVEL: 'silent',
      CONGVU_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'congvu-hubcli-')),
      HUB_ADMIN_TOKEN: 'ma-quan-tri-truc-cua-bai-thu-dong-lenh-32',
    };
    const cli = (...args: string[]) => run(process.execPath, [BIN, 'hub', ...args], { env });
    expect(
      (await cli('agency', 'add', 'H37.02.02', 'Sở Khoa học và Công nghệ', '-l', '000.02.37.H37')).stdout,
    ).toContain('Đã đăng ký cơ quan H37.02.02 (000.02.37.H37)');
    await cli('agency', 'add', 'H37.03', 'Sở Tài chính');
    expect((await cli('agency', 'list')).stdout).toContain(
      'H37.02.02\t000.02.37.H37\tactive\tSở Khoa học và Công nghệ',
    );
    await expect(cli('agency', 'add', 'H37.03', 'Trùng')).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('HUB_AGENCY_EXISTS'),
    });
    const added = await cli('system', 'add', '--name', 'QLVB Sở KH&CN', '--agency', 'H37.02.02', 'H37.03');
    const id = /HUB_SYSTEM_ID=(\S+)/.exec(added.stdout)![1]!;
    const secret = /HUB_SYSTEM_SECRET=(\S+)/.exec(added.stdout)![1]!;
    expect(added.stderr).toContain('HUB_SECRET_KEY');
    expect((await cli('system', 'list')).stdout).toContain(`${id}\tactive\tQLVB Sở KH&CN\tH37.02.02,H37.03`);
    expect((await cli('purge', '--days', '30')).stdout).toMatch(/^Đã xóa 0 gói tin, 0 lượt nhận/m);
    await expect(cli('purge', '--days', 'x')).rejects.toMatchObject({ code: 2 });

    const child: ChildProcess = spawn(process.execPath, [BIN, 'hub'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const base = await new Promise<string>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`no start line: ${out}`)), 25_000);
        child.stdout!.on('data', (d) => {
          out += d;
          const m = /đang chạy tại (http:\/\/localhost:\d+)\/hub\/v1/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!.replace('localhost', '127.0.0.1'));
          }
        });
        child.on('exit', (c) => reject(new Error(`exited ${c}: ${out}`)));
      });
      const health = await fetch(`${base}/hub/v1/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok', db: 'ok' });
      const agencies = await hubClient({ url: base, systemId: id, secret }).agencies();
      expect(agencies.map((a) => a.code)).toEqual(['H37.02.02', 'H37.03']);
      expect((await fetch(`${base}/api/health`)).status).toBe(404); // the hub alone, no installation
      // Its operator API answers HUB_ADMIN_TOKEN only.
      expect((await fetch(`${base}/api/hub-admin/systems`)).status).toBe(401);
      const systems = await fetch(`${base}/api/hub-admin/systems`, {
        headers: { authorization: `Bearer ${env.HUB_ADMIN_TOKEN}` },
      });
      expect(systems.status).toBe(200);
      const listed = (await systems.json()) as { items: { id: string }[] };
      expect(listed.items.map((x) => x.id)).toEqual([id]);
      const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      fs.rmSync(env.CONGVU_DATA_DIR, { recursive: true, force: true });
    }
  });

  it('has --help on its commands', async () => {
    for (const cmd of [['hub'], ['hub', 'agency', 'add'], ['hub', 'system', 'add'], ['hub', 'purge']]) {
      const { stdout } = await run(process.execPath, [BIN, ...cmd, '--help']);
      expect(stdout, cmd.join(' ')).toContain('Usage: congvu');
    }
  });
});
