import { execFileSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIMULATOR_SECRET, SIMULATOR_TMN_CODE } from '../src/config.ts';
import { localDay } from '../src/modules/dossiers/code.ts';
import { signedQuery, vnpDate } from '../src/modules/payments/vnpay.ts';
import { setupApp, type TestApp } from './helpers.ts';
import { insertDossier, insertFee, insertProcedure } from './support/onestop-factory.ts';

/**
 * Online payment through the VNPAY-protocol provider and the local simulator, over a real HTTP
 * listener (the simulator calls the IPN server to server, as the gateway does).
 */
let t: TestApp;
let base: string;
let agency: { id: string; code: string };
beforeAll(async () => {
  t = await setupApp({ CONGVU_PAY_SIMULATOR: '1', CONGVU_OUTBOX_POLL_MS: '60000' });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  agency = await t.f.agency({ name: 'UBND xã Tân Phú' });
});
afterAll(async () => t?.close());

/** A dossier owing 50 000 (thu trước) + 20 000 (thu sau) đồng, plus an exempt line; its code and secret. */
async function owingDossier(at: { id: string; code: string } = agency) {
  const p = await insertProcedure(t.db, { agencyIds: [at.id] });
  const d = await insertDossier(t.db, {
    agencyId: at.id,
    agencyCode: at.code,
    procedureId: p.id,
    caseId: p.caseIds[0]!,
    state: 'processing',
  });
  await insertFee(t.db, d.id, { name: 'Lệ phí đăng ký', amount: 50_000, whenPaid: 'before' });
  await insertFee(t.db, d.id, { name: 'Phí cấp bản sao', amount: 20_000, whenPaid: 'after' });
  await insertFee(t.db, d.id, { name: 'Miễn lệ phí', amount: 10_000, whenPaid: 'exempt' });
  const row = await t.db
    .selectFrom('dossiers')
    .select('lookup_secret')
    .where('id', '=', d.id)
    .executeTakeFirstOrThrow();
  return { ...d, secret: row.lookup_secret };
}

