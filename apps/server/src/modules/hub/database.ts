import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/connect.ts';
import { ensureDatabase, startEmbedded } from '../../db/embedded.ts';
import { migrate } from '../../db/migrate.ts';
import { createDb } from '../../db/pool.ts';
import type { HubDatabase, HubDb } from './tables.ts';

/** The hub's migrations; its schema_migrations table lives in the hub's database. */
export const HUB_MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
/** The hub's database on the embedded PostgreSQL (beside the installation's "congvu"). */
export const HUB_DATABASE_NAME = 'congvu_hub';

export interface HubDatabaseHandle {
  db: HubDb;
  url: string;
  close: () => Promise<void>;
}

/** Connects to the hub's database and applies its pending migrations. */
export async function connectHubDatabase(
  url: string,
  log: (m: string) => void = () => {},
): Promise<HubDatabaseHandle> {
  const { db, pool } = createDb<HubDatabase>(url, 10, 'congvu-hub');
  try {
    const applied = await migrate(pool, HUB_MIGRATIONS_DIR);
    if (applied.length) log(`Trục liên thông: đã áp dụng ${applied.length} migration: ${applied.join(', ')}`);
  } catch (e) {
    await db.destroy();
    throw e;
  }
  return { db, url, close: () => db.destroy() };
}

/**
 * Where the hub's data lives:
 * - HUB_DATABASE_URL when set;
 * - inside `serve` on the embedded PostgreSQL: its database congvu_hub;
 * - inside `serve` on DATABASE_URL without HUB_DATABASE_URL: nowhere (null; the hub is not mounted);
 * - `congvu hub` alone (no `main`): the embedded PostgreSQL under <data>/postgres, database congvu_hub.
 */
export async function openHubDatabase(
  config: Config,
  log: (m: string) => void = () => {},
  main?: Pick<Database, 'urlOf'>,
): Promise<HubDatabaseHandle | null> {
  if (config.hub.databaseUrl) return connectHubDatabase(config.hub.databaseUrl, log);
  if (main) {
    if (!main.urlOf) return null;
    await ensureDatabase(main.urlOf('postgres'), HUB_DATABASE_NAME);
    return connectHubDatabase(main.urlOf(HUB_DATABASE_NAME), log);
  }
  const dir = path.join(config.dataDir, 'postgres');
  log(`Khởi động PostgreSQL nhúng tại ${dir}`);
  const server = await startEmbedded(dir);
  try {
    await ensureDatabase(server.url('postgres'), HUB_DATABASE_NAME);
    const h = await connectHubDatabase(server.url(HUB_DATABASE_NAME), log);
    return {
      ...h,
      close: async () => {
        await h.close();
        await server.stop();
      },
    };
  } catch (e) {
    await server.stop();
    throw e;
  }
}
