import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { sealImage, signatureImage, verifyPdf } from '@congvu/pades';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nssDb, pdfsig } from '../../../packages/pades/test/helpers.ts';
import { setupApp, type TestApp } from './helpers.ts';
import { makePdf, uploadFile } from './support/pdf.ts';
import { SIGNING_PASSWORD, type SigningKit, signingKit } from './support/signing.ts';

/**
 * Signatures wired into the outgoing flow (NĐ 30 art. 5, 14, 32): the signer signs the PDF when
 * approving, the clerk adds the agency's signature at issuance, the document travels only with
 * both valid, and the recipient's copy verifies. Checked with our verifier and with poppler.
 */
let t: TestApp;
let kit: SigningKit;
let a: string;
let b: string;
let outReg: string;
let inRegB: string;
type Person = { id: string; cookie: string };
let drafter: Person;
let leader: Person;
let tokenLeader: Person;
let clerk: Person;
let clerkB: Person;
let nss: string;
const signing = { password: SIGNING_PASSWORD };
const bold = createRequire(import.meta.url).resolve('@expo-google-fonts/tinos/700Bold/Tinos_700Bold.ttf');

async function person(roles: ('leader' | 'specialist' | 'clerk')[], agencyId: string): Promise<Person> {
  const o = await t.f.official({ roles, agencyId });
  return { id: o.id, cookie: await t.f.login(o.username) };
}
const post = (p: Person, url: string, payload?: object) =>
  t.app.inject({ method: 'POST', url, headers: { cookie: p.cookie }, ...(payload && { payload }) });
const get = (p: Person, url: string) => t.app.inject({ method: 'GET', url, headers: { cookie: p.cookie } });
const detail = async (p: Person, id: string) => (await get(p, `/api/documents/${id}`)).json();
const mainOf = (d: { files: { role: string; sha256: string }[] }) => d.files.find((f) => f.role === 'main')!;
const bytesOf = async (p: Person, id: string, sha: string) =>
  new Uint8Array((await get(p, `/api/documents/${id}/blobs/${sha}`)).rawPayload);

beforeAll(async () => {
  t = await setupApp({ CONGVU_OUTBOX_POLL_MS: '50' });
  a = (await t.f.agency({ name: 'Ủy ban nhân dân tỉnh Thử', shortName: 'UBND' })).id;
  b = (await t.f.agency({ name: 'Sở Tài chính', shortName: 'STC' })).id;
  const admin = (await t.f.session(['admin'])).cookie;
  const reg = async (agencyId: string, kind: 'incoming' | 'outgoing', code: string) =>
    (
      await t.app.inject({
        method: 'POST',
        url: '/api/documents/registers',
        headers: { cookie: admin },
        payload: { agencyId, kind, code, name: `Sổ ${code}` },
      })
    ).json().id as string;
  outReg = await reg(a, 'outgoing', 'DI');
  inRegB = await reg(b, 'incoming', 'DEN');
  drafter = await person(['specialist'], a);
  leader = await person(['leader'], a);
  tokenLeader = await person(['leader'], a);
  clerk = await person(['clerk'], a);
  clerkB = await person(['clerk'], b);
  kit = await signingKit(t);
  await kit.personal(leader.id, 'Trần Quốc Hưng', {
    image: Buffer.from(signatureImage('Trần Quốc Hưng').png),
  });
  await kit.agency(a, 'Ủy ban nhân dân tỉnh Thử', {
    image: Buffer.from(sealImage('Ủy ban nhân dân tỉnh Thử', new Uint8Array(readFileSync(bold))).png),
  });
  nss = nssDb(kit.ca.certificate.toString('pem'));
});
afterAll(async () => t?.close());

async function draft(signer: Person, withAppendix = false) {
  const main = await uploadFile(t.app, drafter.cookie, 'cong-van.pdf', await makePdf('Cong van so ...', 2));
  const appendix = await uploadFile(t.app, drafter.cookie, 'phu-luc.pdf', await makePdf('Phu luc I'));
  const res = await post(drafter, '/api/documents/outgoing', {
    agencyId: a,
    typeId: 'cong_van',
    subject: 'Về việc triển khai chữ ký số trong cơ quan nhà nước',
    draftingUnit: 'VP',
    signerCompetence: 'TM. ỦY BAN NHÂN DÂN',
    signerPosition: 'CHỦ TỊCH',
    recipients: [{ agencyId: b }, { name: 'Lưu: VT, VP' }],
    reviewerIds: [signer.id],
    files: [
      { sha256: main, name: 'cong-van.pdf', role: 'main' },
      ...(withAppendix ? [{ sha256: appendix, name: 'phu-luc.pdf', role: 'appendix' }] : []),
    ],
  });
  expect(res.statusCode, res.body).toBe(201);
  return { id: res.json().documentId as string, main, appendix };
}

