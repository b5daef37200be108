import type { AddressInfo } from 'node:net';
import type { Role } from '@congvu/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthContext, permissionsFor } from '../src/platform/policy.ts';
import { setupApp, type TestApp } from './helpers.ts';
import { insertProcedure } from './support/onestop-factory.ts';
import { makePdf, uploadFile } from './support/pdf.ts';
import { signingKit } from './support/signing.ts';

/**
 * "Hồ sơ của tôi" (issue 7): the signed-in citizen's own dossiers on the portal, forms posted
 * urlencoded (multipart for the supplement) with the page's CSRF token, as a browser without
 * JavaScript does. Dossiers are made through the dossiers service; the owner account is set with
 * a direct UPDATE of dossiers.citizen_id, standing in for online submission (another track).
 */
let t: TestApp;
let base: string;
let A: { id: string; code: string };
type Person = { id: string; cookie: string; auth: AuthContext; actor: { auth: AuthContext; ip: null } };
let counter: Person;
let spec: Person;
const PASSWORD = 'MatKhau-CongDan-2026';
const svc = () => t.services.dossiers;

async function person(roles: Role[], agencyId: string): Promise<Person> {
  const o = await t.f.official({ roles, agencyId });
  const grants = roles.map((role) => ({ role, agencyId }));
  const auth: AuthContext = {
    officialId: o.id,
    fullName: o.fullName,
    roles: grants,
    permissions: new Set(permissionsFor(grants)),
    actingFor: null,
    sessionId: null,
    tokenId: null,
  };
  return { id: o.id, cookie: await t.f.login(o.username), auth, actor: { auth, ip: null } };
}

/** A browser: a cookie jar; forms are read from the page (hidden CSRF field) and posted back. */
class Browser {
  jar = new Map<string, string>();
  get cookie() {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  keep(res: Awaited<ReturnType<TestApp['app']['inject']>>) {
    for (const c of res.cookies) {
      if (c.value === '' || (c.expires && c.expires.getTime() < Date.now())) this.jar.delete(c.name);
      else this.jar.set(c.name, c.value);
    }
    return res;
  }
  async get(url: string) {
    return this.keep(await t.app.inject({ method: 'GET', url, headers: { cookie: this.cookie } }));
  }
  async post(url: string, fields: Record<string, string>) {
    return this.keep(
      await t.app.inject({
        method: 'POST',
        url,
        headers: {
          cookie: this.cookie,
          'content-type': 'application/x-www-form-urlencoded',
          origin: 'http://localhost:80',
        },
        payload: new URLSearchParams(fields).toString(),
      }),
    );
  }
  async multipart(url: string, fields: [string, string][], files: { name: string; data: Buffer }[]) {
    const boundary = `----congvu${Math.random().toString(16).slice(2)}`;
    const parts: Buffer[] = [];
    for (const [k, v] of fields)
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
    for (const f of files)
      parts.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${f.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
        ),
        f.data,
        Buffer.from('\r\n'),
      );
    parts.push(Buffer.from(`--${boundary}--\r\n`));
    return this.keep(
      await t.app.inject({
        method: 'POST',
        url,
        headers: {
          cookie: this.cookie,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          origin: 'http://localhost:80',
        },
        payload: Buffer.concat(parts),
      }),
    );
  }
}

const tokenOf = (body: string) => {
  const m = /name="_csrf" value="([^"]+)"/.exec(body);
  if (!m?.[1]) throw new Error(`no CSRF field in ${body.slice(0, 300)}`);
  return m[1];
};
const fieldOf = (body: string, name: string) =>
  new RegExp(`name="${name}" value="([^"]+)"`).exec(body)?.[1] ?? '';

let seq = 0;
async function citizen() {
  seq++;
  const b = new Browser();
  const email = `mine${seq}-${process.pid}@example.vn`;
  const page = await b.get('/cong-dich-vu/dang-ky');
  const res = await b.post('/cong-dich-vu/dang-ky', {
    _csrf: tokenOf(page.body),
    fullName: `Lê Thị Chủ ${seq}`,
    email,
    phone: '',
    password: PASSWORD,
  });
  expect(res.statusCode, res.body).toBe(303);
  const row = await t.db
    .selectFrom('citizens')
    .select('id')
    .where('email', '=', email)
    .executeTakeFirstOrThrow();
  return { b, id: row.id };
}

