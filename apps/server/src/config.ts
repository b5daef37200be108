import path from 'node:path';
import { z } from 'zod';

/** Typed environment, validated once at start with development defaults. */
const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z.string().url().optional(),
  CONGVU_DATA_DIR: z.string().default('./data'),
  CONGVU_MAX_UPLOAD_MB: z.coerce.number().positive().default(50),
  CONGVU_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('warn'),
  /** Failed sign-ins before the account is locked, and for how long. */
  CONGVU_LOCKOUT_THRESHOLD: z.coerce.number().int().min(1).default(5),
  CONGVU_LOCKOUT_MINUTES: z.coerce.number().int().min(1).default(15),
  CONGVU_SESSION_HOURS: z.coerce.number().int().min(1).default(12),
  /** Set to "true" behind HTTPS so the session cookie is Secure. */
  CONGVU_SECURE_COOKIES: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** Web app build to serve; empty disables serving it. */
  CONGVU_WEB_DIR: z.string().optional(),
  /** Where staff open the web app (links in e-mails); unset: e-mails carry the path only. */
  CONGVU_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** How often the outbox dispatcher looks for due rows when idle. */
  CONGVU_OUTBOX_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
  /** RFC 3161 time-stamp authority for signatures (PAdES B-T); unset: signatures carry no time-stamp. */
  CONGVU_TSA_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** The exchange hub this installation sends to and receives from; unset: not connected. */
  CONGVU_EXCHANGE_HUB_URL: z.url({ protocol: /^https?$/ }).optional(),
  CONGVU_EXCHANGE_SYSTEM_ID: z.string().min(1).optional(),
  CONGVU_EXCHANGE_SECRET: z.string().min(16).optional(),
  /**
   * What the hub URL points to: congvu = a CongVu hub (HMAC-signed API, docs/hub-api.md); vdxp = the
   * national axis or a provincial LGSP in its REST form (X-SystemId/X-SecretKey, docs/vdxp.md).
   */
  CONGVU_EXCHANGE_ADAPTER: z.enum(['congvu', 'vdxp']).default('congvu'),
  /** vdxp only: how many days back the received list is asked for (the axis lists by date). */
  CONGVU_EXCHANGE_VDXP_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /** PKCS#12 whose key signs outgoing envelopes (XMLDSig), and its password; unset: unsigned envelopes. */
  CONGVU_EXCHANGE_P12: z.string().min(1).optional(),
  CONGVU_EXCHANGE_P12_PASSWORD: z.string().optional(),
  /** How often the inbox asks the hub for new messages when idle. */
  CONGVU_EXCHANGE_POLL_MS: z.coerce.number().int().min(10).max(600_000).default(2000),
  /**
   * The national public-service portal's (DVCQG) integration endpoint: dossier snapshots and
   * progress are POSTed there; unset: nothing is sent and each message is logged as disabled.
   */
  CONGVU_DVCQG_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Access token sent as `Authorization: Bearer …` (the portal's real authentication is not known here). */
  CONGVU_DVCQG_TOKEN: z.string().min(1).optional(),
  /**
   * Online payment gateway (VNPAY 2.1.0 protocol, docs/payments.md): its payment URL, merchant code
   * and HMAC-SHA512 secret, all three together. Unset with CONGVU_PAY_SIMULATOR=1: the local
   * simulator under /gateway-sim/; unset without it: online payment is off.
   */
  CONGVU_PAY_URL: z.url({ protocol: /^https?$/ }).optional(),
  CONGVU_PAY_TMN_CODE: z
    .string()
    .regex(/^[A-Za-z0-9]{1,20}$/)
    .optional(),
  CONGVU_PAY_SECRET: z.string().min(16).optional(),
  /** `1`: serve the gateway simulator (demo and tests; it is not a bank). Never in production. */
  CONGVU_PAY_SIMULATOR: z.enum(['0', '1', 'true', 'false']).default('0'),
  /** Mail server, e.g. smtp://host:587 or smtps://user:pass@host:465; unset: no e-mail is sent. */
  SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
  SMTP_FROM: z.string().min(3).default('CongVu <khong-tra-loi@congvu.local>'),
  /**
   * Brandname-SMS provider (POST JSON with a bearer token, platform/sms); unset: SMS are only
   * written to the log (the logging provider), in production too.
   */
  CONGVU_SMS_URL: z.url({ protocol: /^https?$/ }).optional(),
  CONGVU_SMS_TOKEN: z.string().min(1).optional(),
  /**
   * The exchange hub inside `serve`: auto = mounted when it has a database (the embedded server's
   * congvu_hub, or HUB_DATABASE_URL); on = must be mounted; off = never.
   */
  CONGVU_HUB: z.enum(['auto', 'on', 'off']).default('auto'),
  /** The hub's own database; unset: a database congvu_hub on the embedded PostgreSQL. */
  HUB_DATABASE_URL: z.string().url().optional(),
  /** Port of `congvu hub` (the hub alone). */
  HUB_PORT: z.coerce.number().int().min(0).max(65535).default(3100),
  /** Key that encrypts the connected systems' HMAC secrets at rest; unset: stored plain (warned). */
  HUB_SECRET_KEY: z.string().min(32, 'HUB_SECRET_KEY needs at least 32 characters').optional(),
  /**
   * The operator token of `congvu hub` alone: its admin API (/api/hub-admin) answers
   * `Authorization: Bearer <token>`; unset: no admin API there. Inside `serve` the operator signs
   * in instead (permission hub.manage), and this is not used.
   */
  HUB_ADMIN_TOKEN: z.string().min(32, 'HUB_ADMIN_TOKEN needs at least 32 characters').optional(),
  /** Largest envelope the hub accepts. */
  HUB_MAX_MESSAGE_MB: z.coerce.number().positive().max(1024).default(60),
  /**
   * Citizen sign-in through an OpenID Connect provider (e.g. VNeID): the issuer URL (its
   * /.well-known/openid-configuration is read), this client's id and secret, and the callback URL
   * registered with the provider (…/api/citizen/oidc/callback). Unset: OIDC sign-in is off.
   */
  CONGVU_OIDC_ISSUER: z.url({ protocol: /^https?$/ }).optional(),
  CONGVU_OIDC_CLIENT_ID: z.string().min(1).optional(),
  CONGVU_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  CONGVU_OIDC_REDIRECT_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** How long a citizen's password reset link stays valid. */
  CONGVU_CITIZEN_RESET_MINUTES: z.coerce
    .number()
    .int()
    .min(5)
    .max(24 * 60)
    .default(30),
  /** Business time starts at this instant instead of now (platform/clock.ts): demos and tests. */
  CONGVU_CLOCK: z.iso.datetime({ offset: true }).optional(),
  /** `1`: an administrator may move business time (POST /api/dev/clock). Never in production. */
  CONGVU_CLOCK_CONTROL: z.enum(['0', '1', 'true', 'false']).default('0'),
});

