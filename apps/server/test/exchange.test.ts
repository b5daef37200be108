import fs from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { httpHubPort } from '../src/modules/exchange/http-hub.ts';
import type { HubPort } from '../src/modules/exchange/hub-port.ts';
import { exchangeService } from '../src/modules/exchange/service.ts';
import { connectHubDatabase, type HubDatabaseHandle } from '../src/modules/hub/database.ts';
import { buildHubApp } from '../src/modules/hub/server.ts';
import type { HubService } from '../src/modules/hub/service.ts';
import {
  type CertificateAuthority,
  createRootCa,
  generateRsaKeyPair,
  issueAgencyCertificate,
  toPkcs12,
} from '../src/modules/signing/pki.ts';
import { BlobStore } from '../src/platform/files/store.ts';
import { emptyDatabase, setupApp, type TestApp } from './helpers.ts';
import { makePdf, uploadFile } from './support/pdf.ts';
import { SIGNING_PASSWORD, signingKit } from './support/signing.ts';

/*
 * Two installations (separate databases, separate apps) and a hub (its own database, on a real
 * port): A issues a signed document to an agency of B; B's inbox takes it in as "đã đến"; B's
 * clerk registers it, its leader assigns it, the specialist handles and finishes it; A's
 * timeline receives 01, 03, 04, 05, 06 in that order, each once.
 */

let handle: HubDatabaseHandle;
let hubApp: Awaited<ReturnType<typeof buildHubApp>>['app'];
let hub: HubService;
let A: TestApp;
let B: TestApp;
const tag = String(process.pid % 1000);
const aCode = `H88.${tag}.1`;
const bCode = `H77.${tag}.1`;
let a: string;
let b: string;
let outRegA: string;
let inRegB: string;
let drafter: { id: string; cookie: string };
let leader: { id: string; cookie: string };
let clerkA: string;
let clerkB: string;
let leaderB: string;
let specialistB: { id: string; cookie: string };
let p12Dir: string;
let kitCa: CertificateAuthority;

async function person(t: TestApp, roles: ('clerk' | 'leader' | 'specialist')[], agencyId: string) {
  const o = await t.f.official({ roles, agencyId });
  return { id: o.id, cookie: await t.f.login(o.username) };
}
const post = (t: TestApp, cookie: string, url: string, payload?: object) =>
  t.app.inject({ method: 'POST', url, headers: { cookie }, ...(payload && { payload }) });
const get = (t: TestApp, cookie: string, url: string) =>
  t.app.inject({ method: 'GET', url, headers: { cookie } });

/**
 * A's way to the hub, which can be cut (sends go to a port where nothing listens, as when the
 * hub is down) and can lose the hub's answer to the next send after the hub has committed the
 * message (the hub or the network went down, or A crashed before its own commit).
 */
let hubDown = false;
let triesWhileDown = 0;
let loseNextSendAnswer = false;
function lossy(port: HubPort, dead: HubPort): HubPort {
  return {
    ...port,
    async send(body, opts) {
      if (hubDown) {
        triesWhileDown++;
        return dead.send(body, opts);
      }
      const answer = await port.send(body, opts);
      if (loseNextSendAnswer) {
        loseNextSendAnswer = false;
        throw new Error('connection reset before the answer (test)');
      }
      return answer;
    },
  };
}

