import {
  CitizenProfileUpdate,
  CitizenResetConfirm,
  CitizenResetRequest,
  CitizenSignIn,
  CitizenSignUp,
  ERRORS,
  type ErrorCode,
} from '@congvu/contracts';
import {
  BASE,
  type Dictionary,
  forgotPage,
  LANG_COOKIE,
  type Lang,
  langOf,
  type MessageKey,
  paths,
  profilePage,
  resetPage,
  type Shell,
  signInPage,
  signOutPage,
  signUpPage,
  storePage,
  t,
} from '@congvu/portal';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { type ZodType, z } from 'zod';
import { AppError } from '../../platform/errors.ts';
import { meta } from '../../platform/http.ts';
import type { CitizenAuth } from '../../platform/policy.ts';
import { CITIZEN_COOKIE, citizenSessionCookie } from '../citizens/routes.ts';
import { portalCsrf } from './csrf.ts';
import { noticesRoutes } from './notices.ts';
import type { PortalService } from './service.ts';

export { CSRF_COOKIE } from './csrf.ts';

/** Every portal form: string fields only, short. */
const FormBody = z.record(z.string(), z.string().max(2000));
const NextQuery = z.object({
  tiep: z.string().max(500).optional(),
  'da-doi-mat-khau': z.string().max(10).optional(),
});
const ResetQuery = z.object({ token: z.string().max(200).optional() });
const FlagQuery = z.object({
  'da-gui': z.string().max(10).optional(),
  'da-luu': z.string().max(10).optional(),
  'da-luu-thong-bao': z.string().max(10).optional(),
  'da-bo-lien-ket': z.string().max(10).optional(),
});
/** The profile page's notices after a POST (?flag=1), by dictionary key. */
const PROFILE_NOTICES = {
  'da-luu-thong-bao': 'profile.notifySaved',
  'da-bo-lien-ket': 'profile.unlinked',
} as const satisfies Record<string, MessageKey>;

/** Messages for Zod's own (English) issues, per field (portal dictionary keys). */
const FIELD_MESSAGE: Record<string, MessageKey> = {
  login: 'invalid.login',
  password: 'invalid.password',
  newPassword: 'invalid.newPassword',
  fullName: 'invalid.fullName',
  email: 'invalid.email',
  phone: 'invalid.phone',
  idNo: 'invalid.idNo',
  address: 'invalid.address',
};

/** The contracts' own (Vietnamese) messages, by the dictionary key that says them in either language. */
const CONTRACT_MESSAGE: Record<string, MessageKey> = {
  'Mật khẩu cần ít nhất 10 ký tự': 'invalid.passwordLength',
  'Mật khẩu cần có chữ cái': 'invalid.passwordLetter',
  'Mật khẩu cần có chữ số': 'invalid.passwordDigit',
  'Số điện thoại không hợp lệ': 'invalid.phone',
  'Thư điện tử không hợp lệ': 'invalid.email',
  'Số CCCD gồm 12 chữ số': 'invalid.idNo',
  'Cần số điện thoại hoặc thư điện tử': 'invalid.contact',
  'Liên kết đặt lại mật khẩu không hợp lệ': 'invalid.resetLink',
};

/** Which field a service error belongs next to; others are shown above the form. */
const ERROR_FIELD: Partial<Record<ErrorCode, string>> = {
  CITIZEN_INVALID_CREDENTIALS: 'password',
  CITIZEN_EMAIL_TAKEN: 'email',
  CITIZEN_PHONE_TAKEN: 'phone',
  CITIZEN_ID_NO_TAKEN: 'idNo',
};

type Errors = Record<string, string>;

/** Parses a form with a contract schema; on failure each field's message in the page's language. */
function parseForm<T>(schema: ZodType<T>, input: unknown, lang: Lang): { data: T } | { errors: Errors } {
  const r = schema.safeParse(input);
  if (r.success) return { data: r.data };
  const s: Dictionary = t(lang);
  const errors: Errors = {};
  for (const issue of r.error.issues) {
    const key = String(issue.path[0] ?? '_form');
    const name = key === 'token' ? '_form' : key;
    // Contract messages are Vietnamese (said again from the dictionary, so English pages have
    // them too); Zod's defaults (English, terse) get the field's own words.
    const known = CONTRACT_MESSAGE[issue.message];
    const field = FIELD_MESSAGE[key];
    let msg: string;
    if (known) msg = s[known];
    else if (lang === 'vi' && /[^\u0020-\u007e]/.test(issue.message)) msg = issue.message;
    else if (key === 'token') msg = ERRORS.CITIZEN_RESET_INVALID[lang];
    else msg = field ? s[field] : s['invalid.other'];
    errors[name] ??= msg;
  }
  return { errors };
}