describe('signing in the outgoing flow', () => {
  it('the signer signs on approval, the clerk adds the agency signature on issuance; both verify here, in pdfsig, and at the recipient', async () => {
    const { id, main, appendix } = await draft(leader, true);
    expect(
      (await post(leader, `/api/documents/${id}/review`, { decision: 'approved', signing })).statusCode,
    ).toBe(204);
    const approved = await detail(drafter, id);
    const personal = mainOf(approved).sha256;
    expect(personal).not.toBe(main);
    expect(approved.signature).toEqual({ personal: 'signed', agency: null });
    const once = await verifyPdf(await bytesOf(drafter, id, personal), {
      trustAnchors: [new Uint8Array(kit.ca.certificate.rawData)],
    });
    expect(once).toMatchObject({ valid: true, trusted: true });
    expect(once.signatures.map((s) => s.signer.commonName)).toEqual(['Trần Quốc Hưng']);
    expect(once.signatures[0]!.reason).toBe('Ký ban hành văn bản');

    const issued = await post(clerk, `/api/documents/${id}/issue`, { registerId: outReg, signing });
    expect(issued.statusCode, issued.body).toBe(200);
    expect(issued.json()).toMatchObject({ number: '01', notation: 'UBND-VP', paper: false });
    const doc = await detail(drafter, id);
    expect(doc.signature).toEqual({ personal: 'signed', agency: 'signed' });
    const final = await bytesOf(drafter, id, mainOf(doc).sha256);
    const report = await verifyPdf(final, { trustAnchors: [new Uint8Array(kit.ca.certificate.rawData)] });
    expect(report).toMatchObject({ valid: true, trusted: true });
    expect(report.signatures.map((s) => [s.signer.commonName, s.modificationsAfter])).toEqual([
      ['Trần Quốc Hưng', 'allowed'],
      ['Ủy ban nhân dân tỉnh Thử', 'none'],
    ]);
    // Independent verifier: poppler with the test CA trusted.
    const out = pdfsig(nss, final);
    expect(out.match(/Signature Validation: Signature is Valid\./g)).toHaveLength(2);
    expect(out.match(/Certificate Validation: Certificate is Trusted\./g)).toHaveLength(2);
    // The appendix carries the agency's signature (top right of page 1, number/notation and time).
    const signedAppendix = doc.files.find((f: { role: string }) => f.role === 'appendix');
    expect(signedAppendix.sha256).not.toBe(appendix);
    const ar = await verifyPdf(await bytesOf(drafter, id, signedAppendix.sha256), {
      trustAnchors: [new Uint8Array(kit.ca.certificate.rawData)],
    });
    expect(ar).toMatchObject({ valid: true, trusted: true });
    expect(ar.signatures[0]!.reason).toBe('Ký số của cơ quan, tổ chức (phụ lục văn bản 01/UBND-VP)');
    expect(pdfsig(nss, await bytesOf(drafter, id, signedAppendix.sha256))).toContain('Signature is Valid.');

    // The recipient's copy is verified on arrival: one check per PDF, both signatures valid.
    const copyId = issued.json().deliveredTo[0].documentId as string;
    const until = Date.now() + 20_000;
    let copy = await detail(clerkB, copyId);
    while (copy.signatureChecks.length < 2 && Date.now() < until) {
      await t.services.outbox.runOnce();
      await new Promise((r) => setTimeout(r, 50));
      copy = await detail(clerkB, copyId);
    }
    const check = copy.signatureChecks.find((c: { sha256: string }) => c.sha256 === mainOf(doc).sha256);
    expect(check).toMatchObject({ signatureCount: 2, valid: true, trusted: true });
    expect(check.text).toContain('Trần Quốc Hưng');
    expect((await post(clerkB, `/api/documents/${copyId}/register`, { registerId: inRegB })).statusCode).toBe(
      200,
    );
  });

  it('a tampered or untrusted signature is never kept: nothing changes and the Vietnamese report says why', async () => {
    // A credential from a CA nobody trusts.
    const stranger = await person(['leader'], a);
    const other = await signingKit(t, { trust: false });
    await other.personal(stranger.id, 'Người Lạ');
    const { id, main } = await draft(stranger);
    const res = await post(stranger, `/api/documents/${id}/review`, { decision: 'approved', signing });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({
      code: 'SIGNING_SIGNATURE_INVALID',
      message: 'Chữ ký số không hợp lệ, văn bản chưa được ký',
    });
    expect(res.json().details.report).toMatch(/tin cậy/);
    const d = await detail(drafter, id);
    expect(d.status).toBe('in_review');
    expect(mainOf(d).sha256).toBe(main);
  });

  it('client-side signing: the token signs the challenge, the server never holds the key', async () => {
    const token = await kit.token({ officialId: tokenLeader.id }, 'Lý Văn Thắng');
    const { id, main } = await draft(tokenLeader);
    // A password means nothing for a token credential.
    expect(
      (await post(tokenLeader, `/api/documents/${id}/review`, { decision: 'approved', signing })).json().code,
    ).toBe('SIGNING_METHOD_MISMATCH');
    // Only the signer whose turn it is may start.
    expect(
      (await post(drafter, `/api/documents/${id}/signing/start`, { purpose: 'personal' })).statusCode,
    ).toBe(403);
    const start = async () => {
      const r = await post(tokenLeader, `/api/documents/${id}/signing/start`, { purpose: 'personal' });
      expect(r.statusCode, r.body).toBe(200);
      return r.json().challenges as { sessionId: string; signedAttributes: string; fileName: string }[];
    };
    const [c] = await start();
    expect(c!.fileName).toBe('cong-van.pdf');
    // A signature over other bytes is refused and burns the session.
    const wrong = Buffer.from(token.signSignedAttributes(new Uint8Array([1, 2, 3]))).toString('base64');
    const bad = await post(tokenLeader, `/api/documents/${id}/review`, {
      decision: 'approved',
      signing: { sessions: [{ sessionId: c!.sessionId, signature: wrong }] },
    });
    expect(bad.json().code).toBe('SIGNING_SIGNATURE_INVALID');
    const [c2] = await start();
    const answer = Buffer.from(
      token.signSignedAttributes(Buffer.from(c2!.signedAttributes, 'base64')),
    ).toString('base64');
    const sessions = [{ sessionId: c2!.sessionId, signature: answer }];
    // Another official cannot complete someone else's session.
    expect(
      (await post(leader, `/api/documents/${id}/review`, { decision: 'approved', signing: { sessions } }))
        .statusCode,
    ).toBe(403);
    const ok = await post(tokenLeader, `/api/documents/${id}/review`, {
      decision: 'approved',
      signing: { sessions },
    });
    expect(ok.statusCode, ok.body).toBe(204);
    const d = await detail(drafter, id);
    expect(d.status).toBe('approved');
    const signed = await bytesOf(drafter, id, mainOf(d).sha256);
    expect(mainOf(d).sha256).not.toBe(main);
    const report = await verifyPdf(signed, { trustAnchors: [new Uint8Array(kit.ca.certificate.rawData)] });
    expect(report).toMatchObject({ valid: true, trusted: true });
    expect(report.signatures[0]!.signer.commonName).toBe('Lý Văn Thắng');
    expect(pdfsig(nss, signed)).toContain('Signature is Valid.');
    // A used session cannot be replayed.
    expect(
      (await post(tokenLeader, `/api/documents/${id}/signing/start`, { purpose: 'personal' })).json().code,
    ).toBe('DOCUMENT_STATE');
  });

  it('the agency signature through the token: numbered first, then issued with the token’s answers', async () => {
    const { id } = await draft(leader);
    await post(leader, `/api/documents/${id}/review`, { decision: 'approved', signing });
    const other = await t.f.agency({ name: 'Sở Xây dựng', shortName: 'SXD' });
    const agencyToken = await kit.token({ agencyId: other.id }, 'Sở Xây dựng');
    expect(agencyToken.certificateChain.length).toBe(2);
    // The clerk of agency A: its credential is a .p12, so starting a token session is refused.
    const r = await post(clerk, `/api/documents/${id}/signing/start`, {
      purpose: 'agency',
      registerId: outReg,
    });
    expect(r.json().code).toBe('SIGNING_METHOD_MISMATCH');
    // ...but the number was given (cấp số comes before the agency signature) and stays.
    const d = await detail(clerk, id);
    expect(d).toMatchObject({ status: 'approved', number: '02', notation: 'UBND-VP' });
    const again = await post(clerk, `/api/documents/${id}/number`, { registerId: outReg });
    expect(again.json()).toMatchObject({ number: '02', notation: 'UBND-VP' });
    expect((await post(drafter, `/api/documents/${id}/number`, { registerId: outReg })).statusCode).toBe(403);
  });

  it('shows each official what they sign with', async () => {
    const mine = (await get(leader, '/api/signing/credentials/mine')).json();
    expect(mine.personal).toMatchObject({
      kind: 'pkcs12',
      hasImage: true,
      holder: { kind: 'official', id: leader.id },
    });
    expect(mine.agencies).toEqual([]);
    const clerks = (await get(clerk, '/api/signing/credentials/mine')).json();
    expect(clerks.personal).toBeNull();
    expect(clerks.agencies.map((c: { holder: { id: string } }) => c.holder.id)).toEqual([a]);
    const list = await t.app.inject({
      method: 'GET',
      url: '/api/signing/credentials',
      headers: { cookie: kit.admin },
    });
    expect(list.json().items.length).toBeGreaterThanOrEqual(4);
    // A bad .p12 password is refused and nothing is registered.
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/signing/credentials',
      headers: { cookie: kit.admin },
      payload: {
        officialId: drafter.id,
        pkcs12: Buffer.from('khong phai p12').toString('base64'),
        password: 'x',
      },
    });
    expect(bad.json().code).toBe('SIGNING_CREDENTIAL_INVALID');
    expect((await get(drafter, '/api/signing/credentials/mine')).json().personal).toBeNull();
  });
});
