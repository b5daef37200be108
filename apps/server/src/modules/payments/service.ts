import { randomBytes } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { Db } from '../../db/pool.ts';
import { type AuditActor, recordAudit } from '../../platform/audit/service.ts';
import { AppError } from '../../platform/errors.ts';
import type { AuthContext } from '../../platform/policy.ts';
import { tableToPdf } from '../../platform/print/table.ts';
import { localDay } from '../dossiers/code.ts';
import { vnDay } from '../dossiers/forms.ts';
import type { DossiersService } from '../dossiers/service.ts';
import type { OrgService } from '../org/service.ts';
import type { GatewayResult, IpnOutcome, PaymentProvider } from './gateway.ts';
import { paymentsPolicy as policy } from './policy.ts';
import { paymentsRepo } from './repo.ts';

/** How long the payer has at the gateway (vnp_ExpireDate). */
export const ORDER_TTL_MS = 15 * 60_000;

type Actor = AuditActor;

export interface OrderInput {
  /** The dossier's code (as on the receipt). */
  code: string;
  /** The lookup secret printed on the receipt; without it, the caller must be an official of the agency. */
  secret?: string | undefined;
  /** The owner citizen signed in on the portal (dossiers.citizen_id), instead of the secret. */
  citizenId?: string | undefined;
}

/** The local day [00:00, 24:00) of Asia/Ho_Chi_Minh as instants. */
function dayBounds(day: string) {
  const from = new Date(`${day}T00:00:00+07:00`);
  return { from, to: new Date(from.getTime() + 86_400_000) };
}

