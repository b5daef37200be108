import type { Insertable } from 'kysely';
import { sql } from 'kysely';
import type { Db } from '../../db/pool.ts';
import type { PaymentOrdersTable } from '../../db/schema.ts';

/** All SQL of the payments module. */
export function paymentsRepo(db: Db) {
  return {
    async insertOrder(row: Insertable<PaymentOrdersTable>) {
      await db.insertInto('payment_orders').values(row).execute();
    },

    /** Pending orders of a dossier whose payment URL has lapsed become expired. */
    async expireLapsed(dossierId: string, at: Date) {
      await db
        .updateTable('payment_orders')
        .set({ status: 'expired' })
        .where('dossier_id', '=', dossierId)
        .where('status', '=', 'pending')
        .where('expires_at', '<=', at)
        .execute();
    },

    /** The order under its row lock: one notification at a time settles it. */
    lockByRef(txnRef: string) {
      return db
        .selectFrom('payment_orders')
        .selectAll()
        .where('txn_ref', '=', txnRef)
        .forUpdate()
        .executeTakeFirst();
    },

    findByRef(txnRef: string) {
      return db
        .selectFrom('payment_orders as o')
        .innerJoin('dossiers as d', 'd.id', 'o.dossier_id')
        .select([
          'o.txn_ref',
          'o.status',
          'o.amount',
          'o.paid_at',
          'o.gateway_txn_no',
          'o.bank_code',
          'o.response_code',
          'd.code as dossier_code',
        ])
        .where('o.txn_ref', '=', txnRef)
        .executeTakeFirst();
    },

    /**
     * Settles a pending (or lapsed) order; false when it was settled already. The state check and
     * the unique (provider, gateway_txn_no) make a repeated notification change nothing.
     */
    async settle(
      id: string,
      set: {
        status: 'paid' | 'failed';
        paid_at: Date | null;
        settled_at: Date;
        gateway_txn_no: string | null;
        bank_code: string | null;
        response_code: string;
        ipn_params: string;
      },
    ) {
      const r = await db
        .updateTable('payment_orders')
        .set(set)
        .where('id', '=', id)
        .where('status', 'in', ['pending', 'expired'])
        .executeTakeFirst();
      return r.numUpdatedRows === 1n;
    },

    /** A paid order with what its receipt shows. */
    paidOrder(txnRef: string) {
      return db
        .selectFrom('payment_orders as o')
        .innerJoin('dossiers as d', 'd.id', 'o.dossier_id')
        .innerJoin('agencies as a', 'a.id', 'o.agency_id')
        .select([
          'o.txn_ref',
          'o.dossier_id',
          'o.amount',
          'o.paid_at',
          'o.gateway_txn_no',
          'o.bank_code',
          'd.code as dossier_code',
          'd.applicant_name',
          'a.name as agency_name',
        ])
        .where('o.txn_ref', '=', txnRef)
        .where('o.status', '=', 'paid')
        .executeTakeFirst();
    },

    /** The dossier's fee lines recorded paid under a reference (a read of the dossiers module's table). */
    feesPaidUnder(dossierId: string, receiptNo: string) {
      return db
        .selectFrom('dossier_fees')
        .select(['name', 'amount'])
        .where('dossier_id', '=', dossierId)
        .where('receipt_no', '=', receiptNo)
        .where('paid_online', '=', true)
        .orderBy('id')
        .execute();
    },

    // --- reconciliation (reads the dossiers module's fee lines; never writes them)

    /** Orders paid in [from, to), with what the dossiers recorded paid under their reference. */
    paidOrders(from: Date, to: Date, agencyIds: string[] | null) {
      let q = db
        .selectFrom('payment_orders as o')
        .innerJoin('dossiers as d', 'd.id', 'o.dossier_id')
        .innerJoin('agencies as a', 'a.id', 'o.agency_id')
        .select([
          'o.txn_ref',
          'o.agency_id',
          'a.name as agency_name',
          'd.code as dossier_code',
          'o.amount',
          'o.paid_at',
          'o.gateway_txn_no',
          sql<string>`(SELECT coalesce(sum(f.amount), 0) FROM dossier_fees f
            WHERE f.dossier_id = o.dossier_id AND f.receipt_no = o.txn_ref AND f.paid_online)`.as('recorded'),
        ])
        .where('o.status', '=', 'paid')
        .where('o.paid_at', '>=', from)
        .where('o.paid_at', '<', to);
      if (agencyIds) q = q.where('o.agency_id', 'in', agencyIds.length ? agencyIds : [null as never]);
      return q.orderBy('o.paid_at').orderBy('o.txn_ref').execute();
    },

    /**
     * Fee lines recorded paid online in [from, to) under no paid order of this module (ticked
     * "online" at the counter, or an order that was not settled): listed as differences.
     */
    onlineFeesWithoutOrder(from: Date, to: Date, agencyIds: string[] | null) {
      let q = db
        .selectFrom('dossier_fees as f')
        .innerJoin('dossiers as d', 'd.id', 'f.dossier_id')
        .innerJoin('agencies as a', 'a.id', 'd.agency_id')
        .select([
          'd.agency_id',
          'a.name as agency_name',
          'd.code as dossier_code',
          'f.name',
          'f.amount',
          'f.receipt_no',
          'f.paid_at',
        ])
        .where('f.paid_online', '=', true)
        .where('f.paid_at', '>=', from)
        .where('f.paid_at', '<', to)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('payment_orders as o')
                .select('o.id')
                .whereRef('o.dossier_id', '=', 'f.dossier_id')
                .whereRef('o.txn_ref', '=', 'f.receipt_no')
                .where('o.status', '=', 'paid'),
            ),
          ),
        );
      if (agencyIds) q = q.where('d.agency_id', 'in', agencyIds.length ? agencyIds : [null as never]);
      return q.orderBy('f.paid_at').execute();
    },
  };
}

export type PaymentsRepo = ReturnType<typeof paymentsRepo>;