const WORKFLOW = [
  { name: 'Tiếp nhận hồ sơ', kind: 'receive' as const, role: 'counter', durationHours: 4 },
  { name: 'Thẩm định', kind: 'appraise' as const, role: 'specialist', durationHours: 8 },
  { name: 'Trả kết quả', kind: 'return' as const, role: 'counter', durationHours: 4 },
];

async function procedure(fees: { name: string; amount: number; when: 'before' | 'after' | 'exempt' }[] = []) {
  const f = fees.map((x) => ({ ...x, kind: 'fee' as const }));
  const p = await insertProcedure(t.db, {
    agencyIds: [A.id],
    cases: [
      {
        channels: [
          { channel: 1, durationValue: 3, fees: f },
          { channel: 2, durationValue: 3, fees: f },
        ],
        components: [{ name: 'Tờ khai' }],
        workflow: WORKFLOW,
      },
    ],
  });
  return { id: p.id, caseId: p.caseIds[0] as string };
}

let idSeq = 0;
/** A dossier received through the dossiers service, then owned by `citizenId` (see the file comment). */
async function dossier(
  citizenId: string,
  o: { channel?: 1 | 2; fees?: Parameters<typeof procedure>[0] } = {},
) {
  const p = await procedure(o.fees);
  const d = await svc().receive(counter.actor, {
    procedureId: p.id,
    caseId: p.caseId,
    channel: o.channel ?? 1,
    applicant: { kind: 1, name: 'Lê Thị Chủ', idNo: `0011950${String(++idSeq).padStart(5, '0')}` },
    sets: 1,
    components: [{ name: 'Tờ khai', originals: 1, certified: 0, copies: 0 }],
    paidFees: [],
  } as never);
  // Online submission (another track) sets the owner account; here a direct UPDATE stands in for it.
  await t.db.updateTable('dossiers').set({ citizen_id: citizenId }).where('id', '=', d.id).execute();
  return d;
}

const page = (code: string) => `/cong-dich-vu/ho-so-cua-toi/${code}`;

beforeAll(async () => {
  t = await setupApp({ CONGVU_PAY_SIMULATOR: '1', CONGVU_OUTBOX_POLL_MS: '60000' });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  A = await t.f.agency({ name: 'UBND xã Chủ Hồ Sơ', kind: 'commune_committee' });
  counter = await person(['counter'], A.id);
  spec = await person(['specialist'], A.id);
});
afterAll(async () => t?.close());

describe('the list and a dossier', () => {
  it('lists only the citizen own dossiers; a stranger gets 404; signed out goes to sign-in', async () => {
    const me = await citizen();
    const other = await citizen();
    const mine = await dossier(me.id);
    const theirs = await dossier(other.id);
    const list = await me.b.get('/cong-dich-vu/ho-so-cua-toi');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(mine.code);
    expect(list.body).not.toContain(theirs.code);
    expect(list.body).toContain('Hồ sơ của tôi');
    expect(list.body).toMatch(/hẹn trả ngày \d{2}\/\d{2}\/\d{4}/);

    const own = await me.b.get(page(mine.code));
    expect(own.statusCode).toBe(200);
    expect(own.body).toContain('Việc bạn cần làm:');
    expect(own.body).toContain('Ngày hẹn trả kết quả');
    expect((await me.b.get(page(theirs.code))).statusCode).toBe(404);
    expect((await me.b.get(page('KHONG-CO'))).statusCode).toBe(404);

    const out = await new Browser().get('/cong-dich-vu/ho-so-cua-toi');
    expect(out.statusCode).toBe(303);
    expect(out.headers.location).toBe('/cong-dich-vu/dang-nhap?tiep=%2Fcong-dich-vu%2Fho-so-cua-toi');
  });
});

