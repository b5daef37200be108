import {
  CitizenEmail,
  type CitizenNotification,
  type CitizenNotificationPrefs,
  CitizenPhone,
  type CitizenProfile,
  type CitizenProfileUpdate,
  type CitizenSignIn,
  type CitizenSignUp,
  type CitizenStoreItem,
  type ErrorCode,
} from '@congvu/contracts';
import type { Selectable } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/pool.ts';
import type { CitizensTable } from '../../db/schema.ts';
import { recordAudit } from '../../platform/audit/service.ts';
import {
  burnPasswordCheck,
  hashPassword,
  randomToken,
  safeEqualHex,
  sha256Hex,
  verifyPassword,
} from '../../platform/auth/crypto.ts';
import { AppError } from '../../platform/errors.ts';
import { enqueueMail } from '../../platform/mail/service.ts';
import type { CitizenAuth } from '../../platform/policy.ts';
import { enqueueSms } from '../../platform/sms/service.ts';
import { type DossierNotice, noticeLink, noticeMail, noticeSms, noticeText } from './notices.ts';
import type { OidcClient } from './oidc.ts';
import { checkContacts, storeOwnerOf } from './policy.ts';
import { citizensRepo } from './repo.ts';

export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
}

/** The store items of an owner (the dossiers module owns citizen_store_items). */
export type StoreSource = (ownerIdNo: string) => Promise<
  {
    id: string;
    kind: 'component' | 'result';
    code: string | null;
    name: string;
    blob: string;
    sourceDossierCode: string | null;
    validUntil: string | null;
    createdAt: string;
  }[]
>;

/** One item of an owner's store, or nothing when it is not theirs. */
export type StoreItemSource = (
  ownerIdNo: string,
  id: string,
) => Promise<{ name: string; blob: string } | undefined>;

export interface CitizensDeps {
  config: Pick<Config, 'lockoutThreshold' | 'lockoutMinutes' | 'sessionHours' | 'citizenResetMinutes'>;
  /** Where the portal is opened (links in e-mails). */
  portalUrl: string;
  oidc: OidcClient | undefined;
  store: StoreSource;
  storeItem: StoreItemSource;
}

type Citizen = Selectable<CitizensTable>;

/** Pending OIDC sign-ins expire after this long. */
const OIDC_STATE_MINUTES = 10;
/** Where the portal's reset page is (it posts the token to /api/citizen/password-reset/confirm). */
export const RESET_PAGE_PATH = '/cong-dich-vu/dat-lai-mat-khau';

