import {
  CitizenIdentityRef,
  CitizenNotificationList,
  CitizenNotificationPrefs,
  CitizenNotificationQuery,
  CitizenOidcCallbackQuery,
  CitizenOidcStartQuery,
  CitizenProfile,
  CitizenProfileUpdate,
  CitizenResetConfirm,
  CitizenResetRequest,
  CitizenSignIn,
  CitizenSignUp,
  CitizenStoreItem,
  List,
  Uuid,
} from '@congvu/contracts';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../platform/errors.ts';
import { filesRepo } from '../../platform/files/repo.ts';
import { sendBlob } from '../../platform/files/routes.ts';
import { type Api, type AppContext, meta } from '../../platform/http.ts';
import type { CitizenAuth } from '../../platform/policy.ts';
import type { CitizensService } from './service.ts';

/** The citizen's session cookie: never the staff one (congvu_sid), so neither can act as the other. */
export const CITIZEN_COOKIE = 'congvu_citizen';
/** The pending OIDC sign-in's state, for the callback only. */
export const OIDC_STATE_COOKIE = 'congvu_citizen_oidc';
const OIDC_PATH = '/api/citizen/oidc';

/** The session cookie's options, shared with the portal's sign-in forms (modules/portal). */
export function citizenSessionCookie(opts: { secureCookies: boolean; sessionHours: number }) {
  return {
    path: '/',
    httpOnly: true,
    // Lax, not Strict: the OIDC callback is a top-level navigation from the provider's site.
    sameSite: 'lax' as const,
    secure: opts.secureCookies,
    maxAge: opts.sessionHours * 3600,
  };
}

function citizenOf(req: FastifyRequest): CitizenAuth {
  if (!req.citizen) throw new AppError('UNAUTHENTICATED');
  return req.citizen;
}