/** Waits (polling) until `check` returns a value; the workers run in the background. */
async function until<T>(what: string, check: () => Promise<T | undefined | false>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  const { url } = await emptyDatabase();
  handle = await connectHubDatabase(url);
  const built = await buildHubApp({
    config: loadConfig({ CONGVU_LOG_LEVEL: 'silent' }),
    db: handle.db,
    logger: false,
    log: () => {},
  });
  hubApp = built.app;
  hub = built.hub;
  await hubApp.listen({ host: '127.0.0.1', port: 0 });
  const hubUrl = `http://127.0.0.1:${(hubApp.server.address() as AddressInfo).port}`;
  const closedPort = await new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
  await hub.addAgency('test', { code: aCode, name: 'Ủy ban nhân dân tỉnh Gửi' });
  await hub.addAgency('test', { code: bCode, name: 'Sở Tài chính tỉnh Nhận' });
  const sysA = await hub.addSystem('test', { name: 'Hệ thống tỉnh Gửi', agencies: [aCode] });
  const sysB = await hub.addSystem('test', { name: 'Hệ thống tỉnh Nhận', agencies: [bCode] });
  const env = (s: { id: string; secret: string }) => ({
    CONGVU_EXCHANGE_HUB_URL: hubUrl,
    CONGVU_EXCHANGE_SYSTEM_ID: s.id,
    CONGVU_EXCHANGE_SECRET: s.secret,
    CONGVU_EXCHANGE_POLL_MS: '100',
    CONGVU_OUTBOX_POLL_MS: '50',
  });
  // A signs its envelopes (XMLDSig) with a key of its agency, certified by a CA that B trusts.
  const ca = await createRootCa({ name: 'CA thử nghiệm liên thông', modulusLength: 2048 });
  const keys = await generateRsaKeyPair(2048);
  const { certificate } = await issueAgencyCertificate(ca, {
    agencyName: 'Ủy ban nhân dân tỉnh Gửi',
    publicKey: keys.publicKey,
  });
  p12Dir = fs.mkdtempSync(path.join(os.tmpdir(), 'congvu-exchange-'));
  const p12 = path.join(p12Dir, 'truc.p12');
  fs.writeFileSync(
    p12,
    await toPkcs12({
      privateKey: keys.privateKey,
      chain: [certificate, ca.certificate],
      password: 'goi-tin-2026',
    }),
  );
  A = await setupApp(
    { ...env(sysA), CONGVU_EXCHANGE_P12: p12, CONGVU_EXCHANGE_P12_PASSWORD: 'goi-tin-2026' },
    {
      exchangeHub: lossy(
        httpHubPort({ hubUrl, systemId: sysA.id, secret: sysA.secret }),
        httpHubPort({ hubUrl: `http://127.0.0.1:${closedPort}`, systemId: sysA.id, secret: sysA.secret }),
      ),
    },
  );
  B = await setupApp(env(sysB));
  const trusted = await post(B, (await B.f.session(['admin'])).cookie, '/api/signing/trust-anchors', {
    name: 'CA thử nghiệm liên thông',
    pem: ca.certificate.toString('pem'),
  });
  expect(trusted.statusCode).toBe(201);
  kitCa = ca;

  a = (await A.f.agency({ code: aCode, name: 'Ủy ban nhân dân tỉnh Gửi', shortName: 'UBND' })).id;
  b = (await B.f.agency({ code: bCode, name: 'Sở Tài chính tỉnh Nhận', shortName: 'STC' })).id;
  const register = async (t: TestApp, agencyId: string, kind: 'incoming' | 'outgoing', code: string) =>
    (
      await post(t, (await t.f.session(['admin'])).cookie, '/api/documents/registers', {
        agencyId,
        kind,
        code,
        name: `Sổ văn bản ${code}`,
      })
    ).json().id as string;
  outRegA = await register(A, a, 'outgoing', 'DI');
  inRegB = await register(B, b, 'incoming', 'DEN');
  drafter = await person(A, ['specialist'], a);
  leader = await person(A, ['leader'], a);
  clerkA = (await person(A, ['clerk'], a)).cookie;
  clerkB = (await person(B, ['clerk'], b)).cookie;
  leaderB = (await person(B, ['leader'], b)).cookie;
  specialistB = await person(B, ['specialist'], b);
  const kit = await signingKit(A, { ca: kitCa });
  await kit.personal(leader.id);
  await kit.agency(a);
  // B's directory learns A's neighbours from the hub.
  await A.services.exchange.syncDirectory();
}, 120_000);

afterAll(async () => {
  await A?.close();
  await B?.close();
  await hubApp?.close();
  await handle?.close();
  if (p12Dir) fs.rmSync(p12Dir, { recursive: true, force: true });
});

