import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';
import type { AppContext } from '../http.ts';
import { type Access, allows, type CitizenAuth } from '../policy.ts';

export const SESSION_COOKIE = 'congvu_sid';
export const ACTING_FOR_HEADER = 'x-acting-for';

export interface RouteEntry {
  method: string;
  url: string;
  access: Access;
}

/**
 * Resolves who is calling (session cookie or API token) and enforces each route's declared
 * access in onRequest, before the body is parsed or any data is read. A route under /api that
 * declares no access makes the app fail at start.
 */
export function installAccessControl(
  app: FastifyInstance,
  ctx: AppContext,
  catalogue: RouteEntry[],
  /** Resolves the citizen cookie (modules/citizens); without it, citizen routes answer 401. */
  citizenOf?: (req: FastifyRequest) => Promise<CitizenAuth | null>,
): void {
  app.decorateRequest('auth', null);
  app.decorateRequest('citizen', null);
  app.addHook('onRoute', (opts) => {
    if (!opts.url.startsWith('/api') || opts.url.startsWith('/api/docs')) return;
    const access = opts.config?.access;
    if (!access) throw new Error(`Route ${String(opts.method)} ${opts.url} declares no access policy`);
    for (const m of [opts.method].flat())
      if (m !== 'HEAD') catalogue.push({ method: m, url: opts.url, access });
  });
  app.addHook('onRequest', async (req) => {
    const access = req.routeOptions.config?.access;
    // The hub authenticates its systems itself (signed requests; no session, no token).
    if (!access || access === 'hub-system') return;
    // Citizens are never officials: only the citizen cookie counts here, never a staff session.
    if (access === 'citizen') {
      req.citizen = citizenOf ? await citizenOf(req) : null;
      if (!req.citizen) throw new AppError('UNAUTHENTICATED');
      return;
    }
    req.auth = await resolve(req, ctx);
    const verdict = allows(req.auth, access);
    if (verdict === 'unauthenticated') throw new AppError('UNAUTHENTICATED');
    if (verdict === 'forbidden') throw new AppError('FORBIDDEN');
  });
}

async function resolve(req: FastifyRequest, ctx: AppContext) {
  const authz = req.headers.authorization;
  if (authz?.startsWith('Bearer ')) return ctx.auth.fromApiToken(authz.slice(7).trim());
  const cookie = req.cookies?.[SESSION_COOKIE];
  if (!cookie) return null;
  const acting = req.headers[ACTING_FOR_HEADER];
  const actingFor =
    typeof acting === 'string' && /^[0-9a-f-]{36}$/i.test(acting) ? acting.toLowerCase() : null;
  if (typeof acting === 'string' && !actingFor) throw new AppError('DELEGATION_NOT_ACTIVE');
  return ctx.auth.fromSession(cookie, actingFor);
}
