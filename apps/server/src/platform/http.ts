import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from '../config.ts';
import type { Db } from '../db/pool.ts';
import type { AuthService } from './auth/service.ts';
import { AppError } from './errors.ts';
import type { BlobStore } from './files/store.ts';
import type { Access, AuthContext, CitizenAuth } from './policy.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Every /api route must say who may call it (checked before the body is read). */
    access?: Access;
  }
  interface FastifyRequest {
    auth: AuthContext | null;
    /** The signed-in citizen on routes of access 'citizen' (null elsewhere). */
    citizen: CitizenAuth | null;
  }
}

export interface AppContext {
  db: Db;
  config: Config;
  auth: AuthService;
  blobs: BlobStore;
}

export type Api = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export function meta(req: FastifyRequest) {
  return { ip: req.ip ?? null, userAgent: req.headers['user-agent'] ?? null };
}

/** The auth context of a route that declared a non-public access (the hook guarantees it). */
export function authOf(req: FastifyRequest): AuthContext {
  if (!req.auth) throw new AppError('UNAUTHENTICATED');
  return req.auth;
}

export function actor(req: FastifyRequest) {
  return { auth: req.auth, ip: req.ip ?? null };
}

export type Reply = FastifyReply;
