import type { Permission, Role, RoleGrant } from '@congvu/contracts';
import { Secret, TOTP } from 'otpauth';
import { v7 as uuidv7 } from 'uuid';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/pool.ts';
import { recordAudit } from '../audit/service.ts';
import { AppError } from '../errors.ts';
import { type AuthContext, permissionsFor } from '../policy.ts';
import {
  burnPasswordCheck,
  hashPassword,
  randomToken,
  safeEqualHex,
  sha256Hex,
  verifyPassword,
} from './crypto.ts';
import { authRepo } from './repo.ts';

export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
}

function toGrants(rows: { role: string; agency_id: string | null }[]): RoleGrant[] {
  return rows.map((r) => ({ role: r.role as Role, agencyId: r.agency_id }));
}

function totpFor(secret: string, label: string) {
  return new TOTP({
    issuer: 'CongVu',
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    secret: Secret.fromBase32(secret),
  });
}

/** Ends every session of an official (after an admin reset or deactivation), inside the caller's transaction. */
export async function endSessions(trx: Db, officialId: string): Promise<number> {
  const r = await authRepo(trx).deleteSessionsOf(officialId);
  return Number(r.numDeletedRows);
}

export { hashPassword } from './crypto.ts';

export function authService(db: Db, config: Config) {
  const repo = authRepo(db);

  async function auditStandalone(
    meta: RequestMeta,
    officialId: string | null,
    action: string,
    summary: Record<string, unknown>,
  ) {
    await db
      .transaction()
      .execute((trx) =>
        recordAudit(
          trx,
          { auth: null, ip: meta.ip, officialId },
          { action, entityType: 'official', entityId: officialId, summary },
        ),
      );
  }

  return {
    async profile(officialId: string) {
      const o = await repo.findOfficial(officialId);
      if (!o) throw new AppError('OFFICIAL_NOT_FOUND');
      return o;
    },

    /** Checks credentials and opens a session; every outcome is audited. Returns the cookie value. */
    async login(input: { username: string; password: string; totp?: string | undefined }, meta: RequestMeta) {
      const o = await repo.findOfficialByUsername(input.username);
      if (!o) {
        await burnPasswordCheck(input.password);
        await auditStandalone(meta, null, 'auth.login_failed', {
          username: input.username,
          reason: 'unknown_user',
        });
        throw new AppError('AUTH_INVALID_CREDENTIALS');
      }
      if (o.locked_until && o.locked_until > new Date()) {
        await auditStandalone(meta, o.id, 'auth.login_failed', { username: o.username, reason: 'locked' });
        throw new AppError('AUTH_LOCKED', { lockedUntil: o.locked_until.toISOString() });
      }
      const fail = async (reason: string, code: 'AUTH_INVALID_CREDENTIALS' | 'AUTH_TOTP_INVALID') => {
        const after = await repo.recordFailure(o.id, config.lockoutThreshold, config.lockoutMinutes);
        const lockedNow =
          after.locked_until !== null && after.locked_until > new Date() && after.failed_logins === 0;
        await auditStandalone(meta, o.id, 'auth.login_failed', {
          username: o.username,
          reason,
          locked: lockedNow,
        });
        if (lockedNow) throw new AppError('AUTH_LOCKED', { lockedUntil: after.locked_until!.toISOString() });
        throw new AppError(code);
      };
      if (!(await verifyPassword(o.password_hash, input.password)))
        return fail('wrong_password', 'AUTH_INVALID_CREDENTIALS');
      if (!o.is_active) {
        await auditStandalone(meta, o.id, 'auth.login_failed', { username: o.username, reason: 'disabled' });
        throw new AppError('AUTH_ACCOUNT_DISABLED');
      }
      if (o.totp_enabled && o.totp_secret) {
        if (!input.totp) throw new AppError('AUTH_TOTP_REQUIRED');
        if (totpFor(o.totp_secret, o.username).validate({ token: input.totp, window: 1 }) === null) {
          return fail('wrong_totp', 'AUTH_TOTP_INVALID');
        }
      }
      const cookie = randomToken();
      await db.transaction().execute(async (trx) => {
        const r = authRepo(trx);
        await r.resetFailures(o.id);
        await r.deleteExpiredSessionsOf(o.id);
        await r.createSession({
          id: sha256Hex(cookie),
          official_id: o.id,
          expires_at: new Date(Date.now() + config.sessionHours * 3_600_000),
          ip: meta.ip,
          user_agent: meta.userAgent?.slice(0, 300) ?? null,
        });
        await recordAudit(
          trx,
          { auth: null, ip: meta.ip, officialId: o.id },
          {
            action: 'auth.login',
            entityType: 'official',
            entityId: o.id,
            summary: { username: o.username, totp: o.totp_enabled },
          },
        );
      });
      return { cookie, officialId: o.id };
    },

    /** Resolves a session cookie to an auth context, or null when absent, expired or disabled. */
    async fromSession(cookie: string, actingForId: string | null): Promise<AuthContext | null> {
      const id = sha256Hex(cookie);
      const s = await repo.findSession(id);
      if (!s || s.expires_at < new Date() || !s.is_active) return null;
      if (Date.now() - s.last_seen_at.getTime() > 60_000) await repo.touchSession(id);
      const own = toGrants(await repo.rolesOf(s.official_id));
      const base: AuthContext = {
        officialId: s.official_id,
        fullName: s.full_name,
        roles: own,
        permissions: new Set(permissionsFor(own)),
        actingFor: null,
        sessionId: id,
        tokenId: null,
      };
      if (!actingForId || actingForId === s.official_id) return base;
      // Under a delegation the delegator's rights, limited to the delegated roles, are in use.
      const d = await repo.activeDelegation(actingForId, s.official_id, new Date());
      if (!d?.is_active) throw new AppError('DELEGATION_NOT_ACTIVE');
      const theirs = toGrants(await repo.rolesOf(actingForId)).filter((g) => d.roles.includes(g.role));
      return {
        ...base,
        roles: theirs,
        permissions: new Set(permissionsFor(theirs)),
        actingFor: { id: actingForId, fullName: d.full_name },
      };
    },

    async fromApiToken(bearer: string): Promise<AuthContext> {
      const m = /^cvt_([0-9a-f-]{36})\.([A-Za-z0-9_-]{20,})$/.exec(bearer);
      const t = m ? await repo.findToken(m[1]!) : undefined;
      if (!m || !t || t.revoked_at || !safeEqualHex(t.secret_hash, sha256Hex(m[2]!)))
        throw new AppError('AUTH_TOKEN_INVALID');
      if (!t.last_used_at || Date.now() - t.last_used_at.getTime() > 60_000) await repo.touchToken(t.id);
      return {
        officialId: null,
        fullName: `API: ${t.name}`,
        roles: [],
        permissions: new Set(t.permissions as Permission[]),
        actingFor: null,
        sessionId: null,
        tokenId: t.id,
      };
    },

    async logout(auth: AuthContext, meta: RequestMeta) {
      if (!auth.sessionId) return;
      await db.transaction().execute(async (trx) => {
        await authRepo(trx).deleteSession(auth.sessionId!);
        await recordAudit(
          trx,
          { auth, ip: meta.ip },
          { action: 'auth.logout', entityType: 'official', entityId: auth.officialId },
        );
      });
    },

    async logoutEverywhere(auth: AuthContext, meta: RequestMeta) {
      if (!auth.officialId) return;
      await db.transaction().execute(async (trx) => {
        const r = await authRepo(trx).deleteSessionsOf(auth.officialId!);
        await recordAudit(
          trx,
          { auth, ip: meta.ip },
          {
            action: 'auth.logout_all',
            entityType: 'official',
            entityId: auth.officialId,
            summary: { sessions: Number(r.numDeletedRows) },
          },
        );
      });
    },

    async changePassword(auth: AuthContext, current: string, next: string, meta: RequestMeta) {
      const o = auth.officialId ? await repo.findOfficial(auth.officialId) : undefined;
      if (!o) throw new AppError('UNAUTHENTICATED');
      if (!(await verifyPassword(o.password_hash, current))) throw new AppError('AUTH_WRONG_PASSWORD');
      const h = await hashPassword(next);
      await db.transaction().execute(async (trx) => {
        await authRepo(trx).setPassword(o.id, h);
        await recordAudit(
          trx,
          { auth, ip: meta.ip },
          { action: 'auth.password_changed', entityType: 'official', entityId: o.id },
        );
      });
    },

    async totpSetup(auth: AuthContext, meta: RequestMeta) {
      const o = auth.officialId ? await repo.findOfficial(auth.officialId) : undefined;
      if (!o) throw new AppError('UNAUTHENTICATED');
      const secret = new Secret({ size: 20 }).base32;
      await db.transaction().execute(async (trx) => {
        // Keeps TOTP off until a code proves the authenticator app has the secret.
        await authRepo(trx).setTotp(o.id, secret, false);
        await recordAudit(
          trx,
          { auth, ip: meta.ip },
          { action: 'auth.totp_setup', entityType: 'official', entityId: o.id },
        );
      });
      return { secret, otpauthUrl: totpFor(secret, o.username).toString() };
    },

    async totpEnable(auth: AuthContext, code: string, meta: RequestMeta) {
      const o = auth.officialId ? await repo.findOfficial(auth.officialId) : undefined;
      if (!o?.totp_secret) throw new AppError('BAD_REQUEST', undefined, 'Chưa khởi tạo xác thực hai lớp');
      if (totpFor(o.totp_secret, o.username).validate({ token: code, window: 1 }) === null)
        throw new AppError('AUTH_TOTP_INVALID');
      await db.transaction().execute(async (trx) => {
        await authRepo(trx).setTotp(o.id, o.totp_secret, true);
        await recordAudit(
          trx,
          { auth, ip: meta.ip },
          { action: 'auth.totp_enabled', entityType: 'official', entityId: o.id },
        );
      });
    },

    async totpDisable(auth: AuthContext, password: string, meta: RequestMeta) {
      const o = auth.officialId ? await repo.findOfficial(auth.officialId) : undefined;
      if (!o) throw new AppError('UNAUTHENTICATED');
      if (!(await verifyPassword(o.password_hash, password))) throw new AppError('AUTH_WRONG_PASSWORD');
      await db.transaction().execute(async (trx) => {
        await authRepo(trx).setTotp(o.id, null, false);
        await recordAudit(
          trx,
          { auth, ip: meta.ip },
          { action: 'auth.totp_disabled', entityType: 'official', entityId: o.id },
        );
      });
    },

    async listTokens() {
      return (await repo.listTokens()).map(presentToken);
    },

    async createToken(
      auth: AuthContext,
      input: { name: string; permissions: Permission[] },
      meta: RequestMeta,
    ) {
      const id = uuidv7();
      const secret = randomToken(32);
      const row = await db.transaction().execute(async (trx) => {
        const t = await authRepo(trx).insertToken({
          id,
          name: input.name,
          secret_hash: sha256Hex(secret),
          permissions: input.permissions,
          created_by: auth.officialId,
        });
        await recordAudit(
          trx,
          { auth, ip: meta.ip },
          {
            action: 'api_token.created',
            entityType: 'api_token',
            entityId: id,
            summary: { name: input.name, permissions: input.permissions },
          },
        );
        return t;
      });
      return { token: presentToken(row), secret: `cvt_${id}.${secret}` };
    },

    async revokeToken(auth: AuthContext, id: string, meta: RequestMeta) {
      return db.transaction().execute(async (trx) => {
        const t = await authRepo(trx).revokeToken(id);
        if (!t) throw new AppError('NOT_FOUND');
        await recordAudit(
          trx,
          { auth, ip: meta.ip },
          { action: 'api_token.revoked', entityType: 'api_token', entityId: id },
        );
        return presentToken(t);
      });
    },
  };
}

function presentToken(t: {
  id: string;
  name: string;
  permissions: string[];
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}) {
  return {
    id: t.id,
    name: t.name,
    permissions: t.permissions as Permission[],
    createdAt: t.created_at.toISOString(),
    lastUsedAt: t.last_used_at?.toISOString() ?? null,
    revokedAt: t.revoked_at?.toISOString() ?? null,
  };
}

export type AuthService = ReturnType<typeof authService>;
