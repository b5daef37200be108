import path from 'node:path';
import type { Config } from '../config.ts';
import { ensureDatabase, startEmbedded } from './embedded.ts';
import { migrate } from './migrate.ts';
import { createDb, type Db } from './pool.ts';

export interface Database {
  db: Db;
  url: string;
  embedded: boolean;
  /** Embedded server only: the URL of another database on the same server (the hub's congvu_hub). */
  urlOf: ((database: string) => string) | null;
  close: () => Promise<void>;
}

/**
 * With DATABASE_URL: that server. Without: the embedded PostgreSQL under <data>/postgres,
 * database "congvu". Migrations run every time (they are idempotent and checksum-guarded).
 */
export async function openDatabase(config: Config, log: (m: string) => void = () => {}): Promise<Database> {
  let url = config.databaseUrl;
  let stopEmbedded: (() => Promise<void>) | null = null;
  let urlOf: Database['urlOf'] = null;
  if (!url) {
    const dir = path.join(config.dataDir, 'postgres');
    log(`Khởi động PostgreSQL nhúng tại ${dir}`);
    const server = await startEmbedded(dir);
    stopEmbedded = server.stop;
    try {
      await ensureDatabase(server.url('postgres'), 'congvu');
    } catch (e) {
      await server.stop();
      throw e;
    }
    url = server.url('congvu');
    urlOf = server.url;
  }
  const { db, pool } = createDb(url);
  try {
    const applied = await migrate(pool);
    if (applied.length) log(`Đã áp dụng ${applied.length} migration: ${applied.join(', ')}`);
  } catch (e) {
    await db.destroy();
    await stopEmbedded?.();
    throw e;
  }
  return {
    db,
    url,
    embedded: stopEmbedded !== null,
    urlOf,
    close: async () => {
      await db.destroy();
      await stopEmbedded?.();
    },
  };
}