/** A signed document issued at A to B's agency; its id. */
async function issueToB(subject: string): Promise<string> {
  const main = await uploadFile(A.app, drafter.cookie, 'cong-van.pdf', await makePdf(subject));
  const created = await post(A, drafter.cookie, '/api/documents/outgoing', {
    agencyId: a,
    typeId: 'cong_van',
    subject,
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
  expect(
    (await post(A, clerkA, `/api/documents/${id}/issue`, { registerId: outRegA, signing })).statusCode,
  ).toBe(200);
  return id;
}

describe('document exchange between two installations through the hub', () => {
  it('A issues to B; B takes it in, registers, assigns, handles; A sees 01, 03, 04, 05, 06 in order', async () => {
    const dir = (await get(A, drafter.cookie, '/api/exchange/directory')).json();
    expect(dir.items.map((x: { code: string }) => x.code)).toEqual([bCode]);

    const pdf = await makePdf('Cong van gui tinh ban');
    const main = await uploadFile(A.app, drafter.cookie, 'cong-van.pdf', pdf);
    const created = await post(A, drafter.cookie, '/api/documents/outgoing', {
      agencyId: a,
      typeId: 'cong_van',
      subject: 'Về việc phối hợp kiểm tra liên ngành',
      draftingUnit: 'VP',
      signerCompetence: 'TM. ỦY BAN NHÂN DÂN',
      signerName: 'Trần Quốc Hưng',
      urgency: 'urgent',
      recipients: [{ agencyCode: bCode, name: 'Sở Tài chính tỉnh Nhận' }, { name: 'Lưu: VT, VP' }],
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
    const issued = await post(A, clerkA, `/api/documents/${id}/issue`, { registerId: outRegA, signing });
    expect(issued.statusCode, issued.body).toBe(200);
    expect(issued.json()).toMatchObject({ number: '01', notation: 'UBND-VP', paper: false, deliveredTo: [] });

    // B: the document arrives in the clerk's queue, as "đã đến", with its signed PDF.
    const waiting = await until('the edoc at B', async () => {
      const items = (await get(B, clerkB, '/api/documents/worklist?queue=to_register')).json().items;
      return items.length ? items : undefined;
    });
    expect(waiting).toHaveLength(1);
    expect(waiting[0]).toMatchObject({
      number: '01',
      notation: 'UBND-VP',
      status: 'received',
      issuerName: 'Ủy ban nhân dân tỉnh Gửi',
      subject: 'Về việc phối hợp kiểm tra liên ngành',
    });
    const copyId = waiting[0].id as string;
    // The envelope was signed by A's agency key; B trusts its CA.
    const arrived = (await get(B, clerkB, `/api/documents/${copyId}/exchange`)).json();
    expect(arrived.inbound).toMatchObject({
      from: aCode,
      xmlSignature: 'valid',
      xmlTrusted: true,
      xmlSigner: expect.stringContaining('Ủy ban nhân dân tỉnh Gửi'),
    });
    const copy = (await get(B, clerkB, `/api/documents/${copyId}`)).json();
    expect(copy).toMatchObject({ urgency: 'urgent', channel: 'electronic', direction: 'incoming' });
    const file = await get(B, clerkB, `/api/documents/${copyId}/files/1`);
    expect(file.statusCode).toBe(200);
    const sent = await get(A, clerkA, `/api/documents/${id}/files/1`);
    expect(file.rawPayload.equals(sent.rawPayload)).toBe(true); // the signed PDF, byte for byte

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
      (await post(B, clerkB, `/api/documents/${copyId}/register`, { registerId: inRegB })).statusCode,
    ).toBe(200);
    await until('status 03 at A', async () => (await events()).includes('03'));
    const assigned = await post(B, leaderB, `/api/documents/${copyId}/assignments`, {
      instruction: 'Giao chuyên viên xử lý.',
      items: [{ role: 'lead', officialId: specialistB.id, deadlineWorkingDays: 3 }],
    });
    expect(assigned.statusCode, assigned.body).toBe(201);
    await until('status 04 at A', async () => (await events()).includes('04'));
    const mine = assigned.json().items?.[0]?.id ?? assigned.json().assignments?.[0]?.id;
    const assignmentId =
      mine ??
      (await get(B, specialistB.cookie, `/api/documents/${copyId}`))
        .json()
        .assignments.find((x: { officialId: string | null }) => x.officialId === specialistB.id).id;
    expect(
      (await post(B, specialistB.cookie, `/api/documents/${copyId}/assignments/${assignmentId}/start`))
        .statusCode,
    ).toBe(200);
    await until('status 05 at A', async () => (await events()).includes('05'));
    expect(
      (
        await post(B, specialistB.cookie, `/api/documents/${copyId}/assignments/${assignmentId}/finish`, {
          result: 'Đã phối hợp kiểm tra, báo cáo kèm theo.',
        })
      ).statusCode,
    ).toBe(200);
    await until('status 06 at A', async () => (await events()).includes('06'));
    expect(await events()).toEqual(['sent', '01', '03', '04', '05', '06']);

    // Nothing arrived twice: one incoming document at B, each status once at A.
    const count = await B.db
      .selectFrom('documents')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('agency_id', '=', b)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
    const statuses = await A.db
      .selectFrom('exchange_inbound')
      .select(['status_code', 'outcome'])
      .where('kind', '=', 'status')
      .orderBy('status_code')
      .execute();
    expect(statuses).toEqual(
      ['01', '03', '04', '05', '06'].map((c) => ({ status_code: c, outcome: 'applied' })),
    );

    // Who cannot read A's document cannot follow its exchange either.
    const stranger = (await person(A, ['specialist'], (await A.f.agency()).id)).cookie;
    expect((await get(A, stranger, `/api/documents/${id}/exchange`)).statusCode).toBeGreaterThanOrEqual(403);
  });

  it('A recalls a document; B is asked, its clerk accepts (15): the copy is withdrawn and A sees 15', async () => {
    const id = await issueToB('Về việc tổ chức hội nghị (sẽ thu hồi)');
    const copyId = await until('the second edoc at B', async () => {
      const items = (await get(B, clerkB, '/api/documents/worklist?queue=to_register')).json().items as {
        id: string;
        subject: string;
      }[];
      return items.find((x) => x.subject.includes('sẽ thu hồi'))?.id;
    });
    // No recall asked yet: nothing to answer.
    const early = await post(B, clerkB, `/api/documents/${copyId}/exchange/recall-answer`, {
      accept: true,
      reason: 'Đồng ý',
    });
    expect(early.json().code).toBe('EXCHANGE_NO_RECALL_REQUEST');

    expect(
      (await post(A, clerkA, `/api/documents/${id}/recall`, { reason: 'Sai thời gian tổ chức' })).statusCode,
    ).toBe(200);
    await until('the recall request at B', async () => {
      const d = (await get(B, clerkB, `/api/documents/${copyId}`)).json();
      return d.timeline.some((e: { kind: string }) => e.kind === 'recall_requested');
    });
    // Only the clerk of the receiving agency answers.
    expect(
      (
        await post(B, specialistB.cookie, `/api/documents/${copyId}/exchange/recall-answer`, {
          accept: true,
          reason: 'Đồng ý',
        })
      ).statusCode,
    ).toBe(403);
    const answer = await post(B, clerkB, `/api/documents/${copyId}/exchange/recall-answer`, {
      accept: true,
      reason: 'Đồng ý thu hồi',
    });
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.json()).toEqual({ statusCode: '15' });
    const copy = (await get(B, clerkB, `/api/documents/${copyId}`)).json();
    expect(copy.validity).toMatchObject({ state: 'recalled' });
    // Answered once.
    expect(
      (
        await post(B, clerkB, `/api/documents/${copyId}/exchange/recall-answer`, {
          accept: false,
          reason: 'Đổi ý',
        })
      ).json().code,
    ).toBe('EXCHANGE_NO_RECALL_REQUEST');
    await until('status 15 at A', async () => {
      const ev = (await get(A, clerkA, `/api/documents/${id}/exchange`)).json().events as { event: string }[];
      return ev.some((e) => e.event === '15');
    });
  });

  it('A replaces a document: the replacement travels as BussinessDocType 3 and B marks its copy replaced', async () => {
    const issue = async (subject: string, recipients: object[]) => {
      const main = await uploadFile(A.app, drafter.cookie, 'tt.pdf', await makePdf(subject));
      const created = await post(A, drafter.cookie, '/api/documents/outgoing', {
        agencyId: a,
        typeId: 'cong_van',
        subject,
        draftingUnit: 'VP',
        recipients,
        reviewerIds: [leader.id],
        files: [{ sha256: main, name: 'tt.pdf', role: 'main' }],
      });
      const id = created.json().documentId as string;
      const signing = { password: SIGNING_PASSWORD };
      await post(A, leader.cookie, `/api/documents/${id}/review`, { decision: 'approved', signing });
      const issued = await post(A, clerkA, `/api/documents/${id}/issue`, { registerId: outRegA, signing });
      expect(issued.statusCode, issued.body).toBe(200);
      return { id, ...(issued.json() as { number: string; notation: string }) };
    };
    const old = await issue('Về kế hoạch kiểm tra (bản có sai sót)', [
      { agencyCode: bCode, name: 'Sở Tài chính tỉnh Nhận' },
    ]);
    const oldCopy = await until('the first version at B', async () => {
      const items = (await get(B, clerkB, '/api/documents/worklist?queue=to_register')).json().items as {
        id: string;
        subject: string;
      }[];
      return items.find((x) => x.subject.includes('bản có sai sót'))?.id;
    });
    // The replacement goes only to the archive here: it reaches B as the replacement.
    const rep = await issue('Về kế hoạch kiểm tra (thay thế)', [{ name: 'Lưu: VT, VP' }]);
    const replaced = await post(A, clerkA, `/api/documents/${old.id}/replace`, {
      reason: 'Sai thời gian kiểm tra',
      replacementId: rep.id,
    });
    expect(replaced.statusCode, replaced.body).toBe(200);
    const copy = await until('the old copy replaced at B', async () => {
      const d = (await get(B, clerkB, `/api/documents/${oldCopy}`)).json();
      return d.validity.state === 'replaced' ? d : undefined;
    });
    const newCopy = (await get(B, clerkB, `/api/documents/${copy.validity.replacedBy.id}`)).json();
    expect(newCopy).toMatchObject({
      subject: 'Về kế hoạch kiểm tra (thay thế)',
      number: rep.number,
      notation: rep.notation,
      status: 'received',
    });
    // The replacement is followed like any document: B's copy reports 01 to A.
    await until('01 for the replacement at A', async () => {
      const ev = (await get(A, clerkA, `/api/documents/${rep.id}/exchange`)).json().events as {
        event: string;
      }[];
      return ev.some((e) => e.event === '01');
    });
  });

  it("B's clerk returns a document (02 with the reason): A's timeline shows it, B's copy stays returned", async () => {
    const id = await issueToB('Về việc đề nghị cấp kinh phí (gửi nhầm)');
    const copyId = await until('the misaddressed edoc at B', async () => {
      const items = (await get(B, clerkB, '/api/documents/worklist?queue=to_register')).json().items as {
        id: string;
        subject: string;
      }[];
      return items.find((x) => x.subject.includes('gửi nhầm'))?.id;
    });
    const url = `/api/documents/${copyId}/return`;
    expect((await post(B, specialistB.cookie, url, { reason: 'Không đúng thẩm quyền' })).statusCode).toBe(
      403,
    );
    const returned = await post(B, clerkB, url, { reason: 'Không thuộc thẩm quyền của Sở Tài chính' });
    expect(returned.statusCode, returned.body).toBe(200);
    expect((await post(B, clerkB, url, { reason: 'Lần hai' })).json().code).toBe('DOCUMENT_RETURNED');
    expect(
      (await post(B, clerkB, `/api/documents/${copyId}/register`, { registerId: inRegB })).json().code,
    ).toBe('DOCUMENT_RETURNED');
    const copy = (await get(B, clerkB, `/api/documents/${copyId}`)).json();
    expect(copy.status).toBe('returned');
    const toRegister = (await get(B, clerkB, '/api/documents/worklist?queue=to_register')).json().items;
    expect(toRegister.map((x: { id: string }) => x.id)).not.toContain(copyId);

    const events = await until('status 02 at A', async () => {
      const ev = (await get(A, clerkA, `/api/documents/${id}/exchange`)).json().events as {
        agencyCode: string;
        event: string;
        description: string | null;
      }[];
      return ev.some((e) => e.event === '02') ? ev : undefined;
    });
    expect(events.map((e) => e.event)).toEqual(['sent', '01', '02']);
    expect(events[2]).toMatchObject({
      agencyCode: bCode,
      description: 'Từ chối tiếp nhận: Không thuộc thẩm quyền của Sở Tài chính',
    });
    // One 02 envelope left B, and A recorded one.
    const sent02 = await B.db
      .selectFrom('exchange_outbound')
      .select(['status_code', 'description'])
      .where('document_id', '=', copyId)
      .where('status_code', '=', '02')
      .execute();
    expect(sent02).toEqual([
      { status_code: '02', description: 'Từ chối tiếp nhận: Không thuộc thẩm quyền của Sở Tài chính' },
    ]);
    const got02 = await A.db
      .selectFrom('exchange_inbound')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('document_id', '=', id)
      .where('status_code', '=', '02')
      .executeTakeFirstOrThrow();
    expect(Number(got02.n)).toBe(1);
  });

  it('A updates a document (BussinessDocType 2): B is asked, accepts one update (15) and refuses another (16)', async () => {
    const id = await issueToB('Về việc kiểm tra quyết toán năm 2025 (bản cần đính chính)');
    const copyId = await until('the edoc to update at B', async () => {
      const items = (await get(B, clerkB, '/api/documents/worklist?queue=to_register')).json().items as {
        id: string;
        subject: string;
      }[];
      return items.find((x) => x.subject.includes('cần đính chính'))?.id;
    });
    const early = await post(B, clerkB, `/api/documents/${copyId}/exchange/update-answer`, {
      accept: true,
      reason: 'Đồng ý',
    });
    expect(early.json().code).toBe('EXCHANGE_NO_UPDATE_REQUEST');

    const updated = await post(A, clerkA, `/api/documents/${id}/update`, {
      reason: 'Đính chính trích yếu và người ký',
      subject: 'Về việc kiểm tra quyết toán năm 2025',
      signerName: 'Lê Văn Đính',
    });
    expect(updated.statusCode, updated.body).toBe(200);
    const asked = await until('the update request at B', async () => {
      const d = (await get(B, clerkB, `/api/documents/${copyId}`)).json();
      return d.timeline.find((e: { kind: string }) => e.kind === 'update_requested');
    });
    expect(asked.data).toMatchObject({
      reason: 'Đính chính trích yếu và người ký',
      changes: {
        subject: { to: 'Về việc kiểm tra quyết toán năm 2025' },
        signerName: { to: 'Lê Văn Đính' },
      },
    });
    // It travelled as an update naming the original DocumentId.
    const inbound = await B.db
      .selectFrom('exchange_inbound')
      .select(['business_type', 'outcome', 'document_id', 'edxml_document_id'])
      .where('document_id', '=', copyId)
      .where('business_type', '=', 2)
      .execute();
    const original = await B.db
      .selectFrom('exchange_inbound')
      .select('edxml_document_id')
      .where('document_id', '=', copyId)
      .where('outcome', '=', 'accepted')
      .executeTakeFirstOrThrow();
    expect(inbound).toEqual([
      {
        business_type: 2,
        outcome: 'applied',
        document_id: copyId,
        edxml_document_id: original.edxml_document_id,
      },
    ]);
    // Unchanged until the clerk answers; only the clerk answers.
    expect((await get(B, clerkB, `/api/documents/${copyId}`)).json().subject).toContain('cần đính chính');
    const answer = `/api/documents/${copyId}/exchange/update-answer`;
    expect((await post(B, specialistB.cookie, answer, { accept: true, reason: 'Đồng ý' })).statusCode).toBe(
      403,
    );
    const ok = await post(B, clerkB, answer, { accept: true, reason: 'Đồng ý đính chính' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ statusCode: '15' });
    const copy = (await get(B, clerkB, `/api/documents/${copyId}`)).json();
    expect(copy).toMatchObject({
      subject: 'Về việc kiểm tra quyết toán năm 2025',
      signerName: 'Lê Văn Đính',
    });
    expect(copy.timeline.at(-1)).toMatchObject({ kind: 'updated', data: { answer: 'Đồng ý đính chính' } });
    expect((await post(B, clerkB, answer, { accept: false, reason: 'Đổi ý' })).json().code).toBe(
      'EXCHANGE_NO_UPDATE_REQUEST',
    );
    // An answered update is not an answer to a recall, nor a recall request.
    expect(
      (
        await post(B, clerkB, `/api/documents/${copyId}/exchange/recall-answer`, {
          accept: true,
          reason: 'Thử',
        })
      ).json().code,
    ).toBe('EXCHANGE_NO_RECALL_REQUEST');

    // A second update, refused.
    expect(
      (await post(A, clerkA, `/api/documents/${id}/update`, { reason: 'Sửa số trang', pageCount: 4 }))
        .statusCode,
    ).toBe(200);
    await until('the second update request at B', async () => {
      const d = (await get(B, clerkB, `/api/documents/${copyId}`)).json();
      return d.timeline.filter((e: { kind: string }) => e.kind === 'update_requested').length === 2;
    });
    const no = await post(B, clerkB, answer, { accept: false, reason: 'Văn bản gốc có 2 trang' });
    expect(no.json()).toEqual({ statusCode: '16' });
    expect((await get(B, clerkB, `/api/documents/${copyId}`)).json().pageCount).not.toBe(4);

    const answers = await until('15 and 16 at A', async () => {
      const ev = (await get(A, clerkA, `/api/documents/${id}/exchange`)).json().events as {
        event: string;
        description: string | null;
      }[];
      const got = ev.filter((e) => e.event === '15' || e.event === '16');
      return got.length === 2 ? got : undefined;
    });
    expect(answers).toMatchObject([
      { event: '15', description: 'Đồng ý cập nhật - văn bản đến đã được cập nhật: Đồng ý đính chính' },
      { event: '16', description: 'Từ chối cập nhật: Văn bản gốc có 2 trang' },
    ]);
    // Two update envelopes left A, each sent once.
    const updates = await A.db
      .selectFrom('exchange_outbound')
      .select(['business_type', 'state'])
      .where('document_id', '=', id)
      .where('business_type', '=', 2)
      .execute();
    expect(updates).toEqual([
      { business_type: 2, state: 'sent' },
      { business_type: 2, state: 'sent' },
    ]);
  });

  it('the admin sees queued and sent envelopes and what arrived, retries a queued one, syncs the directory', async () => {
    const admin = (await A.f.session(['admin'])).cookie;
    // Hold A's dispatcher so that an envelope stays queued.
    await A.services.outbox.stop();
    try {
      const id = await issueToB('Về việc gửi lại gói tin');
      // Run the outbox until the envelope is queued (the issued event runs, the send waits).
      let queued: { id: string; documentId: string }[] = [];
      for (let i = 0; i < 20 && !queued.length; i++) {
        await A.services.outbox.runOnce(1);
        queued = (await get(A, admin, '/api/exchange/outbound?state=queued'))
          .json()
          .items.filter((o: { documentId: string }) => o.documentId === id);
        if (queued.length) break;
      }
      expect(queued).toHaveLength(1);
      const retried = await post(A, admin, `/api/exchange/outbound/${queued[0]!.id}/retry`);
      expect(retried.statusCode, retried.body).toBe(200);
      await A.services.outbox.runOnce(50);
      const sent = (await get(A, admin, '/api/exchange/outbound?state=sent&limit=500')).json().items;
      expect(sent.find((o: { id: string }) => o.id === queued[0]!.id)).toMatchObject({ state: 'sent' });
      // Sent: retrying it is refused; an unknown one is not found.
      expect((await post(A, admin, `/api/exchange/outbound/${queued[0]!.id}/retry`)).json().code).toBe(
        'EXCHANGE_ALREADY_SENT',
      );
      expect(
        (await post(A, admin, '/api/exchange/outbound/01900000-0000-7000-8000-0000000000ff/retry'))
          .statusCode,
      ).toBe(404);
      const audit = await A.db
        .selectFrom('audit_log')
        .select('action')
        .where('action', '=', 'exchange.outbound.retried')
        .execute();
      expect(audit).toHaveLength(1);
    } finally {
      A.services.outbox.start();
    }
    // What arrived at B, and the connection's health.
    const adminB = (await B.f.session(['admin'])).cookie;
    const inbound = (await get(B, adminB, '/api/exchange/inbound?outcome=accepted')).json().items;
    expect(inbound.length).toBeGreaterThanOrEqual(2);
    expect(inbound[0]).toMatchObject({ kind: 'edoc', from: aCode, to: bCode, xmlSignature: 'valid' });
    const health = (await get(B, adminB, '/api/exchange/health')).json();
    expect(health).toMatchObject({ connected: true });
    expect(health.inbound).toBeGreaterThanOrEqual(2);
    const synced = await post(A, admin, '/api/exchange/directory/sync');
    expect(synced.json()).toEqual({ agencies: 2 });
  });

  it('a message fetched again (crash before the ack) and the same document resent are kept once', async () => {
    const inbound = await B.db
      .selectFrom('exchange_inbound')
      .selectAll()
      .where('kind', '=', 'edoc')
      .where('business_type', '=', 0)
      .where('outcome', '=', 'accepted')
      .orderBy('received_at')
      .executeTakeFirstOrThrow();
    // The envelope as the hub keeps it (B has acked it, so its queue is empty).
    const { body } = await handle.db
      .selectFrom('hub_messages')
      .select('body')
      .where('id', '=', inbound.hub_message_id)
      .executeTakeFirstOrThrow();
    const p = {
      id: inbound.hub_message_id,
      kind: 'edoc' as const,
      from: aCode,
      to: bCode,
      documentId: inbound.edxml_document_id,
    };
    expect(await B.services.exchange.receive(p, body)).toBe('accepted');
    // The same envelope under another hub message id: recognised by its DocumentId.
    const again = { ...p, id: '01900000-0000-7000-8000-000000000001' };
    expect(await B.services.exchange.receive(again, body)).toBe('duplicate');
    const n = await B.db
      .selectFrom('exchange_inbound')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('edxml_document_id', '=', inbound.edxml_document_id)
      .where('outcome', '=', 'accepted')
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(1);
  });

  it('a signed envelope changed on the way is refused; an unsigned one is taken in and said to be unsigned', async () => {
    const first = await B.db
      .selectFrom('exchange_inbound')
      .select(['hub_message_id', 'edxml_document_id'])
      .where('kind', '=', 'edoc')
      .where('business_type', '=', 0)
      .where('outcome', '=', 'accepted')
      .orderBy('received_at')
      .executeTakeFirstOrThrow();
    const { body } = await handle.db
      .selectFrom('hub_messages')
      .select('body')
      .where('id', '=', first.hub_message_id)
      .executeTakeFirstOrThrow();
    const text = Buffer.from(body).toString('utf8');
    expect(text).toContain('<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"');
    const tampered = Buffer.from(text.replace('phối hợp kiểm tra liên ngành', 'phối hợp kiểm tra đột xuất'));
    const p = {
      id: '01900000-0000-7000-8000-000000000003',
      kind: 'edoc' as const,
      from: aCode,
      to: bCode,
      documentId: first.edxml_document_id,
    };
    expect(await B.services.exchange.receive(p, tampered)).toBe('rejected');
    const row = await B.db
      .selectFrom('exchange_inbound')
      .selectAll()
      .where('hub_message_id', '=', p.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ outcome: 'rejected', xml_signature: 'invalid' });
    // Stripped of its signature it is still the same DocumentId for the same agency: a duplicate,
    // recorded as unsigned.
    const unsigned = Buffer.from(
      text.replace(/<Signature xmlns="http:\/\/www\.w3\.org\/2000\/09\/xmldsig#"[\s\S]*?<\/Signature>/, ''),
    );
    const q = { ...p, id: '01900000-0000-7000-8000-000000000004' };
    expect(await B.services.exchange.receive(q, unsigned)).toBe('duplicate');
    const urow = await B.db
      .selectFrom('exchange_inbound')
      .selectAll()
      .where('hub_message_id', '=', q.id)
      .executeTakeFirstOrThrow();
    expect(urow.xml_signature).toBe('absent');
  });

  it('an envelope that is not edXML is recorded as rejected with its code', async () => {
    const p = {
      id: '01900000-0000-7000-8000-000000000002',
      kind: 'edoc' as const,
      from: aCode,
      to: bCode,
      documentId: 'x',
    };
    expect(await B.services.exchange.receive(p, Buffer.from('<a><!DOCTYPE x></a>'))).toBe('rejected');
    const row = await B.db
      .selectFrom('exchange_inbound')
      .selectAll()
      .where('hub_message_id', '=', p.id)
      .executeTakeFirstOrThrow();
    expect(row.detail).toMatch(/^EDXML_[A-Z_]+: /);
  });
  it("a disk error while storing the files is not the envelope's fault: nothing recorded, taken later", async () => {
    const inbound = await B.db
      .selectFrom('exchange_inbound')
      .selectAll()
      .where('kind', '=', 'edoc')
      .where('outcome', '=', 'accepted')
      .executeTakeFirstOrThrow();
    const { body } = await handle.db
      .selectFrom('hub_messages')
      .select('body')
      .where('id', '=', inbound.hub_message_id)
      .executeTakeFirstOrThrow();
    class FullDisk extends BlobStore {
      override async put(): Promise<never> {
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      }
    }
    const deps = { db: B.db, org: B.services.org, documents: B.services.documents };
    const onFullDisk = exchangeService({
      ...deps,
      blobs: new FullDisk(B.ctx.blobs.root, B.ctx.blobs.maxBytes),
    });
    const p = {
      id: '01900000-0000-7000-8000-000000000005',
      kind: 'edoc' as const,
      from: aCode,
      to: bCode,
      documentId: inbound.edxml_document_id,
    };
    // Thrown, so the inbox does not acknowledge it (a "fail" ack would lose the document).
    await expect(onFullDisk.receive(p, body)).rejects.toThrow(/ENOSPC/);
    expect(
      await B.db
        .selectFrom('exchange_inbound')
        .select('outcome')
        .where('hub_message_id', '=', p.id)
        .execute(),
    ).toEqual([]);
    // Fetched again once the disk has room: taken in as usual (here: recognised by its DocumentId).
    expect(await exchangeService({ ...deps, blobs: B.ctx.blobs }).receive(p, body)).toBe('duplicate');
  });

  it("the hub's answer to a send is lost after it committed: the retry gets the same message, sent once", async () => {
    loseNextSendAnswer = true;
    const id = await issueToB('Về việc gửi lại khi mất phản hồi của trục');
    const outbound = () =>
      A.db.selectFrom('exchange_outbound').selectAll().where('document_id', '=', id).executeTakeFirst();
    // The first attempt reached the hub, which stored the message, but A heard nothing back.
    const first = await until('the first attempt', async () => {
      const o = await outbound();
      return o && o.attempts >= 1 ? o : undefined;
    });
    expect(first).toMatchObject({ state: 'queued', hub_message_id: null });
    const atHub = await handle.db
      .selectFrom('hub_messages')
      .select(['id'])
      .where('message_key', '=', first.id)
      .execute();
    expect(atHub).toHaveLength(1);
    // The retry (due now instead of after the back-off) comes in a later second than the first.
    await new Promise((r) => setTimeout(r, 1100));
    await A.db
      .updateTable('outbox')
      .set({ next_attempt_at: new Date() })
      .where('dedupe_key', '=', `exchange:send:${first.id}`)
      .execute();
    const sent = await until(
      'the envelope marked sent',
      async () => {
        const o = await outbound();
        return o?.state === 'sent' ? o : undefined;
      },
      10_000,
    ).catch(async (e: Error) => {
      throw new Error(`${e.message} (last error: ${(await outbound())?.last_error})`);
    });
    // The hub answered the resend with the message it had: one message, delivered once.
    expect(sent.hub_message_id).toBe(atHub[0]!.id);
    expect(
      await handle.db.selectFrom('hub_messages').select('id').where('message_key', '=', first.id).execute(),
    ).toHaveLength(1);
    await until('01 at A', async () =>
      (
        await A.db
          .selectFrom('exchange_timeline')
          .select('event')
          .where('document_id', '=', id)
          .where('event', '=', '01')
          .execute()
      ).length
        ? true
        : undefined,
    );
    const events = await A.db
      .selectFrom('exchange_timeline')
      .select('event')
      .where('document_id', '=', id)
      .orderBy('event')
      .execute();
    expect(events.map((e) => e.event)).toEqual(['01', 'sent']);
    const copies = await B.db
      .selectFrom('exchange_inbound')
      .select(['outcome'])
      .where('edxml_document_id', '=', sent.edxml_document_id)
      .execute();
    expect(copies).toEqual([{ outcome: 'accepted' }]);
  }, 40_000);

  it('while the hub cannot be reached an envelope spends none of its attempts, and leaves soon after it is back', async () => {
    hubDown = true;
    triesWhileDown = 0;
    const id = await issueToB('Về việc gửi khi trục liên thông ngừng hoạt động');
    // The door is tried again and again (a short pause between tries), not once every back-off.
    await until('a few tries while the hub is down', async () => triesWhileDown >= 3, 8_000);
    const o = await A.db
      .selectFrom('exchange_outbound')
      .selectAll()
      .where('document_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(o.state).toBe('queued');
    expect(o.last_error).toMatch(/fetch failed|ECONNREFUSED/);
    const row = await A.db
      .selectFrom('outbox')
      .select(['status', 'attempts'])
      .where('dedupe_key', '=', `exchange:send:${o.id}`)
      .executeTakeFirstOrThrow();
    // The hub being down says nothing about this envelope: none of its attempts is used up.
    expect(row).toEqual({ status: 'pending', attempts: 0 });
    hubDown = false;
    const back = Date.now();
    await until(
      'the envelope sent once the hub is back',
      async () =>
        (await A.db.selectFrom('exchange_outbound').select('state').where('id', '=', o.id).executeTakeFirst())
          ?.state === 'sent',
      8_000,
    );
    expect(Date.now() - back).toBeLessThan(8_000);
  }, 40_000);
});
