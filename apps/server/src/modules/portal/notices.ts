import { Uuid } from '@congvu/contracts';
import { noticesPage, paths, type Shell } from '@congvu/portal';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CitizenAuth } from '../../platform/policy.ts';
import type { PortalService } from './service.ts';

const DoneQuery = z.object({ 'da-doc': z.enum(['1', 'tat-ca']).optional() });
const IdParams = z.object({ id: Uuid });
/** Portal forms: string fields only, short (as the account forms). */
const FormBody = z.record(z.string(), z.string().max(2000));

export interface NoticesDeps {
  portal: PortalService;
  citizenOf: (req: FastifyRequest) => Promise<{ auth: CitizenAuth } | null>;
  csrfOf: (req: FastifyRequest, reply: FastifyReply) => string;
  /** The account forms' CSRF check (token + Origin); throws PORTAL_CSRF_INVALID. */
  checkCsrf: (req: FastifyRequest) => void;
  rateLimit: { max: number; timeWindow: string };
  shellOf: (req: FastifyRequest) => Promise<Shell>;
  send: (req: FastifyRequest, reply: FastifyReply, body: string, status?: number) => FastifyReply;
  see: (reply: FastifyReply, to: string) => FastifyReply;
  toSignIn: (reply: FastifyReply, next: string) => FastifyReply;
}

/**
 * The citizen's notification centre (/cong-dich-vu/thong-bao): the list, newest first, unread
 * marked; "mark read" for one or all (POST with the CSRF token, 303 back). Signed out: 303 to the
 * sign-in page. Another citizen's notification: the portal's 404 page.
 */
export async function noticesRoutes(scope: FastifyInstance, d: NoticesDeps) {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { portal } = d;
  const config = { access: 'public' as const };
  const post = {
    config: { ...config, rateLimit: d.rateLimit },
    preValidation: async (req: FastifyRequest) => d.checkCsrf(req),
  };

  app.get('/thong-bao', { config, schema: { querystring: DoneQuery } }, async (req, reply) => {
    const who = await d.citizenOf(req);
    if (!who) return d.toSignIn(reply, paths.notices);
    const { items, unread } = await portal.account.notifications(who.auth);
    const done = req.query['da-doc'];
    return d.send(
      req,
      reply,
      noticesPage(
        {
          csrf: d.csrfOf(req, reply),
          items,
          unread,
          done: done === '1' ? 'one' : done === 'tat-ca' ? 'all' : undefined,
        },
        await d.shellOf(req),
      ),
    );
  });

  app.post('/thong-bao/da-doc-het', { ...post, schema: { body: FormBody } }, async (req, reply) => {
    const who = await d.citizenOf(req);
    if (!who) return d.toSignIn(reply, paths.notices);
    await portal.account.markAllRead(who.auth);
    return d.see(reply, `${paths.notices}?da-doc=tat-ca`);
  });

  app.post(
    '/thong-bao/:id/da-doc',
    { ...post, schema: { body: FormBody, params: IdParams } },
    async (req, reply) => {
      const who = await d.citizenOf(req);
      if (!who) return d.toSignIn(reply, paths.notices);
      await portal.account.markRead(who.auth, req.params.id);
      return d.see(reply, `${paths.notices}?da-doc=1`);
    },
  );
}
