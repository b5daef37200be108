import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { sealImage, verifyPdf } from '@congvu/pades';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nssDb, pdfsig } from '../../../packages/pades/test/helpers.ts';
import { setupApp, type TestApp } from './helpers.ts';
import { insertDossier, insertProcedure, insertStep, updateDossier } from './support/onestop-factory.ts';
import { SIGNING_PASSWORD, type SigningKit, signingKit } from './support/signing.ts';

/**
 * One-stop forms signed with the agency's signature (issue 6): the counter officer of the
 * receiving agency has the receipt signed with the agency's seal credential; the signed PDF is
 * verified (here and by poppler's pdfsig), kept with the dossier, on its timeline and in the
 * audit log, and signing the same content again changes nothing.
 */
let t: TestApp;
let kit: SigningKit;
let nss: string;
let ids: { a: string; b: string; c: string; d: string; dossier: string; code: string; plain: string };
let cookies: {
  counterA: string;
  clerkA: string;
  specialistB: string;
  counterC: string;
  counterD: string;
  admin: string;
};
let officerA: string;
const AGENCY_A = 'Ủy ban nhân dân xã Tân Phú';
const bold = createRequire(import.meta.url).resolve('@expo-google-fonts/tinos/700Bold/Tinos_700Bold.ttf');
const at = (s: string) => new Date(s);

beforeAll(async () => {
  t = await setupApp({ CONGVU_PUBLIC_URL: 'https://motcua.example.vn' });
  const a = await t.f.agency({ code: 'H52.1', name: AGENCY_A });
  const b = await t.f.agency({ code: 'H52.2', name: 'Công an huyện Tân Hòa' });
  const c = await t.f.agency({ code: 'H52.3', name: 'UBND xã Tân Lập' });
  const d = await t.f.agency({ code: 'H52.4', name: 'UBND xã Tân An' });
  const o = await t.f.official({ fullName: 'Lê Văn Cán', roles: ['counter'], agencyId: a.id });
  officerA = o.id;
  const p = await insertProcedure(t.db, { name: 'Đăng ký khai sinh', agencyIds: [a.id, c.id, d.id] });
  const dossierOf = async (agency: { id: string; code: string }, number: number) => {
    const x = await insertDossier(t.db, {
      agencyId: agency.id,
      agencyCode: agency.code,
      procedureId: p.id,
      caseId: p.caseIds[0]!,
      number,
      state: 'processing',
      applicantName: 'Trần Thị Bình',
      receivedAt: at('2026-04-24T16:30:00+07:00'),
      dueAt: at('2026-05-05T16:30:00+07:00'),
    });
    await updateDossier(t.db, x.id, { received_by: o.id, sets: 1 });
    return x;
  };
  const x = await dossierOf(a, 1);
  // Agency B handles a step: its officials may print the forms, not sign them for agency A.
  await insertStep(t.db, x.id, { ordinal: 1, name: 'Xác minh', agencyId: b.id });
  const plain = await dossierOf(c, 2);
  kit = await signingKit(t);
  await kit.agency(a.id, AGENCY_A, {
    image: Buffer.from(sealImage(AGENCY_A, new Uint8Array(readFileSync(bold))).png),
  });
  nss = nssDb(kit.ca.certificate.toString('pem'));
  ids = { a: a.id, b: b.id, c: c.id, d: d.id, dossier: x.id, code: x.code, plain: plain.id };
  cookies = {
    counterA: await t.f.login(o.username),
    clerkA: (await t.f.session(['clerk'], a.id)).cookie,
    specialistB: (await t.f.session(['specialist'], b.id)).cookie,
    counterC: (await t.f.session(['counter'], c.id)).cookie,
    counterD: (await t.f.session(['counter'], d.id)).cookie,
    admin: (await t.f.session(['admin'])).cookie,
  };
});
afterAll(async () => t?.close());

const sign = (
  form: string,
  cookie: string,
  signing: object = { password: SIGNING_PASSWORD },
  id = ids.dossier,
) =>
  t.app.inject({
    method: 'POST',
    url: `/api/dossiers/${id}/forms/${form}/sign`,
    headers: { cookie },
    payload: { signing },
  });
const get = (url: string, cookie = cookies.counterA) =>
  t.app.inject({ method: 'GET', url, headers: { cookie } });
