import { createHash, timingSafeEqual } from 'node:crypto';
import {
  HubAdminAgency,
  HubAdminMessage,
  HubAdminSystem,
  HubAgencyCreate,
  HubAgencyPatch,
  HubAgencyQuery,
  HubCode,
  HubDeadLetter,
  HubMessageQuery,
  HubPurge,
  HubPurgeResult,
  HubQueues,
  HubRequeue,
  HubSystemCreate,
  HubSystemSecret,
} from '@congvu/contracts';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../platform/errors.ts';
import type { Api } from '../../platform/http.ts';
import type { HubActor, HubService } from './service.ts';

/** Where the operator API lives, in `serve` and in `congvu hub` alike. */
export const HUB_ADMIN_PREFIX = '/api/hub-admin';

const tags = ['hub-admin'];
const ok = z.object({ ok: z.literal(true) });
const agencyOut = (a: {
  code: string;
  legacy_code: string | null;
  name: string;
  parent_code: string | null;
  email: string | null;
  phone: string | null;
  active: boolean;
  created_at: Date;
  updated_at: Date;
}): HubAdminAgency => ({
  code: a.code,
  legacyCode: a.legacy_code,
  name: a.name,
  parentCode: a.parent_code,
  email: a.email,
  phone: a.phone,
  active: a.active,
  createdAt: a.created_at.toISOString(),
  updatedAt: a.updated_at.toISOString(),
});

/**
 * The hub operator's API under /api/hub-admin: agencies, systems, queues, messages, dead letters,
 * purge. Every route declares `access: 'hub.manage'`; who holds it is decided by the app that
 * mounts these routes, not here:
 * - inside `serve` (app.ts), the installation's access control: a session or API token with the
 *   permission `hub.manage` (role admin);
 * - in `congvu hub` alone (server.ts), `operatorToken`: `Authorization: Bearer $HUB_ADMIN_TOKEN`.
 * `actorOf` names the caller in hub_admin_log, the hub's append-only record of changes.
 */
