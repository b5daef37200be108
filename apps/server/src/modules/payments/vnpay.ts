import { createHmac, timingSafeEqual } from 'node:crypto';
import type { GatewayOrder, GatewayResult, IpnOutcome, PaymentProvider } from './gateway.ts';

/**
 * The VNPAY payment gateway protocol, version 2.1.0, as its public integration guide describes it
 * (docs/payments.md says what is not verified against the real gateway): a signed redirect URL
 * (vnp_Command=pay), the browser's return to vnp_ReturnUrl and the server-to-server IPN, every one
 * signed with HMAC-SHA512 over the vnp_* parameters sorted by name, URL-encoded and joined with &.
 * The same code signs for the local simulator, which speaks the protocol from the gateway's side.
 */

export const VNPAY_VERSION = '2.1.0';

/** PHP urlencode (the form the guide's samples sign): only [A-Za-z0-9-_.] stay, a space is "+". */
function formEncode(s: string): string {
  return encodeURIComponent(s)
    .replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/** The signed data: vnp_* parameters except the hash itself, sorted by name, encoded, joined. */
export function signedData(params: Record<string, string>): string {
  return Object.keys(params)
    .filter((k) => k.startsWith('vnp_') && k !== 'vnp_SecureHash' && k !== 'vnp_SecureHashType')
    .sort()
    .map((k) => `${formEncode(k)}=${formEncode(params[k] ?? '')}`)
    .join('&');
}

export function vnpSign(params: Record<string, string>, secret: string): string {
  return createHmac('sha512', secret).update(signedData(params), 'utf8').digest('hex');
}

/** The query string with its vnp_SecureHash appended. */
export function signedQuery(params: Record<string, string>, secret: string): string {
  return `${signedData(params)}&vnp_SecureHash=${vnpSign(params, secret)}`;
}

export function vnpVerify(params: Record<string, string>, secret: string): boolean {
  const given = (params.vnp_SecureHash ?? '').toLowerCase();
  if (!/^[0-9a-f]{128}$/.test(given)) return false;
  return timingSafeEqual(Buffer.from(given, 'hex'), Buffer.from(vnpSign(params, secret), 'hex'));
}

/** yyyyMMddHHmmss in GMT+7, the protocol's date form. */
export function vnpDate(d: Date): string {
  return new Date(d.getTime() + 7 * 3600_000).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** A protocol date (GMT+7) back to an instant; null when malformed. */
export function parseVnpDate(s: string | undefined): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(s ?? '');
  if (!m) return null;
  const d = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}+07:00`);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** The IPN answers of the protocol. */
const IPN_ANSWERS: Record<IpnOutcome | 'invalid_signature' | 'error', { RspCode: string; Message: string }> =
  {
    confirmed: { RspCode: '00', Message: 'Confirm Success' },
    order_not_found: { RspCode: '01', Message: 'Order not found' },
    already_confirmed: { RspCode: '02', Message: 'Order already confirmed' },
    invalid_amount: { RspCode: '04', Message: 'Invalid amount' },
    invalid_signature: { RspCode: '97', Message: 'Invalid signature' },
    error: { RspCode: '99', Message: 'Unknown error' },
  };

export function vnpayProvider(opts: {
  /** The gateway's payment page (vpcpay.html); a path (the simulator) is on the return URL's server. */
  payUrl: string;
  tmnCode: string;
  secret: string;
}): PaymentProvider {
  function verified(query: Record<string, string>): GatewayResult | null {
    if (!vnpVerify(query, opts.secret) || query.vnp_TmnCode !== opts.tmnCode) return null;
    const raw = query.vnp_Amount ?? '';
    // An amount that is not a whole number of đồng × 100 can match no order.
    const amount = /^\d{1,15}$/.test(raw) && Number(raw) % 100 === 0 ? Number(raw) / 100 : Number.NaN;
    const params = Object.fromEntries(Object.entries(query).filter(([k]) => k.startsWith('vnp_')));
    return {
      txnRef: query.vnp_TxnRef ?? '',
      amount,
      success: query.vnp_ResponseCode === '00' && query.vnp_TransactionStatus === '00',
      responseCode: query.vnp_ResponseCode ?? '',
      gatewayTxnNo: query.vnp_TransactionNo || null,
      bankCode: query.vnp_BankCode || null,
      params,
    };
  }

  return {
    name: 'vnpay',
    createPaymentUrl(o: GatewayOrder) {
      const params: Record<string, string> = {
        vnp_Version: VNPAY_VERSION,
        vnp_Command: 'pay',
        vnp_TmnCode: opts.tmnCode,
        vnp_Amount: String(o.amount * 100),
        vnp_CurrCode: 'VND',
        vnp_TxnRef: o.txnRef,
        vnp_OrderInfo: o.orderInfo,
        vnp_OrderType: 'other',
        vnp_Locale: 'vn',
        vnp_ReturnUrl: o.returnUrl,
        vnp_IpAddr: o.ipAddr,
        vnp_CreateDate: vnpDate(o.createdAt),
        vnp_ExpireDate: vnpDate(o.expiresAt),
      };
      const page = new URL(opts.payUrl, o.returnUrl);
      return `${page.origin}${page.pathname}?${signedQuery(params, opts.secret)}`;
    },
    verifyReturn: verified,
    async handleIpn(query, settle) {
      const result = verified(query);
      if (!result) return { body: IPN_ANSWERS.invalid_signature, outcome: 'invalid_signature' };
      try {
        const outcome = await settle(result);
        return { body: IPN_ANSWERS[outcome], outcome };
      } catch {
        return { body: IPN_ANSWERS.error, outcome: 'error' };
      }
    },
  };
}