export function paymentsService(
  db: Db,
  deps: {
    dossiers: DossiersService;
    org: OrgService;
    /** undefined: online payment is off (PAYMENT_DISABLED). */
    provider: PaymentProvider | undefined;
    now: () => Date;
    /** The gateway is the local simulator (the answer says so, for the portal to label it). */
    simulator: boolean;
    log?: (message: string, err?: unknown) => void;
  },
) {
  const repo = paymentsRepo(db);
  const { now } = deps;

  function provider(): PaymentProvider {
    if (!deps.provider) throw new AppError('PAYMENT_DISABLED');
    return deps.provider;
  }

  /** Applies a verified notification once: the order row lock and its state decide. */
  async function settle(result: GatewayResult, actor: Actor): Promise<IpnOutcome> {
    const p = provider();
    return db.transaction().execute(async (trx) => {
      const r = paymentsRepo(trx);
      const order = await r.lockByRef(result.txnRef);
      if (!order || order.provider !== p.name) return 'order_not_found';
      if (result.amount !== Number(order.amount)) return 'invalid_amount';
      if (order.status === 'paid' || order.status === 'failed') return 'already_confirmed';
      const at = now();
      const settled = await r.settle(order.id, {
        status: result.success ? 'paid' : 'failed',
        paid_at: result.success ? at : null,
        settled_at: at,
        gateway_txn_no: result.gatewayTxnNo,
        bank_code: result.bankCode,
        response_code: result.responseCode,
        ipn_params: JSON.stringify(result.params),
      });
      if (!settled) return 'already_confirmed';
      let marked: number[] = [];
      if (result.success)
        marked = await deps.dossiers.recordOnlinePayment(
          trx,
          actor,
          order.dossier_id,
          { ordinals: order.fee_ordinals, receiptNo: order.txn_ref, amount: Number(order.amount) },
          at,
        );
      await recordAudit(trx, actor, {
        action: result.success ? 'payments.paid' : 'payments.failed',
        entityType: 'payment_order',
        entityId: order.id,
        summary: {
          txnRef: order.txn_ref,
          dossierId: order.dossier_id,
          amount: Number(order.amount),
          responseCode: result.responseCode,
          gatewayTxnNo: result.gatewayTxnNo,
          ...(result.success && { feesMarked: marked }),
        },
      });
      return 'confirmed';
    });
  }

  return {
    /**
     * A payment order for every fee line the dossier still owes, and the gateway URL to send the
     * payer to. Earlier pending orders whose URL lapsed are marked expired.
     */
    async createOrder(actor: Actor, input: OrderInput, ctx: { ipAddr: string; returnUrl: string }) {
      const p = provider();
      let who: { auth: AuthContext } | { secret: string } | { citizenId: string };
      if (input.citizenId !== undefined) who = { citizenId: input.citizenId };
      else if (input.secret !== undefined) who = { secret: input.secret };
      else if (actor.auth) who = { auth: actor.auth };
      else throw new AppError('UNAUTHENTICATED');
      const due = await deps.dossiers.payableFees(who, input.code);
      if (due.fees.length === 0) throw new AppError('PAYMENT_NOTHING_DUE');
      const at = now();
      const amount = due.fees.reduce((s, f) => s + f.amount, 0);
      const txnRef = `TT${localDay(at).slice(2).replaceAll('-', '')}${randomBytes(5).toString('hex').toUpperCase()}`;
      const expiresAt = new Date(at.getTime() + ORDER_TTL_MS);
      const id = uuidv7();
      await db.transaction().execute(async (trx) => {
        const r = paymentsRepo(trx);
        await r.expireLapsed(due.dossierId, at);
        await r.insertOrder({
          id,
          txn_ref: txnRef,
          provider: p.name,
          dossier_id: due.dossierId,
          agency_id: due.agencyId,
          fee_ordinals: due.fees.map((f) => f.ordinal),
          amount,
          created_at: at,
          expires_at: expiresAt,
          created_by: actor.auth?.actingFor?.id ?? actor.auth?.officialId ?? null,
        });
        await recordAudit(trx, actor, {
          action: 'payments.order_created',
          entityType: 'payment_order',
          entityId: id,
          summary: {
            txnRef,
            dossierId: due.dossierId,
            code: due.code,
            amount,
            byLookupSecret: 'secret' in who,
            ...('citizenId' in who && { citizenId: who.citizenId }),
          },
        });
      });
      const paymentUrl = p.createPaymentUrl({
        txnRef,
        amount,
        orderInfo: `Thanh toan phi le phi ho so ${due.code}`,
        ipAddr: ctx.ipAddr,
        createdAt: at,
        expiresAt,
        returnUrl: ctx.returnUrl,
      });
      return {
        txnRef,
        dossierCode: due.code,
        amount,
        fees: due.fees,
        expiresAt: expiresAt.toISOString(),
        paymentUrl,
        simulator: deps.simulator,
      };
    },

    /**
     * The payer's browser back from the gateway: the signature is checked (a tampered parameter is
     * refused) and the order's own state reported. It changes nothing: only the IPN settles.
     */
    async returned(query: Record<string, string>) {
      const result = provider().verifyReturn(query);
      if (!result) throw new AppError('PAYMENT_SIGNATURE_INVALID');
      const o = await repo.findByRef(result.txnRef);
      if (!o || Number(o.amount) !== result.amount) throw new AppError('PAYMENT_ORDER_NOT_FOUND');
      return {
        txnRef: o.txn_ref,
        dossierCode: o.dossier_code,
        amount: Number(o.amount),
        gatewaySuccess: result.success,
        responseCode: result.responseCode,
        status: o.status,
        paidAt: o.paid_at ? o.paid_at.toISOString() : null,
        receiptNo: o.status === 'paid' ? o.txn_ref : null,
        simulator: deps.simulator,
      };
    },

    /** The gateway's server-to-server notification; answers in the gateway's terms. */
    async ipn(query: Record<string, string>, ip: string | null) {
      const actor: Actor = { auth: null, ip };
      const { body, outcome } = await provider().handleIpn(query, (result) => settle(result, actor));
      if (outcome === 'error') deps.log?.('payments: IPN could not be applied', query.vnp_TxnRef);
      return body;
    },

    /**
     * The receipt of a paid order (PDF): for the applicant with the dossier code and lookup secret,
     * or for an official who may read the dossier. Anyone else: "not found".
     */
    async receipt(
      auth: AuthContext | null,
      txnRef: string,
      access: { code?: string; secret?: string; citizenId?: string },
    ) {
      const o = await repo.paidOrder(txnRef);
      if (!o) throw new AppError('PAYMENT_ORDER_NOT_FOUND');
      if (access.citizenId !== undefined) {
        // The owner on the portal: the dossier must be theirs (else "not found" from dossiers).
        if (access.code !== o.dossier_code) throw new AppError('PAYMENT_ORDER_NOT_FOUND');
        await deps.dossiers.citizenDossier(access.citizenId, o.dossier_code);
      } else if (access.secret !== undefined) {
        if (access.code !== o.dossier_code) throw new AppError('PAYMENT_ORDER_NOT_FOUND');
        await deps.dossiers.publicStatus(o.dossier_code, access.secret);
      } else if (auth) await deps.dossiers.view(auth, o.dossier_id);
      else throw new AppError('UNAUTHENTICATED');
      const lines = await repo.feesPaidUnder(o.dossier_id, o.txn_ref);
      const paidAt = o.paid_at as Date;
      const time = new Date(paidAt.getTime() + 7 * 3600_000).toISOString().slice(11, 16);
      const money = (n: number) => `${n.toLocaleString('vi-VN').replaceAll(',', '.')}`;
      return tableToPdf({
        landscape: false,
        heading: [
          { text: o.agency_name.toUpperCase(), bold: true },
          { text: 'BIÊN NHẬN THANH TOÁN TRỰC TUYẾN PHÍ, LỆ PHÍ', bold: true, size: 14 },
          ...(deps.simulator
            ? [{ text: 'Thanh toán qua cổng thanh toán mô phỏng — không phải ngân hàng thật', bold: true }]
            : []),
          { text: `Số biên nhận: ${o.txn_ref}` },
          { text: `Hồ sơ: ${o.dossier_code} — Người nộp: ${o.applicant_name}` },
          { text: `Thời gian thanh toán: ${time} ngày ${vnDay(paidAt)}` },
          {
            text: `Mã giao dịch của cổng thanh toán: ${o.gateway_txn_no ?? ''}${o.bank_code ? ` (ngân hàng ${o.bank_code})` : ''}`,
          },
          { text: `Số tiền đã thanh toán: ${money(Number(o.amount))} đồng`, bold: true },
        ],
        columns: [
          { header: 'STT', width: 40 },
          { header: 'Khoản phí, lệ phí', width: 330 },
          { header: 'Số tiền (đồng)', width: 150 },
        ],
        rows: [
          ...lines.map((l, i) => [String(i + 1), l.name, money(Number(l.amount))]),
          ['', 'Cộng', money(lines.reduce((s, l) => s + Number(l.amount), 0))],
        ],
      });
    },

    /**
     * A day's reconciliation (Asia/Ho_Chi_Minh): orders paid through the gateway against the fee
     * lines the dossiers recorded paid under their reference, per agency; differences listed.
     */
    async reconciliation(auth: AuthContext, day: string) {
      const who = auth.actingFor?.id ?? auth.officialId;
      const scope = policy.reconciliationScope(auth, who ? await deps.org.agencyIdsOf(who) : []);
      const agencies = policy.agencies(scope);
      const { from, to } = dayBounds(day);
      const [orders, unmatched] = await Promise.all([
        repo.paidOrders(from, to, agencies),
        repo.onlineFeesWithoutOrder(from, to, agencies),
      ]);
      const byAgency = new Map<
        string,
        { agencyId: string; agencyName: string; orders: number; paid: number; recorded: number }
      >();
      const row = (agencyId: string, agencyName: string) => {
        let a = byAgency.get(agencyId);
        if (!a) {
          a = { agencyId, agencyName, orders: 0, paid: 0, recorded: 0 };
          byAgency.set(agencyId, a);
        }
        return a;
      };
      const differences: {
        kind: 'order_not_recorded' | 'fee_without_order';
        agencyId: string;
        dossierCode: string;
        reference: string | null;
        paid: number;
        recorded: number;
      }[] = [];
      for (const o of orders) {
        const a = row(o.agency_id, o.agency_name);
        a.orders++;
        a.paid += Number(o.amount);
        a.recorded += Number(o.recorded);
        if (Number(o.recorded) !== Number(o.amount))
          differences.push({
            kind: 'order_not_recorded',
            agencyId: o.agency_id,
            dossierCode: o.dossier_code,
            reference: o.txn_ref,
            paid: Number(o.amount),
            recorded: Number(o.recorded),
          });
      }
      for (const f of unmatched) {
        row(f.agency_id, f.agency_name).recorded += Number(f.amount);
        differences.push({
          kind: 'fee_without_order',
          agencyId: f.agency_id,
          dossierCode: f.dossier_code,
          reference: f.receipt_no,
          paid: 0,
          recorded: Number(f.amount),
        });
      }
      const list = [...byAgency.values()].sort((x, y) => x.agencyName.localeCompare(y.agencyName, 'vi'));
      return {
        day,
        agencies: list.map((a) => ({ ...a, difference: a.paid - a.recorded })),
        totals: {
          orders: list.reduce((s, a) => s + a.orders, 0),
          paid: list.reduce((s, a) => s + a.paid, 0),
          recorded: list.reduce((s, a) => s + a.recorded, 0),
        },
        differences,
      };
    },
  };
}

export type PaymentsService = ReturnType<typeof paymentsService>;