/** A service error as form messages (the code's English text on English pages), or rethrown when it is not about the form. */
function formErrorOf(e: unknown, lang: Lang): { status: number; errors: Errors } {
  if (!(e instanceof AppError) || e.status >= 500 || e.code === 'UNAUTHENTICATED') throw e;
  const message = lang === 'en' ? ERRORS[e.code].en : e.message;
  return { status: e.status, errors: { [ERROR_FIELD[e.code] ?? '_form']: message } };
}

/** The language of a request: the `congvu_lang` cookie, Vietnamese by default. */
export function requestLang(req: FastifyRequest): Lang {
  return langOf(req.cookies?.[LANG_COOKIE]);
}

const blankToUndefined = (v: string | undefined) => (v?.trim() ? v : undefined);
const blankToNull = (v: string | undefined) => (v?.trim() ? v : null);

/** A portal path to continue to after signing in (never another site). */
export function safeNext(v: string | undefined): string | undefined {
  return v?.startsWith(`${BASE}/`) && !/[\\\s]|\/\//.test(v) ? v : undefined;
}

export interface AccountDeps {
  portal: PortalService;
  shell: Omit<Shell, 'citizen'>;
  secureCookies: boolean;
  sessionHours: number;
  ratePerMinute: number;
  oidcEnabled: boolean;
  publicUrl: string | undefined;
  /** The signed-in citizen of a request (cached per request by the portal routes). */
  citizenOf: (req: FastifyRequest) => Promise<{ auth: CitizenAuth; fullName: string; unread: number } | null>;
  sendHtml: (
    req: FastifyRequest,
    reply: FastifyReply,
    body: string,
    o?: { status?: number; cache?: string },
  ) => FastifyReply;
}

/**
 * The citizen's account pages (sign-in, sign-up, sign-out, password reset, profile, data store):
 * HTML forms posting urlencoded bodies to these routes, which call the citizens service through
 * the portal service. Every POST needs the CSRF token of this browser and a same-site Origin.
 */
