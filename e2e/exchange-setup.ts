import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { buildApp } from '../apps/server/src/app.ts';
import { loadConfig } from '../apps/server/src/config.ts';
import { openDatabase } from '../apps/server/src/db/connect.ts';
import { startEmbedded } from '../apps/server/src/db/embedded.ts';
import { connectHubDatabase } from '../apps/server/src/modules/hub/database.ts';
import { buildHubApp } from '../apps/server/src/modules/hub/server.ts';

/*
 * For the multi-instance browser test: one PostgreSQL server (DATABASE_URL's when set, else an
 * embedded one of this file's own), a database per service, and the hub and each installation
 * as a real HTTP server on its own loopback port, the installations serving the built web app.
 */

const root = path.resolve(import.meta.dirname, '..');
const WEB_DIR = path.join(root, 'apps/web/dist');

export interface Postgres {
  /** Creates an empty database; its URL. */
  create(suffix: string): Promise<string>;
  /** Drops the databases made here and stops the embedded server. */
  close(): Promise<void>;
}

export async function postgres(): Promise<Postgres> {
  let adminUrl = process.env.DATABASE_URL;
  let stop: (() => Promise<void>) | null = null;
  let tmp: string | null = null;
  if (!adminUrl) {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'congvu-e2e-pg-'));
    fs.chmodSync(tmp, 0o755); // the embedded server runs as the postgres user
    const server = await startEmbedded(path.join(tmp, 'data'), { persistent: false });
    stop = server.stop;
    adminUrl = server.url('postgres');
  }
  const prefix = `congvu_e2e_${process.pid}_${Date.now().toString(36)}_`;
  const admin = adminUrl;
  const made: string[] = [];
  return {
    async create(suffix) {
      const name = `${prefix}${suffix}`;
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      try {
        await c.query(`CREATE DATABASE ${name}`);
      } finally {
        await c.end();
      }
      made.push(name);
      const u = new URL(admin);
      u.pathname = `/${name}`;
      return u.toString();
    },
    async close() {
      try {
        const c = new pg.Client({ connectionString: admin });
        await c.connect();
        for (const name of made) await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.end();
      } finally {
        await stop?.();
        if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
      }
    },
  };
}

const url = (server: { address(): AddressInfo | string | null }) =>
  `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

/** The exchange hub on its own database and port (`congvu hub` in one process). */
export async function startHub(databaseUrl: string) {
  const handle = await connectHubDatabase(databaseUrl);
  const { app, hub } = await buildHubApp({
    config: loadConfig({ CONGVU_LOG_LEVEL: 'silent' }),
    db: handle.db,
    logger: false,
    log: () => {},
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url: url(app.server),
    hub,
    async close() {
      await app.close();
      await handle.close();
    },
  };
}

/**
 * An installation as `congvu serve` runs it (migrated database, outbox and exchange workers,
 * the web app), on a port of its own; `env` as the operator would set it.
 */
export async function startInstallation(databaseUrl: string, env: Record<string, string>) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'congvu-e2e-data-'));
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    CONGVU_DATA_DIR: dataDir,
    CONGVU_WEB_DIR: WEB_DIR,
    CONGVU_LOG_LEVEL: 'warn',
    ...env,
  });
  const database = await openDatabase(config);
  const built = await buildApp({ config, db: database.db, logger: false });
  // PORT when the caller must know the address first (OIDC redirect, public URL); else any free port.
  await built.app.listen({ host: '127.0.0.1', port: env.PORT ? Number(env.PORT) : 0 });
  return {
    baseUrl: url(built.app.server),
    services: built.services,
    async close() {
      await built.app.close();
      await database.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
export type Installation = Awaited<ReturnType<typeof startInstallation>>;

/** A signed-in API client (the session cookie of POST /api/auth/login) of one installation. */
export async function apiSession(baseUrl: string, username: string, password: string) {
  const login = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (login.status !== 200) throw new Error(`login ${username}: ${login.status} ${await login.text()}`);
  const cookie = (login.headers.getSetCookie().find((c) => c.startsWith('congvu_sid=')) ?? '').split(';')[0];
  if (!cookie) throw new Error('no session cookie');
  const call = async (method: string, p: string, body?: unknown, expected?: number) => {
    const res = await fetch(`${baseUrl}${p}`, {
      method,
      headers: { cookie, ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (expected !== undefined ? res.status !== expected : res.status >= 400)
      throw new Error(`${method} ${p}: ${res.status} ${text}`);
    // biome-ignore lint/suspicious/noExplicitAny: test client, answers are checked where used
    return (text ? JSON.parse(text) : null) as any;
  };
  return {
    get: (p: string) => call('GET', p),
    post: (p: string, body: unknown = {}, expected?: number) => call('POST', p, body, expected),
    /** Uploads a file as the web app does (multipart); its SHA-256. */
    async upload(name: string, data: Buffer): Promise<string> {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(data)]), name);
      const res = await fetch(`${baseUrl}/api/files`, { method: 'POST', headers: { cookie }, body: form });
      if (res.status !== 201) throw new Error(`upload ${name}: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { sha256: string }).sha256;
    },
  };
}
export type ApiSession = Awaited<ReturnType<typeof apiSession>>;
