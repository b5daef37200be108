import type { Insertable, Updateable } from 'kysely';
import { sql } from 'kysely';
import type { Db } from '../../db/pool.ts';
import type { FileListItemsTable, WorkFilesTable } from '../../db/schema.ts';

/** Which files a reader sees: all of some agencies, otherwise their own and their departments'. */
export interface FileVisibility {
  agencyIds: string[];
  seesAllOf: string[];
  who: string | null;
  departmentIds: string[];
}

export function workfilesRepo(db: Db) {
  const fileSelect = () =>
    db
      .selectFrom('work_files as w')
      .innerJoin('agencies as a', 'a.id', 'w.agency_id')
      .innerJoin('retention_classes as r', 'r.code', 'w.retention_code')
      .innerJoin('officials as o', 'o.id', 'w.owner_id')
      .leftJoin('departments as dp', 'dp.id', 'w.department_id')
      .selectAll('w')
      .select((eb) => [
        'a.name as agency_name',
        'r.label as retention_label',
        'r.years as retention_years',
        'r.deposit_required',
        'o.full_name as owner_name',
        'dp.name as department_name',
        eb
          .selectFrom('work_file_documents as wd')
          .select((e) => e.fn.countAll<string>().as('n'))
          .whereRef('wd.file_id', '=', 'w.id')
          .as('document_count'),
      ]);

  return {
    listRetentionClasses(asOf: string) {
      return db
        .selectFrom('retention_classes')
        .selectAll()
        .where('valid_from', '<=', asOf)
        .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', asOf)]))
        .orderBy('sort_order')
        .execute();
    },
    findRetentionClass(code: string, asOf: string) {
      return db
        .selectFrom('retention_classes')
        .selectAll()
        .where('code', '=', code)
        .where('valid_from', '<=', asOf)
        .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', asOf)]))
        .executeTakeFirst();
    },

    // --- File lists (danh mục hồ sơ)

    lists(agencyIds: string[], year: number | undefined) {
      if (agencyIds.length === 0) return Promise.resolve([]);
      let q = db
        .selectFrom('file_lists as l')
        .innerJoin('agencies as a', 'a.id', 'l.agency_id')
        .leftJoin('officials as o', 'o.id', 'l.approved_by')
        .selectAll('l')
        .select((eb) => [
          'a.name as agency_name',
          'o.full_name as approved_by_name',
          eb
            .selectFrom('file_list_items as i')
            .select((e) => e.fn.countAll<string>().as('n'))
            .whereRef('i.list_id', '=', 'l.id')
            .as('item_count'),
        ])
        .where('l.agency_id', 'in', agencyIds);
      if (year !== undefined) q = q.where('l.year', '=', year);
      return q.orderBy('l.year', 'desc').orderBy('a.sort_key').execute();
    },
    findList(id: string) {
      return db
        .selectFrom('file_lists as l')
        .innerJoin('agencies as a', 'a.id', 'l.agency_id')
        .leftJoin('officials as o', 'o.id', 'l.approved_by')
        .selectAll('l')
        .select((eb) => [
          'a.name as agency_name',
          'o.full_name as approved_by_name',
          eb
            .selectFrom('file_list_items as i')
            .select((e) => e.fn.countAll<string>().as('n'))
            .whereRef('i.list_id', '=', 'l.id')
            .as('item_count'),
        ])
        .where('l.id', '=', id)
        .executeTakeFirst();
    },
    /** Null when the agency already has a list for that year. */
    insertList(r: { id: string; agency_id: string; year: number; created_by: string | null }) {
      return db
        .insertInto('file_lists')
        .values(r)
        .onConflict((oc) => oc.columns(['agency_id', 'year']).doNothing())
        .returning('id')
        .executeTakeFirst();
    },
    /** Takes the list's row lock until the transaction ends (items change under it). */
    lockList(id: string) {
      return db
        .selectFrom('file_lists')
        .select(['id', 'agency_id', 'year', 'status'])
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirst();
    },
    approveList(id: string, by: string | null) {
      return db
        .updateTable('file_lists')
        .set({ status: 'approved', approved_by: by, approved_at: new Date() })
        .where('id', '=', id)
        .where('status', '=', 'draft')
        .executeTakeFirst();
    },
    itemsOf(listId: string) {
      return db
        .selectFrom('file_list_items as i')
        .innerJoin('retention_classes as r', 'r.code', 'i.retention_code')
        .leftJoin('departments as dp', 'dp.id', 'i.department_id')
        .leftJoin('officials as o', 'o.id', 'i.official_id')
        .leftJoin('work_files as w', 'w.list_item_id', 'i.id')
        .selectAll('i')
        .select([
          'r.label as retention_label',
          'dp.name as department_name',
          'o.full_name as official_name',
          'w.id as file_id',
          'w.status as file_status',
        ])
        .where('i.list_id', '=', listId)
        .orderBy('i.id')
        .execute();
    },
    findItem(id: string) {
      return db
        .selectFrom('file_list_items as i')
        .innerJoin('file_lists as l', 'l.id', 'i.list_id')
        .selectAll('i')
        .select(['l.agency_id', 'l.year', 'l.status as list_status'])
        .where('i.id', '=', id)
        .executeTakeFirst();
    },
    insertItem(r: Insertable<FileListItemsTable>) {
      return db.insertInto('file_list_items').values(r).execute();
    },
    updateItem(id: string, patch: Updateable<FileListItemsTable>) {
      return db.updateTable('file_list_items').set(patch).where('id', '=', id).executeTakeFirst();
    },
    deleteItem(id: string) {
      return db.deleteFrom('file_list_items').where('id', '=', id).executeTakeFirst();
    },
    /** An item code of the agency's list for the year (off-list files may not take it). */
    itemCodeInList(agencyId: string, year: number, code: string) {
      return db
        .selectFrom('file_list_items as i')
        .innerJoin('file_lists as l', 'l.id', 'i.list_id')
        .select('i.id')
        .where('l.agency_id', '=', agencyId)
        .where('l.year', '=', year)
        .where('i.code', '=', code)
        .executeTakeFirst();
    },

    // --- Work files (hồ sơ công việc)

    /** A file of the agency and year already carries the code (list items may not take it). */
    fileCodeTaken(agencyId: string, year: number, code: string) {
      return db
        .selectFrom('work_files')
        .select('id')
        .where('agency_id', '=', agencyId)
        .where('year', '=', year)
        .where('code', '=', code)
        .executeTakeFirst();
    },

    insertFile(r: Insertable<WorkFilesTable>) {
      return db.insertInto('work_files').values(r).execute();
    },
    findFile(id: string) {
      return fileSelect().where('w.id', '=', id).executeTakeFirst();
    },
    /** Takes the file's row lock until the transaction ends, so a close cannot slip past a change. */
    lockFile(id: string) {
      return db
        .selectFrom('work_files')
        .select(['id', 'status', 'deposited_on', 'closed_on', 'opened_on', 'closing_note'])
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirst();
    },
    async listFiles(
      v: FileVisibility,
      q: {
        agencyId?: string | undefined;
        year?: number | undefined;
        status?: string | undefined;
        mine: boolean;
      },
      page: number,
      pageSize: number,
    ) {
      if (v.agencyIds.length === 0) return { rows: [], total: 0 };
      let base = fileSelect()
        .where('w.agency_id', 'in', v.agencyIds)
        .where((eb) =>
          eb.or([
            ...(v.seesAllOf.length ? [eb('w.agency_id', 'in', v.seesAllOf)] : []),
            ...(v.who ? [eb('w.owner_id', '=', v.who)] : []),
            ...(v.departmentIds.length ? [eb('w.department_id', 'in', v.departmentIds)] : []),
            eb.val(false),
          ]),
        );
      if (q.agencyId) base = base.where('w.agency_id', '=', q.agencyId);
      if (q.year !== undefined) base = base.where('w.year', '=', q.year);
      if (q.status) base = base.where('w.status', '=', q.status as 'open');
      if (q.mine) base = base.where('w.owner_id', '=', v.who ?? '00000000-0000-0000-0000-000000000000');
      const [rows, total] = await Promise.all([
        base
          .orderBy('w.year', 'desc')
          .orderBy('w.code')
          .orderBy('w.id')
          .limit(pageSize)
          .offset((page - 1) * pageSize)
          .execute(),
        db
          .selectFrom(base.clearSelect().select('w.id').as('m'))
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow(),
      ]);
      return { rows, total: Number(total.n) };
    },
    closeFile(id: string, closedOn: string, note: string) {
      return db
        .updateTable('work_files')
        .set({ status: 'closed', closed_on: closedOn, closing_note: note, updated_at: new Date() })
        .where('id', '=', id)
        .where('status', '=', 'open')
        .executeTakeFirst();
    },
    reopenFile(id: string) {
      return db
        .updateTable('work_files')
        .set({ status: 'open', closed_on: null, closing_note: null, updated_at: new Date() })
        .where('id', '=', id)
        .where('status', '=', 'closed')
        .where('deposited_on', 'is', null)
        .executeTakeFirst();
    },
    depositFile(id: string, on: string, by: string | null) {
      return db
        .updateTable('work_files')
        .set({ deposited_on: on, deposited_by: by, updated_at: new Date() })
        .where('id', '=', id)
        .where('status', '=', 'closed')
        .where('deposited_on', 'is', null)
        .executeTakeFirst();
    },
    /**
     * Closed files not yet deposited whose class must be deposited and whose deadline (closing
     * date + `years`) is on or before `until`; the earliest deadline first.
     */
    archiveDue(agencyIds: string[], years: number, until: string) {
      if (agencyIds.length === 0) return Promise.resolve([]);
      const due = sql<string>`(w.closed_on + make_interval(years => ${years}))::date`;
      return fileSelect()
        .select(due.as('deposit_due'))
        .where('w.agency_id', 'in', agencyIds)
        .where('w.status', '=', 'closed')
        .where('w.deposited_on', 'is', null)
        .where('r.deposit_required', '=', true)
        .where(due, '<=', sql<string>`${until}::date`)
        .orderBy(due)
        .orderBy('w.code')
        .execute();
    },

    // --- Documents and notes in a file

    /** Null when the document was already in the file. */
    attachDocument(fileId: string, documentId: string, by: string | null) {
      return db
        .insertInto('work_file_documents')
        .values({ file_id: fileId, document_id: documentId, added_by: by })
        .onConflict((oc) => oc.columns(['file_id', 'document_id']).doNothing())
        .returning('document_id')
        .executeTakeFirst();
    },
    detachDocument(fileId: string, documentId: string) {
      return db
        .deleteFrom('work_file_documents')
        .where('file_id', '=', fileId)
        .where('document_id', '=', documentId)
        .executeTakeFirst();
    },
    documentsOf(fileId: string) {
      return db
        .selectFrom('work_file_documents as wd')
        .leftJoin('officials as o', 'o.id', 'wd.added_by')
        .select(['wd.document_id', 'wd.added_at', 'o.full_name as added_by_name'])
        .where('wd.file_id', '=', fileId)
        .orderBy('wd.added_at')
        .orderBy('wd.document_id')
        .execute();
    },
    insertNote(n: {
      id: string;
      file_id: string;
      body: string;
      author_id: string | null;
      idempotency_key: string | null;
    }) {
      return db.insertInto('work_file_notes').values(n).execute();
    },
    noteByIdempotencyKey(key: string) {
      return db
        .selectFrom('work_file_notes')
        .select(['id', 'file_id'])
        .where('idempotency_key', '=', key)
        .executeTakeFirst();
    },
    findNote(id: string) {
      return db.selectFrom('work_file_notes').selectAll().where('id', '=', id).executeTakeFirst();
    },
    deleteNote(id: string) {
      return db.deleteFrom('work_file_notes').where('id', '=', id).executeTakeFirst();
    },
    notesOf(fileId: string) {
      return db
        .selectFrom('work_file_notes as n')
        .leftJoin('officials as o', 'o.id', 'n.author_id')
        .select(['n.id', 'n.body', 'n.author_id', 'n.created_at', 'o.full_name as author_name'])
        .where('n.file_id', '=', fileId)
        .orderBy('n.created_at')
        .orderBy('n.id')
        .execute();
    },
  };
}

export type WorkfilesRepo = ReturnType<typeof workfilesRepo>;
