import net, { type AddressInfo } from 'node:net';
import { buildEdoc, buildStatus, parseDocumentId } from '@congvu/edxml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { HubUnavailable } from '../src/modules/exchange/hub-port.ts';
import { VdxpRequestError, vdxpDate, vdxpHubPort, vdxpMessageId } from '../src/modules/exchange/vdxp.ts';
import { setupApp, type TestApp } from './helpers.ts';
import { type FakeVdxp, startFakeVdxp } from './support/fake-vdxp.ts';
import { makePdf, uploadFile } from './support/pdf.ts';
import { SIGNING_PASSWORD, signingKit } from './support/signing.ts';

/*
 * The VDXP adapter (exchange/vdxp.ts) against a FAKE of the national axis (support/fake-vdxp.ts:
 * a real HTTP server on loopback speaking the axis's REST form; the real axis is unreachable from
 * here). First the adapter's operations and error codes one by one, then two installations
 * exchanging a document over the fake axis with CONGVU_EXCHANGE_ADAPTER=vdxp.
 */

let fake: FakeVdxp;
const SENDER = 'H37.02.02';
const RECEIVER = 'H37.05.01';
const LOCKED = 'H37.07.07';
const OTHER = 'H37.08.08'; // registered at the axis, but no system of ours acts for it
let sysA: { id: string; secret: string };
let sysB: { id: string; secret: string };
let seq = 0;
const docId = (issuer = SENDER) => `${issuer},2026/11/23,${++seq}/VDXP-${process.pid}`;

function edoc(o: { from?: string; to: string[]; documentId?: string }) {
  const id = o.documentId ?? docId(o.from);
  const parts = parseDocumentId(id);
  if (!parts) throw new Error(`bad test DocumentId ${id}`);
  return Buffer.from(
    buildEdoc(
      {
        header: {
          from: { organId: o.from ?? SENDER, organName: 'Sở Khoa học và Công nghệ' },
          to: o.to.map((t) => ({ organId: t })),
          documentId: id,
          code: { number: parts.number, notation: parts.notation },
          promulgation: { date: parts.date },
          documentType: { type: 1, typeName: 'Công văn' },
          subject: `Văn bản thử qua trục quốc gia ${seq}`,
          responseFor: [],
        },
        traceHeaders: [],
        business: { documentId: id, docType: 0 },
        manifest: [{ contentId: 'cid:1', attachmentName: 'cong-van.pdf' }],
      },
      [
        {
          contentId: 'cid:1',
          attachmentName: 'cong-van.pdf',
          contentType: 'application/pdf',
          content: new Uint8Array(Buffer.from('%PDF-1.7 tệp thử')),
        },
      ],
      { mode: 'lenient' },
    ),
  );
}

const port = (s: { id: string; secret: string }, url = fake.url) =>
  vdxpHubPort({ url, systemId: s.id, secret: s.secret, timeoutMs: 5_000 });

/** What `p` rejects with, for matching. */
async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a failure');
}

beforeAll(async () => {
  fake = await startFakeVdxp();
  fake.addAgency({ code: SENDER, code102: '000.02.37.H37', name: 'Sở Khoa học và Công nghệ', pcode: 'H37' });
  fake.addAgency({ code: RECEIVER, name: 'Sở Tài chính' });
  fake.addAgency({ code: LOCKED, name: 'Sở đã khóa', locked: true });
  fake.addAgency({ code: OTHER, name: 'Cơ quan không có hệ thống' });
  sysA = fake.addSystem('vxp.test.a', [SENDER]);
  sysB = fake.addSystem('vxp.test.b', [RECEIVER, LOCKED]);
});

afterAll(async () => {
  await fake?.close();
});

