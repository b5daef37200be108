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

    // --- Signing credentials (personal and agency)

    credentials() {
      return db
        .selectFrom('signing_credentials as c')
        .leftJoin('officials as o', 'o.id', 'c.official_id')
        .leftJoin('agencies as a', 'a.id', 'c.agency_id')
        .select([
          'c.id',
          'c.official_id',
          'c.agency_id',
          'c.kind',
          'c.subject',
          'c.issuer',
          'c.serial_number',
          'c.not_before',
          'c.not_after',
          'c.image_sha256',
          'c.added_at',
          'o.full_name as official_name',
          'a.name as agency_name',
        ])
        .where('c.removed_at', 'is', null);
    },
    listCredentials() {
      return this.credentials().orderBy('c.added_at').execute();
    },
    credentialSummaries(holder: { officialId?: string; agencyIds?: string[] }) {
      return this.credentials()
        .where((eb) =>
          eb.or([
            ...(holder.officialId ? [eb('c.official_id', '=', holder.officialId)] : []),
            ...(holder.agencyIds?.length ? [eb('c.agency_id', 'in', holder.agencyIds)] : []),
            eb.val(false),
          ]),
        )
        .execute();
    },
    /** The full active credential of an official or an agency (with the encrypted PKCS#12). */
    activeCredential(holder: { officialId: string } | { agencyId: string }) {
      let q = db.selectFrom('signing_credentials').selectAll().where('removed_at', 'is', null);
      q =
        'officialId' in holder
          ? q.where('official_id', '=', holder.officialId)
          : q.where('agency_id', '=', holder.agencyId);
      return q.executeTakeFirst();
    },
    findCredential(id: string) {
      return db
        .selectFrom('signing_credentials')
        .select(['id', 'official_id', 'agency_id', 'subject'])
        .where('id', '=', id)
        .where('removed_at', 'is', null)
        .executeTakeFirst();
    },
    /** A new credential replaces the holder's active one. */
    async insertCredential(c: {
      id: string;
      official_id: string | null;
      agency_id: string | null;
      kind: 'pkcs12' | 'token';
      certificate: Buffer;
      chain: Buffer[];
      pkcs12: Buffer | null;
      subject: string;
      issuer: string;
      serial_number: string;
      fingerprint_sha256: string;
      not_before: Date;
      not_after: Date;
      image_sha256: string | null;
      seal_diameter_mm: string | null;
      added_by: string | null;
    }) {
      let q = db
        .updateTable('signing_credentials')
        .set({ removed_at: new Date(), removed_by: c.added_by })
        .where('removed_at', 'is', null);
      q = c.official_id
        ? q.where('official_id', '=', c.official_id)
        : q.where('agency_id', '=', c.agency_id!);
      await q.execute();
      await db.insertInto('signing_credentials').values(c).execute();
    },
    removeCredential(id: string, by: string | null) {
      return db
        .updateTable('signing_credentials')
        .set({ removed_at: new Date(), removed_by: by })
        .where('id', '=', id)
        .where('removed_at', 'is', null)
        .executeTakeFirst();
    },
  };
}
