import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';

// Driver conversions, set explicitly once: `date` stays 'YYYY-MM-DD' (no time-zone shift),
// int8 stays a string (audit ids, sizes may exceed 2^53), timestamptz parses to Date.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => v);
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => v);

export type Db = Kysely<Database>;

/**
 * A statement whose text starts with the block comment `prepared:<name>` (see PREPARED) runs as a named
 * prepared statement: each connection parses and plans it once, then only binds and executes. For
 * the few hot, fixed-text queries (the public lookup); planning a three-table join costs more than
 * running it. Names must be unique per text.
 */
const PREPARED = /^\/\* prepared:([a-z][\w.]*) \*\//;

/** A pool and its Kysely handle; `DB` is the table types (the installation's by default, the hub has its own). */
export function createDb<DB = Database>(
  connectionString: string,
  max = 10,
  applicationName = 'congvu',
): { db: Kysely<DB>; pool: pg.Pool } {
  // JIT compilation pays off for long analytic queries; ours are short and LIMITed, and the
  // planner's estimates for them can pass jit_above_cost, which then costs milliseconds each.
  const pool = new pg.Pool({
    connectionString,
    max,
    application_name: applicationName,
    options: '-c jit=off',
  });
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (text: unknown, ...rest: unknown[]) => {
      const m = typeof text === 'string' ? PREPARED.exec(text) : null;
      if (m && Array.isArray(rest[0])) return query({ name: m[1], text, values: rest[0] }, ...rest.slice(1));
      return query(text, ...rest);
    };
  });
  pool.on('error', () => {
    // An idle client died (server restart); the pool replaces it. Queries in flight still fail loudly.
  });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return { db, pool };
}
