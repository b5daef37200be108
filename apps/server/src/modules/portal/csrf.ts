import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { BASE, CSRF_FIELD } from '@congvu/portal';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../platform/errors.ts';
import { CITIZEN_COOKIE } from '../citizens/routes.ts';

/** The CSRF secret of this browser (double submit, bound to the citizen session when there is one). */
export const CSRF_COOKIE = 'congvu_portal_csrf';

/**
 * The portal forms' CSRF protection, shared by the account pages and "Hồ sơ của tôi": a secret
 * cookie per browser, the form token derived from it and the citizen session, and a same-site
 * Origin (or Referer) on every POST.
 */
export function portalCsrf(d: { secureCookies: boolean; publicUrl: string | undefined }) {
  const cookieOpts = { path: BASE, httpOnly: true, sameSite: 'lax' as const, secure: d.secureCookies };
  const allowedOrigins = (req: FastifyRequest) => {
    const own = `${req.protocol}://${req.host}`;
    return d.publicUrl ? [own, new URL(d.publicUrl).origin] : [own];
  };
  function tokenFor(secret: string, session: string | undefined) {
    return createHash('sha256')
      .update(`congvu-portal-csrf|${secret}|${session ?? ''}`)
      .digest('base64url');
  }
  return {
    /** The form token for this browser; makes the CSRF cookie when there is none yet. */
    csrfOf(req: FastifyRequest, reply: FastifyReply, session = req.cookies[CITIZEN_COOKIE]) {
      let secret = req.cookies[CSRF_COOKIE];
      if (!secret || !/^[A-Za-z0-9_-]{43}$/.test(secret)) {
        secret = randomBytes(32).toString('base64url');
        reply.setCookie(CSRF_COOKIE, secret, cookieOpts);
      }
      return tokenFor(secret, session);
    },
    /**
     * Origin (or Referer) of this site, and the token matching this browser's cookie: from the
     * urlencoded body, or given (a multipart form's field).
     */
    checkCsrf(req: FastifyRequest, given?: string) {
      const allowed = allowedOrigins(req);
      const origin = req.headers.origin;
      if (origin !== undefined) {
        if (!allowed.includes(origin)) throw new AppError('PORTAL_CSRF_INVALID');
      } else if (req.headers.referer) {
        let from: string | null = null;
        try {
          from = new URL(req.headers.referer).origin;
        } catch {
          from = null;
        }
        if (!from || !allowed.includes(from)) throw new AppError('PORTAL_CSRF_INVALID');
      }
      const secret = req.cookies[CSRF_COOKIE];
      const body = req.body as Record<string, unknown> | null | undefined;
      const sent = given ?? (body && typeof body === 'object' ? body[CSRF_FIELD] : undefined);
      if (!secret || typeof sent !== 'string') throw new AppError('PORTAL_CSRF_INVALID');
      const want = Buffer.from(tokenFor(secret, req.cookies[CITIZEN_COOKIE]));
      const got = Buffer.from(sent);
      if (got.length !== want.length || !timingSafeEqual(got, want))
        throw new AppError('PORTAL_CSRF_INVALID');
    },
  };
}