describe('supplement answered online', () => {
  it('uploads a PDF: the clock resumes, timeline and audit; a double POST changes nothing; bad type refused', async () => {
    const me = await citizen();
    const d0 = await dossier(me.id);
    await svc().requestSupplement(counter.actor, d0.id, {
      reason: 'Thiếu giấy chứng sinh',
      items: ['Giấy chứng sinh'],
    });
    const list = await me.b.get('/cong-dich-vu/ho-so-cua-toi');
    expect(list.body).toContain('Cần làm');
    const form = await me.b.get(page(d0.code));
    expect(form.body).toContain('Giấy chứng sinh');
    expect(form.body).toContain('enctype="multipart/form-data"');
    const fields: [string, string][] = [
      ['_csrf', tokenOf(form.body)],
      ['key', fieldOf(form.body, 'key')],
    ];

    // Not a PDF/JPG/PNG (sniffed): refused with the message next to the field.
    const bad = await me.b.multipart(`${page(d0.code)}/bo-sung`, fields, [
      { name: 'x.pdf', data: Buffer.from('not really a pdf') },
    ]);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('aria-invalid="true"');

    const pdf = await makePdf('Giấy chứng sinh bổ sung');
    // Without the form's token: 403, nothing stored or recorded.
    const forged = await me.b.multipart(
      `${page(d0.code)}/bo-sung`,
      [['key', fieldOf(form.body, 'key')]],
      [{ name: 'a.pdf', data: pdf }],
    );
    expect(forged.statusCode).toBe(403);
    // More files than the form takes: the form again with the limits; nothing recorded.
    const many = await me.b.multipart(
      `${page(d0.code)}/bo-sung`,
      fields,
      Array.from({ length: 6 }, (_, i) => ({ name: `${i}.pdf`, data: pdf })),
    );
    expect(many.statusCode).toBe(400);
    expect(many.body).toContain('Tối đa 5 tệp');
    expect((await svc().view(counter.auth, d0.id)).state).toBe('supplement');
    const ok = await me.b.multipart(`${page(d0.code)}/bo-sung`, fields, [
      { name: 'chung-sinh.pdf', data: pdf },
    ]);
    expect(ok.statusCode, ok.body).toBe(303);
    const again = await me.b.multipart(`${page(d0.code)}/bo-sung`, fields, [
      { name: 'chung-sinh.pdf', data: pdf },
    ]);
    expect(again.statusCode).toBe(303);

    const v = await svc().view(counter.auth, d0.id);
    expect(v.state).toBe('received');
    expect(v.pauses[0]?.resumedAt).not.toBeNull();
    expect(v.components.map((c) => c.name)).toEqual(['Tờ khai', 'chung-sinh.pdf']);
    expect(v.events.filter((e) => e.kind === 'supplement_received')).toHaveLength(1);
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['entity_type', 'summary'])
      .where('action', '=', 'dossiers.supplement_received')
      .where('entity_id', '=', me.id)
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ entity_type: 'citizen', summary: { dossierId: d0.id } });
  });
});

