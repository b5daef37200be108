import { sql } from 'kysely';
import type { Db } from '../../db/pool.ts';

export function notificationsRepo(db: Db) {
  return {
    /** Inserts unless the dedupe key exists; true when inserted. */
    async insert(n: {
      id: string;
      recipient_id: string;
      kind: string;
      title: string;
      body: string;
      link: string | null;
      document_id: string | null;
      dedupe_key: string;
    }): Promise<boolean> {
      const r = await db
        .insertInto('notifications')
        .values(n)
        .onConflict((oc) => oc.constraint('notifications_dedupe_key').doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
    },

    async list(recipientId: string, q: { unread: boolean | undefined; page: number; pageSize: number }) {
      let base = db.selectFrom('notifications').where('recipient_id', '=', recipientId);
      if (q.unread === true) base = base.where('read_at', 'is', null);
      if (q.unread === false) base = base.where('read_at', 'is not', null);
      const [rows, total] = await Promise.all([
        base
          .selectAll()
          .orderBy('created_at', 'desc')
          .orderBy('id', 'desc')
          .limit(q.pageSize)
          .offset((q.page - 1) * q.pageSize)
          .execute(),
        base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { rows, total: Number(total.n) };
    },

    async countUnread(recipientId: string): Promise<number> {
      const r = await db
        .selectFrom('notifications')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('recipient_id', '=', recipientId)
        .where('read_at', 'is', null)
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },

    find(id: string) {
      return db.selectFrom('notifications').selectAll().where('id', '=', id).executeTakeFirst();
    },

    /** Marks one read; a notification already read keeps its first read time. */
    markRead(id: string, recipientId: string) {
      return db
        .updateTable('notifications')
        .set({ read_at: sql<Date>`now()` })
        .where('id', '=', id)
        .where('recipient_id', '=', recipientId)
        .where('read_at', 'is', null)
        .executeTakeFirst();
    },

    async markAllRead(recipientId: string): Promise<number> {
      const r = await db
        .updateTable('notifications')
        .set({ read_at: sql<Date>`now()` })
        .where('recipient_id', '=', recipientId)
        .where('read_at', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows);
    },
  };
}