const signedCount = async () =>
  Number(
    (
      await t.db
        .selectFrom('dossier_signed_forms')
        .select((e) => e.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('the receipt signed with the agency signature', () => {
  it('is signed, verified by pdfsig as the agency’s, kept, downloadable, on the timeline and audited', async () => {
    const res = await sign('receipt', cookies.counterA);
    expect(res.statusCode, res.body).toBe(201);
    const s = res.json();
    expect(s).toMatchObject({
      form: 'receipt',
      agencyId: ids.a,
      agencyName: AGENCY_A,
      signedById: officerA,
      signedByName: 'Lê Văn Cán',
    });
    expect(s.certificateSubject).toContain(AGENCY_A);

    const list = await get(`/api/dossiers/${ids.dossier}/signed-forms`);
    expect(list.json().items).toEqual([s]);
    const file = await get(`/api/dossiers/${ids.dossier}/signed-forms/${s.id}`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('application/pdf');
    const pdf = new Uint8Array(file.rawPayload);

    // Our verifier: one valid, trusted signature by the agency certificate, nothing changed after.
    const report = await verifyPdf(pdf, { trustAnchors: [new Uint8Array(kit.ca.certificate.rawData)] });
    expect(report).toMatchObject({ valid: true, trusted: true });
    expect(report.signatures.map((x) => [x.signer.commonName, x.modificationsAfter])).toEqual([
      [AGENCY_A, 'none'],
    ]);
    expect(report.signatures[0]!.reason).toBe(
      `Ký số của cơ quan, tổ chức (Giấy tiếp nhận hồ sơ và hẹn trả kết quả, hồ sơ ${ids.code})`,
    );
    // Poppler, with the test CA trusted: valid, trusted, and the signer is the agency.
    const out = pdfsig(nss, pdf);
    expect(out).toContain('Signature Validation: Signature is Valid.');
    expect(out).toContain('Certificate Validation: Certificate is Trusted.');
    expect(out).toContain(`Signer Certificate Common Name: ${AGENCY_A}`);
    // Still the receipt, with the visible signature's text.
    const text = execFileSync('pdftotext', ['-raw', '-', '-'], { input: Buffer.from(pdf) }).toString();
    expect(text).toContain('GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ');
    expect(text).toContain(`Mã hồ sơ: ${ids.code}`);

    const events = await t.db
      .selectFrom('dossier_events')
      .selectAll()
      .where('dossier_id', '=', ids.dossier)
      .where('kind', '=', 'form_signed')
      .execute();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      state: 'processing',
      actor_id: officerA,
      agency_id: ids.a,
      note: 'Ký số Giấy tiếp nhận hồ sơ và hẹn trả kết quả (chữ ký của cơ quan)',
    });
    const view = (await get(`/api/dossiers/${ids.dossier}`)).json();
    expect(view.events.map((e: { kind: string }) => e.kind)).toContain('form_signed');
    const audit = await t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'dossiers.form_signed')
      .where('entity_id', '=', ids.dossier)
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.summary).toMatchObject({ form: 'receipt', code: ids.code, sha256: s.sha256 });
  });

  it('signing the same content again answers the signed copy without a second row, event or audit', async () => {
    const before = await signedCount();
    const again = await sign('receipt', cookies.counterA);
    expect(again.statusCode, again.body).toBe(200);
    const first = (await get(`/api/dossiers/${ids.dossier}/signed-forms`)).json().items[0];
    expect(again.json()).toEqual(first);
    // Even a wrong password: nothing is signed, the signed copy is the answer.
    expect((await sign('receipt', cookies.counterA, { password: 'sai' })).statusCode).toBe(200);
    // Two requests at once: one signature kept.
    const both = await Promise.all([sign('control', cookies.counterA), sign('control', cookies.counterA)]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 201]);
    expect(await signedCount()).toBe(before + 1);
    const n = await t.db
      .selectFrom('dossier_events')
      .select('id')
      .where('dossier_id', '=', ids.dossier)
      .where('kind', '=', 'form_signed')
      .execute();
    expect(n).toHaveLength(2);
  });

  it('a changed form is signed again: the control sheet after a new step', async () => {
    const before = (await get(`/api/dossiers/${ids.dossier}/signed-forms`)).json().items.length;
    await insertStep(t.db, ids.dossier, { ordinal: 2, name: 'Trình ký', agencyId: ids.a });
    const res = await sign('control', cookies.counterA);
    expect(res.statusCode, res.body).toBe(201);
    const items = (await get(`/api/dossiers/${ids.dossier}/signed-forms`)).json().items;
    expect(items).toHaveLength(before + 1);
    expect(items.filter((x: { form: string }) => x.form === 'control')).toHaveLength(2);
  });
});

