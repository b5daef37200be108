import type { Db } from '../../db/pool.ts';

export function signingRepo(db: Db) {
  return {
    activeAnchors() {
      return db
        .selectFrom('trust_anchors as t')
        .leftJoin('officials as o', 'o.id', 't.added_by')
        .select([
          't.id',
          't.name',
          't.certificate',
          't.fingerprint_sha256',
          't.subject',
          't.serial_number',
          't.not_before',
          't.not_after',
          't.added_at',
          'o.full_name as added_by_name',
        ])
        .where('t.removed_at', 'is', null)
        .orderBy('t.added_at')
        .execute();
    },
    findActive(id: string) {
      return db
        .selectFrom('trust_anchors')
        .select(['id', 'name', 'fingerprint_sha256'])
        .where('id', '=', id)
        .where('removed_at', 'is', null)
        .executeTakeFirst();
    },
    insertAnchor(a: {
      id: string;
      name: string;
      certificate: Buffer;
      fingerprint_sha256: string;
      subject: string;
      serial_number: string;
      not_before: Date;
      not_after: Date;
      added_by: string | null;
    }) {
      return db.insertInto('trust_anchors').values(a).execute();
    },
    removeAnchor(id: string, by: string | null) {
      return db
        .updateTable('trust_anchors')
        .set({ removed_at: new Date(), removed_by: by })
        .where('id', '=', id)
        .where('removed_at', 'is', null)
        .executeTakeFirst();
    },
  };
}