export interface HubConfig {
  mode: 'auto' | 'on' | 'off';
  databaseUrl: string | undefined;
  port: number;
  secretKey: string | undefined;
  /** Bearer token of the standalone hub's operator API; undefined: that API is off. */
  adminToken: string | undefined;
  maxMessageBytes: number;
}

export type Config = {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  maxUploadBytes: number;
  logLevel: z.infer<typeof Env>['CONGVU_LOG_LEVEL'];
  lockoutThreshold: number;
  lockoutMinutes: number;
  sessionHours: number;
  secureCookies: boolean;
  webDir: string | undefined;
  publicUrl: string | undefined;
  outboxPollMs: number;
  tsaUrl: string | undefined;
  smtpUrl: string | undefined;
  smtpFrom: string;
  /** SMS provider; undefined: the logging provider. */
  sms: { url: string; token: string } | undefined;
  exchange:
    | {
        adapter: 'congvu' | 'vdxp';
        hubUrl: string;
        systemId: string;
        secret: string;
        /** vdxp: days back the received list is asked for. */
        receiveWindowDays: number;
      }
    | undefined;
  exchangeP12: { path: string; password: string } | undefined;
  exchangePollMs: number;
  /** The national portal sync endpoint (DVCQG); undefined: not sent, logged as disabled. */
  dvcqg: { url: string | undefined; token: string | undefined };
  hub: HubConfig;
  /** Citizen OIDC sign-in; undefined: off. */
  oidc: { issuer: string; clientId: string; clientSecret: string; redirectUrl: string } | undefined;
  citizenResetMinutes: number;
  /** Where business time starts (undefined: real time). */
  clockStart: Date | undefined;
  clockControl: boolean;
  /** Online payment; undefined: off. url undefined: the local simulator of this server. */
  pay: PayConfig | undefined;
};

