import { Uuid } from '@congvu/contracts';
import { noticesPage, paths, type Shell } from '@congvu/portal';
import type { FastifyInstance, FastifyReply, FastifyRequest, preValidationHookHandler } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CitizenAuth } from '../../platform/policy.ts';
import type { PortalService } from './service.ts';

const DoneQuery = z.object({ 'da-doc': z.enum(['1', 'tat-ca']).optional() });
const IdParams = z.object({ id: Uuid });

export interface NoticesDeps {
  portal: PortalService;
  citizenOf: (req: FastifyRequest) => Promise<{ auth: CitizenAuth } | null>;
  csrfOf: (req: FastifyRequest, reply: FastifyReply) => string;
  shellOf: (req: FastifyRequest) => Promise<Shell>;
  send: (req: FastifyRequest, reply: FastifyReply, body: string, status?: number) => FastifyReply;
  see: (reply: FastifyReply, to: string) => FastifyReply;
  toSignIn: (reply: FastifyReply, next: string) => FastifyReply;
  /** The account forms' POST options: public access, rate limit, urlencoded body, CSRF check. */
  post: {
    config: { access: 'public'; rateLimit: { max: number; timeWindow: string } };
    schema: { body: z.ZodType };
    preValidation: preValidationHookHandler | ((req: FastifyRequest) => Promise<void>);
  };
}

/**
 * The citizen's notification centre (/cong-dich-vu/thong-bao): the list, newest first, unread
 * marked; "mark read" for one or all (POST with the CSRF token, 303 back). Signed out: 303 to the
 * sign-in page. Another citizen's notification: the portal's 404 page.
 */
export async function noticesRoutes(scope: FastifyInstance, d: NoticesDeps) {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { portal } = d;

  app.get(
    '/thong-bao',
    { config: { access: 'public' }, schema: { querystring: DoneQuery } },
    async (req, reply) => {
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
    },
  );

  app.post('/thong-bao/da-doc-het', d.post as never, async (req: FastifyRequest, reply: FastifyReply) => {
    const who = await d.citizenOf(req);
    if (!who) return d.toSignIn(reply, paths.notices);
    await portal.account.markAllRead(who.auth);
    return d.see(reply, `${paths.notices}?da-doc=tat-ca`);
  });

  app.post(
    '/thong-bao/:id/da-doc',
    { ...(d.post as object), schema: { ...d.post.schema, params: IdParams } } as never,
    async (req: FastifyRequest, reply: FastifyReply) => {
      const who = await d.citizenOf(req);
      if (!who) return d.toSignIn(reply, paths.notices);
      await portal.account.markRead(who.auth, (req.params as { id: string }).id);
      return d.see(reply, `${paths.notices}?da-doc=1`);
    },
  );
}