export function citizensRoutes(
  app: Api,
  ctx: AppContext,
  citizens: CitizensService,
  opts: { secureCookies: boolean; sessionHours: number; ratePerMinute: number },
) {
  const sessionCookie = citizenSessionCookie(opts);
  const limited = { max: opts.ratePerMinute, timeWindow: '1 minute' };
  const tags = ['citizen'];

  app.post(
    '/api/citizen/sign-up',
    {
      config: { access: 'public', rateLimit: limited },
      schema: {
        tags,
        summary: 'Đăng ký tài khoản công dân',
        body: CitizenSignUp,
        response: { 201: CitizenProfile },
      },
    },
    async (req, reply) => {
      const { cookie, profile } = await citizens.signUp(req.body, meta(req));
      reply.setCookie(CITIZEN_COOKIE, cookie, sessionCookie);
      return reply.status(201).send(profile);
    },
  );

  app.post(
    '/api/citizen/sign-in',
    {
      config: { access: 'public', rateLimit: limited },
      schema: {
        tags,
        summary: 'Đăng nhập bằng số điện thoại hoặc thư điện tử',
        body: CitizenSignIn,
        response: { 200: CitizenProfile },
      },
    },
    async (req, reply) => {
      const { cookie, profile } = await citizens.signIn(req.body, meta(req));
      reply.setCookie(CITIZEN_COOKIE, cookie, sessionCookie);
      return profile;
    },
  );

  app.post(
    '/api/citizen/sign-out',
    { config: { access: 'citizen' }, schema: { tags, summary: 'Đăng xuất' } },
    async (req, reply) => {
      await citizens.signOut(citizenOf(req), meta(req));
      reply.clearCookie(CITIZEN_COOKIE, { path: '/' });
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/citizen/me',
    {
      config: { access: 'citizen' },
      schema: { tags, summary: 'Hồ sơ cá nhân', response: { 200: CitizenProfile } },
    },
    async (req) => citizens.profile(citizenOf(req)),
  );

  app.put(
    '/api/citizen/me',
    {
      config: { access: 'citizen' },
      schema: {
        tags,
        summary: 'Cập nhật hồ sơ cá nhân (CCCD, địa chỉ, liên hệ)',
        body: CitizenProfileUpdate,
        response: { 200: CitizenProfile },
      },
    },
    async (req) => citizens.updateProfile(citizenOf(req), req.body, meta(req)),
  );

  app.post(
    '/api/citizen/password-reset',
    {
      config: { access: 'public', rateLimit: limited },
      schema: { tags, summary: 'Yêu cầu đặt lại mật khẩu qua thư điện tử', body: CitizenResetRequest },
    },
    async (req, reply) => {
      await citizens.requestReset(req.body.email, meta(req));
      // The same answer whether or not the address has an account.
      return reply.status(202).send();
    },
  );

  app.post(
    '/api/citizen/password-reset/confirm',
    {
      config: { access: 'public', rateLimit: limited },
      schema: { tags, summary: 'Đặt mật khẩu mới từ liên kết trong thư', body: CitizenResetConfirm },
    },
    async (req, reply) => {
      await citizens.confirmReset(req.body.token, req.body.newPassword, meta(req));
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/citizen/oidc/start',
    {
      config: { access: 'public', rateLimit: limited },
      schema: {
        tags,
        summary: 'Đăng nhập qua nhà cung cấp định danh (OIDC)',
        querystring: CitizenOidcStartQuery,
      },
    },
    async (req, reply) => {
      // link=1: link an identity to the signed-in account (the citizen cookie), instead of signing in.
      let link: CitizenAuth | undefined;
      if (req.query.link === '1') {
        const cookie = req.cookies[CITIZEN_COOKIE];
        link = (cookie && (await citizens.fromCookie(cookie))) || undefined;
        if (!link) throw new AppError('UNAUTHENTICATED');
      }
      const { url, state, maxAgeSeconds } = await citizens.oidcStart(req.query.returnTo, link);
      reply.setCookie(OIDC_STATE_COOKIE, state, {
        path: OIDC_PATH,
        httpOnly: true,
        sameSite: 'lax',
        secure: opts.secureCookies,
        maxAge: maxAgeSeconds,
      });
      return reply.redirect(url, 302);
    },
  );

  app.get(
    '/api/citizen/oidc/callback',
    {
      config: { access: 'public', rateLimit: limited },
      schema: { tags, summary: 'Nhà cung cấp định danh chuyển về', querystring: CitizenOidcCallbackQuery },
    },
    async (req, reply) => {
      const query = new URLSearchParams(req.url.split('?')[1] ?? '');
      reply.clearCookie(OIDC_STATE_COOKIE, { path: OIDC_PATH });
      const session = req.cookies[CITIZEN_COOKIE];
      const { cookie, returnTo } = await citizens.oidcCallback(
        query,
        req.cookies[OIDC_STATE_COOKIE],
        meta(req),
        session ? await citizens.fromCookie(session) : null,
      );
      // A link keeps the session it was made in; a sign-in gets a new one.
      if (cookie) reply.setCookie(CITIZEN_COOKIE, cookie, sessionCookie);
      return reply.redirect(returnTo, 302);
    },
  );

  app.delete(
    '/api/citizen/identities',
    {
      config: { access: 'citizen' },
      schema: {
        tags,
        summary: 'Bỏ liên kết tài khoản định danh (chỉ khi tài khoản có mật khẩu)',
        body: CitizenIdentityRef,
        response: { 200: CitizenProfile },
      },
    },
    async (req) => citizens.unlinkIdentity(citizenOf(req), req.body.issuer, meta(req)),
  );

  app.get(
    '/api/citizen/notifications',
    {
      config: { access: 'citizen' },
      schema: {
        tags,
        summary: 'Thông báo về hồ sơ của công dân (mới nhất trước)',
        querystring: CitizenNotificationQuery,
        response: { 200: CitizenNotificationList },
      },
    },
    async (req) => citizens.notifications(citizenOf(req), req.query.limit),
  );

  app.post(
    '/api/citizen/notifications/read-all',
    { config: { access: 'citizen' }, schema: { tags, summary: 'Đánh dấu tất cả thông báo đã đọc' } },
    async (req, reply) => {
      await citizens.markAllRead(citizenOf(req));
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/citizen/notifications/:id/read',
    {
      config: { access: 'citizen' },
      schema: { tags, summary: 'Đánh dấu một thông báo đã đọc', params: z.object({ id: Uuid }) },
    },
    async (req, reply) => {
      await citizens.markRead(citizenOf(req), req.params.id);
      return reply.status(204).send();
    },
  );

  app.put(
    '/api/citizen/notification-preferences',
    {
      config: { access: 'citizen' },
      schema: {
        tags,
        summary: 'Nhận thông báo qua thư điện tử / SMS',
        body: CitizenNotificationPrefs,
        response: { 200: CitizenProfile },
      },
    },
    async (req) => citizens.setNotificationPrefs(citizenOf(req), req.body, meta(req)),
  );

  app.get(
    '/api/citizen/store',
    {
      config: { access: 'citizen' },
      schema: { tags, summary: 'Kho dữ liệu của công dân', response: { 200: List(CitizenStoreItem) } },
    },
    async (req) => ({ items: await citizens.store(citizenOf(req)) }),
  );

  app.get(
    '/api/citizen/store/:id/file',
    {
      config: { access: 'citizen' },
      schema: { tags, summary: 'Tải tệp của một giấy tờ trong kho dữ liệu', params: z.object({ id: Uuid }) },
    },
    async (req, reply) => {
      const f = await citizens.storeFile(citizenOf(req), req.params.id);
      const blob = await filesRepo(ctx.db).findBlob(f.sha256);
      if (!blob) throw new AppError('FILE_NOT_FOUND');
      return sendBlob(ctx, reply, blob, f.name);
    },
  );
}