describe('the VDXP adapter against the fake axis', () => {
  it('sends an edoc; the recipient lists, fetches byte for byte and acknowledges it; the sender sees done', async () => {
    const a = port(sysA);
    const b = port(sysB);
    const body = edoc({ to: [RECEIVER] });
    const sent = await a.send(body, { messageKey: 'khoa-1' });
    expect(sent.recipients).toEqual([RECEIVER]);
    expect(sent.id).toMatch(/^[0-9a-f-]{36}$/);

    const waiting = await b.pending('edoc', 10);
    expect(waiting).toEqual([{ id: sent.id, kind: 'edoc', from: SENDER, to: RECEIVER, documentId: '' }]);
    expect(await b.pending('status', 10)).toEqual([]);
    expect((await b.fetch(sent.id, RECEIVER)).equals(body)).toBe(true);
    // The sender's system reads only what is addressed to its own agencies.
    expect(await a.pending('edoc', 10)).toEqual([]);
    expect(await a.sent('edoc', sent.id)).toMatchObject([
      { docId: sent.id, to: RECEIVER, status: 'initial' },
    ]);

    await b.ack(sent.id, RECEIVER, 'done');
    expect((await b.pending('edoc', 10)).map((p) => p.id)).not.toContain(sent.id);
    expect(await a.sent('edoc', sent.id)).toMatchObject([{ docId: sent.id, to: RECEIVER, status: 'done' }]);
  });

  it('asks for the received list over a date window in Việt Nam time and honours the limit', async () => {
    const b = port(sysB);
    const ids = [];
    for (let i = 0; i < 3; i++)
      ids.push((await port(sysA).send(edoc({ to: [RECEIVER] }), { messageKey: `w${i}` })).id);
    const first = await b.pending('edoc', 2);
    expect(first).toHaveLength(2);
    // Older than the window (30 days by default) is no longer asked for.
    fake.age(ids[2] as string, 40);
    expect((await b.pending('edoc', 100)).map((p) => p.id)).not.toContain(ids[2]);
    expect((await port(sysB).pending('edoc', 100)).map((p) => p.id)).toEqual(
      expect.arrayContaining([ids[0], ids[1]]),
    );
    const wide = vdxpHubPort({
      url: fake.url,
      systemId: sysB.id,
      secret: sysB.secret,
      receiveWindowDays: 60,
    });
    expect((await wide.pending('edoc', 100)).map((p) => p.id)).toContain(ids[2]);
    for (const id of ids) await b.ack(id as string, RECEIVER, 'fail');
    expect(await port(sysA).sent('edoc', ids[0])).toMatchObject([{ status: 'fail' }]);
    expect(vdxpDate(new Date('2026-11-23T17:30:00Z'))).toBe('2026/11/24'); // 00:30 in Hà Nội
  });

  it('sends a status as messagetype status to the issuer named in ResponseFor', async () => {
    const original = docId(SENDER);
    const body = Buffer.from(
      buildStatus({
        from: { organId: RECEIVER },
        responseFor: { organId: SENDER, documentId: original },
        statusCode: '01',
        timestamp: '2026/11/23 10:00:00',
      }),
    );
    const sent = await port(sysB).send(body, { messageKey: 'trang-thai-1' });
    expect(sent.recipients).toEqual([SENDER]);
    const waiting = await port(sysA).pending('status', 10);
    expect(waiting).toEqual([{ id: sent.id, kind: 'status', from: RECEIVER, to: SENDER, documentId: '' }]);
    expect(await port(sysA).pending('edoc', 10)).toEqual([]);
    expect((await port(sysA).fetch(sent.id, SENDER)).equals(body)).toBe(true);
    await port(sysA).ack(sent.id, SENDER, 'done');
    expect(await port(sysA).pending('status', 10)).toEqual([]);
  });

  it('gives a docId that is not a UUID (an SDK sample has 24-hex ones) a stable UUID and still fetches and acks it', async () => {
    fake.useObjectIds();
    try {
      const body = edoc({ to: [RECEIVER] });
      const sent = await port(sysA).send(body, { messageKey: 'oid-1' });
      const axisId = fake.deliveries.at(-1)?.docId as string;
      expect(axisId).toMatch(/^[0-9a-f]{24}$/);
      expect(sent.id).toBe(vdxpMessageId(axisId));
      expect(sent.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(vdxpMessageId(axisId)).toBe(sent.id); // the same every time
      const b = port(sysB);
      expect((await b.pending('edoc', 10)).map((p) => p.id)).toEqual([sent.id]);
      expect((await b.fetch(sent.id, RECEIVER)).equals(body)).toBe(true);
      await b.ack(sent.id, RECEIVER, 'done');
      expect(fake.deliveries.at(-1)?.status).toBe('done');
      expect(await b.pending('edoc', 10)).toEqual([]);
    } finally {
      fake.useObjectIds(false);
    }
  });

  it('syncs the agency list: QĐ 20 code, the QCVN 102 code as legacy code, the parent', async () => {
    const list = await port(sysA).agencies();
    expect(list).toEqual(
      expect.arrayContaining([
        { code: SENDER, legacyCode: '000.02.37.H37', name: 'Sở Khoa học và Công nghệ', parentCode: 'H37' },
        { code: RECEIVER, legacyCode: null, name: 'Sở Tài chính', parentCode: null },
      ]),
    );
    expect(list).toHaveLength(4);
  });

  it('maps every error code of the axis to ours', async () => {
    const a = port(sysA);
    const refused = async (p: Promise<unknown>, code: string, axisCode: number | undefined) => {
      const e = await failure(p);
      expect(e, e.message).toBeInstanceOf(VdxpRequestError);
      expect(e).toMatchObject({ code, ...(axisCode !== undefined && { axisCode }) });
      expect(e.message).toMatch(/[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]/i);
      return e;
    };
    // Produced by the fake from what is sent:
    await refused(port({ id: sysA.id, secret: 'sai-mat-khau' }).pending('edoc', 1), 'HUB_AUTH_FAILED', 15);
    await refused(
      port({ id: 'khong-co', secret: 'x' }).send(edoc({ to: [RECEIVER] }), { messageKey: 'k' }),
      'HUB_AUTH_FAILED',
      15,
    );
    await refused(a.send(Buffer.from('đây không phải XML'), { messageKey: 'k' }), 'HUB_ENVELOPE_INVALID', 10);
    await refused(
      a.send(Buffer.from('<?xml version="1.0"?><thu><khong-phai>edXML</khong-phai></thu>'), {
        messageKey: 'k',
      }),
      'HUB_ENVELOPE_INVALID',
      22,
    );
    await refused(a.send(edoc({ to: ['H37.99.99'] }), { messageKey: 'k' }), 'HUB_RECIPIENT_UNKNOWN', 18);
    await refused(a.send(edoc({ to: [OTHER] }), { messageKey: 'k' }), 'HUB_RECIPIENT_UNKNOWN', 18);
    await refused(
      a.send(edoc({ from: RECEIVER, to: [SENDER] }), { messageKey: 'k' }),
      'HUB_SENDER_NOT_ALLOWED',
      19,
    );
    await refused(a.send(edoc({ to: [LOCKED] }), { messageKey: 'k' }), 'VDXP_RECIPIENT_LOCKED', 23);
    // Injected, as the axis may answer them:
    fake.inject('sendEdoc', { errorCode: 21 });
    await refused(a.send(edoc({ to: [RECEIVER] }), { messageKey: 'k' }), 'VDXP_FILE_PROCESSING_FAILED', 21);
    fake.inject('sendEdoc', { errorCode: 22, where: 'top' });
    await refused(a.send(edoc({ to: [RECEIVER] }), { messageKey: 'k' }), 'HUB_ENVELOPE_INVALID', 22);
    fake.inject('getEdoc', { errorCode: 99 });
    await refused(a.fetch('x', SENDER), 'VDXP_REFUSED', 99);
    await refused(a.fetch('khong-co-goi-tin-nay', SENDER), 'VDXP_REFUSED', undefined);
    fake.inject('getAgenciesList', { http: 401, body: 'Unauthorized' });
    await refused(a.agencies(), 'HUB_AUTH_FAILED', 15);

    // The axis's own failure (20) and no proper answer at all: HubUnavailable (the outbox pauses).
    const unavailable = async (p: Promise<unknown>) =>
      expect(await failure(p)).toBeInstanceOf(HubUnavailable);
    fake.inject('sendEdoc', { errorCode: 20 });
    await unavailable(a.send(edoc({ to: [RECEIVER] }), { messageKey: 'k' }));
    fake.inject('syncReceivedEdocList', { errorCode: 20, where: 'top' });
    await unavailable(a.pending('edoc', 10));
    fake.inject('updateStatus', { http: 503 });
    await unavailable(a.ack('x', SENDER, 'done'));
    fake.inject('getEdoc', { http: 200, body: '<html>cổng bảo trì</html>' });
    await unavailable(a.fetch('x', SENDER));
    fake.inject('sendEdoc', 'hangup');
    await unavailable(a.send(edoc({ to: [RECEIVER] }), { messageKey: 'k' }));
    const closed = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    await unavailable(
      port(sysA, `http://127.0.0.1:${closed}`).send(edoc({ to: [RECEIVER] }), { messageKey: 'k' }),
    );
    // None of the refused envelopes reached the recipient.
    expect(await port(sysB).pending('edoc', 100)).toEqual([]);
  });

  it('is chosen with CONGVU_EXCHANGE_ADAPTER=vdxp; congvu is the default; anything else is refused', () => {
    const env = {
      CONGVU_EXCHANGE_HUB_URL: 'https://lgsp.example.gov.vn/api/',
      CONGVU_EXCHANGE_SYSTEM_ID: 'vxp.saas.99',
      CONGVU_EXCHANGE_SECRET: 'bi-mat-cua-he-thong-thu',
    };
    expect(loadConfig(env).exchange).toMatchObject({ adapter: 'congvu', receiveWindowDays: 30 });
    expect(
      loadConfig({ ...env, CONGVU_EXCHANGE_ADAPTER: 'vdxp', CONGVU_EXCHANGE_VDXP_DAYS: '7' }).exchange,
    ).toEqual({
      adapter: 'vdxp',
      hubUrl: 'https://lgsp.example.gov.vn/api',
      systemId: 'vxp.saas.99',
      secret: 'bi-mat-cua-he-thong-thu',
      receiveWindowDays: 7,
    });
    expect(() => loadConfig({ ...env, CONGVU_EXCHANGE_ADAPTER: 'soap' })).toThrow(/CONGVU_EXCHANGE_ADAPTER/);
  });
});

describe('two installations exchanging over the fake national axis', () => {
  let A: TestApp;
  let B: TestApp;
  const tag = String(process.pid % 1000);
  const aCode = `H66.${tag}.1`;
  const bCode = `H55.${tag}.1`;

  beforeAll(async () => {
    // The axis's docIds in the SDK sample's form (not UUIDs) all the way through.
    fake.useObjectIds();
    fake.addAgency({ code: aCode, name: 'Ủy ban nhân dân tỉnh Gửi' });
    fake.addAgency({ code: bCode, name: 'Sở Tài chính tỉnh Nhận' });
    const env = (s: { id: string; secret: string }) => ({
      CONGVU_EXCHANGE_ADAPTER: 'vdxp',
      CONGVU_EXCHANGE_HUB_URL: fake.url,
      CONGVU_EXCHANGE_SYSTEM_ID: s.id,
      CONGVU_EXCHANGE_SECRET: s.secret,
      CONGVU_EXCHANGE_POLL_MS: '100',
      CONGVU_OUTBOX_POLL_MS: '50',
    });
    A = await setupApp(env(fake.addSystem('vxp.tinh.gui', [aCode])));
    B = await setupApp(env(fake.addSystem('vxp.tinh.nhan', [bCode])));
  }, 120_000);

  afterAll(async () => {
    await A?.close();
    await B?.close();
  });

  it('A issues to B through the axis (its first send meets error 20); B takes it in and A sees 01 then 03', async () => {
    const a = (await A.f.agency({ code: aCode, name: 'Ủy ban nhân dân tỉnh Gửi', shortName: 'UBND' })).id;
    const b = (await B.f.agency({ code: bCode, name: 'Sở Tài chính tỉnh Nhận', shortName: 'STC' })).id;
    const admin = async (t: TestApp) => (await t.f.session(['admin'])).cookie;
    const register = async (t: TestApp, agencyId: string, kind: 'incoming' | 'outgoing', code: string) =>
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/documents/registers',
          headers: { cookie: await admin(t) },
          payload: { agencyId, kind, code, name: `Sổ văn bản ${code}` },
        })
      ).json().id as string;
    const outReg = await register(A, a, 'outgoing', 'DI');
    const inReg = await register(B, b, 'incoming', 'DEN');
    const person = async (t: TestApp, roles: ('clerk' | 'leader' | 'specialist')[], agencyId: string) => {
      const o = await t.f.official({ roles, agencyId });
      return { id: o.id, cookie: await t.f.login(o.username) };
    };
    const drafter = await person(A, ['specialist'], a);
    const leader = await person(A, ['leader'], a);
    const clerkA = (await person(A, ['clerk'], a)).cookie;
    const clerkB = (await person(B, ['clerk'], b)).cookie;
    const kit = await signingKit(A);
    await kit.personal(leader.id);
    await kit.agency(a);
    const post = (t: TestApp, cookie: string, url: string, payload?: object) =>
      t.app.inject({ method: 'POST', url, headers: { cookie }, ...(payload && { payload }) });
    const get = (t: TestApp, cookie: string, url: string) =>
      t.app.inject({ method: 'GET', url, headers: { cookie } });

    // The directory comes from the axis's agency list.
    expect(await A.services.exchange.syncDirectory()).toBeGreaterThanOrEqual(2);
    const dir = (await get(A, drafter.cookie, '/api/exchange/directory')).json();
    expect(dir.items.map((x: { code: string }) => x.code)).toContain(bCode);

    const main = await uploadFile(A.app, drafter.cookie, 'cong-van.pdf', await makePdf('Qua truc quoc gia'));
    const created = await post(A, drafter.cookie, '/api/documents/outgoing', {
      agencyId: a,
      typeId: 'cong_van',
      subject: 'Về việc thử liên thông qua trục quốc gia',
      draftingUnit: 'VP',
      recipients: [{ agencyCode: bCode, name: 'Sở Tài chính tỉnh Nhận' }],
      reviewerIds: [leader.id],
      files: [{ sha256: main, name: 'cong-van.pdf', role: 'main' }],
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().documentId as string;
    const signing = { password: SIGNING_PASSWORD };
    expect(
      (await post(A, leader.cookie, `/api/documents/${id}/review`, { decision: 'approved', signing }))
        .statusCode,
    ).toBe(204);
    fake.inject('sendEdoc', { errorCode: 20 });
    const sendsBefore = fake.calls.filter((c) => c.operation === 'sendEdoc').length;
    const issued = await post(A, clerkA, `/api/documents/${id}/issue`, { registerId: outReg, signing });
    expect(issued.statusCode, issued.body).toBe(200);

    const until = async <T>(what: string, check: () => Promise<T | undefined | false>, ms = 30_000) => {
      const end = Date.now() + ms;
      for (;;) {
        const v = await check();
        if (v) return v;
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    const waiting = await until('the edoc at B', async () => {
      const items = (await get(B, clerkB, '/api/documents/worklist?queue=to_register')).json().items;
      return items.length ? items : undefined;
    });
    expect(waiting).toHaveLength(1);
    expect(waiting[0]).toMatchObject({
      status: 'received',
      issuerName: 'Ủy ban nhân dân tỉnh Gửi',
      subject: 'Về việc thử liên thông qua trục quốc gia',
    });
    // Error 20 paused the send; the next attempt went through: two sendEdoc calls for the edoc.
    expect(fake.calls.filter((c) => c.operation === 'sendEdoc').length - sendsBefore).toBeGreaterThanOrEqual(
      2,
    );
    const copyId = waiting[0].id as string;
    const file = await get(B, clerkB, `/api/documents/${copyId}/files/1`);
    const original = await get(A, clerkA, `/api/documents/${id}/files/1`);
    expect(file.rawPayload.equals(original.rawPayload)).toBe(true);

    const events = async () =>
      (
        (await get(A, clerkA, `/api/documents/${id}/exchange`)).json().events as {
          agencyCode: string;
          event: string;
        }[]
      )
        .filter((e) => e.agencyCode === bCode)
        .map((e) => e.event);
    await until('status 01 at A', async () => (await events()).includes('01'));
    expect(
      (await post(B, clerkB, `/api/documents/${copyId}/register`, { registerId: inReg })).statusCode,
    ).toBe(200);
    await until('status 03 at A', async () => (await events()).includes('03'));
    expect(await events()).toEqual(['sent', '01', '03']);

    // Every delivery on the axis was acknowledged done: the edoc at B, the statuses at A.
    await until('acknowledged on the axis', async () =>
      fake.deliveries.filter((d) => d.to === aCode || d.to === bCode).every((d) => d.status === 'done'),
    );
    expect(fake.deliveries.filter((d) => d.to === bCode && d.messageType === 'edoc')).toHaveLength(1);
    expect(fake.deliveries.filter((d) => d.to === aCode && d.messageType === 'status')).toHaveLength(2);
  }, 120_000); // signing and two installations: ~10 s alone, several times that on a loaded machine
});
