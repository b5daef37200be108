import {
  ApiToken,
  ChangePassword,
  CreateApiToken,
  List,
  Login,
  Me,
  PasswordConfirm,
  TotpCode,
  TotpSetup,
  Uuid,
} from '@congvu/contracts';
import { z } from 'zod';
import { type Api, type AppContext, authOf, meta } from '../http.ts';
import { SESSION_COOKIE } from './plugin.ts';

export type ProfileLoader = (officialId: string) => Promise<z.infer<typeof Me>['memberships']>;

export function authRoutes(
  app: Api,
  ctx: AppContext,
  loadMemberships: ProfileLoader,
  loginRatePerMinute: number,
) {
  const cookieOpts = {
    path: '/',
    httpOnly: true,
    sameSite: 'strict' as const,
    secure: ctx.config.secureCookies,
    maxAge: ctx.config.sessionHours * 3600,
  };

  async function me(officialId: string, auth: ReturnType<typeof authOf>) {
    const o = await ctx.auth.profile(officialId);
    return {
      id: o.id,
      username: o.username,
      fullName: o.full_name,
      email: o.email,
      totpEnabled: o.totp_enabled,
      roles: auth.roles,
      permissions: [...auth.permissions].sort(),
      memberships: await loadMemberships(o.id),
      actingFor: auth.actingFor,
    };
  }

  app.post(
    '/api/auth/login',
    {
      config: { access: 'public', rateLimit: { max: loginRatePerMinute, timeWindow: '1 minute' } },
      schema: { tags: ['auth'], summary: 'Đăng nhập', body: Login, response: { 200: Me } },
    },
    async (req, reply) => {
      const { cookie, officialId } = await ctx.auth.login(req.body, meta(req));
      reply.setCookie(SESSION_COOKIE, cookie, cookieOpts);
      const auth = await ctx.auth.fromSession(cookie, null);
      return me(officialId, auth!);
    },
  );

  app.post(
    '/api/auth/logout',
    { config: { access: 'session' }, schema: { tags: ['auth'], summary: 'Đăng xuất' } },
    async (req, reply) => {
      await ctx.auth.logout(authOf(req), meta(req));
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/auth/logout-all',
    { config: { access: 'session' }, schema: { tags: ['auth'], summary: 'Đăng xuất khỏi mọi thiết bị' } },
    async (req, reply) => {
      await ctx.auth.logoutEverywhere(authOf(req), meta(req));
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/auth/me',
    {
      config: { access: 'session' },
      schema: { tags: ['auth'], summary: 'Người dùng hiện tại', response: { 200: Me } },
    },
    async (req) => {
      const auth = authOf(req);
      if (!auth.officialId) {
        // An API token has no person behind it.
        return {
          id: auth.tokenId!,
          username: 'api',
          fullName: auth.fullName,
          email: null,
          totpEnabled: false,
          roles: [],
          permissions: [...auth.permissions].sort(),
          memberships: [],
          actingFor: null,
        };
      }
      return me(auth.officialId, auth);
    },
  );

  app.post(
    '/api/auth/password',
    {
      config: { access: 'session' },
      schema: { tags: ['auth'], summary: 'Đổi mật khẩu', body: ChangePassword },
    },
    async (req, reply) => {
      await ctx.auth.changePassword(authOf(req), req.body.currentPassword, req.body.newPassword, meta(req));
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/auth/totp/setup',
    {
      config: { access: 'session' },
      schema: { tags: ['auth'], summary: 'Khởi tạo xác thực hai lớp', response: { 200: TotpSetup } },
    },
    async (req) => ctx.auth.totpSetup(authOf(req), meta(req)),
  );

  app.post(
    '/api/auth/totp/enable',
    {
      config: { access: 'session' },
      schema: { tags: ['auth'], summary: 'Bật xác thực hai lớp', body: TotpCode },
    },
    async (req, reply) => {
      await ctx.auth.totpEnable(authOf(req), req.body.code, meta(req));
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/auth/totp/disable',
    {
      config: { access: 'session' },
      schema: { tags: ['auth'], summary: 'Tắt xác thực hai lớp', body: PasswordConfirm },
    },
    async (req, reply) => {
      await ctx.auth.totpDisable(authOf(req), req.body.password, meta(req));
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/admin/api-tokens',
    {
      config: { access: 'tokens.manage' },
      schema: { tags: ['auth'], summary: 'Mã truy cập API', response: { 200: List(ApiToken) } },
    },
    async () => ({ items: await ctx.auth.listTokens() }),
  );

  app.post(
    '/api/admin/api-tokens',
    {
      config: { access: 'tokens.manage' },
      schema: {
        tags: ['auth'],
        summary: 'Tạo mã truy cập API (bí mật chỉ hiện một lần)',
        body: CreateApiToken,
        response: { 201: z.object({ token: ApiToken, secret: z.string() }) },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await ctx.auth.createToken(authOf(req), req.body, meta(req))),
  );

  app.post(
    '/api/admin/api-tokens/:id/revoke',
    {
      config: { access: 'tokens.manage' },
      schema: {
        tags: ['auth'],
        summary: 'Thu hồi mã truy cập',
        params: z.object({ id: Uuid }),
        response: { 200: ApiToken },
      },
    },
    async (req) => ctx.auth.revokeToken(authOf(req), req.params.id, meta(req)),
  );
}
