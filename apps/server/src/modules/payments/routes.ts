import { IsoDate, Uuid } from '@congvu/contracts';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { type Api, actor, authOf } from '../../platform/http.ts';
import { paymentsPolicy } from './policy.ts';
import type { PaymentsService } from './service.ts';

const tags = ['payments'];

export const CreatePaymentOrder = z.object({
  /** The dossier's code, as on the receipt. */
  code: z.string().trim().min(1).max(40),
  /** The lookup secret printed on the receipt; staff of the receiving agency may omit it. */
  secret: z.string().min(1).max(64).optional(),
});
export type CreatePaymentOrder = z.infer<typeof CreatePaymentOrder>;

const Fee = z.object({ ordinal: z.number().int(), name: z.string(), amount: z.number() });
export const PaymentOrderCreated = z.object({
  txnRef: z.string(),
  dossierCode: z.string(),
  amount: z.number(),
  fees: z.array(Fee),
  expiresAt: z.string(),
  paymentUrl: z.string(),
  /** The gateway is the local simulator (not a bank): the portal must say so. */
  simulator: z.boolean(),
});

/** What the gateway sends (return and IPN): vnp_* strings, the reference and the signature required. */
export const GatewayQuery = z
  .object({
    vnp_TxnRef: z.string().min(1).max(100),
    vnp_SecureHash: z.string().min(1).max(256),
  })
  .catchall(z.string().max(2000));

export const PaymentReturn = z.object({
  txnRef: z.string(),
  dossierCode: z.string(),
  amount: z.number(),
  gatewaySuccess: z.boolean(),
  responseCode: z.string(),
  status: z.enum(['pending', 'paid', 'failed', 'expired']),
  paidAt: z.string().nullable(),
  receiptNo: z.string().nullable(),
  simulator: z.boolean(),
});

export const ReceiptQuery = z.object({
  code: z.string().trim().min(1).max(40).optional(),
  k: z.string().min(1).max(64).optional(),
});

export const ReconciliationQuery = z.object({
  day: IsoDate.refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'Ngày không hợp lệ'),
});
export const Reconciliation = z.object({
  day: z.string(),
  agencies: z.array(
    z.object({
      agencyId: Uuid,
      agencyName: z.string(),
      orders: z.number().int(),
      paid: z.number(),
      recorded: z.number(),
      difference: z.number(),
    }),
  ),
  totals: z.object({ orders: z.number().int(), paid: z.number(), recorded: z.number() }),
  differences: z.array(
    z.object({
      kind: z.enum(['order_not_recorded', 'fee_without_order']),
      agencyId: Uuid,
      dossierCode: z.string(),
      reference: z.string().nullable(),
      paid: z.number(),
      recorded: z.number(),
    }),
  ),
});

export function paymentsRoutes(
  app: Api,
  payments: PaymentsService,
  opts: { publicUrl: string | undefined; publicRatePerMinute?: number },
) {
  /** Where the gateway sends the browser back: the configured public address, else this request's. */
  const originOf = (req: FastifyRequest) => opts.publicUrl ?? `${req.protocol}://${req.headers.host}`;

  app.post(
    '/api/payments/orders',
    {
      // The portal calls it for the applicant (code + secret); an official may call it signed in.
      config: {
        access: 'public',
        rateLimit: { max: opts.publicRatePerMinute ?? 30, timeWindow: '1 minute' },
      },
      schema: {
        tags,
        summary: 'Tạo giao dịch thanh toán trực tuyến phí, lệ phí của hồ sơ',
        body: CreatePaymentOrder,
        response: { 201: PaymentOrderCreated },
      },
    },
    async (req, reply) =>
      reply.status(201).send(
        await payments.createOrder(actor(req), req.body, {
          ipAddr: req.ip ?? '127.0.0.1',
          returnUrl: `${originOf(req)}/api/payments/return`,
        }),
      ),
  );

  app.get(
    '/api/payments/return',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Kết quả thanh toán khi người nộp trở về từ cổng thanh toán (kiểm tra chữ ký)',
        querystring: GatewayQuery,
        response: { 200: PaymentReturn },
      },
    },
    async (req) => payments.returned(req.query as Record<string, string>),
  );

  app.get(
    '/api/payments/ipn',
    {
      // The gateway's server-to-server call, authenticated by its HMAC-SHA512 signature.
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Thông báo kết quả thanh toán từ cổng thanh toán (IPN)',
        querystring: GatewayQuery,
        response: { 200: z.object({ RspCode: z.string(), Message: z.string() }) },
      },
    },
    async (req) =>
      (await payments.ipn(req.query as Record<string, string>, req.ip ?? null)) as {
        RspCode: string;
        Message: string;
      },
  );

  app.get(
    '/api/payments/receipts/:txnRef',
    {
      // The applicant with the code and secret of the receipt; an official who may read the dossier.
      config: {
        access: 'public',
        rateLimit: { max: opts.publicRatePerMinute ?? 30, timeWindow: '1 minute' },
      },
      schema: {
        tags,
        summary: 'Biên nhận thanh toán trực tuyến (PDF)',
        params: z.object({ txnRef: z.string().regex(/^[A-Za-z0-9]{1,40}$/) }),
        querystring: ReceiptQuery,
      },
    },
    async (req, reply) => {
      const pdf = await payments.receipt(req.auth, req.params.txnRef, {
        code: req.query.code,
        secret: req.query.k,
      });
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="bien-nhan-${req.params.txnRef}.pdf"`)
        .send(pdf);
    },
  );

  app.get(
    '/api/payments/reconciliation',
    {
      config: { access: paymentsPolicy.reconcile },
      schema: {
        tags,
        summary: 'Đối soát thanh toán trực tuyến trong ngày theo cơ quan',
        querystring: ReconciliationQuery,
        response: { 200: Reconciliation },
      },
    },
    async (req) => payments.reconciliation(authOf(req), req.query.day),
  );
}
