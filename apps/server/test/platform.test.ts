import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createDb } from '../src/db/pool.ts';
import { freshDatabase, setupApp, type TestApp } from './helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await setupApp();
});
afterAll(async () => t.close());

describe('platform endpoints', () => {
  it('health answers 200 once the database is reachable', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', db: 'ok' });
  });

  it('health answers 500 with the one error shape when the database does not answer', async () => {
    // Nothing listens on port 1 of loopback.
    const url = 'postgres://postgres@127.0.0.1:1/congvu';
    const { db } = createDb(url, 1);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'congvu-h-'));
    const { app } = await buildApp({
      config: loadConfig({ DATABASE_URL: url, CONGVU_DATA_DIR: dataDir }),
      db,
      logger: false,
    });
    const res = await app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ code: 'INTERNAL', message: 'Lỗi hệ thống, vui lòng thử lại sau' });
    await app.close();
    await db.destroy();
  });

  it('serves OpenAPI 3.1 with every route and a reader at /api/docs', async () => {
    const spec = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(spec.openapi).toBe('3.1.0');
    for (const r of t.catalogue.filter((x) => x.url !== '/api/openapi.json')) {
      const p = r.url.replace(/:(\w+)/g, '{$1}');
      expect(spec.paths[p]?.[r.method.toLowerCase()], `${r.method} ${r.url}`).toBeDefined();
    }
    const docs = await t.app.inject({ method: 'GET', url: '/api/docs' });
    expect([200, 302]).toContain(docs.statusCode);
  });

  it('refuses to start with a route that declares no access', async () => {
    const { url } = await freshDatabase();
    const { db } = createDb(url, 1);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'congvu-h-'));
    const { app } = await buildApp({
      config: loadConfig({ DATABASE_URL: url, CONGVU_DATA_DIR: dataDir }),
      db,
      logger: false,
    });
    expect(() => app.get('/api/unguarded', async () => 'oops')).toThrow(/declares no access policy/);
    await app.close();
    await db.destroy();
  });

  it('rejects an invalid configuration with a clear message', () => {
    expect(() => loadConfig({ PORT: 'tám nghìn' })).toThrow(/Invalid configuration:\n {2}PORT/);
  });
});