export function hubAdminRoutes(
  app: Api,
  hub: HubService,
  opts: { actorOf: (req: FastifyRequest) => HubActor },
) {
  const access = 'hub.manage' as const;
  const P = HUB_ADMIN_PREFIX;
  const codeParams = z.object({ code: HubCode });
  const idParams = z.object({ id: z.uuid() });

  app.get(
    `${P}/agencies`,
    {
      config: { access },
      schema: {
        tags,
        summary: 'Trục: cơ quan kết nối (tìm theo tên, mã; không phân biệt dấu)',
        querystring: HubAgencyQuery,
        response: { 200: z.object({ items: z.array(HubAdminAgency) }) },
      },
    },
    async (req) => {
      const active = req.query.active === undefined ? undefined : req.query.active === 'true';
      return { items: (await hub.searchAgencies({ q: req.query.q, active })).map(agencyOut) };
    },
  );
  app.post(
    `${P}/agencies`,
    {
      config: { access },
      schema: {
        tags,
        summary: 'Trục: đăng ký cơ quan',
        body: HubAgencyCreate,
        response: { 201: HubAdminAgency },
      },
    },
    async (req, reply) => {
      const a = await hub.addAgency(opts.actorOf(req), req.body);
      return reply.status(201).send(agencyOut(a));
    },
  );
  app.patch(
    `${P}/agencies/:code`,
    {
      config: { access },
      schema: {
        tags,
        summary: 'Trục: sửa thông tin cơ quan (không sửa mã định danh)',
        params: codeParams,
        body: HubAgencyPatch,
        response: { 200: HubAdminAgency },
      },
    },
    async (req) => agencyOut(await hub.updateAgency(opts.actorOf(req), req.params.code, req.body)),
  );
  for (const [verb, active] of [
    ['disable', false],
    ['enable', true],
  ] as const) {
    app.post(
      `${P}/agencies/:code/${verb}`,
      {
        config: { access },
        schema: {
          tags,
          summary: active ? 'Trục: kết nối lại cơ quan' : 'Trục: ngừng kết nối cơ quan',
          params: codeParams,
          response: { 200: ok },
        },
      },
      async (req) => {
        await hub.setAgencyActive(opts.actorOf(req), req.params.code, active);
        return { ok: true as const };
      },
    );
  }

  app.get(
    `${P}/systems`,
    {
      config: { access },
      schema: {
        tags,
        summary: 'Trục: hệ thống kết nối (không bao giờ kèm khóa bí mật)',
        response: { 200: z.object({ items: z.array(HubAdminSystem) }) },
      },
    },
    async () => ({
      items: (await hub.listSystems()).map((s) => ({
        id: s.id,
        name: s.name,
        active: s.active,
        callbackUrl: s.callback_url,
        agencies: s.agencies,
        createdAt: s.created_at.toISOString(),
      })),
    }),
  );
  app.post(
    `${P}/systems`,
    {
      config: { access },
      schema: {
        tags,
        summary: 'Trục: đăng ký hệ thống; khóa bí mật chỉ trả về lần này',
        body: HubSystemCreate,
        response: { 201: HubSystemSecret },
      },
    },
    async (req, reply) => reply.status(201).send(await hub.addSystem(opts.actorOf(req), req.body)),
  );
  app.post(
    `${P}/systems/:id/rotate-secret`,
    {
      config: { access },
      schema: {
        tags,
        summary: 'Trục: cấp khóa bí mật mới (khóa cũ hết hiệu lực ngay); chỉ trả về lần này',
        params: idParams,
        response: { 200: HubSystemSecret },
      },
    },
    async (req) => hub.rotateSecret(opts.actorOf(req), req.params.id),
  );
  for (const [verb, active] of [
    ['disable', false],
    ['enable', true],
  ] as const) {
    app.post(
      `${P}/systems/:id/${verb}`,
      {
        config: { access },
        schema: {
          tags,
          summary: active ? 'Trục: mở khóa hệ thống' : 'Trục: khóa hệ thống (mọi yêu cầu bị từ chối)',
          params: idParams,
          response: { 200: ok },
        },
      },
      async (req) => {
        await hub.setSystemActive(opts.actorOf(req), req.params.id, active);
        return { ok: true as const };
      },
    );
  }

  app.get(
    `${P}/queues`,
    {
      config: { access },
      schema: {
        tags,
        summary: 'Trục: gói tin đang chờ nhận theo cơ quan và hệ thống, gói cũ nhất',
        response: { 200: HubQueues },
      },
    },
    async () => hub.queues(),
  );
  app.get(
    `${P}/messages`,
    {
      config: { access },
      schema: {
        tags,
        summary: 'Trục: tìm gói tin theo mã, cơ quan gửi, cơ quan nhận, loại, tình trạng nhận',
        querystring: HubMessageQuery,
        response: { 200: z.object({ items: z.array(HubAdminMessage) }) },
      },
    },
    async (req) => ({ items: await hub.searchMessages(req.query) }),
  );
  app.get(
    `${P}/dead-letters`,
    {
      config: { access },
      schema: {
        tags,
        summary: 'Trục: thư lỗi (cơ quan nhận báo lỗi, gọi báo tin thất bại)',
        response: { 200: z.object({ items: z.array(HubDeadLetter) }) },
      },
    },
    async () => ({ items: await hub.deadLetters() }),
  );
  app.post(
    `${P}/dead-letters/requeue`,
    {
      config: { access },
      schema: {
        tags,
        summary: 'Trục: gửi lại một thư lỗi (đưa lại vào hàng đợi, hoặc gọi báo tin lại)',
        body: HubRequeue,
        response: { 200: ok },
      },
    },
    async (req) => {
      await hub.requeue(opts.actorOf(req), req.body);
      return { ok: true as const };
    },
  );
  app.post(
    `${P}/purge`,
    {
      config: { access },
      schema: {
        tags,
        summary: 'Trục: xóa gói tin cũ hơn N ngày mà mọi cơ quan nhận đã xác nhận',
        body: HubPurge,
        response: { 200: HubPurgeResult },
      },
    },
    async (req) => hub.purge(opts.actorOf(req), req.body.days),
  );
}

/**
 * `congvu hub` alone has no sessions: its operator API answers a bearer token equal to
 * HUB_ADMIN_TOKEN (compared in constant time), checked in onRequest before the body is read.
 * The hook applies to the routes declaring `hub.manage` in the scope it is added to.
 */
export function operatorToken(scope: Api, token: string) {
  const want = createHash('sha256').update(token).digest();
  scope.addHook('onRequest', async (req) => {
    if (req.routeOptions.config?.access !== 'hub.manage') return;
    const h = req.headers.authorization;
    if (!h) throw new AppError('UNAUTHENTICATED');
    const given = createHash('sha256')
      .update(h.startsWith('Bearer ') ? h.slice(7).trim() : '')
      .digest();
    if (!timingSafeEqual(given, want)) throw new AppError('AUTH_TOKEN_INVALID');
  });
}
