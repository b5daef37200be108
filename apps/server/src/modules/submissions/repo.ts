import type { Insertable } from 'kysely';
import type { Db } from '../../db/pool.ts';
import type { AdminUnitsTable, DraftComponent, OnlineDraftsTable } from '../../db/schema.ts';

/** All SQL of the submissions module: online drafts and the administrative units. */
export function submissionsRepo(db: Db) {
  return {
    /** Units valid on a day (YYYY-MM-DD), provinces then communes, by name. */
    unitsOn(day: string) {
      return db
        .selectFrom('admin_units')
        .selectAll()
        .where('valid_from', '<=', day)
        .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>', day)]))
        .orderBy('level', 'desc')
        .orderBy('name')
        .execute();
    },
    async upsertUnits(rows: Insertable<AdminUnitsTable>[]) {
      if (rows.length === 0) return;
      await db
        .insertInto('admin_units')
        .values(rows)
        .onConflict((oc) =>
          oc.columns(['code', 'valid_from']).doUpdateSet((eb) => ({
            name: eb.ref('excluded.name'),
            parent_code: eb.ref('excluded.parent_code'),
            valid_to: eb.ref('excluded.valid_to'),
          })),
        )
        .execute();
    },

    insertDraft(row: Insertable<OnlineDraftsTable>) {
      return db.insertInto('online_drafts').values(row).returningAll().executeTakeFirstOrThrow();
    },
    findDraft(id: string) {
      return db.selectFrom('online_drafts').selectAll().where('id', '=', id).executeTakeFirst();
    },
    lockDraft(id: string) {
      return db.selectFrom('online_drafts').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    },
    updateDraft(
      id: string,
      patch: {
        values?: Record<string, string>;
        components?: Record<string, DraftComponent>;
        step?: OnlineDraftsTable['step'];
        dossier_id?: string;
      },
    ) {
      return db
        .updateTable('online_drafts')
        .set({
          ...(patch.values && { values: JSON.stringify(patch.values) }),
          ...(patch.components && { components: JSON.stringify(patch.components) }),
          ...(patch.step && { step: patch.step }),
          ...(patch.dossier_id && { dossier_id: patch.dossier_id }),
          updated_at: new Date(),
        })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
    },
  };
}