export function citizensService(db: Db, deps: CitizensDeps) {
  const repo = citizensRepo(db);
  const { config } = deps;

  async function audit(
    trx: Db,
    meta: RequestMeta,
    citizenId: string | null,
    action: string,
    summary: Record<string, unknown> = {},
  ) {
    await recordAudit(
      trx,
      { auth: null, ip: meta.ip },
      { action, entityType: 'citizen', entityId: citizenId, summary },
    );
  }

  function auditAlone(
    meta: RequestMeta,
    citizenId: string | null,
    action: string,
    summary: Record<string, unknown>,
  ) {
    return db.transaction().execute((trx) => audit(trx, meta, citizenId, action, summary));
  }

  /** A clear conflict code before the insert/update; a unique violation in a race gives the same code. */
  async function checkUnique(
    r: ReturnType<typeof citizensRepo>,
    v: { email?: string | null; phone?: string | null; id_no?: string | null },
    exceptId: string | null,
  ) {
    const checks: ['email' | 'phone' | 'id_no', string | null | undefined, ErrorCode][] = [
      ['email', v.email, 'CITIZEN_EMAIL_TAKEN'],
      ['phone', v.phone, 'CITIZEN_PHONE_TAKEN'],
      ['id_no', v.id_no, 'CITIZEN_ID_NO_TAKEN'],
    ];
    for (const [field, value, code] of checks)
      if (value && (await r.findHolder(field, value, exceptId))) throw new AppError(code);
  }

  async function openSession(trx: Db, citizenId: string, meta: RequestMeta): Promise<string> {
    const cookie = randomToken();
    const r = citizensRepo(trx);
    await r.deleteExpiredSessionsOf(citizenId);
    await r.createSession({
      id: sha256Hex(cookie),
      citizen_id: citizenId,
      expires_at: new Date(Date.now() + config.sessionHours * 3_600_000),
      ip: meta.ip,
      user_agent: meta.userAgent?.slice(0, 300) ?? null,
    });
    return cookie;
  }

  async function present(c: Citizen): Promise<CitizenProfile> {
    return {
      id: c.id,
      fullName: c.full_name,
      email: c.email,
      phone: c.phone,
      idNo: c.id_no,
      address: c.address,
      hasPassword: c.password_hash !== null,
      identities: (await repo.identitiesOf(c.id)).map((i) => ({
        issuer: i.issuer,
        linkedAt: i.created_at.toISOString(),
      })),
      notifyEmail: c.notify_email,
      notifySms: c.notify_sms,
      createdAt: c.created_at.toISOString(),
    };
  }

  async function get(id: string): Promise<Citizen> {
    const c = await repo.findById(id);
    if (!c) throw new AppError('UNAUTHENTICATED');
    return c;
  }

  function findByLogin(login: string) {
    if (login.includes('@')) {
      const e = CitizenEmail.safeParse(login);
      return e.success ? repo.findByEmail(e.data) : Promise.resolve(undefined);
    }
    const p = CitizenPhone.safeParse(login);
    return p.success ? repo.findByPhone(p.data) : Promise.resolve(undefined);
  }

  return {
    /** Creates a password account and signs it in. Returns the cookie value. */
    async signUp(input: CitizenSignUp, meta: RequestMeta) {
      const hash = await hashPassword(input.password);
      return db.transaction().execute(async (trx) => {
        const r = citizensRepo(trx);
        await checkUnique(r, { email: input.email, phone: input.phone }, null);
        const c = await r
          .insert({
            id: uuidv7(),
            email: input.email ?? null,
            phone: input.phone ?? null,
            password_hash: hash,
            full_name: input.fullName,
          })
          .catch(uniqueToCode);
        await audit(trx, meta, c.id, 'citizen.signed_up', { email: c.email, phone: c.phone });
        const cookie = await openSession(trx, c.id, meta);
        return { cookie, profile: await present(c) };
      });
    },

    /** Password sign-in with phone or e-mail; lockout as for staff; every outcome is audited. */
    async signIn(input: CitizenSignIn, meta: RequestMeta) {
      const c = await findByLogin(input.login);
      if (!c?.password_hash) {
        await burnPasswordCheck(input.password);
        await auditAlone(meta, c?.id ?? null, 'citizen.sign_in_failed', {
          login: input.login,
          reason: c ? 'no_password' : 'unknown',
        });
        throw new AppError('CITIZEN_INVALID_CREDENTIALS');
      }
      if (c.locked_until && c.locked_until > new Date()) {
        await auditAlone(meta, c.id, 'citizen.sign_in_failed', { reason: 'locked' });
        throw new AppError('CITIZEN_LOCKED', { lockedUntil: c.locked_until.toISOString() });
      }
      if (!(await verifyPassword(c.password_hash, input.password))) {
        const after = await repo.recordFailure(c.id, config.lockoutThreshold, config.lockoutMinutes);
        const lockedNow =
          after.locked_until !== null && after.locked_until > new Date() && after.failed_logins === 0;
        await auditAlone(meta, c.id, 'citizen.sign_in_failed', {
          reason: 'wrong_password',
          locked: lockedNow,
        });
        if (lockedNow)
          throw new AppError('CITIZEN_LOCKED', { lockedUntil: after.locked_until!.toISOString() });
        throw new AppError('CITIZEN_INVALID_CREDENTIALS');
      }
      return db.transaction().execute(async (trx) => {
        await citizensRepo(trx).resetFailures(c.id);
        await audit(trx, meta, c.id, 'citizen.signed_in', { method: 'password' });
        const cookie = await openSession(trx, c.id, meta);
        return { cookie, profile: await present(c) };
      });
    },

    /** Resolves the citizen cookie, or null when absent or expired. */
    async fromCookie(cookie: string): Promise<CitizenAuth | null> {
      const id = sha256Hex(cookie);
      const s = await repo.findSession(id);
      if (!s || s.expires_at < new Date()) return null;
      if (Date.now() - s.last_seen_at.getTime() > 60_000) await repo.touchSession(id);
      return { citizenId: s.citizen_id, sessionId: id };
    },

    async signOut(auth: CitizenAuth, meta: RequestMeta) {
      await db.transaction().execute(async (trx) => {
        await citizensRepo(trx).deleteSession(auth.sessionId);
        await audit(trx, meta, auth.citizenId, 'citizen.signed_out');
      });
    },

    async profile(auth: CitizenAuth): Promise<CitizenProfile> {
      return present(await get(auth.citizenId));
    },

    async updateProfile(
      auth: CitizenAuth,
      input: CitizenProfileUpdate,
      meta: RequestMeta,
    ): Promise<CitizenProfile> {
      return db.transaction().execute(async (trx) => {
        const r = citizensRepo(trx);
        const before = await get(auth.citizenId);
        checkContacts({ email: input.email, phone: input.phone, password_hash: before.password_hash });
        await checkUnique(r, { email: input.email, phone: input.phone, id_no: input.idNo }, before.id);
        const after = await r
          .update(before.id, {
            full_name: input.fullName,
            email: input.email,
            phone: input.phone,
            id_no: input.idNo,
            address: input.address,
          })
          .catch(uniqueToCode);
        const changed = (['full_name', 'email', 'phone', 'id_no', 'address'] as const).filter(
          (k) => before[k] !== after[k],
        );
        await audit(trx, meta, before.id, 'citizen.profile_updated', { changed });
        return present(after);
      });
    },

    /**
     * Sends a single-use reset link when the e-mail belongs to an account; says nothing either
     * way (the route always answers 202), so it cannot tell who has an account.
     */
    async requestReset(email: string, meta: RequestMeta): Promise<void> {
      const c = await repo.findByEmail(email);
      if (!c) {
        await auditAlone(meta, null, 'citizen.reset_requested', { email, known: false });
        return;
      }
      const token = randomToken(32);
      const id = uuidv7();
      const expiresAt = new Date(Date.now() + config.citizenResetMinutes * 60_000);
      const link = `${deps.portalUrl}${RESET_PAGE_PATH}?token=${token}`;
      await db.transaction().execute(async (trx) => {
        await citizensRepo(trx).insertReset({
          id,
          citizen_id: c.id,
          token_hash: sha256Hex(token),
          expires_at: expiresAt,
        });
        await enqueueMail(
          trx,
          {
            to: email,
            toName: c.full_name,
            subject: 'Đặt lại mật khẩu tài khoản Cổng dịch vụ công',
            text: [
              `Kính gửi ${c.full_name},`,
              '',
              'Chúng tôi nhận được yêu cầu đặt lại mật khẩu cho tài khoản của Ông/Bà.',
              `Mở liên kết sau để đặt mật khẩu mới (dùng được một lần, trong ${config.citizenResetMinutes} phút):`,
              link,
              '',
              'Nếu Ông/Bà không yêu cầu, xin bỏ qua thư này; mật khẩu hiện tại vẫn giữ nguyên.',
            ].join('\n'),
          },
          `citizen.reset:${id}`,
        );
        await audit(trx, meta, c.id, 'citizen.reset_requested', { resetId: id, known: true });
      });
    },

    /** Sets a new password from a reset link: once, before it expires; every session ends. */
    async confirmReset(token: string, newPassword: string, meta: RequestMeta): Promise<void> {
      const hash = await hashPassword(newPassword);
      await db.transaction().execute(async (trx) => {
        const r = citizensRepo(trx);
        const now = new Date();
        const reset = await r.consumeReset(sha256Hex(token), now);
        if (!reset) throw new AppError('CITIZEN_RESET_INVALID');
        await r.update(reset.citizen_id, { password_hash: hash, failed_logins: 0, locked_until: null });
        await r.closeResetsOf(reset.citizen_id, now);
        const ended = await r.deleteSessionsOf(reset.citizen_id);
        await audit(trx, meta, reset.citizen_id, 'citizen.password_reset', {
          resetId: reset.id,
          sessionsEnded: Number(ended.numDeletedRows),
        });
      });
    },

    /** Starts an OIDC sign-in: the pending state is stored hashed; returns the provider URL and the state for the cookie. */
    async oidcStart(returnTo: string | undefined, link?: CitizenAuth) {
      if (!deps.oidc) throw new AppError('CITIZEN_OIDC_DISABLED');
      const { url, pending } = await deps.oidc.start();
      const now = new Date();
      await repo.deleteExpiredOidcStates(now);
      await repo.insertOidcState({
        state_hash: sha256Hex(pending.state),
        code_verifier: pending.codeVerifier,
        nonce: pending.nonce,
        return_to: returnTo ?? (link ? '/cong-dich-vu/tai-khoan' : '/cong-dich-vu/'),
        expires_at: new Date(now.getTime() + OIDC_STATE_MINUTES * 60_000),
        link_citizen_id: link?.citizenId ?? null,
      });
      return { url: url.href, state: pending.state, maxAgeSeconds: OIDC_STATE_MINUTES * 60 };
    },

    /**
     * The provider's redirect back: the state must be the one in this browser's cookie and still
     * pending (used once); then the code is exchanged and the ID token verified. The identity
     * (issuer, sub) signs in its citizen, or a new account is made for it. Returns the cookie
     * value and where to go.
     */
    async oidcCallback(
      query: URLSearchParams,
      cookieState: string | undefined,
      meta: RequestMeta,
      signedIn?: CitizenAuth | null,
    ): Promise<{ cookie: string | undefined; returnTo: string }> {
      if (!deps.oidc) throw new AppError('CITIZEN_OIDC_DISABLED');
      const state = query.get('state') ?? '';
      if (!cookieState || !safeEqualHex(sha256Hex(cookieState), sha256Hex(state)))
        throw new AppError('CITIZEN_OIDC_STATE_INVALID');
      const pending = await repo.takeOidcState(sha256Hex(state));
      if (!pending || pending.expires_at < new Date()) throw new AppError('CITIZEN_OIDC_STATE_INVALID');
      let who: Awaited<ReturnType<OidcClient['finish']>>;
      try {
        who = await deps.oidc.finish(query, {
          state,
          nonce: pending.nonce,
          codeVerifier: pending.code_verifier,
        });
      } catch (e) {
        await auditAlone(meta, null, 'citizen.sign_in_failed', {
          method: 'oidc',
          reason: e instanceof AppError ? e.code : 'error',
        });
        throw e;
      }
      if (pending.link_citizen_id) {
        // Linking to the account that started it: still signed in as that account in this browser.
        const target = pending.link_citizen_id;
        if (signedIn?.citizenId !== target) throw new AppError('CITIZEN_OIDC_STATE_INVALID');
        return db
          .transaction()
          .execute(async (trx) => {
            const r = citizensRepo(trx);
            const linked = await r.findIdentity(who.issuer, who.subject);
            if (linked && linked.citizen_id !== target) {
              await audit(trx, meta, target, 'citizen.oidc_link_refused', {
                issuer: who.issuer,
                reason: 'linked_to_another',
              });
              return 'refused' as const;
            }
            if (!linked) {
              await r.insertIdentity({
                issuer: who.issuer,
                subject: who.subject,
                citizen_id: target,
                last_login_at: new Date(),
              });
              await audit(trx, meta, target, 'citizen.oidc_linked', { issuer: who.issuer });
            }
            return 'linked' as const;
          })
          .then((outcome) => {
            // The refusal is audited (committed) before the error answers.
            if (outcome === 'refused') throw new AppError('CITIZEN_OIDC_ALREADY_LINKED');
            return { cookie: undefined, returnTo: pending.return_to };
          });
      }
      return db.transaction().execute(async (trx) => {
        const r = citizensRepo(trx);
        const now = new Date();
        const linked = await r.findIdentity(who.issuer, who.subject);
        let citizenId: string;
        if (linked) {
          citizenId = linked.citizen_id;
          await r.touchIdentity(who.issuer, who.subject, now);
        } else {
          // Never joined to an existing account by e-mail (that would let a provider take it over);
          // the e-mail is kept only when verified and not used by another account.
          const email =
            who.emailVerified && who.email && !(await r.findByEmail(who.email)) ? who.email : null;
          const c = await r.insert({
            id: uuidv7(),
            email,
            phone: null,
            password_hash: null,
            full_name: who.name?.trim() || 'Công dân',
          });
          await r.insertIdentity({
            issuer: who.issuer,
            subject: who.subject,
            citizen_id: c.id,
            last_login_at: now,
          });
          await audit(trx, meta, c.id, 'citizen.signed_up', { method: 'oidc', issuer: who.issuer });
          citizenId = c.id;
        }
        await audit(trx, meta, citizenId, 'citizen.signed_in', { method: 'oidc', issuer: who.issuer });
        const cookie = await openSession(trx, citizenId, meta);
        return { cookie, returnTo: pending.return_to };
      });
    },

    /** Unlinks an OIDC identity from the account; only while the account keeps a password. */
    async unlinkIdentity(auth: CitizenAuth, issuer: string, meta: RequestMeta): Promise<CitizenProfile> {
      await db.transaction().execute(async (trx) => {
        const r = citizensRepo(trx);
        const c = await get(auth.citizenId);
        if (!c.password_hash) throw new AppError('CITIZEN_PASSWORD_REQUIRED');
        if ((await r.deleteIdentity(c.id, issuer)) === 0) throw new AppError('CITIZEN_OIDC_NOT_LINKED');
        await audit(trx, meta, c.id, 'citizen.oidc_unlinked', { issuer });
      });
      // After the commit: present() reads the identities outside the transaction.
      return present(await get(auth.citizenId));
    },

    /**
     * The subscriber of the dossiers module's events, in the outbox handler's transaction: one
     * notification per event (the event id is unique, so a redelivered message does nothing
     * more), then the e-mail and the SMS, each under a dedupe key of the event. An account's
     * contacts and preferences come first; a dossier without account uses the applicant's
     * contacts on the dossier. Returns whether a notification was written.
     */
    async onDossierEvent(trx: Db, n: DossierNotice): Promise<boolean> {
      const text = noticeText(n);
      if (!text) return false;
      const r = citizensRepo(trx);
      const account = n.citizenId ? await r.findById(n.citizenId) : undefined;
      const link = noticeLink(deps.portalUrl, n);
      const fresh = await r.insertNotification({
        id: uuidv7(),
        citizen_id: account?.id ?? null,
        dossier_id: n.dossierId,
        event_id: n.eventId,
        kind: text.kind,
        title_vi: text.title,
        body_vi: text.body,
        link,
      });
      if (!fresh) return false;
      const wantsEmail = account ? account.notify_email : true;
      const wantsSms = account ? account.notify_sms : true;
      const email = CitizenEmail.safeParse(account?.email ?? n.applicantEmail ?? '');
      const phone = CitizenPhone.safeParse(account?.phone ?? n.applicantPhone ?? '');
      const name = account?.full_name ?? n.applicantName;
      if (wantsEmail && email.success)
        await enqueueMail(
          trx,
          { to: email.data, toName: name, subject: text.title, text: noticeMail(name, text, link) },
          `citizen.notice.mail:${n.eventId}`,
        );
      if (wantsSms && phone.success)
        await enqueueSms(
          trx,
          { to: phone.data, text: noticeSms(text, link) },
          `citizen.notice.sms:${n.eventId}`,
        );
      return true;
    },

    /** The notification centre: the citizen's own notifications, newest first, and the unread count. */
    async notifications(
      auth: CitizenAuth,
      limit = 50,
    ): Promise<{ items: CitizenNotification[]; unread: number }> {
      const rows = await repo.notificationsOf(auth.citizenId, limit);
      return {
        items: rows.map((x) => ({
          id: x.id,
          dossierId: x.dossier_id,
          kind: x.kind,
          title: x.title_vi,
          body: x.body_vi,
          link: x.link,
          createdAt: x.created_at.toISOString(),
          readAt: x.read_at ? x.read_at.toISOString() : null,
        })),
        unread: await repo.unreadCount(auth.citizenId),
      };
    },

    unreadCount(auth: CitizenAuth): Promise<number> {
      return repo.unreadCount(auth.citizenId);
    },

    /** Marks one own notification read (personal inbox state: not audited, like the staff bell). */
    async markRead(auth: CitizenAuth, id: string): Promise<void> {
      if (!(await repo.markRead(auth.citizenId, id, new Date())))
        throw new AppError('CITIZEN_NOTIFICATION_NOT_FOUND');
    },

    async markAllRead(auth: CitizenAuth): Promise<number> {
      return repo.markAllRead(auth.citizenId, new Date());
    },

    /** E-mail / SMS on or off for dossier notifications; audited. */
    async setNotificationPrefs(
      auth: CitizenAuth,
      prefs: CitizenNotificationPrefs,
      meta: RequestMeta,
    ): Promise<CitizenProfile> {
      return db.transaction().execute(async (trx) => {
        const c = await citizensRepo(trx).update(auth.citizenId, {
          notify_email: prefs.email,
          notify_sms: prefs.sms,
        });
        await audit(trx, meta, c.id, 'citizen.notification_prefs', { ...prefs });
        return present(c);
      });
    },

    /** The signed-in citizen's data store (kho dữ liệu), by the CCCD of their profile. */
    async store(auth: CitizenAuth): Promise<CitizenStoreItem[]> {
      const owner = storeOwnerOf(await get(auth.citizenId));
      return (await deps.store(owner)).map((i) => ({
        id: i.id,
        kind: i.kind,
        code: i.code,
        name: i.name,
        blob: i.blob,
        sourceDossierCode: i.sourceDossierCode,
        validUntil: i.validUntil,
        createdAt: i.createdAt,
      }));
    },

    /** The file of one item of the citizen's own store (by the profile's CCCD); another's is not found. */
    async storeFile(auth: CitizenAuth, id: string): Promise<{ name: string; sha256: string }> {
      const owner = storeOwnerOf(await get(auth.citizenId));
      const item = await deps.storeItem(owner, id);
      if (!item) throw new AppError('FILE_NOT_FOUND');
      return { name: item.name, sha256: item.blob };
    },
  };
}

export type CitizensService = ReturnType<typeof citizensService>;

/** A unique violation that slipped past the checks (a concurrent request): the same conflict codes. */
function uniqueToCode(e: unknown): never {
  const err = e as { code?: string; constraint?: string };
  if (err.code === '23505') {
    if (err.constraint?.includes('email')) throw new AppError('CITIZEN_EMAIL_TAKEN');
    if (err.constraint?.includes('phone')) throw new AppError('CITIZEN_PHONE_TAKEN');
    if (err.constraint?.includes('id_no')) throw new AppError('CITIZEN_ID_NO_TAKEN');
  }
  throw e;
}