export async function accountRoutes(scope: FastifyInstance, d: AccountDeps) {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { portal } = d;
  const sessionCookie = citizenSessionCookie(d);
  const limited = { max: d.ratePerMinute, timeWindow: '1 minute' };
  const { csrfOf, checkCsrf } = portalCsrf(d);

  async function shellOf(req: FastifyRequest): Promise<Shell> {
    const who = await d.citizenOf(req);
    return {
      ...d.shell,
      lang: requestLang(req),
      path: req.url,
      citizen: who ? { fullName: who.fullName, unread: who.unread } : null,
    };
  }

  /** Account pages: personal, never cached; the Origin of their forms is sent (same-origin only). */
  function send(req: FastifyRequest, reply: FastifyReply, body: string, status = 200) {
    reply.header('referrer-policy', 'same-origin');
    return d.sendHtml(req, reply, body, { status, cache: 'private, no-store' });
  }

  const see = (reply: FastifyReply, to: string) => reply.redirect(to, 303);
  const oidcLinkHref = () =>
    d.oidcEnabled
      ? `/api/citizen/oidc/start?link=1&returnTo=${encodeURIComponent(paths.account)}`
      : undefined;
  const toSignIn = (reply: FastifyReply, next: string) =>
    see(reply, `${paths.signIn}?tiep=${encodeURIComponent(next)}`);

  const pub = { access: 'public' as const };
  const post = {
    config: { ...pub, rateLimit: limited },
    schema: { body: FormBody },
    preValidation: async (req: FastifyRequest) => checkCsrf(req),
  };
  const postOpen = { ...post, config: pub };

  app.get('/dang-nhap', { config: pub, schema: { querystring: NextQuery } }, async (req, reply) => {
    if (await d.citizenOf(req)) return see(reply, safeNext(req.query.tiep) ?? paths.account);
    const next = safeNext(req.query.tiep);
    return send(
      req,
      reply,
      signInPage(
        {
          csrf: csrfOf(req, reply),
          next,
          oidcHref: d.oidcEnabled
            ? `/api/citizen/oidc/start?returnTo=${encodeURIComponent(next ?? paths.account)}`
            : undefined,
          notice: req.query['da-doi-mat-khau'] ? t(requestLang(req))['signIn.passwordChanged'] : undefined,
        },
        await shellOf(req),
      ),
    );
  });

  app.post('/dang-nhap', post, async (req, reply) => {
    const body = req.body;
    const next = safeNext(body.tiep);
    const again = async (status: number, errors: Errors) =>
      send(
        req,
        reply,
        signInPage(
          {
            csrf: csrfOf(req, reply),
            next,
            values: { login: body.login },
            errors,
            oidcHref: d.oidcEnabled
              ? `/api/citizen/oidc/start?returnTo=${encodeURIComponent(next ?? paths.account)}`
              : undefined,
          },
          await shellOf(req),
        ),
        status,
      );
    const parsed = parseForm(
      CitizenSignIn,
      { login: body.login ?? '', password: body.password ?? '' },
      requestLang(req),
    );
    if ('errors' in parsed) return again(400, parsed.errors);
    try {
      const { cookie } = await portal.account.signIn(parsed.data, meta(req));
      reply.setCookie(CITIZEN_COOKIE, cookie, sessionCookie);
      return see(reply, next ?? paths.account);
    } catch (e) {
      const f = formErrorOf(e, requestLang(req));
      return again(f.status, f.errors);
    }
  });

  app.get('/dang-ky', { config: pub }, async (req, reply) => {
    if (await d.citizenOf(req)) return see(reply, paths.account);
    return send(req, reply, signUpPage({ csrf: csrfOf(req, reply) }, await shellOf(req)));
  });

  app.post('/dang-ky', post, async (req, reply) => {
    const b = req.body;
    const values = { fullName: b.fullName, phone: b.phone, email: b.email };
    const again = async (status: number, errors: Errors) =>
      send(req, reply, signUpPage({ csrf: csrfOf(req, reply), values, errors }, await shellOf(req)), status);
    const parsed = parseForm(
      CitizenSignUp,
      {
        fullName: b.fullName ?? '',
        phone: blankToUndefined(b.phone),
        email: blankToUndefined(b.email),
        password: b.password ?? '',
      },
      requestLang(req),
    );
    if ('errors' in parsed) return again(400, parsed.errors);
    try {
      const { cookie } = await portal.account.signUp(parsed.data, meta(req));
      reply.setCookie(CITIZEN_COOKIE, cookie, sessionCookie);
      return see(reply, paths.account);
    } catch (e) {
      const f = formErrorOf(e, requestLang(req));
      return again(f.status, f.errors);
    }
  });

  app.get('/dang-xuat', { config: pub }, async (req, reply) => {
    if (!(await d.citizenOf(req))) return see(reply, paths.home);
    return send(req, reply, signOutPage({ csrf: csrfOf(req, reply) }, await shellOf(req)));
  });

  app.post('/dang-xuat', postOpen, async (req, reply) => {
    const who = await d.citizenOf(req);
    if (who) await portal.account.signOut(who.auth, meta(req));
    reply.clearCookie(CITIZEN_COOKIE, { path: '/' });
    return see(reply, paths.home);
  });

  app.get('/quen-mat-khau', { config: pub, schema: { querystring: FlagQuery } }, async (req, reply) =>
    send(
      req,
      reply,
      forgotPage({ csrf: csrfOf(req, reply), sent: req.query['da-gui'] === '1' }, await shellOf(req)),
    ),
  );

  app.post('/quen-mat-khau', post, async (req, reply) => {
    const parsed = parseForm(CitizenResetRequest, { email: req.body.email ?? '' }, requestLang(req));
    if ('errors' in parsed)
      return send(
        req,
        reply,
        forgotPage(
          { csrf: csrfOf(req, reply), values: { email: req.body.email }, errors: parsed.errors },
          await shellOf(req),
        ),
        400,
      );
    // The same answer whether or not the address has an account.
    await portal.account.requestReset(parsed.data.email, meta(req));
    return see(reply, `${paths.forgot}?da-gui=1`);
  });

  app.get('/dat-lai-mat-khau', { config: pub, schema: { querystring: ResetQuery } }, async (req, reply) => {
    const token = req.query.token ?? '';
    const valid = /^[A-Za-z0-9_-]{40,64}$/.test(token);
    return send(
      req,
      reply,
      resetPage(
        {
          csrf: csrfOf(req, reply),
          token: valid ? token : '',
          errors: valid ? {} : { _form: ERRORS.CITIZEN_RESET_INVALID[requestLang(req)] },
        },
        await shellOf(req),
      ),
      valid ? 200 : 400,
    );
  });

  app.post('/dat-lai-mat-khau', post, async (req, reply) => {
    const b = req.body;
    const token = b.token ?? '';
    const again = async (status: number, errors: Errors) =>
      send(req, reply, resetPage({ csrf: csrfOf(req, reply), token, errors }, await shellOf(req)), status);
    const parsed = parseForm(
      CitizenResetConfirm,
      { token, newPassword: b.newPassword ?? '' },
      requestLang(req),
    );
    if ('errors' in parsed) return again(400, parsed.errors);
    if ((b.confirm ?? '') !== parsed.data.newPassword)
      return again(400, { confirm: t(requestLang(req))['invalid.confirm'] });
    try {
      await portal.account.confirmReset(parsed.data.token, parsed.data.newPassword, meta(req));
    } catch (e) {
      const f = formErrorOf(e, requestLang(req));
      return again(f.status, f.errors);
    }
    // Every session of the account has ended, this browser's too.
    reply.clearCookie(CITIZEN_COOKIE, { path: '/' });
    return see(reply, `${paths.signIn}?da-doi-mat-khau=1`);
  });

  app.get('/tai-khoan', { config: pub, schema: { querystring: FlagQuery } }, async (req, reply) => {
    const who = await d.citizenOf(req);
    if (!who) return toSignIn(reply, paths.account);
    return send(
      req,
      reply,
      profilePage(
        {
          csrf: csrfOf(req, reply),
          profile: await portal.account.profile(who.auth),
          saved: req.query['da-luu'] === '1',
          oidcLinkHref: oidcLinkHref(),
          notice: (Object.keys(PROFILE_NOTICES) as (keyof typeof PROFILE_NOTICES)[])
            .filter((k) => req.query[k] === '1')
            .map((k) => t(requestLang(req))[PROFILE_NOTICES[k]])[0],
        },
        await shellOf(req),
      ),
    );
  });

  app.post('/tai-khoan', post, async (req, reply) => {
    const who = await d.citizenOf(req);
    if (!who) return toSignIn(reply, paths.account);
    const b = req.body;
    const values = { fullName: b.fullName, email: b.email, phone: b.phone, idNo: b.idNo, address: b.address };
    const again = async (status: number, errors: Errors) =>
      send(
        req,
        reply,
        profilePage(
          {
            csrf: csrfOf(req, reply),
            profile: await portal.account.profile(who.auth),
            values,
            errors,
            oidcLinkHref: oidcLinkHref(),
          },
          await shellOf(req),
        ),
        status,
      );
    const parsed = parseForm(
      CitizenProfileUpdate,
      {
        fullName: b.fullName ?? '',
        email: blankToNull(b.email),
        phone: blankToNull(b.phone),
        idNo: blankToNull(b.idNo),
        address: blankToNull(b.address),
      },
      requestLang(req),
    );
    if ('errors' in parsed) return again(400, parsed.errors);
    try {
      await portal.account.updateProfile(who.auth, parsed.data, meta(req));
    } catch (e) {
      const f = formErrorOf(e, requestLang(req));
      return again(f.status, f.errors);
    }
    return see(reply, `${paths.account}?da-luu=1`);
  });

  app.post('/tai-khoan/thong-bao', post, async (req, reply) => {
    const who = await d.citizenOf(req);
    if (!who) return toSignIn(reply, paths.account);
    // Checkboxes: present = on, absent = off.
    await portal.account.setNotificationPrefs(
      who.auth,
      { email: req.body.notifyEmail === '1', sms: req.body.notifySms === '1' },
      meta(req),
    );
    return see(reply, `${paths.account}?da-luu-thong-bao=1`);
  });

  app.post('/tai-khoan/bo-lien-ket', post, async (req, reply) => {
    const who = await d.citizenOf(req);
    if (!who) return toSignIn(reply, paths.account);
    try {
      await portal.account.unlinkIdentity(who.auth, (req.body.issuer ?? '').slice(0, 500), meta(req));
    } catch (e) {
      const f = formErrorOf(e, requestLang(req));
      return send(
        req,
        reply,
        profilePage(
          {
            csrf: csrfOf(req, reply),
            profile: await portal.account.profile(who.auth),
            errors: { _form: f.errors._form ?? Object.values(f.errors)[0] },
            oidcLinkHref: oidcLinkHref(),
          },
          await shellOf(req),
        ),
        f.status,
      );
    }
    return see(reply, `${paths.account}?da-bo-lien-ket=1`);
  });

  await noticesRoutes(scope, {
    portal,
    csrfOf,
    checkCsrf,
    rateLimit: limited,
    send,
    shellOf,
    toSignIn,
    see,
    citizenOf: d.citizenOf,
  });

  app.get('/kho-du-lieu', { config: pub }, async (req, reply) => {
    const who = await d.citizenOf(req);
    if (!who) return toSignIn(reply, paths.store);
    const items = await portal.account.store(who.auth);
    return send(
      req,
      reply,
      storePage({ items, fileHref: (id) => `/api/citizen/store/${id}/file` }, await shellOf(req)),
    );
  });
}
