import { createHash } from 'node:crypto';
import { AUTHORITY_LEVELS, ERRORS } from '@congvu/contracts';
import {
  BASE,
  cataloguePage,
  errorPage,
  homePage,
  LANG_COOKIE,
  LANGS,
  lookupPage,
  paths,
  portalCss,
  procedurePage,
  type Shell,
  statsPage,
  t,
} from '@congvu/portal';
import compress from '@fastify/compress';
import formbody from '@fastify/formbody';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../platform/errors.ts';
import type { Api } from '../../platform/http.ts';
import { CITIZEN_COOKIE } from '../citizens/routes.ts';
import type { SubmissionsService } from '../submissions/service.ts';
import { accountRoutes, requestLang, safeNext } from './account.ts';
import { portalCsrf } from './csrf.ts';
import { mineRoutes } from './mine.ts';
import type { PortalService } from './service.ts';
import { submitRoutes } from './submit.ts';

/** The stylesheet every page inlines, read and hashed once at startup. */
const CSS = portalCss();

/**
 * Strict: no script at all; the only style is the inlined stylesheet, allowed by the hash of its
 * exact bytes (no 'unsafe-inline', no style attribute, no other stylesheet).
 */
export const PORTAL_CSP =
  `default-src 'self'; script-src 'none'; style-src ${CSS.cspSource}; img-src 'self' data:; font-src 'self'; ` +
  "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const Text = (max: number) => z.string().trim().max(max).optional();
const CatalogueQuery = z.object({
  q: Text(200),
  linhVuc: Text(50),
  coQuan: Text(50),
  capDo: z.union([z.enum(AUTHORITY_LEVELS), z.literal('')]).optional(),
  trang: z.coerce.number().int().min(1).max(10_000).optional(),
});
const CodeParams = z.object({ code: z.string().trim().min(1).max(40) });
const LookupQuery = z.object({ ma: Text(64), k: Text(64) });
const FormParams = z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/) });
/** A file name's extension for the form templates' usual types. */
const EXTENSIONS: Record<string, string> = {
  'application/pdf': '.pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': '.docx',
  'application/msword': '.doc',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': '.xlsx',
};
const StatsQuery = z.object({ nam: z.coerce.number().int().min(2000).max(2100).optional() });
const LanguageQuery = z.object({ lang: z.enum(LANGS), tiep: z.string().max(2000).optional() });
const ONE_YEAR_S = 365 * 24 * 3600;

/**
 * The public portal (issue 7): server-rendered pages under /cong-dich-vu/, no sign-in, no script.
 * Routes are thin: parse, ask the portal service, render with apps/portal, send with headers.
 * Its own scope: HTML error pages, compression, security headers.
 */
