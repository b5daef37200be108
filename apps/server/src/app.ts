import fs from 'node:fs';
import path from 'node:path';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyServerOptions } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import type { Config } from './config.ts';
import type { Db } from './db/pool.ts';
import { calendarRoutes } from './modules/calendar/routes.ts';
import { calendarService } from './modules/calendar/service.ts';
import { oidcClient } from './modules/citizens/oidc.ts';
import { CITIZEN_COOKIE, citizensRoutes } from './modules/citizens/routes.ts';
import { citizensService } from './modules/citizens/service.ts';
import {
  DOCUMENTS_EVENT_TOPIC,
  DOCUMENTS_STATUS_TOPIC,
  DOCUMENTS_VALIDITY_TOPIC,
  DocumentEvent,
  DocumentStatusEvent,
  DocumentValidityEvent,
} from './modules/documents/events.ts';
import { documentsRoutes } from './modules/documents/routes.ts';
import { documentsService } from './modules/documents/service.ts';
import { DOCUMENTS_VERIFY_TOPIC, verificationHandler } from './modules/documents/verification.ts';
import { dvcqgRoutes } from './modules/dossiers/dvcqg-routes.ts';
import { DVCQG_SYNC_TOPIC, dvcqgService } from './modules/dossiers/dvcqg-service.ts';
import { formsRoutes } from './modules/dossiers/forms-routes.ts';
import { formsService } from './modules/dossiers/forms-service.ts';
import { dossiersRoutes } from './modules/dossiers/routes.ts';
import { DOSSIERS_EVENT_TOPIC, dossierEventsHandler, dossiersService } from './modules/dossiers/service.ts';
import { statsRoutes } from './modules/dossiers/stats-routes.ts';
import { statsService } from './modules/dossiers/stats-service.ts';
import { httpHubPort } from './modules/exchange/http-hub.ts';
import type { HubPort } from './modules/exchange/hub-port.ts';
import { exchangeRoutes } from './modules/exchange/routes.ts';
import { EXCHANGE_SEND_TOPIC, exchangeService } from './modules/exchange/service.ts';
import { vdxpHubPort } from './modules/exchange/vdxp.ts';
import { exchangePoller } from './modules/exchange/worker.ts';
import { hubAdminRoutes } from './modules/hub/admin-routes.ts';
import { HUB_SECURITY_SCHEME, mountHub } from './modules/hub/server.ts';
import type { HubDb } from './modules/hub/tables.ts';
import { meetingsRoutes } from './modules/meetings/routes.ts';
import { meetingsService } from './modules/meetings/service.ts';
import { notificationsRoutes } from './modules/notifications/routes.ts';
import { notificationsService } from './modules/notifications/service.ts';
import { orgRoutes } from './modules/org/routes.ts';
import { orgService } from './modules/org/service.ts';
import { paymentsRoutes } from './modules/payments/routes.ts';
import { paymentsService } from './modules/payments/service.ts';
import { gatewaySimulator, SIMULATOR_PAY_PATH } from './modules/payments/simulator.ts';
import { vnpayProvider } from './modules/payments/vnpay.ts';
import { portalRoutes } from './modules/portal/routes.ts';
import { portalService } from './modules/portal/service.ts';
import { proceduresRoutes } from './modules/procedures/routes.ts';
import { proceduresService } from './modules/procedures/service.ts';
import { documentSigner } from './modules/signing/document-signer.ts';
import { readPkcs12 } from './modules/signing/key-signer.ts';
import { cachingRevocationSource, httpRevocationSource } from './modules/signing/revocation.ts';
import { signingRoutes } from './modules/signing/routes.ts';
import { signingService } from './modules/signing/service.ts';
import { configuredTimestampAuthority } from './modules/signing/tsa.ts';
import { submissionsService } from './modules/submissions/service.ts';
import { workfilesRoutes } from './modules/workfiles/routes.ts';
import { workfilesService } from './modules/workfiles/service.ts';
import { auditRoutes } from './platform/audit/routes.ts';
import { installAccessControl, type RouteEntry } from './platform/auth/plugin.ts';
import { authRoutes } from './platform/auth/routes.ts';
import { authService } from './platform/auth/service.ts';
import { clockRoutes, createClock } from './platform/clock.ts';
import { errorBody, installErrorHandler } from './platform/errors.ts';
import { filesRepo } from './platform/files/repo.ts';
import { fileRoutes } from './platform/files/routes.ts';
import { BlobStore } from './platform/files/store.ts';
import { type AppContext, authOf } from './platform/http.ts';
import { createLive, liveRoutes, liveTransport } from './platform/live.ts';
import { announceMailer, createMailer, MAIL_TOPIC, mailHandler } from './platform/mail/service.ts';
import { outboxDispatcher } from './platform/outbox/service.ts';
import { announceSms, createSmsProvider, SMS_TOPIC, smsHandler } from './platform/sms/service.ts';

