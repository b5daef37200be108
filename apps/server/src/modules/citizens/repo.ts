import type { Insertable, Updateable } from 'kysely';
import type { Db } from '../../db/pool.ts';
import type { CitizenNotificationsTable, CitizensTable } from '../../db/schema.ts';
import { loginFailures } from '../../platform/auth/repo.ts';

/** All SQL of the citizens module. */
export function citizensRepo(db: Db) {
  return {
    // --- accounts

    findById(id: string) {
      return db.selectFrom('citizens').selectAll().where('id', '=', id).executeTakeFirst();
    },
    findByEmail(email: string) {
      return db.selectFrom('citizens').selectAll().where('email', '=', email).executeTakeFirst();
    },
    findByPhone(phone: string) {
      return db.selectFrom('citizens').selectAll().where('phone', '=', phone).executeTakeFirst();
    },
    /** Another account holding one of these unique values (for a clear conflict code). */
    findHolder(field: 'email' | 'phone' | 'id_no', value: string, exceptId: string | null) {
      let q = db.selectFrom('citizens').select('id').where(field, '=', value);
      if (exceptId) q = q.where('id', '<>', exceptId);
      return q.executeTakeFirst();
    },
    insert(row: Insertable<CitizensTable>) {
      return db.insertInto('citizens').values(row).returningAll().executeTakeFirstOrThrow();
    },
    update(id: string, set: Updateable<CitizensTable>) {
      return db
        .updateTable('citizens')
        .set({ ...set, updated_at: new Date() })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
    },
    /** The staff lockout's statement, on this table. */
    recordFailure(id: string, threshold: number, lockMinutes: number) {
      return loginFailures(db, 'citizens').record(id, threshold, lockMinutes);
    },
    resetFailures(id: string) {
      return loginFailures(db, 'citizens').reset(id);
    },

    // --- sessions

    createSession(s: {
      id: string;
      citizen_id: string;
      expires_at: Date;
      ip: string | null;
      user_agent: string | null;
    }) {
      return db.insertInto('citizen_sessions').values(s).execute();
    },
    findSession(id: string) {
      return db
        .selectFrom('citizen_sessions')
        .select(['id', 'citizen_id', 'expires_at', 'last_seen_at'])
        .where('id', '=', id)
        .executeTakeFirst();
    },
    touchSession(id: string) {
      return db
        .updateTable('citizen_sessions')
        .set({ last_seen_at: new Date() })
        .where('id', '=', id)
        .execute();
    },
    deleteSession(id: string) {
      return db.deleteFrom('citizen_sessions').where('id', '=', id).execute();
    },
    deleteExpiredSessionsOf(citizenId: string) {
      return db
        .deleteFrom('citizen_sessions')
        .where('citizen_id', '=', citizenId)
        .where('expires_at', '<', new Date())
        .execute();
    },
    deleteSessionsOf(citizenId: string) {
      return db.deleteFrom('citizen_sessions').where('citizen_id', '=', citizenId).executeTakeFirst();
    },

    // --- password resets

    insertReset(r: { id: string; citizen_id: string; token_hash: string; expires_at: Date }) {
      return db.insertInto('citizen_password_resets').values(r).execute();
    },
    /** Marks a valid reset used and returns it; nothing when unknown, expired or already used. */
    consumeReset(tokenHash: string, at: Date) {
      return db
        .updateTable('citizen_password_resets')
        .set({ used_at: at })
        .where('token_hash', '=', tokenHash)
        .where('used_at', 'is', null)
        .where('expires_at', '>', at)
        .returning(['id', 'citizen_id'])
        .executeTakeFirst();
    },
    /** Other open links of the citizen stop working once a password is set. */
    closeResetsOf(citizenId: string, at: Date) {
      return db
        .updateTable('citizen_password_resets')
        .set({ used_at: at })
        .where('citizen_id', '=', citizenId)
        .where('used_at', 'is', null)
        .execute();
    },

    // --- OIDC

    insertOidcState(r: {
      state_hash: string;
      code_verifier: string;
      nonce: string;
      return_to: string;
      expires_at: Date;
      link_citizen_id?: string | null;
    }) {
      return db.insertInto('citizen_oidc_states').values(r).execute();
    },
    /** Takes a pending sign-in once (deleted whether expired or not). */
    takeOidcState(stateHash: string) {
      return db
        .deleteFrom('citizen_oidc_states')
        .where('state_hash', '=', stateHash)
        .returning(['code_verifier', 'nonce', 'return_to', 'expires_at', 'link_citizen_id'])
        .executeTakeFirst();
    },
    deleteExpiredOidcStates(at: Date) {
      return db.deleteFrom('citizen_oidc_states').where('expires_at', '<', at).execute();
    },
    findIdentity(issuer: string, subject: string) {
      return db
        .selectFrom('citizen_identities')
        .select(['citizen_id'])
        .where('issuer', '=', issuer)
        .where('subject', '=', subject)
        .executeTakeFirst();
    },
    insertIdentity(r: { issuer: string; subject: string; citizen_id: string; last_login_at: Date }) {
      return db.insertInto('citizen_identities').values(r).execute();
    },
    touchIdentity(issuer: string, subject: string, at: Date) {
      return db
        .updateTable('citizen_identities')
        .set({ last_login_at: at })
        .where('issuer', '=', issuer)
        .where('subject', '=', subject)
        .execute();
    },
    identitiesOf(citizenId: string) {
      return db
        .selectFrom('citizen_identities')
        .select(['issuer', 'created_at'])
        .where('citizen_id', '=', citizenId)
        .orderBy('created_at')
        .execute();
    },

    /** Unlinks one identity of a citizen; the number of rows removed. */
    async deleteIdentity(citizenId: string, issuer: string) {
      const r = await db
        .deleteFrom('citizen_identities')
        .where('citizen_id', '=', citizenId)
        .where('issuer', '=', issuer)
        .executeTakeFirst();
      return Number(r.numDeletedRows);
    },

    // --- notifications

    /** One row per dossier event: false when the event was already noted (an outbox retry). */
    async insertNotification(row: Insertable<CitizenNotificationsTable>) {
      const r = await db
        .insertInto('citizen_notifications')
        .values(row)
        .onConflict((oc) => oc.column('event_id').doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
    },
    notificationsOf(citizenId: string, limit: number) {
      return db
        .selectFrom('citizen_notifications')
        .selectAll()
        .where('citizen_id', '=', citizenId)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
    },
    async unreadCount(citizenId: string) {
      const r = await db
        .selectFrom('citizen_notifications')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('citizen_id', '=', citizenId)
        .where('read_at', 'is', null)
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
    /** Marks one of the citizen's own notifications read; false when it is not theirs. */
    async markRead(citizenId: string, id: string, at: Date) {
      const r = await db
        .updateTable('citizen_notifications')
        .set((eb) => ({ read_at: eb.fn.coalesce('read_at', eb.val(at)) }))
        .where('id', '=', id)
        .where('citizen_id', '=', citizenId)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async markAllRead(citizenId: string, at: Date) {
      const r = await db
        .updateTable('citizen_notifications')
        .set({ read_at: at })
        .where('citizen_id', '=', citizenId)
        .where('read_at', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows);
    },
  };
}
