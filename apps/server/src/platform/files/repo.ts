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
    addUploader(sha256: string, officialId: string) {
      return db
        .insertInto('blob_uploaders')
        .values({ sha256, official_id: officialId })
        .onConflict((oc) => oc.columns(['sha256', 'official_id']).doNothing())
        .execute();
    },
    /** The blob, if this official uploaded it. */
    findOwnBlob(sha256: string, officialId: string) {
      return db
        .selectFrom('blobs as b')
        .innerJoin('blob_uploaders as u', 'u.sha256', 'b.sha256')
        .select(['b.sha256', 'b.size', 'b.mime'])
        .where('b.sha256', '=', sha256)
        .where('u.official_id', '=', officialId)
        .executeTakeFirst();
    },
    findBlob(sha256: string) {
      return db.selectFrom('blobs').selectAll().where('sha256', '=', sha256).executeTakeFirst();
    },
  };
}