export function portalRoutes(
  app: Api,
  portal: PortalService,
  opts: {
    lookupRatePerMinute: number;
    readBlob: (sha256: string) => Promise<Buffer>;
    siteName?: string;
    /** Citizen sessions (the same cookie as /api/citizen) and sign-in forms. */
    secureCookies: boolean;
    sessionHours: number;
    oidcEnabled: boolean;
    publicUrl: string | undefined;
    /** Online submission (modules/submissions) and the acknowledgement PDF of a submitted dossier. */
    submissions: SubmissionsService;
    maxUploadBytes: number;
    receiptPdf: (citizenId: string, code: string) => Promise<Buffer>;
    /** "Hồ sơ của tôi": the citizen's uploads (supplements), type sniffed by the blob store. */
    storeUpload: (data: Buffer) => Promise<{ sha256: string; mime: string }>;
  },
) {
  const { readBlob } = opts;
  const shell = { css: CSS.body, siteName: opts.siteName };
  /** The signed-in citizen of a request, resolved once per request. */
  const signedIn = new WeakMap<FastifyRequest, ReturnType<PortalService['account']['whoIs']>>();
  function citizenOf(req: FastifyRequest) {
    let who = signedIn.get(req);
    if (!who) {
      who = portal.account.whoIs(req.cookies?.[CITIZEN_COOKIE]);
      signedIn.set(req, who);
    }
    return who;
  }
  /** The shell without the citizen: the request's language, and its address for the language switch. */
  const plainShell = (req: FastifyRequest): Shell => ({ ...shell, lang: requestLang(req), path: req.url });
  /** A public page's shell: the header names the signed-in citizen. */
  async function shellFor(req: FastifyRequest): Promise<Shell> {
    const who = await citizenOf(req);
    return { ...plainShell(req), citizen: who ? { fullName: who.fullName, unread: who.unread } : null };
  }

  /** text/html with validators: an unchanged page answers 304 to If-None-Match. */
  function sendHtml(
    req: FastifyRequest,
    reply: FastifyReply,
    body: string,
    o: { status?: number; cache?: string } = {},
  ) {
    // A page naming the signed-in citizen is theirs only.
    if (req.cookies?.[CITIZEN_COOKIE]) o = { ...o, cache: 'private, no-store' };
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', o.cache ?? 'public, max-age=300')
      .header('etag', etag)
      .header('content-language', requestLang(req))
      // The language is a cookie too: a cache keeps one copy per Cookie (and the ETag differs).
      .header('vary', 'accept-encoding, cookie');
    if ((o.status ?? 200) === 200 && req.headers['if-none-match'] === etag) return reply.status(304).send();
    return reply.status(o.status ?? 200).send(body);
  }

  return app.register(
    async (plain) => {
      const scope = plain.withTypeProvider<ZodTypeProvider>();
      await scope.register(compress, { global: true, threshold: 1024, encodings: ['br', 'gzip'] });
      // Urlencoded bodies for the account forms, in this scope only (never for /api).
      await scope.register(formbody, { bodyLimit: 16 * 1024 });
      scope.addHook('onSend', async (_req, reply, payload) => {
        reply
          .header('content-security-policy', PORTAL_CSP)
          .header('x-content-type-options', 'nosniff')
          .header('x-frame-options', 'DENY');
        // The lookup address carries the secret: never send it to another site. Account pages
        // say same-origin so that their forms' POSTs carry this site's Origin (CSRF check).
        if (!reply.hasHeader('referrer-policy')) reply.header('referrer-policy', 'no-referrer');
        return payload;
      });
      const notFound = (req: FastifyRequest) => {
        const s = t(requestLang(req));
        return errorPage(
          { status: 404, title: s['error.404.title'], message: s['error.404.message'] },
          plainShell(req),
        );
      };
      scope.setErrorHandler((err: { statusCode?: number }, req, reply) => {
        const noStore = { cache: 'no-store' };
        const lang = requestLang(req);
        const s = t(lang);
        const shell = plainShell(req);
        if (err instanceof AppError && err.status === 404)
          return sendHtml(req, reply, notFound(req), { status: 404, ...noStore });
        if (err instanceof AppError && err.code === 'PORTAL_CSRF_INVALID')
          return sendHtml(
            req,
            reply,
            errorPage(
              {
                status: 403,
                title: s['error.403.title'],
                message: lang === 'en' ? ERRORS.PORTAL_CSRF_INVALID.en : err.message,
              },
              shell,
            ),
            { status: 403, ...noStore },
          );
        if (
          hasZodFastifySchemaValidationErrors(err as never) ||
          err.statusCode === 400 ||
          err.statusCode === 415
        )
          return sendHtml(
            req,
            reply,
            errorPage(
              {
                status: 400,
                title: s['error.400.title'],
                message: s['error.400.message'],
              },
              shell,
            ),
            { status: 400, ...noStore },
          );
        if (err.statusCode === 429)
          return sendHtml(
            req,
            reply,
            errorPage(
              {
                status: 429,
                title: req.url.startsWith(paths.lookup) ? s['error.429.lookupTitle'] : s['error.429.title'],
                message: req.url.startsWith(paths.lookup)
                  ? s['error.429.lookupMessage']
                  : s['error.429.message'],
              },
              shell,
            ),
            { status: 429, ...noStore },
          );
        // Any other refusal with a code (e.g. 503 PAYMENT_DISABLED, 409 conflicts): its own status and
        // message, never a blank 500.
        if (err instanceof AppError && err.status !== 500) {
          if (err.status > 500) req.log.warn({ code: err.code }, 'portal: service unavailable');
          return sendHtml(
            req,
            reply,
            errorPage(
              {
                status: err.status,
                title: err.status >= 500 ? s['error.500.title'] : s['error.400.title'],
                message: lang === 'en' ? ERRORS[err.code].en : err.message,
              },
              shell,
            ),
            { status: err.status, ...noStore },
          );
        }
        req.log.error({ err }, 'portal error');
        return sendHtml(
          req,
          reply,
          errorPage(
            {
              status: 500,
              title: s['error.500.title'],
              message: s['error.500.message'],
            },
            shell,
          ),
          { status: 500, ...noStore },
        );
      });
      scope.setNotFoundHandler((req, reply) =>
        sendHtml(req, reply, notFound(req), { status: 404, cache: 'no-store' }),
      );

      const pub = { access: 'public' as const };

      await accountRoutes(plain, {
        portal,
        shell,
        secureCookies: opts.secureCookies,
        sessionHours: opts.sessionHours,
        ratePerMinute: opts.lookupRatePerMinute,
        oidcEnabled: opts.oidcEnabled,
        publicUrl: opts.publicUrl,
        citizenOf,
        sendHtml,
      });

      await mineRoutes(plain, {
        portal,
        shell,
        csrf: portalCsrf(opts),
        ratePerMinute: opts.lookupRatePerMinute,
        publicUrl: opts.publicUrl,
        maxUploadBytes: opts.maxUploadBytes,
        storeUpload: opts.storeUpload,
        readBlob,
        citizenOf,
        sendHtml,
      });

      await submitRoutes(plain, {
        portal,
        submissions: opts.submissions,
        shell,
        secureCookies: opts.secureCookies,
        publicUrl: opts.publicUrl,
        ratePerMinute: opts.lookupRatePerMinute,
        maxUploadBytes: opts.maxUploadBytes,
        citizenOf,
        sendHtml,
        receiptPdf: opts.receiptPdf,
      });

      // The language switch (a plain link in the header): remember the choice for a year, then
      // back to the page it came from — a portal path only, anything else goes home.
      scope.get('/ngon-ngu', { config: pub, schema: { querystring: LanguageQuery } }, async (req, reply) => {
        reply.setCookie(LANG_COOKIE, req.query.lang, {
          path: BASE,
          sameSite: 'lax',
          httpOnly: true,
          secure: opts.secureCookies,
          maxAge: ONE_YEAR_S,
        });
        return reply
          .header('cache-control', 'no-store')
          .redirect(safeNext(req.query.tiep) ?? paths.home, 303);
      });

      scope.get('/', { config: pub }, async (req, reply) =>
        sendHtml(req, reply, homePage(await portal.home(), await shellFor(req))),
      );

      scope.get('/thu-tuc', { config: pub, schema: { querystring: CatalogueQuery } }, async (req, reply) =>
        sendHtml(req, reply, cataloguePage(await portal.catalogue(req.query), await shellFor(req))),
      );

      scope.get('/thu-tuc/:code', { config: pub, schema: { params: CodeParams } }, async (req, reply) =>
        sendHtml(req, reply, procedurePage(await portal.procedure(req.params.code), await shellFor(req))),
      );

      scope.get('/bieu-mau/:sha256', { config: pub, schema: { params: FormParams } }, async (req, reply) => {
        const f = await portal.form(req.params.sha256);
        const ext = EXTENSIONS[f.mime] ?? '';
        return reply
          .header('content-type', f.mime)
          .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(f.name + ext)}`)
          .header('cache-control', 'public, max-age=86400')
          .send(await readBlob(f.sha256));
      });

      scope.get(
        '/tra-cuu',
        {
          config: { ...pub, rateLimit: { max: opts.lookupRatePerMinute, timeWindow: '1 minute' } },
          schema: { querystring: LookupQuery },
        },
        async (req, reply) => {
          const { ma, k } = req.query;
          if (!ma && !k) return sendHtml(req, reply, lookupPage({}, await shellFor(req)));
          const result = ma && k ? await portal.lookup(ma, k) : null;
          // Found or not, the answer is personal: never stored by a cache.
          return sendHtml(req, reply, lookupPage({ code: ma, secret: k, result }, await shellFor(req)), {
            status: result ? 200 : 404,
            cache: 'private, no-store',
          });
        },
      );

      scope.get('/thong-ke', { config: pub, schema: { querystring: StatsQuery } }, async (req, reply) => {
        const current = portal.currentYear();
        const year = req.query.nam ?? current;
        const years = Array.from({ length: 5 }, (_, i) => current - i);
        if (!years.includes(year)) years.push(year);
        return sendHtml(
          req,
          reply,
          statsPage({ year, years, ...(await portal.stats(year)) }, await shellFor(req)),
        );
      });
    },
    { prefix: BASE },
  );
}