export interface PayConfig {
  url: string | undefined;
  tmnCode: string;
  secret: string;
  /** Serve the simulator under /gateway-sim/. */
  simulator: boolean;
}

/** The simulator's merchant code and secret when none is configured (demo only: public in the source). */
export const SIMULATOR_TMN_CODE = 'CONGVUSM';
export const SIMULATOR_SECRET = 'congvu-gateway-simulator-not-a-secret';

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid configuration:\n${lines}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(e.CONGVU_DATA_DIR),
    maxUploadBytes: Math.round(e.CONGVU_MAX_UPLOAD_MB * 1024 * 1024),
    logLevel: e.CONGVU_LOG_LEVEL,
    lockoutThreshold: e.CONGVU_LOCKOUT_THRESHOLD,
    lockoutMinutes: e.CONGVU_LOCKOUT_MINUTES,
    sessionHours: e.CONGVU_SESSION_HOURS,
    secureCookies: e.CONGVU_SECURE_COOKIES,
    webDir: e.CONGVU_WEB_DIR,
    publicUrl: e.CONGVU_PUBLIC_URL?.replace(/\/+$/, ''),
    outboxPollMs: e.CONGVU_OUTBOX_POLL_MS,
    tsaUrl: e.CONGVU_TSA_URL,
    smtpUrl: e.SMTP_URL,
    smtpFrom: e.SMTP_FROM,
    sms: smsOf(e),
    exchange: exchangeOf(e),
    exchangeP12: e.CONGVU_EXCHANGE_P12
      ? { path: path.resolve(e.CONGVU_EXCHANGE_P12), password: e.CONGVU_EXCHANGE_P12_PASSWORD ?? '' }
      : undefined,
    exchangePollMs: e.CONGVU_EXCHANGE_POLL_MS,
    oidc: oidcOf(e),
    citizenResetMinutes: e.CONGVU_CITIZEN_RESET_MINUTES,
    clockStart: e.CONGVU_CLOCK ? new Date(e.CONGVU_CLOCK) : undefined,
    clockControl: e.CONGVU_CLOCK_CONTROL === '1' || e.CONGVU_CLOCK_CONTROL === 'true',
    dvcqg: { url: e.CONGVU_DVCQG_URL, token: e.CONGVU_DVCQG_TOKEN },
    pay: payOf(e),
    hub: {
      mode: e.CONGVU_HUB,
      databaseUrl: e.HUB_DATABASE_URL,
      port: e.HUB_PORT,
      secretKey: e.HUB_SECRET_KEY,
      adminToken: e.HUB_ADMIN_TOKEN,
      maxMessageBytes: Math.round(e.HUB_MAX_MESSAGE_MB * 1024 * 1024),
    },
  };
}