export const VERSION = '0.1.0';

export interface BuildOptions {
  config: Config;
  db: Db;
  logger?: FastifyServerOptions['logger'];
  /** Sign-in attempts per IP per minute (tests lower it to see the limit). */
  loginRatePerMinute?: number;
  /** Run the outbox dispatcher while the app is up (default true; it stops on close). */
  dispatch?: boolean;
  /** The hub this installation exchanges through (tests); default: CONGVU_EXCHANGE_HUB_URL's, if set. */
  exchangeHub?: HubPort;
  /** Mount the exchange hub under /hub/v1 on its own database (serve does when it has one). */
  hub?: { db: HubDb; pushDelaysMs?: number[]; log?: (message: string) => void };
}

export async function buildApp(opts: BuildOptions) {
  const { config, db } = opts;
  const app = Fastify({
    logger: opts.logger ?? { level: config.logLevel },
    trustProxy: false,
    bodyLimit: 1024 * 1024,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const ctx: AppContext = {
    db,
    config,
    auth: authService(db, config),
    blobs: new BlobStore(path.join(config.dataDir, 'files'), config.maxUploadBytes),
  };
  const catalogue: RouteEntry[] = [];

  installErrorHandler(app);
  await app.register(cookie);
  // Before the access control hook (platform/live.ts says why).
  await liveTransport(app);
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: () => ({ statusCode: 429, ...errorBody('RATE_LIMITED') }),
  });
  await app.register(multipart, { limits: { fileSize: config.maxUploadBytes, files: 1, fields: 10 } });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'CongVu API', version: VERSION, description: 'API của hệ thống CongVu (tiếng Việt)' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'congvu_sid' },
          citizenSession: { type: 'apiKey', in: 'cookie', name: CITIZEN_COOKIE },
          token: { type: 'http', scheme: 'bearer' },
          hubSignature: HUB_SECURITY_SCHEME,
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  // Citizens of the portal (issue 7): their own table, sessions and cookie; the data store is
  // read through the dossiers module, built below.
  const citizens = citizensService(db, {
    config,
    portalUrl: config.publicUrl ?? `http://localhost:${config.port}`,
    oidc: config.oidc ? oidcClient(config.oidc) : undefined,
    store: (ownerIdNo) => dossiers.ownerStoreItems(ownerIdNo),
    storeItem: (ownerIdNo, id) => dossiers.findOwnerStoreItem(ownerIdNo, id),
  });
  // Docs pages are public; every other /api route must declare its access (checked at start).
  installAccessControl(app, ctx, catalogue, async (req) => {
    const cookie = req.cookies?.[CITIZEN_COOKIE];
    return cookie ? citizens.fromCookie(cookie) : null;
  });

  app.get(
    '/api/health',
    {
      config: { access: 'public' },
      schema: {
        tags: ['platform'],
        summary: 'Tình trạng hệ thống',
        response: {
          200: z.object({
            status: z.literal('ok'),
            db: z.literal('ok'),
            version: z.string(),
            time: z.string(),
          }),
        },
      },
    },
    async () => {
      await sql`SELECT 1`.execute(db);
      return { status: 'ok' as const, db: 'ok' as const, version: VERSION, time: new Date().toISOString() };
    },
  );
  app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () =>
    app.swagger(),
  );

  // Live updates over WebSocket (GET /api/live): modules publish on `live` and register who may
  // follow their topics with live.allow(prefix, check); a topic of an unknown prefix is refused.
  const live = createLive();
  liveRoutes(app, live, live.authorize);

  const org = orgService(db);
  const calendar = calendarService(db);
  const clock = createClock(config.clockStart);
  if (config.clockControl) clockRoutes(app, db, clock);
  authRoutes(app, ctx, (id) => org.membershipsOf(id), opts.loginRatePerMinute ?? 30);
  auditRoutes(app, ctx);
  fileRoutes(app, ctx);
  orgRoutes(app, org);
  calendarRoutes(app, calendar);
  const signing = signingService(db, { blobs: ctx.blobs, org });
  signingRoutes(app, signing, path.join(config.dataDir, 'pki'));
  const signer = documentSigner({
    db,
    blobs: ctx.blobs,
    verify: (pdf) => signing.verifyPdf(pdf),
    timestampAuthority: configuredTimestampAuthority(config),
  });
  const documents = documentsService(db, org, calendar, signer);
  documentsRoutes(app, documents, ctx);
  const workfiles = workfilesService(db, org, documents);
  workfilesRoutes(app, workfiles);
  const procedures = proceduresService(db, clock);
  proceduresRoutes(app, procedures);
  const dossierStats = statsService(db, org, clock.now);
  statsRoutes(app, dossierStats);
  const dossiers = dossiersService(db, org, calendar, {
    now: clock.now,
    procedures,
    resultFiles: {
      read: async (sha) => new Uint8Array(await ctx.blobs.read(sha)),
      verifyPdf: (pdf) => signing.verifyPdf(pdf),
    },
  });
  dossiersRoutes(app, dossiers, { publicRatePerMinute: opts.loginRatePerMinute ?? 30 });
  // Online payment of fees (issue 7): a VNPAY-protocol gateway, or the local simulator (docs/payments.md).
  const pay = config.pay;
  const payments = paymentsService(db, {
    dossiers,
    org,
    now: clock.now,
    simulator: pay !== undefined && pay.url === undefined,
    provider: pay
      ? vnpayProvider({
          payUrl: pay.url ?? SIMULATOR_PAY_PATH,
          tmnCode: pay.tmnCode,
          secret: pay.secret,
        })
      : undefined,
    log: (m, e) => app.log.error({ err: e }, m),
  });
  paymentsRoutes(app, payments, {
    publicUrl: config.publicUrl,
    publicRatePerMinute: opts.loginRatePerMinute ?? 30,
  });
  if (pay?.simulator)
    await gatewaySimulator(app, { tmnCode: pay.tmnCode, secret: pay.secret, now: clock.now });
  citizensRoutes(app, ctx, citizens, {
    secureCookies: config.secureCookies,
    sessionHours: config.sessionHours,
    ratePerMinute: opts.loginRatePerMinute ?? 30,
  });
  const notifications = notificationsService(db, org, { publicUrl: config.publicUrl });
  notificationsRoutes(app, notifications);
  // Paperless meetings (issue 8): bodies, meetings, attendance, polls (docs/meetings.md).
  // Live: the meeting's members and whoever runs its body follow `meeting:<id>`.
  const meetings = meetingsService(db, org, {
    now: clock.now,
    publish: (meetingId, event) => live.publish(`meeting:${meetingId}`, event),
    log: (m, e) => app.log.error({ err: e }, m),
  });
  live.allow('meeting', (auth, topic) => meetings.canFollow(auth, topic.slice('meeting:'.length)));
  meetingsRoutes(app, meetings, ctx);
  const exchangeHub = opts.exchangeHub ?? hubPortOf(config.exchange);
  const exchange = exchangeService({
    db,
    org,
    documents,
    blobs: ctx.blobs,
    hub: exchangeHub,
    envelopeKey: config.exchangeP12 ? envelopeKeyOf(config.exchangeP12) : undefined,
    trustAnchors: () => signing.trustAnchorsDer(),
    // One CRL/OCSP fetch per CA and minute at most, however many envelopes arrive (issue 5).
    revocation: cachingRevocationSource(httpRevocationSource(5_000)),
  });
  exchangeRoutes(app, exchange, documents, exchangeHub !== undefined);
  // The national portal sync (issue 6): the dossiers module's events call dvcqg.onDossierEvent.
  const dvcqg = dvcqgService(db, { ...config.dvcqg, publicUrl: config.publicUrl });
  dvcqgRoutes(app, dvcqg);
  // The receipt's QR code needs an absolute link: without CONGVU_PUBLIC_URL, this server's own.
  const dossierForms = formsService(db, org, {
    publicUrl: config.publicUrl ?? `http://localhost:${config.port}`,
    signer,
    blobs: ctx.blobs,
    now: clock.now,
  });
  formsRoutes(app, dossierForms);
  const mailer = createMailer(config);
  const sms = createSmsProvider(config, app.log);
  const outbox = outboxDispatcher(
    db,
    {
      // Notifications and the exchange both follow the workflow events, in one transaction.
      [DOCUMENTS_EVENT_TOPIC]: async (payload, c) => {
        const notified = await notifications.onDocumentEvent(payload, c);
        const queued = await exchange.onDocumentEvent(DocumentEvent.parse(payload), c);
        return queued ? undefined : notified;
      },
      [DOCUMENTS_STATUS_TOPIC]: async (payload, c) =>
        (await exchange.onDocumentStatus(DocumentStatusEvent.parse(payload), c))
          ? undefined
          : { skipped: 'không qua liên thông' },
      [DOCUMENTS_VALIDITY_TOPIC]: async (payload, c) =>
        (await exchange.onValidity(DocumentValidityEvent.parse(payload), c))
          ? undefined
          : { skipped: 'không qua liên thông' },
      [EXCHANGE_SEND_TOPIC]: exchange.send,
      [DVCQG_SYNC_TOPIC]: dvcqg.handler,
      [MAIL_TOPIC]: mailHandler(mailer),
      [SMS_TOPIC]: smsHandler(sms),
      // Each dossier event becomes a national portal sync message and, for the events an applicant
      // cares about, a citizen notification with its e-mail and SMS (all in the handler's transaction).
      [DOSSIERS_EVENT_TOPIC]: dossierEventsHandler([
        async (payload, c) => {
          await dvcqg.onDossierEvent(c.trx, payload);
        },
        async (payload, c) => {
          const notice = await dossiers.eventNotice(c.trx, payload.eventId);
          if (notice) await citizens.onDossierEvent(c.trx, notice);
        },
      ]),
      [DOCUMENTS_VERIFY_TOPIC]: verificationHandler({
        readBlob: async (sha) => new Uint8Array(await ctx.blobs.read(sha)),
        verify: (pdf) => signing.verifyPdf(pdf),
      }),
    },
    // An e-mail sent and then rolled back with its batch would be sent again: one per transaction.
    { log: app.log, pollMs: config.outboxPollMs, aloneTopics: [MAIL_TOPIC, SMS_TOPIC] },
  );
  const poller = exchangePoller(exchange, { pollMs: config.exchangePollMs, log: app.log });
  if (opts.dispatch !== false)
    app.addHook('onReady', async () => {
      announceMailer(mailer, app.log);
      announceSms(sms, app.log);
      outbox.start();
      if (exchangeHub) poller.start();
    });
  app.addHook('onClose', async () => {
    await poller.stop();
    await outbox.stop();
    mailer.close();
  });

  // The hub is its own service that happens to share the process: it imports no module, and
  // no module imports it.
  const hub = opts.hub
    ? await mountHub(app, {
        db: opts.hub.db,
        config,
        log: opts.hub.log ?? ((m) => app.log.warn(m)),
        pushDelaysMs: opts.hub.pushDelaysMs,
      })
    : null;
  // Its operator API is wired here, where the hub meets the installation: the installation's
  // access control admits holders of hub.manage, and the hub's own log names them.
  if (hub)
    hubAdminRoutes(app, hub, {
      actorOf: (req) => {
        const a = authOf(req);
        const who = a.officialId ? `official:${a.officialId}` : `token:${a.tokenId}`;
        return `${who} ${a.fullName}${a.actingFor ? ` (thay ${a.actingFor.fullName})` : ''}`;
      },
    });

  // Online submission (issue 7): drafts on the portal become submitted dossiers (docs/portal.md).
  const submissions = submissionsService(db, {
    procedures,
    dossiers,
    citizens,
    blobs: ctx.blobs,
    // A citizen's paper: at most 10 MB (less if the installation's upload limit is lower).
    maxUploadBytes: Math.min(config.maxUploadBytes, 10 * 1024 * 1024),
    now: clock.now,
  });

  // The public portal (issue 7): server-rendered pages under /cong-dich-vu/, no script.
  await portalRoutes(
    app,
    portalService({ procedures, dossiers, stats: dossierStats, org, citizens, payments, now: clock.now }),
    {
      lookupRatePerMinute: opts.loginRatePerMinute ?? 30,
      readBlob: (sha) => ctx.blobs.read(sha),
      secureCookies: config.secureCookies,
      sessionHours: config.sessionHours,
      oidcEnabled: config.oidc !== undefined,
      publicUrl: config.publicUrl,
      submissions,
      maxUploadBytes: Math.min(config.maxUploadBytes, 10 * 1024 * 1024),
      receiptPdf: (citizenId, code) => dossierForms.onlineAcknowledgement(citizenId, code),
      storeUpload: async (data) => {
        const stored = await ctx.blobs.put(data);
        await filesRepo(db).insertBlob({ sha256: stored.sha256, size: stored.size, mime: stored.type.mime });
        return { sha256: stored.sha256, mime: stored.type.mime };
      },
    },
  );

  const webDir =
    config.webDir && fs.existsSync(path.join(config.webDir, 'index.html'))
      ? path.resolve(config.webDir)
      : null;
  if (webDir) await app.register(fastifyStatic, { root: webDir, wildcard: false, index: 'index.html' });
  app.setNotFoundHandler((req, reply) => {
    // The staff app routes in the browser: unknown non-API GETs get its index.html.
    if (webDir && req.method === 'GET' && !req.url.startsWith('/api') && !req.url.startsWith('/hub/'))
      return reply.type('text/html').sendFile('index.html');
    return reply.status(404).send(errorBody('NOT_FOUND', { path: req.url.split('?')[0] }));
  });

  return {
    app,
    ctx,
    catalogue,
    clock,
    live,
    services: {
      org,
      calendar,
      documents,
      workfiles,
      procedures,
      dossiers,
      notifications,
      outbox,
      signing,
      exchange,
      hub,
      dvcqg,
      dossierStats,
      payments,
      citizens,
      submissions,
      meetings,
    },
  };
}

export type BuiltApp = Awaited<ReturnType<typeof buildApp>>;

/** The key that signs outgoing envelopes, from CONGVU_EXCHANGE_P12; a start-up error if unreadable. */
function envelopeKeyOf(p12: { path: string; password: string }) {
  try {
    const { privateKey, certificates } = readPkcs12(new Uint8Array(fs.readFileSync(p12.path)), p12.password);
    return { privateKey, certificate: certificates[0] as Uint8Array };
  } catch (e) {
    throw new Error(`CONGVU_EXCHANGE_P12: cannot open ${p12.path}: ${(e as Error).message}`);
  }
}

/** The hub the installation exchanges through: a CongVu hub or the national axis (VDXP/LGSP). */
function hubPortOf(c: Config['exchange']): HubPort | undefined {
  if (!c) return undefined;
  if (c.adapter === 'vdxp')
    return vdxpHubPort({
      url: c.hubUrl,
      systemId: c.systemId,
      secret: c.secret,
      receiveWindowDays: c.receiveWindowDays,
    });
  return httpHubPort(c);
}
