import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.ts';
import {
  parseVnpDate,
  signedData,
  signedQuery,
  vnpayProvider,
  vnpDate,
  vnpSign,
  vnpVerify,
} from './vnpay.ts';

const SECRET = 'khoa-bi-mat-thu-nghiem-0123456789';

describe('VNPAY 2.1.0 signing', () => {
  it('signs the vnp_* parameters sorted by name, PHP-urlencoded, without the hash itself', () => {
    const params = {
      vnp_TxnRef: 'TT1',
      vnp_Amount: '1806000',
      vnp_OrderInfo: "Thanh toan don hang :5 (a*b)~!'",
      vnp_SecureHash: 'x',
      other: 'ignored',
    };
    expect(signedData(params)).toBe(
      'vnp_Amount=1806000&vnp_OrderInfo=Thanh+toan+don+hang+%3A5+%28a%2Ab%29%7E%21%27&vnp_TxnRef=TT1',
    );
    expect(vnpSign(params, SECRET)).toBe(
      createHmac('sha512', SECRET).update(signedData(params)).digest('hex'),
    );
  });

  it('verifies its own signature and refuses any change, a wrong key or a malformed hash', () => {
    const params = { vnp_TxnRef: 'TT1', vnp_Amount: '1000000', vnp_ResponseCode: '00' };
    const q = Object.fromEntries(new URLSearchParams(signedQuery(params, SECRET)));
    expect(vnpVerify(q, SECRET)).toBe(true);
    expect(vnpVerify({ ...q, vnp_SecureHash: (q.vnp_SecureHash as string).toUpperCase() }, SECRET)).toBe(
      true,
    );
    expect(vnpVerify({ ...q, vnp_Amount: '1000100' }, SECRET)).toBe(false);
    expect(vnpVerify({ ...q, vnp_BankCode: 'NCB' }, SECRET)).toBe(false);
    expect(vnpVerify(q, `${SECRET}x`)).toBe(false);
    expect(vnpVerify({ ...q, vnp_SecureHash: 'abc' }, SECRET)).toBe(false);
  });

  it('dates are yyyyMMddHHmmss in GMT+7, both ways', () => {
    const d = new Date('2026-12-07T17:30:05Z');
    expect(vnpDate(d)).toBe('20261208003005');
    expect(parseVnpDate('20261208003005')?.toISOString()).toBe(d.toISOString());
    expect(parseVnpDate('2026-12-08')).toBeNull();
  });
});

describe('the VNPAY provider', () => {
  const p = vnpayProvider({
    payUrl: '/gateway-sim/paymentv2/vpcpay.html',
    tmnCode: 'CONGVU01',
    secret: SECRET,
  });
  const order = {
    txnRef: 'TT261207ABCDEF1234',
    amount: 70_000,
    orderInfo: 'Thanh toan phi le phi ho so X',
    ipAddr: '127.0.0.1',
    createdAt: new Date('2026-12-07T03:00:00Z'),
    expiresAt: new Date('2026-12-07T03:15:00Z'),
    returnUrl: 'https://motcua.example.vn/api/payments/return',
  };

  it('builds the payment URL on the return URL’s server, with every required field signed', () => {
    const url = new URL(p.createPaymentUrl(order));
    expect(url.origin + url.pathname).toBe('https://motcua.example.vn/gateway-sim/paymentv2/vpcpay.html');
    const q = Object.fromEntries(url.searchParams);
    expect(q).toMatchObject({
      vnp_Version: '2.1.0',
      vnp_Command: 'pay',
      vnp_TmnCode: 'CONGVU01',
      vnp_Amount: '7000000',
      vnp_CurrCode: 'VND',
      vnp_TxnRef: order.txnRef,
      vnp_ReturnUrl: order.returnUrl,
      vnp_IpAddr: '127.0.0.1',
      vnp_CreateDate: '20261207100000',
      vnp_ExpireDate: '20261207101500',
    });
    expect(vnpVerify(q, SECRET)).toBe(true);
  });

  const result = (over: Record<string, string> = {}) =>
    Object.fromEntries(
      new URLSearchParams(
        signedQuery(
          {
            vnp_TmnCode: 'CONGVU01',
            vnp_TxnRef: order.txnRef,
            vnp_Amount: '7000000',
            vnp_ResponseCode: '00',
            vnp_TransactionStatus: '00',
            vnp_TransactionNo: '14226112',
            vnp_BankCode: 'NCB',
            ...over,
          },
          SECRET,
        ),
      ),
    );

  it('reads a verified result; another merchant code is refused; a non-whole amount matches nothing', () => {
    expect(p.verifyReturn(result())).toMatchObject({
      txnRef: order.txnRef,
      amount: 70_000,
      success: true,
      gatewayTxnNo: '14226112',
      bankCode: 'NCB',
    });
    expect(p.verifyReturn(result({ vnp_TransactionStatus: '02' }))?.success).toBe(false);
    expect(p.verifyReturn(result({ vnp_TmnCode: 'KHAC0001' }))).toBeNull();
    expect(p.verifyReturn(result({ vnp_Amount: '7000050' }))?.amount).toBeNaN();
  });

  it('answers the IPN in the gateway’s codes; a settlement that throws is 99', async () => {
    expect((await p.handleIpn(result(), async () => 'confirmed')).body).toEqual({
      RspCode: '00',
      Message: 'Confirm Success',
    });
    expect((await p.handleIpn(result(), async () => 'already_confirmed')).body).toMatchObject({
      RspCode: '02',
    });
    let called = false;
    const forged = await p.handleIpn({ ...result(), vnp_Amount: '100' }, async () => {
      called = true;
      return 'confirmed';
    });
    expect(forged.body).toMatchObject({ RspCode: '97' });
    expect(called).toBe(false);
    const failed = await p.handleIpn(result(), async () => {
      throw new Error('database down');
    });
    expect(failed).toEqual({ body: { RspCode: '99', Message: 'Unknown error' }, outcome: 'error' });
  });
});

describe('payment configuration', () => {
  it('a real gateway needs its merchant code and secret; the simulator has demo ones; neither: off', () => {
    expect(() =>
      loadConfig({ CONGVU_PAY_URL: 'https://sandbox.vnpayment.vn/paymentv2/vpcpay.html' }),
    ).toThrow(/CONGVU_PAY_TMN_CODE and CONGVU_PAY_SECRET/);
    expect(
      loadConfig({
        CONGVU_PAY_URL: 'https://sandbox.vnpayment.vn/paymentv2/vpcpay.html',
        CONGVU_PAY_TMN_CODE: 'CONGVU01',
        CONGVU_PAY_SECRET: SECRET,
      }).pay,
    ).toEqual({
      url: 'https://sandbox.vnpayment.vn/paymentv2/vpcpay.html',
      tmnCode: 'CONGVU01',
      secret: SECRET,
      simulator: false,
    });
    expect(loadConfig({ CONGVU_PAY_SIMULATOR: '1' }).pay).toMatchObject({ url: undefined, simulator: true });
    expect(loadConfig({}).pay).toBeUndefined();
  });
});
