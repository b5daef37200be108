import type { Db } from '../../db/pool.ts';

export function authRepo(db: Db) {
  return {
    findOfficialByUsername(username: string) {
      return db.selectFrom('officials').selectAll().where('username', '=', username).executeTakeFirst();
    },
    findOfficial(id: string) {
      return db.selectFrom('officials').selectAll().where('id', '=', id).executeTakeFirst();
    },
    rolesOf(officialId: string) {
      return db
        .selectFrom('official_roles')
        .select(['role', 'agency_id'])
        .where('official_id', '=', officialId)
        .orderBy('role')
        .execute();
    },
    recordFailure(id: string, threshold: number, lockMinutes: number) {
      return loginFailures(db, 'officials').record(id, threshold, lockMinutes);
    },
    resetFailures(id: string) {
      return loginFailures(db, 'officials').reset(id);
    },
    setPassword(id: string, hash: string) {
      return db
        .updateTable('officials')
        .set({
          password_hash: hash,
          password_changed_at: new Date(),
          failed_logins: 0,
          locked_until: null,
          updated_at: new Date(),
        })
        .where('id', '=', id)
        .execute();
    },
    setTotp(id: string, secret: string | null, enabled: boolean) {
      return db
        .updateTable('officials')
        .set({ totp_secret: secret, totp_enabled: enabled, updated_at: new Date() })
        .where('id', '=', id)
        .execute();
    },
    createSession(s: {
      id: string;
      official_id: string;
      expires_at: Date;
      ip: string | null;
      user_agent: string | null;
    }) {
      return db.insertInto('sessions').values(s).execute();
    },
    findSession(id: string) {
      return db
        .selectFrom('sessions as s')
        .innerJoin('officials as o', 'o.id', 's.official_id')
        .select(['s.id', 's.official_id', 's.expires_at', 's.last_seen_at', 'o.full_name', 'o.is_active'])
        .where('s.id', '=', id)
        .executeTakeFirst();
    },
    touchSession(id: string) {
      return db.updateTable('sessions').set({ last_seen_at: new Date() }).where('id', '=', id).execute();
    },
    deleteSession(id: string) {
      return db.deleteFrom('sessions').where('id', '=', id).execute();
    },
    deleteExpiredSessionsOf(officialId: string) {
      return db
        .deleteFrom('sessions')
        .where('official_id', '=', officialId)
        .where('expires_at', '<', new Date())
        .execute();
    },
    deleteSessionsOf(officialId: string) {
      return db.deleteFrom('sessions').where('official_id', '=', officialId).executeTakeFirst();
    },
    activeDelegation(fromId: string, toId: string, at: Date) {
      return db
        .selectFrom('delegations as d')
        .innerJoin('officials as o', 'o.id', 'd.from_official_id')
        .select(['d.id', 'd.roles', 'o.full_name', 'o.is_active'])
        .where('d.from_official_id', '=', fromId)
        .where('d.to_official_id', '=', toId)
        .where('d.revoked_at', 'is', null)
        .where('d.starts_at', '<=', at)
        .where('d.ends_at', '>', at)
        .orderBy('d.ends_at', 'desc')
        .executeTakeFirst();
    },
    findToken(id: string) {
      return db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
    },
    touchToken(id: string) {
      return db.updateTable('api_tokens').set({ last_used_at: new Date() }).where('id', '=', id).execute();
    },
    listTokens() {
      return db.selectFrom('api_tokens').selectAll().orderBy('created_at', 'desc').execute();
    },
    insertToken(t: {
      id: string;
      name: string;
      secret_hash: string;
      permissions: string[];
      created_by: string | null;
    }) {
      return db.insertInto('api_tokens').values(t).returningAll().executeTakeFirstOrThrow();
    },
    revokeToken(id: string) {
      return db
        .updateTable('api_tokens')
        .set({ revoked_at: new Date() })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
    },
  };
}

/**
 * The sign-in lockout of an account table (officials; the citizens module's citizens): failures
 * counted and the lock set in one statement, so concurrent failures cannot skip the threshold.
 */
export function loginFailures(db: Db, table: 'officials' | 'citizens') {
  // Both tables carry failed_logins and locked_until (test/db.test.ts lists their columns); Kysely
  // types an update of either the same, so the statement is written once for 'officials'.
  const t = table as 'officials';
  return {
    record(id: string, threshold: number, lockMinutes: number) {
      return db
        .updateTable(t)
        .set((eb) => ({
          failed_logins: eb
            .case()
            .when('failed_logins', '>=', threshold - 1)
            .then(0)
            .else(eb('failed_logins', '+', 1))
            .end(),
          locked_until: eb
            .case()
            .when('failed_logins', '>=', threshold - 1)
            .then(new Date(Date.now() + lockMinutes * 60_000))
            .else(eb.ref('locked_until'))
            .end(),
        }))
        .where('id', '=', id)
        .returning(['failed_logins', 'locked_until'])
        .executeTakeFirstOrThrow();
    },
    reset(id: string) {
      return db.updateTable(t).set({ failed_logins: 0, locked_until: null }).where('id', '=', id).execute();
    },
  };
}