function payOf(e: z.infer<typeof Env>): PayConfig | undefined {
  const simulator = e.CONGVU_PAY_SIMULATOR === '1' || e.CONGVU_PAY_SIMULATOR === 'true';
  if (e.CONGVU_PAY_URL) {
    if (!e.CONGVU_PAY_TMN_CODE || !e.CONGVU_PAY_SECRET)
      throw new Error(
        'Invalid configuration:\n  CONGVU_PAY_URL needs CONGVU_PAY_TMN_CODE and CONGVU_PAY_SECRET',
      );
    return { url: e.CONGVU_PAY_URL, tmnCode: e.CONGVU_PAY_TMN_CODE, secret: e.CONGVU_PAY_SECRET, simulator };
  }
  if (!simulator) return undefined;
  return {
    url: undefined,
    tmnCode: e.CONGVU_PAY_TMN_CODE ?? SIMULATOR_TMN_CODE,
    secret: e.CONGVU_PAY_SECRET ?? SIMULATOR_SECRET,
    simulator,
  };
}

function exchangeOf(e: z.infer<typeof Env>): Config['exchange'] {
  const set = [e.CONGVU_EXCHANGE_HUB_URL, e.CONGVU_EXCHANGE_SYSTEM_ID, e.CONGVU_EXCHANGE_SECRET];
  if (set.every((x) => x === undefined)) return undefined;
  if (!e.CONGVU_EXCHANGE_HUB_URL || !e.CONGVU_EXCHANGE_SYSTEM_ID || !e.CONGVU_EXCHANGE_SECRET)
    throw new Error(
      'Invalid configuration:\n  CONGVU_EXCHANGE_HUB_URL, CONGVU_EXCHANGE_SYSTEM_ID and CONGVU_EXCHANGE_SECRET go together',
    );
  return {
    adapter: e.CONGVU_EXCHANGE_ADAPTER,
    hubUrl: e.CONGVU_EXCHANGE_HUB_URL.replace(/\/+$/, ''),
    systemId: e.CONGVU_EXCHANGE_SYSTEM_ID,
    secret: e.CONGVU_EXCHANGE_SECRET,
    receiveWindowDays: e.CONGVU_EXCHANGE_VDXP_DAYS,
  };
}

function smsOf(e: z.infer<typeof Env>): Config['sms'] {
  if (e.CONGVU_SMS_URL === undefined && e.CONGVU_SMS_TOKEN === undefined) return undefined;
  if (!e.CONGVU_SMS_URL || !e.CONGVU_SMS_TOKEN)
    throw new Error('Invalid configuration:\n  CONGVU_SMS_URL and CONGVU_SMS_TOKEN go together');
  return { url: e.CONGVU_SMS_URL, token: e.CONGVU_SMS_TOKEN };
}

function oidcOf(e: z.infer<typeof Env>): Config['oidc'] {
  const set = [
    e.CONGVU_OIDC_ISSUER,
    e.CONGVU_OIDC_CLIENT_ID,
    e.CONGVU_OIDC_CLIENT_SECRET,
    e.CONGVU_OIDC_REDIRECT_URL,
  ];
  if (set.every((x) => x === undefined)) return undefined;
  if (
    !e.CONGVU_OIDC_ISSUER ||
    !e.CONGVU_OIDC_CLIENT_ID ||
    !e.CONGVU_OIDC_CLIENT_SECRET ||
    !e.CONGVU_OIDC_REDIRECT_URL
  )
    throw new Error(
      'Invalid configuration:\n  CONGVU_OIDC_ISSUER, CONGVU_OIDC_CLIENT_ID, CONGVU_OIDC_CLIENT_SECRET and CONGVU_OIDC_REDIRECT_URL go together',
    );
  return {
    issuer: e.CONGVU_OIDC_ISSUER,
    clientId: e.CONGVU_OIDC_CLIENT_ID,
    clientSecret: e.CONGVU_OIDC_CLIENT_SECRET,
    redirectUrl: e.CONGVU_OIDC_REDIRECT_URL,
  };
}