async function createOrder(d: { code: string; secret: string }) {
  const res = await fetch(`${base}/api/payments/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: d.code, secret: d.secret }),
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as { txnRef: string; amount: number; paymentUrl: string; simulator: boolean };
}

/** The gateway's IPN parameters for an order, signed with `secret`. */
function ipnQuery(
  over: Partial<Record<string, string>> & { vnp_TxnRef: string; vnp_Amount: string },
  secret = SIMULATOR_SECRET,
) {
  const params: Record<string, string> = {
    vnp_TmnCode: SIMULATOR_TMN_CODE,
    vnp_BankCode: 'NCB',
    vnp_BankTranNo: 'VNP14226112',
    vnp_CardType: 'ATM',
    vnp_OrderInfo: 'Thanh toan phi le phi',
    vnp_PayDate: vnpDate(new Date()),
    vnp_ResponseCode: '00',
    vnp_TransactionNo: String(Math.floor(Math.random() * 9e7) + 1e7),
    vnp_TransactionStatus: '00',
    ...over,
  } as Record<string, string>;
  return signedQuery(params, secret);
}

async function ipn(query: string) {
  const res = await t.app.inject({ method: 'GET', url: `/api/payments/ipn?${query}` });
  expect(res.statusCode).toBe(200);
  return res.json() as { RspCode: string; Message: string };
}

async function stateOf(dossierId: string, txnRef: string) {
  const order = await t.db
    .selectFrom('payment_orders')
    .selectAll()
    .where('txn_ref', '=', txnRef)
    .executeTakeFirstOrThrow();
  const fees = await t.db
    .selectFrom('dossier_fees')
    .select(['amount', 'paid_at', 'paid_online', 'receipt_no'])
    .where('dossier_id', '=', dossierId)
    .orderBy('id')
    .execute();
  const events = await t.db
    .selectFrom('dossier_events')
    .select(['kind', 'data'])
    .where('dossier_id', '=', dossierId)
    .where('kind', '=', 'paid_online')
    .execute();
  return { order, fees, events };
}

describe('payment through the gateway simulator', () => {
  it('pays the owed fee lines: signed URL, simulator page, IPN, signed return', async () => {
    const d = await owingDossier();
    const o = await createOrder(d);
    expect(o.amount).toBe(70_000);
    expect(o.simulator).toBe(true);
    const url = new URL(o.paymentUrl);
    expect(url.pathname).toBe('/gateway-sim/paymentv2/vpcpay.html');
    expect(url.searchParams.get('vnp_Amount')).toBe('7000000');
    expect(url.searchParams.get('vnp_Version')).toBe('2.1.0');
    expect(url.searchParams.get('vnp_Command')).toBe('pay');
    expect(url.searchParams.get('vnp_CurrCode')).toBe('VND');
    expect(url.searchParams.get('vnp_TxnRef')).toBe(o.txnRef);
    expect(url.searchParams.get('vnp_ReturnUrl')).toBe(`${base}/api/payments/return`);
    expect(url.searchParams.get('vnp_SecureHash')).toMatch(/^[0-9a-f]{128}$/);

    const pageRes = await fetch(o.paymentUrl);
    expect(pageRes.status).toBe(200);
    const html = await pageRes.text();
    expect(html).toContain('Cổng thanh toán mô phỏng — không phải ngân hàng thật');
    expect(html).toContain('70.000 đồng');
    const request = /name="request" value="([^"]*)"/.exec(html)?.[1]?.replaceAll('&amp;', '&');
    expect(request).toBeTruthy();

    const payRes = await fetch(`${base}/gateway-sim/pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ request: request as string, action: 'pay' }).toString(),
      redirect: 'manual',
    });
    expect(payRes.status).toBe(303);
    const back = payRes.headers.get('location') as string;
    expect(back.startsWith(`${base}/api/payments/return?`)).toBe(true);

    const s = await stateOf(d.id, o.txnRef);
    expect(s.order.status).toBe('paid');
    expect(s.order.gateway_txn_no).toMatch(/^\d{8}$/);
    expect(s.order.bank_code).toBe('NCB');
    expect(s.order.ipn_params).toMatchObject({ vnp_TxnRef: o.txnRef, vnp_ResponseCode: '00' });
    expect(s.fees.map((f) => [f.paid_at !== null, f.paid_online, f.receipt_no])).toEqual([
      [true, true, o.txnRef],
      [true, true, o.txnRef],
      [false, false, null],
    ]);
    expect(s.events).toHaveLength(1);
    expect(s.events[0]?.data).toMatchObject({ receiptNo: o.txnRef, amount: 70_000, ordinals: [0, 1] });
    const audit = await t.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', s.order.id)
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['payments.order_created', 'payments.paid']);

    const ret = await fetch(back);
    expect(ret.status).toBe(200);
    expect(await ret.json()).toMatchObject({
      txnRef: o.txnRef,
      dossierCode: d.code,
      amount: 70_000,
      gatewaySuccess: true,
      status: 'paid',
      receiptNo: o.txnRef,
      simulator: true,
    });

    // The receipt: for the applicant with code + secret; the simulator is named on it.
    const receipt = await t.app.inject({
      method: 'GET',
      url: `/api/payments/receipts/${o.txnRef}?code=${d.code}&k=${d.secret}`,
    });
    expect(receipt.statusCode).toBe(200);
    expect(receipt.headers['content-type']).toBe('application/pdf');
    const text = execFileSync('pdftotext', ['-raw', '-', '-'], { input: receipt.rawPayload }).toString();
    expect(text).toContain('BIÊN NHẬN THANH TOÁN TRỰC TUYẾN PHÍ, LỆ PHÍ');
    expect(text).toContain('không phải ngân hàng thật');
    expect(text).toContain(`Số biên nhận: ${o.txnRef}`);
    expect(text).toContain('Lệ phí đăng ký 50.000');
    expect(text).toContain('Phí cấp bản sao 20.000');
    expect(text).toContain('Cộng 70.000');
    expect(text).not.toContain('Miễn lệ phí');

    // Paid: nothing is owed any more.
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/payments/orders',
      payload: { code: d.code, secret: d.secret },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('PAYMENT_NOTHING_DUE');
  });

  it('a cancelled payment fails the order and leaves the fees owed', async () => {
    const d = await owingDossier();
    const o = await createOrder(d);
    const html = await (await fetch(o.paymentUrl)).text();
    const request = /name="request" value="([^"]*)"/.exec(html)?.[1]?.replaceAll('&amp;', '&') as string;
    const res = await fetch(`${base}/gateway-sim/pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ request, action: 'cancel' }).toString(),
      redirect: 'manual',
    });
    expect(res.status).toBe(303);
    const s = await stateOf(d.id, o.txnRef);
    expect(s.order.status).toBe('failed');
    expect(s.order.response_code).toBe('24');
    expect(s.fees.every((f) => f.paid_at === null)).toBe(true);
    expect(s.events).toHaveLength(0);
    const ret = await fetch(res.headers.get('location') as string);
    expect(await ret.json()).toMatchObject({ gatewaySuccess: false, status: 'failed', receiptNo: null });
  });

  it('the simulator refuses a payment URL whose signature does not match', async () => {
    const d = await owingDossier();
    const o = await createOrder(d);
    const res = await fetch(o.paymentUrl.replace('vnp_Amount=7000000', 'vnp_Amount=100'));
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Chữ ký không hợp lệ');
  });
});

describe('IPN', () => {
  it('a forged signature answers 97 and changes nothing', async () => {
    const d = await owingDossier();
    const o = await createOrder(d);
    const forged = ipnQuery({ vnp_TxnRef: o.txnRef, vnp_Amount: '7000000' }, 'khoa-gia-mao-khong-dung-1234');
    expect(await ipn(forged)).toEqual({ RspCode: '97', Message: 'Invalid signature' });
    // A signed query with one parameter changed afterwards is forged too.
    const tampered = ipnQuery({
      vnp_TxnRef: o.txnRef,
      vnp_Amount: '7000000',
      vnp_ResponseCode: '24',
    }).replace('vnp_ResponseCode=24', 'vnp_ResponseCode=00');
    expect((await ipn(tampered)).RspCode).toBe('97');
    const s = await stateOf(d.id, o.txnRef);
    expect(s.order.status).toBe('pending');
    expect(s.order.ipn_params).toBeNull();
    expect(s.fees.every((f) => f.paid_at === null)).toBe(true);
    expect(s.events).toHaveLength(0);
  });

  it('a wrong amount answers 04 and changes nothing', async () => {
    const d = await owingDossier();
    const o = await createOrder(d);
    expect(await ipn(ipnQuery({ vnp_TxnRef: o.txnRef, vnp_Amount: '5000000' }))).toEqual({
      RspCode: '04',
      Message: 'Invalid amount',
    });
    expect((await ipn(ipnQuery({ vnp_TxnRef: o.txnRef, vnp_Amount: '7000050' }))).RspCode).toBe('04');
    const s = await stateOf(d.id, o.txnRef);
    expect(s.order.status).toBe('pending');
    expect(s.fees.every((f) => f.paid_at === null)).toBe(true);
  });

  it('an unknown order answers 01', async () => {
    expect(await ipn(ipnQuery({ vnp_TxnRef: 'TT000000KHONGCO', vnp_Amount: '7000000' }))).toEqual({
      RspCode: '01',
      Message: 'Order not found',
    });
  });

  it('a repeated IPN is processed once: 00, then 02; one timeline event, fees paid once', async () => {
    const d = await owingDossier();
    const o = await createOrder(d);
    const q = ipnQuery({ vnp_TxnRef: o.txnRef, vnp_Amount: '7000000' });
    // Sent twice at the same time, then once more: one of them settles the order.
    const answers = await Promise.all([ipn(q), ipn(q)]);
    expect(answers.map((a) => a.RspCode).sort()).toEqual(['00', '02']);
    const first = await stateOf(d.id, o.txnRef);
    expect(await ipn(q)).toEqual({ RspCode: '02', Message: 'Order already confirmed' });
    const s = await stateOf(d.id, o.txnRef);
    expect(s.order.status).toBe('paid');
    expect(s.events).toHaveLength(1);
    expect(s.fees.map((f) => f.paid_at?.getTime() ?? null)).toEqual(
      first.fees.map((f) => f.paid_at?.getTime() ?? null),
    );
    const audits = await t.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', s.order.id)
      .where('action', '=', 'payments.paid')
      .execute();
    expect(audits).toHaveLength(1);
  });
});

describe('return URL', () => {
  it('a tampered parameter is refused', async () => {
    const d = await owingDossier();
    const o = await createOrder(d);
    const q = ipnQuery({ vnp_TxnRef: o.txnRef, vnp_Amount: '7000000', vnp_ResponseCode: '24' });
    const ok = await t.app.inject({ method: 'GET', url: `/api/payments/return?${q}` });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ gatewaySuccess: false, status: 'pending' });
    const bad = await t.app.inject({
      method: 'GET',
      url: `/api/payments/return?${q.replace('vnp_ResponseCode=24', 'vnp_ResponseCode=00')}`,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({
      code: 'PAYMENT_SIGNATURE_INVALID',
      message: 'Chữ ký dữ liệu từ cổng thanh toán không hợp lệ',
    });
    // The return never settles anything.
    expect((await stateOf(d.id, o.txnRef)).order.status).toBe('pending');
  });
});

describe('who may create an order', () => {
  it('the receipt secret, or an official who receives at the agency; nobody else', async () => {
    const d = await owingDossier();
    const anonymous = await t.app.inject({
      method: 'POST',
      url: '/api/payments/orders',
      payload: { code: d.code },
    });
    expect(anonymous.statusCode).toBe(401);
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/payments/orders',
      payload: { code: d.code, secret: 'a'.repeat(d.secret.length) },
    });
    expect(wrong.statusCode).toBe(404);
    expect(wrong.json().code).toBe('DOSSIER_NOT_FOUND');
    const elsewhere = await t.f.agency();
    const stranger = await t.f.session(['counter'], elsewhere.id);
    const denied = await t.app.inject({
      method: 'POST',
      url: '/api/payments/orders',
      headers: { cookie: stranger.cookie },
      payload: { code: d.code },
    });
    expect(denied.statusCode).toBe(404);
    const counter = await t.f.session(['counter'], agency.id);
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/payments/orders',
      headers: { cookie: counter.cookie },
      payload: { code: d.code },
    });
    expect(ok.statusCode).toBe(201);
    const order = await t.db
      .selectFrom('payment_orders')
      .select('created_by')
      .where('txn_ref', '=', ok.json().txnRef)
      .executeTakeFirstOrThrow();
    expect(order.created_by).toBe(counter.official.id);
  });

  it('without a configured gateway, online payment is off', async () => {
    const off = await setupApp({ CONGVU_OUTBOX_POLL_MS: '60000' });
    try {
      const res = await off.app.inject({
        method: 'POST',
        url: '/api/payments/orders',
        payload: { code: 'X-260101-0001', secret: 'abc' },
      });
      expect(res.statusCode).toBe(503);
      expect(res.json().code).toBe('PAYMENT_DISABLED');
      const sim = await off.app.inject({ method: 'GET', url: '/gateway-sim/paymentv2/vpcpay.html' });
      expect(sim.statusCode).toBe(404);
    } finally {
      await off.close();
    }
  });
});

describe('receipts', () => {
  it('only for a paid order, to the secret holder or an official who may read the dossier', async () => {
    const d = await owingDossier();
    const o = await createOrder(d);
    const url = `/api/payments/receipts/${o.txnRef}`;
    const pending = await t.app.inject({ method: 'GET', url: `${url}?code=${d.code}&k=${d.secret}` });
    expect(pending.statusCode).toBe(404);
    expect(pending.json().code).toBe('PAYMENT_ORDER_NOT_FOUND');
    expect((await ipn(ipnQuery({ vnp_TxnRef: o.txnRef, vnp_Amount: '7000000' }))).RspCode).toBe('00');
    const anonymous = await t.app.inject({ method: 'GET', url });
    expect(anonymous.statusCode).toBe(401);
    const wrongSecret = await t.app.inject({
      method: 'GET',
      url: `${url}?code=${d.code}&k=${'0'.repeat(12)}`,
    });
    expect(wrongSecret.statusCode).toBe(404);
    const otherDossier = await owingDossier();
    const wrongCode = await t.app.inject({
      method: 'GET',
      url: `${url}?code=${otherDossier.code}&k=${otherDossier.secret}`,
    });
    expect(wrongCode.statusCode).toBe(404);
    const stranger = await t.f.session(['counter'], (await t.f.agency()).id);
    const denied = await t.app.inject({ method: 'GET', url, headers: { cookie: stranger.cookie } });
    expect(denied.statusCode).toBe(404);
    const counter = await t.f.session(['counter'], agency.id);
    const ok = await t.app.inject({ method: 'GET', url, headers: { cookie: counter.cookie } });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['content-type']).toBe('application/pdf');
  });
});

describe('reconciliation', () => {
  it('paid orders against fee lines recorded paid, per agency, with the differences', async () => {
    const own = await t.f.agency({ name: 'UBND xã Đối Soát' });
    const d1 = await owingDossier(own);
    const d2 = await owingDossier(own);
    const o1 = await createOrder(d1);
    const o2 = await createOrder(d2);
    expect((await ipn(ipnQuery({ vnp_TxnRef: o1.txnRef, vnp_Amount: '7000000' }))).RspCode).toBe('00');
    // The second order is paid, but a fee line of it was recorded paid at the counter meanwhile.
    const line = await t.db
      .selectFrom('dossier_fees')
      .select('id')
      .where('dossier_id', '=', d2.id)
      .orderBy('id')
      .executeTakeFirstOrThrow();
    await t.db
      .updateTable('dossier_fees')
      .set({ paid_at: new Date(), paid_online: true, receipt_no: 'BL-0042' })
      .where('id', '=', line.id)
      .execute();
    expect((await ipn(ipnQuery({ vnp_TxnRef: o2.txnRef, vnp_Amount: '7000000' }))).RspCode).toBe('00');

    const supervisor = await t.f.session(['leader'], own.id);
    const day = localDay(new Date());
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/payments/reconciliation?day=${day}`,
      headers: { cookie: supervisor.cookie },
    });
    expect(res.statusCode).toBe(200);
    const r = res.json();
    // Only the supervisor's agency.
    expect(r.agencies).toEqual([
      {
        agencyId: own.id,
        agencyName: 'UBND xã Đối Soát',
        orders: 2,
        paid: 140_000,
        recorded: 140_000,
        difference: 0,
      },
    ]);
    expect(r.differences).toEqual([
      {
        kind: 'order_not_recorded',
        agencyId: own.id,
        dossierCode: d2.code,
        reference: o2.txnRef,
        paid: 70_000,
        recorded: 20_000,
      },
      {
        kind: 'fee_without_order',
        agencyId: own.id,
        dossierCode: d2.code,
        reference: 'BL-0042',
        paid: 0,
        recorded: 50_000,
      },
    ]);
    // Another day has nothing.
    const empty = await t.app.inject({
      method: 'GET',
      url: '/api/payments/reconciliation?day=2020-01-01',
      headers: { cookie: supervisor.cookie },
    });
    expect(empty.json()).toMatchObject({ agencies: [], differences: [], totals: { orders: 0, paid: 0 } });
  });

  it('is refused without a session and to an official without dossiers.supervise', async () => {
    const day = localDay(new Date());
    const anon = await t.app.inject({ method: 'GET', url: `/api/payments/reconciliation?day=${day}` });
    expect(anon.statusCode).toBe(401);
    const counter = await t.f.session(['counter'], agency.id);
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/payments/reconciliation?day=${day}`,
      headers: { cookie: counter.cookie },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'FORBIDDEN' });
  });
});
