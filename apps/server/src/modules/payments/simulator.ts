import { randomInt } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { parseVnpDate, signedQuery, vnpDate, vnpVerify } from './vnpay.ts';

/**
 * The local gateway simulator ("Cổng thanh toán mô phỏng — không phải ngân hàng thật") for the demo
 * and tests, served under /gateway-sim/ only with CONGVU_PAY_SIMULATOR=1. It speaks the VNPAY 2.1.0
 * protocol from the gateway's side: checks the signed payment URL, shows a page with "Thanh toán" /
 * "Hủy" (a plain form), then calls the IPN URL server to server and sends the browser to
 * vnp_ReturnUrl, both with signed parameters. No money moves.
 */
export const SIMULATOR_PAY_PATH = '/gateway-sim/paymentv2/vpcpay.html';
const LABEL = 'Cổng thanh toán mô phỏng — không phải ngân hàng thật';

const esc = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

function page(title: string, body: string) {
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font-family:sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem}
.sim{background:#fff3cd;border:1px solid #e0b000;padding:.5rem;font-weight:bold}
button{font-size:1rem;padding:.4rem 1.2rem;margin-right:.5rem}</style></head>
<body><p class="sim">${esc(LABEL)}</p><h1>${esc(title)}</h1>${body}</body></html>`;
}

const money = (n: number) => `${n.toLocaleString('vi-VN').replaceAll(',', '.')} đồng`;

export function gatewaySimulator(
  app: FastifyInstance,
  opts: {
    tmnCode: string;
    secret: string;
    now: () => Date;
    /** The merchant's IPN URL (at the real gateway it is registered with the merchant account). */
    ipnUrl?: string;
  },
) {
  /** The signed request, if it is one of ours and has not lapsed; else why not. */
  function check(query: Record<string, string>): string | null {
    if (!vnpVerify(query, opts.secret)) return 'Chữ ký không hợp lệ (vnp_SecureHash)';
    if (query.vnp_TmnCode !== opts.tmnCode) return 'Sai mã website (vnp_TmnCode)';
    if (query.vnp_Command !== 'pay' || query.vnp_CurrCode !== 'VND') return 'Yêu cầu không hợp lệ';
    if (!/^\d+$/.test(query.vnp_Amount ?? '') || !query.vnp_TxnRef || !query.vnp_ReturnUrl)
      return 'Thiếu tham số bắt buộc';
    const expires = parseVnpDate(query.vnp_ExpireDate);
    if (!expires || expires <= opts.now()) return 'Giao dịch đã hết hạn thanh toán';
    return null;
  }

  return app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 16 * 1024 },
      (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
    );

    scope.get(SIMULATOR_PAY_PATH, { schema: { hide: true } }, async (req, reply) => {
      const query = req.query as Record<string, string>;
      const problem = check(query);
      reply.type('text/html; charset=utf-8');
      if (problem) return reply.status(400).send(page('Không thể thanh toán', `<p>${esc(problem)}</p>`));
      const signed = new URLSearchParams(query).toString();
      return page(
        'Xác nhận thanh toán',
        `<p>Mã giao dịch: <b>${esc(query.vnp_TxnRef ?? '')}</b></p>
<p>Nội dung: ${esc(query.vnp_OrderInfo ?? '')}</p>
<p>Số tiền: <b>${esc(money(Number(query.vnp_Amount) / 100))}</b></p>
<form method="post" action="/gateway-sim/pay">
<input type="hidden" name="request" value="${esc(signed)}">
<button name="action" value="pay">Thanh toán</button><button name="action" value="cancel">Hủy</button>
</form>`,
      );
    });

    scope.post('/gateway-sim/pay', { schema: { hide: true } }, async (req, reply) => {
      const form = (req.body ?? {}) as Record<string, string>;
      const query = Object.fromEntries(new URLSearchParams(form.request ?? ''));
      const problem = check(query);
      reply.type('text/html; charset=utf-8');
      if (problem || (form.action !== 'pay' && form.action !== 'cancel'))
        return reply
          .status(400)
          .send(page('Không thể thanh toán', `<p>${esc(problem ?? 'Yêu cầu không hợp lệ')}</p>`));
      const paid = form.action === 'pay';
      const result: Record<string, string> = {
        vnp_TmnCode: opts.tmnCode,
        vnp_Amount: query.vnp_Amount as string,
        vnp_BankCode: 'NCB',
        vnp_BankTranNo: paid ? `SIM${randomInt(1e9, 1e10)}` : '',
        vnp_CardType: 'ATM',
        vnp_OrderInfo: query.vnp_OrderInfo ?? '',
        vnp_PayDate: vnpDate(opts.now()),
        vnp_ResponseCode: paid ? '00' : '24',
        vnp_TransactionNo: paid ? String(randomInt(1e7, 1e8)) : '0',
        vnp_TransactionStatus: paid ? '00' : '02',
        vnp_TxnRef: query.vnp_TxnRef as string,
      };
      const signed = signedQuery(result, opts.secret);
      // The notification first, server to server, as the gateway does; then the browser.
      const own = req.server.server.address() as AddressInfo | null;
      const ipnUrl = opts.ipnUrl ?? `http://127.0.0.1:${own?.port ?? 0}/api/payments/ipn`;
      try {
        const res = await fetch(`${ipnUrl}?${signed}`, { signal: AbortSignal.timeout(10_000) });
        req.log.info({ status: res.status, body: await res.text() }, 'gateway simulator: IPN answered');
      } catch (e) {
        req.log.warn({ err: e }, 'gateway simulator: IPN failed');
      }
      return reply.redirect(`${query.vnp_ReturnUrl}?${signed}`, 303);
    });
  });
}