describe('withdrawal', () => {
  it('confirms with a reason; the citizen is the audited actor; CSRF missing is 403', async () => {
    const me = await citizen();
    const d = await dossier(me.id);
    const form = await me.b.get(`${page(d.code)}/rut`);
    expect(form.statusCode).toBe(200);
    const noToken = await me.b.post(`${page(d.code)}/rut`, { reason: 'Không cần nữa' });
    expect(noToken.statusCode).toBe(403);
    const empty = await me.b.post(`${page(d.code)}/rut`, { _csrf: tokenOf(form.body), reason: '' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('aria-describedby="reason-loi"');
    const res = await me.b.post(`${page(d.code)}/rut`, {
      _csrf: tokenOf(form.body),
      reason: 'Không cần nữa',
    });
    expect(res.statusCode).toBe(303);
    expect((await svc().view(counter.auth, d.id)).state).toBe('withdrawn');
    const audit = await t.db
      .selectFrom('audit_log')
      .select('entity_type')
      .where('action', '=', 'dossiers.withdrawn')
      .where('entity_id', '=', me.id)
      .execute();
    expect(audit).toEqual([{ entity_type: 'citizen' }]);
    // A stranger cannot withdraw someone else's dossier.
    const stranger = await citizen();
    const d2 = await dossier(me.id);
    expect((await stranger.b.get(`${page(d2.code)}/rut`)).statusCode).toBe(404);
    const own = await stranger.b.get('/cong-dich-vu/tai-khoan');
    const r2 = await stranger.b.post(`${page(d2.code)}/rut`, { _csrf: tokenOf(own.body), reason: 'Rút hộ' });
    expect(r2.statusCode).toBe(404);
    expect((await svc().view(counter.auth, d2.id)).state).toBe('received');
  });
});

describe('postal delivery', () => {
  it('records the address and phone for the counter (event, audit); bad input re-renders', async () => {
    const me = await citizen();
    const d = await dossier(me.id);
    const view = await me.b.get(page(d.code));
    expect(view.body).toContain('Nhận kết quả qua bưu chính');
    const bad = await me.b.post(`${page(d.code)}/buu-chinh`, {
      _csrf: tokenOf(view.body),
      address: 'Số 1 đường Lê Lợi, xã Chủ',
      phone: 'abc',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('aria-describedby="phone-loi"');
    const ok = await me.b.post(`${page(d.code)}/buu-chinh`, {
      _csrf: tokenOf(view.body),
      address: 'Số 1 đường Lê Lợi, xã Chủ',
      phone: '0912 345 678',
    });
    expect(ok.statusCode).toBe(303);
    const v = await svc().view(counter.auth, d.id);
    expect(v.deliveryMethod).toBe('post');
    expect(v.deliveryNote).toBe(
      'Gửi kết quả qua bưu chính: Số 1 đường Lê Lợi, xã Chủ; điện thoại 0912 345 678',
    );
    expect(v.events.map((e) => e.kind)).toContain('postal_chosen');
    const audit = await t.db
      .selectFrom('audit_log')
      .select('entity_type')
      .where('action', '=', 'dossiers.postal_chosen')
      .where('entity_id', '=', me.id)
      .execute();
    expect(audit).toHaveLength(1);
  });
});

describe('online payment', () => {
  it('pays the owed fees through the simulator and shows the paid page with the receipt', async () => {
    const me = await citizen();
    const d = await dossier(me.id, {
      channel: 2,
      fees: [{ name: 'Lệ phí đăng ký', amount: 50_000, when: 'before' }],
    });
    // A fee owed is something to do: "Cần làm" in the list until it is paid.
    const badge = `${d.code}</a> <strong class="badge">Cần làm</strong>`;
    expect((await me.b.get('/cong-dich-vu/ho-so-cua-toi')).body).toContain(badge);
    const view = await me.b.get(page(d.code));
    expect(view.body).toContain('Thanh toán trực tuyến');
    const res = await me.b.post(`${page(d.code)}/thanh-toan`, { _csrf: tokenOf(view.body) });
    expect(res.statusCode).toBe(303);
    const at = new URL(res.headers.location as string, base);
    const gateway = `${at.pathname}${at.search}`;
    expect(new URL(gateway, base).pathname).toBe('/gateway-sim/paymentv2/vpcpay.html');
    expect(new URL(gateway, base).searchParams.get('vnp_ReturnUrl')).toBe(
      'http://localhost:80/cong-dich-vu/thanh-toan/ket-qua',
    );
    const sim = await (await fetch(new URL(gateway, base))).text();
    expect(sim).toContain('Cổng thanh toán mô phỏng');
    const request = /name="request" value="([^"]*)"/.exec(sim)?.[1]?.replaceAll('&amp;', '&') as string;
    // The simulator calls the IPN (settles the order), then sends the browser back.
    const pay = await fetch(`${base}/gateway-sim/pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ request, action: 'pay' }).toString(),
      redirect: 'manual',
    });
    expect(pay.status).toBe(303);
    const back = new URL(pay.headers.get('location') as string);
    const ret = await me.b.get(`${back.pathname}${back.search}`);
    expect(ret.statusCode).toBe(200);
    expect(ret.body).toContain('Thanh toán thành công');
    expect(ret.body).toContain('50.000 đ');
    const receipt = /href="(\/cong-dich-vu\/ho-so-cua-toi\/[^"]+\/bien-nhan\/[^"]+)"/.exec(ret.body)?.[1];
    expect(receipt).toBeTruthy();
    const pdf = await me.b.get(receipt as string);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    // Tampered return: not verified.
    const tampered = await me.b.get(`${back.pathname}${back.search.replace('vnp_Amount=', 'vnp_Amount=1')}`);
    expect(tampered.statusCode).toBe(400);
    expect(tampered.body).toContain('Không xác nhận được kết quả thanh toán');
    const after = await me.b.get(page(d.code));
    expect(after.body).not.toContain('Thanh toán trực tuyến</button>');
    const listAfter = await me.b.get('/cong-dich-vu/ho-so-cua-toi');
    expect(listAfter.body).toContain(`${d.code}</a>`);
    expect(listAfter.body).not.toContain(badge);
  });
});

describe('result and rating', () => {
  it('downloads the signed result with its verification; rates once; the 766 figure changes', async () => {
    const me = await citizen();
    const d = await dossier(me.id);
    const kit = await signingKit(t);
    const blob = await uploadFile(
      t.app,
      spec.cookie,
      'ket-qua.pdf',
      await kit.signedElsewhere(await makePdf('Giấy chứng nhận số GCN-1'), 'Ủy ban nhân dân xã Chủ'),
    );
    let v = await svc().completeStep(counter.actor, d.id, d.steps[0]!.id, {});
    v = await svc().completeStep(spec.actor, d.id, v.steps[1]!.id, {});
    v = await svc().done(spec.actor, d.id, {
      results: [{ name: 'Giấy chứng nhận', code: 'GCN-1', blob, electronic: true, signed: true }],
    } as never);
    const resultId = v.results[0]!.id;

    const view = await me.b.get(page(d.code));
    expect(view.body).toContain('Đã ký số hợp lệ bởi Ủy ban nhân dân xã Chủ');
    const file = await me.b.get(`${page(d.code)}/ket-qua/${resultId}`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('application/pdf');
    const other = await citizen();
    expect((await other.b.get(`${page(d.code)}/ket-qua/${resultId}`)).statusCode).toBe(404);

    const year = new Date(Date.now() + 7 * 3600_000).getUTCFullYear();
    const index = async () =>
      (
        await t.app.inject({
          method: 'GET',
          url: `/api/public/service-index?agencyCode=${A.code}&year=${year}`,
        })
      )
        .json()
        .figures.find((f: { code: string }) => f.code === 'satisfaction');
    expect(await index()).toMatchObject({ points: null });

    const answers: Record<string, string> = { level: '4', comment: 'Cán bộ nhiệt tình' };
    for (let i = 1; i <= 9; i++) answers[`c${i}`] = i <= 6 ? '1' : '0';
    const missing = await me.b.post(`${page(d.code)}/danh-gia`, { _csrf: tokenOf(view.body), level: '4' });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('aria-invalid="true"');
    const rated = await me.b.post(`${page(d.code)}/danh-gia`, { _csrf: tokenOf(view.body), ...answers });
    expect(rated.statusCode).toBe(303);
    const twice = await me.b.post(`${page(d.code)}/danh-gia`, { _csrf: tokenOf(view.body), ...answers });
    expect(twice.statusCode).toBe(409);
    expect(twice.body).toContain('chỉ đánh giá một lần');
    expect(await index()).toMatchObject({ numerator: 6, denominator: 9, points: 12, status: 'ok' });
    const audit = await t.db
      .selectFrom('audit_log')
      .select('entity_type')
      .where('action', '=', 'dossiers.rated')
      .where('entity_id', '=', me.id)
      .execute();
    expect(audit).toHaveLength(1);
  });
});