describe('errors', () => {
  it('a wrong password: SIGNING_PASSWORD_WRONG, nothing kept', async () => {
    const before = await signedCount();
    const res = await sign('supplement', cookies.counterA, { password: 'mat-khau-sai' });
    // No supplement request yet: the form does not apply, before any password is tried.
    expect(res.json()).toMatchObject({ code: 'DOSSIER_FORM_UNAVAILABLE' });
    const apology = await sign('refusal', cookies.counterA, { password: 'mat-khau-sai' });
    expect(apology.statusCode).toBe(409);
    expect(apology.json()).toMatchObject({
      code: 'DOSSIER_FORM_UNAVAILABLE',
      details: { reason: 'Hồ sơ không bị từ chối' },
    });
    await insertStep(t.db, ids.dossier, { ordinal: 3, name: 'Trả kết quả', agencyId: ids.a });
    const wrong = await sign('control', cookies.counterA, { password: 'mat-khau-sai' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toEqual({
      code: 'SIGNING_PASSWORD_WRONG',
      message: 'Mật khẩu chứng thư số không đúng',
    });
    expect(await signedCount()).toBe(before);
  });

  it('no agency credential: SIGNING_NO_CREDENTIAL', async () => {
    const res = await sign('receipt', cookies.counterC, { password: SIGNING_PASSWORD }, ids.plain);
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('SIGNING_NO_CREDENTIAL');
  });

  it('not the officer’s agency: 403, and no access to the signed copies of an unrelated dossier', async () => {
    // Agency B holds a step: it may print the receipt but not sign it with agency A's seal.
    expect((await get(`/api/dossiers/${ids.dossier}/forms/receipt`, cookies.specialistB)).statusCode).toBe(
      200,
    );
    const b = await sign('receipt', cookies.specialistB);
    expect(b.statusCode).toBe(403);
    expect(b.json()).toMatchObject({
      code: 'DOSSIER_FORM_SIGN_FORBIDDEN',
      message:
        'Chỉ cán bộ tiếp nhận hoặc xử lý hồ sơ của cơ quan lập phiếu mới được ký số phiếu bằng chữ ký của cơ quan',
    });
    // A clerk of agency A neither receives nor processes dossiers; the province admin is no officer.
    expect((await sign('receipt', cookies.clerkA)).json().code).toBe('DOSSIER_FORM_SIGN_FORBIDDEN');
    expect((await sign('receipt', cookies.admin)).json().code).toBe('DOSSIER_FORM_SIGN_FORBIDDEN');
    // Agency C has nothing to do with the dossier.
    const c = await sign('receipt', cookies.counterC);
    expect(c.statusCode).toBe(403);
    expect(c.json().code).toBe('FORBIDDEN');
    const start = await t.app.inject({
      method: 'POST',
      url: `/api/dossiers/${ids.dossier}/forms/receipt/sign/start`,
      headers: { cookie: cookies.counterC },
    });
    expect(start.statusCode).toBe(403);
    const signedId = (await get(`/api/dossiers/${ids.dossier}/signed-forms`)).json().items[0].id;
    expect((await get(`/api/dossiers/${ids.dossier}/signed-forms`, cookies.counterC)).statusCode).toBe(403);
    expect(
      (await get(`/api/dossiers/${ids.dossier}/signed-forms/${signedId}`, cookies.counterC)).statusCode,
    ).toBe(403);
    // A signed form of another dossier is not found through this one.
    const other = await get(`/api/dossiers/${ids.plain}/signed-forms/${signedId}`, cookies.counterC);
    expect(other.statusCode).toBe(404);
    expect(other.json().code).toBe('DOSSIER_SIGNED_FORM_NOT_FOUND');
    // Without a session.
    const anon = await t.app.inject({
      method: 'POST',
      url: `/api/dossiers/${ids.dossier}/forms/receipt/sign`,
      payload: { signing: { password: SIGNING_PASSWORD } },
    });
    expect(anon.statusCode).toBe(401);
  });
});

describe('the agency token (client-side flow)', () => {
  it('the token signs the challenge; the result verifies as the token certificate’s', async () => {
    const token = await kit.token({ agencyId: ids.d }, 'UBND xã Tân An');
    const p = await insertProcedure(t.db, { name: 'Chứng thực bản sao', agencyIds: [ids.d] });
    const x = await insertDossier(t.db, {
      agencyId: ids.d,
      agencyCode: 'H52.4',
      procedureId: p.id,
      caseId: p.caseIds[0]!,
      number: 3,
      state: 'received',
    });
    // A password means nothing for a token credential.
    expect((await sign('receipt', cookies.counterD, { password: SIGNING_PASSWORD }, x.id)).json().code).toBe(
      'SIGNING_METHOD_MISMATCH',
    );
    const start = await t.app.inject({
      method: 'POST',
      url: `/api/dossiers/${x.id}/forms/receipt/sign/start`,
      headers: { cookie: cookies.counterD },
    });
    expect(start.statusCode, start.body).toBe(200);
    const [c] = start.json().challenges as {
      sessionId: string;
      signedAttributes: string;
      fileName: string;
    }[];
    expect(c!.fileName).toBe(`giay-tiep-nhan-${x.code}-da-ky.pdf`);
    const signature = Buffer.from(
      token.signSignedAttributes(Buffer.from(c!.signedAttributes, 'base64')),
    ).toString('base64');
    const res = await sign(
      'receipt',
      cookies.counterD,
      { sessions: [{ sessionId: c!.sessionId, signature }] },
      x.id,
    );
    expect(res.statusCode, res.body).toBe(201);
    const pdf = new Uint8Array(
      (await get(`/api/dossiers/${x.id}/signed-forms/${res.json().id}`, cookies.counterD)).rawPayload,
    );
    const out = pdfsig(nss, pdf);
    expect(out).toContain('Signature Validation: Signature is Valid.');
    expect(out).toContain('Signer Certificate Common Name: UBND xã Tân An');
  });
});
