import { sql } from 'kysely';
import { z } from 'zod';
import { AppError } from '../../platform/errors.ts';
import type { Api } from '../../platform/http.ts';
import { HUB_API_PREFIX } from './client.ts';
import {
  AckBody,
  AckManyBody,
  AckManyResult,
  AckResult,
  FetchQuery,
  HubAgency,
  HubHealth,
  ListQuery,
  MessageId,
  PendingMessage,
  SendHeaders,
  SendResult,
  SentMessage,
  SentQuery,
} from './schema.ts';
import type { HubCaller, HubCandidate, HubService } from './service.ts';
import type { HubDb } from './tables.ts';

declare module 'fastify' {
  interface FastifyRequest {
    hubCandidate: HubCandidate | null;
    hubCaller: HubCaller | null;
    hubRawBody: Buffer | null;
  }
}

const tags = ['hub'];
const security = [{ hubSignature: [] }];

function callerOf(req: { hubCaller: HubCaller | null }): HubCaller {
  if (!req.hubCaller) throw new AppError('INTERNAL');
  return req.hubCaller;
}

/**
 * The hub's HTTP API under /hub/v1, in its own encapsulated scope: its body parsers (envelopes
 * as raw bytes, JSON kept raw for the signature) and its authentication apply to its routes only.
 * Every route declares `config.access`: 'public' (health, OpenAPI) or 'hub-system' (a signed
 * request of a connected system). Headers and timestamp are checked in onRequest, before the
 * body is read; the signature, which covers the body, right after parsing (preValidation).
 */
export async function hubRoutes(
  app: Api,
  hub: HubService,
  opts: { db: HubDb; maxMessageBytes: number; openapi: () => unknown },
) {
  await app.register(async (scope: Api) => {
    scope.decorateRequest('hubCandidate', null);
    scope.decorateRequest('hubCaller', null);
    scope.decorateRequest('hubRawBody', null);
    scope.addHook('onRoute', (r) => {
      const access = r.config?.access;
      if (access !== 'public' && access !== 'hub-system')
        throw new Error(
          `Hub route ${String(r.method)} ${r.url} must declare access 'public' or 'hub-system'`,
        );
    });

    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(['application/xml', 'text/xml'], { parseAs: 'buffer' }, (req, body, done) => {
      req.hubRawBody = body as Buffer;
      done(null, body);
    });
    scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
      req.hubRawBody = body as Buffer;
      try {
        done(null, JSON.parse((body as Buffer).toString('utf8')));
      } catch {
        done(new AppError('VALIDATION_ERROR', [{ path: 'body', message: 'invalid JSON' }]), undefined);
      }
    });

    scope.addHook('onRequest', async (req) => {
      if (req.routeOptions.config?.access !== 'hub-system') return;
      req.hubCandidate = await hub.precheck(req.headers);
    });
    scope.addHook('preValidation', async (req) => {
      if (req.routeOptions.config?.access !== 'hub-system' || !req.hubCandidate) return;
      req.hubCaller = await hub.authenticate(req.hubCandidate, {
        method: req.method,
        pathWithQuery: req.url,
        body: req.hubRawBody ?? Buffer.alloc(0),
      });
    });

    scope.get(
      `${HUB_API_PREFIX}/health`,
      {
        config: { access: 'public' },
        schema: { tags, summary: 'Tình trạng trục liên thông', response: { 200: HubHealth } },
      },
      async () => {
        await sql`SELECT 1`.execute(opts.db);
        return { status: 'ok' as const, db: 'ok' as const, time: new Date().toISOString() };
      },
    );
    scope.get(
      `${HUB_API_PREFIX}/openapi.json`,
      { config: { access: 'public' }, schema: { hide: true } },
      async () => opts.openapi(),
    );

    scope.post(
      `${HUB_API_PREFIX}/messages`,
      {
        config: { access: 'hub-system' },
        bodyLimit: opts.maxMessageBytes,
        schema: {
          tags,
          security,
          summary: 'Gửi gói tin edXML (văn bản hoặc trạng thái); thân yêu cầu là tệp edXML (application/xml)',
          headers: SendHeaders,
          response: { 200: SendResult, 201: SendResult },
        },
      },
      async (req, reply) => {
        if (!Buffer.isBuffer(req.body) || req.body.length === 0)
          throw new AppError('BAD_REQUEST', {
            reason: 'the body must be the edXML bytes, Content-Type application/xml',
          });
        const { result, created } = await hub.send(callerOf(req), req.body, {
          messageKey: req.headers['x-message-key'],
          to: req.headers['x-to'],
        });
        return reply.status(created ? 201 : 200).send(result);
      },
    );

    scope.get(
      `${HUB_API_PREFIX}/messages`,
      {
        config: { access: 'hub-system' },
        schema: {
          tags,
          security,
          summary: 'Gói tin đang chờ nhận của các cơ quan mà hệ thống đại diện, cũ trước',
          querystring: ListQuery,
          response: { 200: z.array(PendingMessage) },
        },
      },
      async (req) => hub.listPending(callerOf(req), req.query),
    );

    scope.get(
      `${HUB_API_PREFIX}/messages/:id`,
      {
        config: { access: 'hub-system' },
        schema: {
          tags,
          security,
          summary: 'Tải gói tin edXML (nguyên văn như khi gửi)',
          params: z.object({ id: MessageId }),
          querystring: FetchQuery,
        },
      },
      async (req, reply) => {
        const bytes = await hub.fetch(callerOf(req), req.params.id, req.query.agency);
        return reply.type('application/xml').send(bytes);
      },
    );

    scope.post(
      `${HUB_API_PREFIX}/messages/:id/ack`,
      {
        config: { access: 'hub-system' },
        schema: {
          tags,
          security,
          summary: 'Xác nhận đã nhận (done) hoặc không nhận được (fail): gói tin rời hàng đợi của cơ quan',
          params: z.object({ id: MessageId }),
          body: AckBody,
          response: { 200: AckResult },
        },
      },
      async (req) => hub.ack(callerOf(req), req.params.id, req.body),
    );

    scope.post(
      `${HUB_API_PREFIX}/acks`,
      {
        config: { access: 'hub-system' },
        schema: {
          tags,
          security,
          summary: 'Xác nhận nhiều gói tin trong một lần gọi (mỗi mục như một lần xác nhận)',
          body: AckManyBody,
          response: { 200: AckManyResult },
        },
      },
      async (req) => hub.ackMany(callerOf(req), req.body.items),
    );

    scope.get(
      `${HUB_API_PREFIX}/sent`,
      {
        config: { access: 'hub-system' },
        schema: {
          tags,
          security,
          summary: 'Gói tin hệ thống đã gửi và tình trạng nhận của từng cơ quan',
          querystring: SentQuery,
          response: { 200: z.array(SentMessage) },
        },
      },
      async (req) => hub.sent(callerOf(req), req.query),
    );

    scope.get(
      `${HUB_API_PREFIX}/agencies`,
      {
        config: { access: 'hub-system' },
        schema: {
          tags,
          security,
          summary: 'Danh sách cơ quan kết nối với trục',
          response: { 200: z.array(HubAgency) },
        },
      },
      async () => hub.agencies(),
    );
  });
}
