import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CreateAgency, Role } from '@congvu/contracts';
import pg from 'pg';
import { inject } from 'vitest';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createDb, type Db } from '../src/db/pool.ts';
import type { HubPort } from '../src/modules/exchange/hub-port.ts';
import { connectHubDatabase } from '../src/modules/hub/database.ts';
import { type AuthContext, permissionsFor } from '../src/platform/policy.ts';

/** A fresh database cloned from the migrated template; dropped by the global teardown. */
export async function freshDatabase(): Promise<{ url: string; name: string }> {
  const name = `${inject('pgPrefix')}${randomUUID().slice(0, 8)}`;
  const admin = new pg.Client({ connectionString: inject('pgAdminUrl') });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${inject('pgTemplate')}`);
  } finally {
    await admin.end();
  }
  const u = new URL(inject('pgAdminUrl'));
  u.pathname = `/${name}`;
  return { url: u.toString(), name };
}

/**
 * An empty database (no migrations), dropped by the global teardown like the clones: for a
 * service with its own schema, such as the exchange hub.
 */
export async function emptyDatabase(): Promise<{ url: string; name: string }> {
  const name = `${inject('pgPrefix')}${randomUUID().slice(0, 8)}`;
  const admin = new pg.Client({ connectionString: inject('pgAdminUrl') });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const u = new URL(inject('pgAdminUrl'));
  u.pathname = `/${name}`;
  return { url: u.toString(), name };
}

export const TEST_PASSWORD = 'MatKhau-2026';

export async function setupApp(
  env: Record<string, string> = {},
  opts: {
    loginRatePerMinute?: number;
    exchangeHub?: HubPort;
    /** Mount the exchange hub (/hub/v1 and /api/hub-admin) on its own empty database. */
    hub?: { pushDelaysMs?: number[] };
  } = {},
) {
  const { url } = await freshDatabase();
  const hubDatabase = opts.hub ? await connectHubDatabase((await emptyDatabase()).url) : null;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'congvu-data-'));
  const config = loadConfig({
    CONGVU_DATA_DIR: dataDir,
    CONGVU_LOG_LEVEL: 'silent',
    DATABASE_URL: url,
    ...env,
  });
  const { db } = createDb(url, 5);
  const built = await buildApp({
    config,
    db,
    logger: false,
    loginRatePerMinute: opts.loginRatePerMinute ?? 1000,
    ...(opts.exchangeHub && { exchangeHub: opts.exchangeHub }),
    ...(hubDatabase && {
      hub: { db: hubDatabase.db, pushDelaysMs: opts.hub?.pushDelaysMs, log: () => {} },
    }),
  });
  await built.app.ready();
  const f = factories(built);
  return {
    ...built,
    db,
    url,
    dataDir,
    f,
    hubDb: hubDatabase?.db ?? null,
    async close() {
      await built.app.close();
      await hubDatabase?.close();
      await db.destroy();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type TestApp = Awaited<ReturnType<typeof setupApp>>;

const SYSTEM = { auth: null, ip: null };
let seq = 0;

/** Factories with overrides: each test makes the data it needs. */
function factories(built: Awaited<ReturnType<typeof buildApp>>) {
  const org = built.services.org;
  return {
    async agency(over: Partial<CreateAgency> = {}) {
      seq++;
      return org.createAgency(SYSTEM, {
        code: `T${process.pid % 1000}.${seq}`,
        name: `Cơ quan thử ${seq}`,
        kind: 'province_department',
        validFrom: '2025-07-01',
        ...over,
      });
    },
    async department(agencyId: string, name = `Phòng thử ${++seq}`) {
      return org.createDepartment(SYSTEM, { agencyId, name });
    },
    async official(
      over: {
        username?: string;
        fullName?: string;
        roles?: Role[];
        password?: string;
        departmentId?: string;
        /** Where the roles are held (default: province-wide). */
        agencyId?: string;
      } = {},
    ) {
      seq++;
      return org.createOfficial(SYSTEM, {
        username: over.username ?? `canbo${seq}`,
        fullName: over.fullName ?? `Nguyễn Văn Thử ${seq}`,
        password: over.password ?? TEST_PASSWORD,
        roles: (over.roles ?? []).map((role) => ({ role, agencyId: over.agencyId ?? null })),
        memberships: over.departmentId
          ? [{ departmentId: over.departmentId, positionId: null, isPrimary: true }]
          : [],
      });
    },
    /** Signs in through the API and returns the Cookie header to send. */
    async login(username: string, password = TEST_PASSWORD): Promise<string> {
      const res = await built.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username, password },
      });
      if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`);
      const c = res.cookies.find((x) => x.name === 'congvu_sid');
      if (!c) throw new Error('no session cookie');
      return `congvu_sid=${c.value}`;
    },
    /** A new official with the given roles (held in agencyId, or province-wide), as a service actor. */
    async actor(roles: Role[], agencyId: string | null = null) {
      const o = await this.official({ roles, ...(agencyId && { agencyId }) });
      const grants = roles.map((role) => ({ role, agencyId }));
      const auth: AuthContext = {
        officialId: o.id,
        fullName: o.fullName,
        roles: grants,
        permissions: new Set(permissionsFor(grants)),
        actingFor: null,
        sessionId: null,
        tokenId: null,
      };
      return { auth, ip: null };
    },
    /** An official with the given roles, signed in. */
    async session(roles: Role[] = [], agencyId?: string) {
      const o = await this.official({ roles, ...(agencyId && { agencyId }) });
      return { official: o, cookie: await this.login(o.username) };
    },
  };
}

export type { Db };
