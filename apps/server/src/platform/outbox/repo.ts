import { sql } from 'kysely';
import type { Db } from '../../db/pool.ts';

export interface OutboxRow {
  id: string;
  topic: string;
  payload: unknown;
  dedupe_key: string;
  attempts: number;
}

export function outboxRepo(db: Db) {
  return {
    /** Inserts the row unless its dedupe key is already there; true when inserted. */
    async insert(row: { id: string; topic: string; payload: unknown; dedupe_key: string; due: Date | null }) {
      const r = await db
        .insertInto('outbox')
        .values({
          id: row.id,
          topic: row.topic,
          payload: JSON.stringify(row.payload),
          dedupe_key: row.dedupe_key,
          ...(row.due && { next_attempt_at: row.due }),
        })
        .onConflict((oc) => oc.constraint('outbox_dedupe_key').doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
    },

    /**
     * The oldest due rows of these topics (up to `limit`), locked for the rest of the transaction.
     * Rows another dispatcher holds are skipped, not waited for; a row settled meanwhile no longer
     * matches.
     */
    claimDue(topics: string[], limit: number): Promise<OutboxRow[]> {
      return db
        .selectFrom('outbox')
        .select(['id', 'topic', 'payload', 'dedupe_key', 'attempts'])
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', sql<Date>`now()`)
        .where('topic', 'in', topics)
        .orderBy('next_attempt_at')
        .orderBy('id')
        .limit(limit)
        .forUpdate()
        .skipLocked()
        .execute();
    },

    async settle(ids: string[], status: 'sent' | 'skipped') {
      if (ids.length === 0) return;
      await db
        .updateTable('outbox')
        .set({ status, sent_at: sql<Date>`now()`, last_error: null })
        .where('id', 'in', ids)
        .execute();
    },

    /** Counts the failure; due again after `delayMs`, or `failed` for good when delayMs is null. */
    fail(id: string, attempts: number, error: string, delayMs: number | null) {
      return db
        .updateTable('outbox')
        .set({
          attempts,
          last_error: error.slice(0, 2000),
          ...(delayMs === null
            ? { status: 'failed' as const }
            : { next_attempt_at: sql<Date>`now() + ${delayMs} * interval '1 millisecond'` }),
        })
        .where('id', '=', id)
        .execute();
    },

    /** Due again after `delayMs`, without counting an attempt (its destination was unavailable). */
    postpone(id: string, error: string, delayMs: number) {
      return db
        .updateTable('outbox')
        .set({
          last_error: error.slice(0, 2000),
          next_attempt_at: sql<Date>`now() + ${delayMs} * interval '1 millisecond'`,
        })
        .where('id', '=', id)
        .execute();
    },

    /** Due rows of these topics still pending, held by a dispatcher or not. */
    async countDue(topics: string[]): Promise<number> {
      const r = await db
        .selectFrom('outbox')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', sql<Date>`now()`)
        .where('topic', 'in', topics)
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
  };
}
