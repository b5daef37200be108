import type { Db } from '../../db/pool.ts';

export function filesRepo(db: Db) {
  return {
    insertBlob(b: { sha256: string; size: number; mime: string }) {
      return db
        .insertInto('blobs')
        .values(b)
        .onConflict((oc) => oc.column('sha256').doNothing())
        .execute();
    },
    findBlob(sha256: string) {
      return db.selectFrom('blobs').selectAll().where('sha256', '=', sha256).executeTakeFirst();
    },
  };
}
