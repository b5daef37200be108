import { sql } from 'kysely';
import type { Db } from '../../db/pool.ts';

export const AUDIT_LOCK = 727002;

export function auditRepo(db: Db) {
  return {
    /** Serialises appends for the rest of the transaction and returns the chain's head. */
    async lockHead(): Promise<string | null> {
      await sql`SELECT pg_advisory_xact_lock(${AUDIT_LOCK})`.execute(db);
      const row = await db
        .selectFrom('audit_log')
        .select('hash')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row?.hash ?? null;
    },
    insert(row: {
      at: Date;
      actor_id: string | null;
      on_behalf_of_id: string | null;
      token_id: string | null;
      action: string;
      entity_type: string;
      entity_id: string | null;
      summary: string;
      ip: string | null;
      prev_hash: string;
      hash: string;
    }) {
      return db.insertInto('audit_log').values(row).execute();
    },
    /** Rows in chain order after `afterId`, for verification. */
    batch(afterId: string, limit: number) {
      return db
        .selectFrom('audit_log')
        .selectAll()
        .where('id', '>', afterId)
        .orderBy('id')
        .limit(limit)
        .execute();
    },
    async list(q: {
      actorId?: string;
      action?: string;
      entityType?: string;
      entityId?: string;
      from?: string;
      to?: string;
      page: number;
      pageSize: number;
    }) {
      let base = db.selectFrom('audit_log as a');
      if (q.actorId)
        base = base.where((eb) =>
          eb.or([eb('a.actor_id', '=', q.actorId!), eb('a.on_behalf_of_id', '=', q.actorId!)]),
        );
      if (q.action) base = base.where('a.action', 'like', `${q.action}%`);
      if (q.entityType) base = base.where('a.entity_type', '=', q.entityType);
      if (q.entityId) base = base.where('a.entity_id', '=', q.entityId);
      // Days are Vietnamese calendar days.
      if (q.from)
        base = base.where(
          'a.at',
          '>=',
          sql<Date>`(${q.from}::date)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'`,
        );
      if (q.to)
        base = base.where(
          'a.at',
          '<',
          sql<Date>`(${q.to}::date + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'`,
        );
      const [items, total] = await Promise.all([
        base
          .leftJoin('officials as o', 'o.id', 'a.actor_id')
          .leftJoin('officials as b', 'b.id', 'a.on_behalf_of_id')
          .select([
            'a.id',
            'a.at',
            'a.actor_id',
            'o.full_name as actor_name',
            'a.on_behalf_of_id',
            'b.full_name as on_behalf_of_name',
            'a.action',
            'a.entity_type',
            'a.entity_id',
            'a.summary',
            'a.ip',
          ])
          .orderBy('a.id', 'desc')
          .limit(q.pageSize)
          .offset((q.page - 1) * q.pageSize)
          .execute(),
        base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { items, total: Number(total.n) };
    },
  };
}
