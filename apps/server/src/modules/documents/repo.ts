import type { WorkQueue } from '@congvu/contracts';
import type { Insertable } from 'kysely';
import { type ExpressionBuilder, type SelectQueryBuilder, sql } from 'kysely';
import type { Db } from '../../db/pool.ts';
import type {
  Database,
  DocumentAssignmentForwardsTable,
  DocumentAssignmentsTable,
  DocumentOpinionsTable,
  DocumentsTable,
} from '../../db/schema.ts';

export const SEARCH_COUNT_CAP = 1000;

/**
 * Every typed word appears in the folded search text (`documents.search_text` is already
 * f_search_key of the searchable fields, so the column is compared as it is and its trigram
 * index serves the LIKE). Words are folded the same way; LIKE wildcards in them are escaped.
 */
export function searchTextMatches(query: string) {
  const words = query.trim().split(/\s+/).filter(Boolean).slice(0, 8);
  if (words.length === 0) return sql<boolean>`true`;
  return sql<boolean>`(${sql.join(
    words.map((w) => sql`d.search_text LIKE '%' || f_search_key(${w.replace(/[\\%_]/g, '\\$&')}) || '%'`),
    sql` AND `,
  )})`;
}

/** The newest documents of an agency a search looks at first (see search). */
export const SEARCH_WINDOW = 20_000;

export interface DocumentSearch {
  q?: string | undefined;
  direction?: string | undefined;
  typeId?: string | undefined;
  urgency?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  page: number;
  pageSize: number;
}

const fromDate = (d: string) => sql<Date>`(${d}::date)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'`;
const toDate = (d: string) => sql<Date>`(${d}::date + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'`;

/** The visibility rule and the search filters over documents `d` (the table or a window of it). */
function filtered<QB extends SelectQueryBuilder<Database & { d: DocumentsTable }, 'd', object>>(
  qb: QB,
  v: Visibility,
  q: DocumentSearch,
): QB {
  let base = qb.where('d.agency_id', 'in', v.agencyIds).where((eb) => {
    const assignedToMe = eb.exists(
      eb
        .selectFrom('document_assignments as a')
        .select('a.id')
        .whereRef('a.document_id', '=', 'd.id')
        .where((w) =>
          w.or([
            ...(v.officialId ? [w('a.assignee_official_id', '=', v.officialId)] : []),
            ...(v.departmentIds.length ? [w('a.assignee_department_id', 'in', v.departmentIds)] : []),
            w.val(false),
          ]),
        ),
    );
    return eb.or([
      eb('d.secrecy', '=', 'none'),
      ...(v.leaderOf.length ? [eb('d.agency_id', 'in', v.leaderOf)] : []),
      assignedToMe,
    ]);
  }) as QB;
  if (q.q) base = base.where(searchTextMatches(q.q)) as QB;
  if (q.direction) base = base.where('d.direction', '=', q.direction as 'incoming') as QB;
  if (q.typeId) base = base.where('d.type_id', '=', q.typeId) as QB;
  if (q.urgency) base = base.where('d.urgency', '=', q.urgency as 'urgent') as QB;
  if (q.from) base = base.where('d.created_at', '>=', fromDate(q.from)) as QB;
  if (q.to) base = base.where('d.created_at', '<', toDate(q.to)) as QB;
  return base;
}

/** The summary columns of a page of documents, newest first. */
function pageOf(
  qb: SelectQueryBuilder<Database & { d: DocumentsTable }, 'd', object>,
  offset: number,
  limit: number,
) {
  return qb
    .innerJoin('document_types as t', 't.id', 'd.type_id')
    .leftJoin('register_entries as e', 'e.document_id', 'd.id')
    .select([
      'd.id',
      'd.agency_id',
      'd.direction',
      'd.type_id',
      't.name as type_name',
      'd.number',
      'd.notation',
      'd.issued_on',
      'd.issuer_name',
      'd.subject',
      'd.urgency',
      'd.secrecy',
      'd.status',
      'd.due_on',
      'e.number as register_number',
      'e.registered_at',
    ])
    .orderBy('d.created_at', 'desc')
    .orderBy('d.id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
}

export interface BookEntry {
  number: number;
  registered_at: Date;
  id: string;
  doc_number: string | null;
  notation: string | null;
  issued_on: string | null;
  issuer_name: string;
  subject: string;
  signer_name: string | null;
  urgency: string;
  secrecy: string;
  status: string;
  page_count: number | null;
  drafting_unit: string | null;
  channel: string;
  type_name: string;
  lead_name: string | null;
  lead_deadline: string | null;
  lead_status: string | null;
  first_assigned_at: Date | null;
  recipients: string | null;
  recipient_count: number | null;
  replies: string | null;
}

export interface Visibility {
  agencyIds: string[];
  /** Agencies where the reader is a leader: they also see secret documents there. */
  leaderOf: string[];
  /** Secret documents are also visible to whoever they are assigned to (person or department). */
  officialId: string | null;
  departmentIds: string[];
  /** Agencies where the reader is a clerk (văn thư): registers and issues there. */
  clerkOf: string[];
}

export function documentsRepo(db: Db) {
  return {
    listTypes(asOf: string) {
      return db
        .selectFrom('document_types')
        .selectAll()
        .where('valid_from', '<=', asOf)
        .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', asOf)]))
        .orderBy('sort_order')
        .execute();
    },
    findType(id: string, asOf: string) {
      return db
        .selectFrom('document_types')
        .selectAll()
        .where('id', '=', id)
        .where('valid_from', '<=', asOf)
        .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', asOf)]))
        .executeTakeFirst();
    },
    listRegisters(agencyIds: string[]) {
      if (agencyIds.length === 0) return Promise.resolve([]);
      return db
        .selectFrom('registers')
        .selectAll()
        .where('agency_id', 'in', agencyIds)
        .orderBy('kind')
        .orderBy('code')
        .execute();
    },
    findRegister(id: string) {
      return db.selectFrom('registers').selectAll().where('id', '=', id).executeTakeFirst();
    },
    registerByCode(agencyId: string, kind: string, code: string) {
      return db
        .selectFrom('registers')
        .select('id')
        .where('agency_id', '=', agencyId)
        .where('kind', '=', kind as 'incoming')
        .where('code', '=', code)
        .executeTakeFirst();
    },
    insertRegister(r: {
      id: string;
      agency_id: string;
      kind: 'incoming' | 'outgoing';
      secret: boolean;
      code: string;
      name: string;
    }) {
      return db.insertInto('registers').values(r).returningAll().executeTakeFirstOrThrow();
    },
    /**
     * The next number of a register for a year. The upsert takes the counter row's lock until the
     * transaction ends, so concurrent registrations queue; a rollback gives the number back.
     */
    async nextNumber(registerId: string, year: number): Promise<number> {
      const r = await sql<{ last_number: number }>`
        INSERT INTO register_counters (register_id, year, last_number) VALUES (${registerId}, ${year}, 1)
        ON CONFLICT (register_id, year) DO UPDATE SET last_number = register_counters.last_number + 1
        RETURNING last_number`.execute(db);
      return r.rows[0]!.last_number;
    },
    entryByIdempotencyKey(key: string) {
      return db
        .selectFrom('register_entries')
        .selectAll()
        .where('idempotency_key', '=', key)
        .executeTakeFirst();
    },
    insertDocument(d: Insertable<DocumentsTable>) {
      return db.insertInto('documents').values(d).execute();
    },
    insertEntry(e: {
      id: string;
      register_id: string;
      year: number;
      number: number;
      document_id: string;
      registered_by: string | null;
      idempotency_key: string | null;
    }) {
      return db.insertInto('register_entries').values(e).execute();
    },
    insertFiles(
      files: {
        document_id: string;
        sha256: string;
        name: string;
        role: 'main' | 'appendix' | 'scan';
        position: number;
        added_by: string | null;
      }[],
    ) {
      return files.length ? db.insertInto('document_files').values(files).execute() : Promise.resolve([]);
    },
    /** How many of these blobs this official uploaded (only one's own uploads are attached). */
    countOwnBlobs(shas: string[], officialId: string) {
      return db
        .selectFrom('blob_uploaders')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('sha256', 'in', shas)
        .where('official_id', '=', officialId)
        .executeTakeFirstOrThrow();
    },
    insertEvent(e: {
      document_id: string;
      kind: string;
      actor_id: string | null;
      data?: Record<string, unknown>;
    }) {
      return db
        .insertInto('document_events')
        .values({ ...e, data: JSON.stringify(e.data ?? {}) })
        .execute();
    },

    /**
     * One page of the documents the reader may see, newest first, and whether more follow.
     *
     * For a reader of one agency (nearly everyone) it first looks among that agency's newest
     * SEARCH_WINDOW documents in created order, so that a query matching many documents stops as
     * soon as the page is full whatever the size of the table. The page is exact: any document
     * outside the window is older than all inside it. When the window gives less than a page, the
     * query runs again over everything (matches are then few, and the trigram index finds them).
     */
    async search(v: Visibility, q: DocumentSearch) {
      if (v.agencyIds.length === 0) return { rows: [], hasMore: false };
      const take = q.pageSize + 1;
      const offset = (q.page - 1) * q.pageSize;
      if (v.agencyIds.length === 1 && offset + take <= SEARCH_WINDOW) {
        let win = db
          .selectFrom('documents')
          .select([
            'id',
            'created_at',
            'agency_id',
            'secrecy',
            'direction',
            'type_id',
            'urgency',
            'search_text',
          ])
          .where('agency_id', '=', v.agencyIds[0]!)
          .orderBy('created_at', 'desc')
          .orderBy('id', 'desc')
          .limit(SEARCH_WINDOW);
        if (q.from) win = win.where('created_at', '>=', fromDate(q.from));
        if (q.to) win = win.where('created_at', '<', toDate(q.to));
        // The window's columns are all in the index documents_agency_newest: the scan reads the
        // index alone, in order, and stops at a full page; the table is read for that page only.
        type Docs = SelectQueryBuilder<Database & { d: DocumentsTable }, 'd', object>;
        const pageIds = (t: Db) =>
          filtered(t.selectFrom(win.as('d')) as unknown as Docs, v, q)
            .select('d.id')
            .orderBy('d.created_at', 'desc')
            .orderBy('d.id', 'desc')
            .limit(take)
            .offset(offset);
        // Without these settings the planner reads a small agency whole through a bitmap and sorts it.
        const ids = db.isTransaction
          ? await pageIds(db).execute()
          : await db.transaction().execute(async (t) => {
              await sql`SET LOCAL enable_bitmapscan = off`.execute(t);
              await sql`SET LOCAL enable_sort = off`.execute(t);
              return pageIds(t).execute();
            });
        const rows = ids.length
          ? await pageOf(
              db.selectFrom('documents as d').where(
                'd.id',
                'in',
                ids.map((r: { id: string }) => r.id),
              ),
              0,
              take,
            )
          : [];
        if (rows.length === take) return { rows: rows.slice(0, q.pageSize), hasMore: true };
        // A window that is not full holds every document of the agency in range: the answer is whole.
        let all = db
          .selectFrom('documents')
          .select('id')
          .where('agency_id', '=', v.agencyIds[0]!)
          .limit(SEARCH_WINDOW);
        if (q.from) all = all.where('created_at', '>=', fromDate(q.from));
        if (q.to) all = all.where('created_at', '<', toDate(q.to));
        const inWindow = await db
          .selectFrom(all.as('w'))
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow();
        if (Number(inWindow.n) < SEARCH_WINDOW) return { rows, hasMore: false };
      }
      const rows = await pageOf(filtered(db.selectFrom('documents as d'), v, q), offset, take);
      return { rows: rows.slice(0, q.pageSize), hasMore: rows.length === take };
    },

    /** How many documents the reader may see match, counted up to SEARCH_COUNT_CAP. */
    async count(v: Visibility, q: DocumentSearch) {
      if (v.agencyIds.length === 0) return { total: 0, capped: false };
      const r = await db
        .selectFrom(
          filtered(db.selectFrom('documents as d'), v, q)
            .select('d.id')
            .limit(SEARCH_COUNT_CAP + 1)
            .as('m'),
        )
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow();
      const n = Number(r.n);
      return { total: Math.min(n, SEARCH_COUNT_CAP), capped: n > SEARCH_COUNT_CAP };
    },
    /** The document a reply answers, and the replies to a document. */
    async replyLinks(id: string, replyToId: string | null) {
      const cols = [
        'd.id',
        'd.number',
        'd.notation',
        'd.subject',
        'd.status',
        't.name as type_name',
      ] as const;
      const [replyTo, replies] = await Promise.all([
        replyToId
          ? db
              .selectFrom('documents as d')
              .innerJoin('document_types as t', 't.id', 'd.type_id')
              .select(cols)
              .where('d.id', '=', replyToId)
              .executeTakeFirst()
          : undefined,
        db
          .selectFrom('documents as d')
          .innerJoin('document_types as t', 't.id', 'd.type_id')
          .select(cols)
          .where('d.reply_to_id', '=', id)
          .orderBy('d.created_at')
          .execute(),
      ]);
      return { replyTo: replyTo ?? null, replies };
    },
    findDocument(id: string) {
      return db
        .selectFrom('documents as d')
        .innerJoin('document_types as t', 't.id', 'd.type_id')
        .leftJoin('register_entries as e', 'e.document_id', 'd.id')
        .selectAll('d')
        .select([
          't.name as type_name',
          'e.number as register_number',
          'e.registered_at',
          'e.register_id',
          'e.year as register_year',
        ])
        .where('d.id', '=', id)
        .executeTakeFirst();
    },
    /**
     * A reader's queue. Assignment queues list what is assigned to the reader in person or to
     * one of their departments; "to_assign" lists registered, unassigned incoming documents of
     * agencies the reader leads.
     */
    async worklist(v: Visibility, queue: WorkQueue, today: string, page: number, pageSize: number) {
      const mine = (eb: ExpressionBuilder<Database, 'document_assignments'>) =>
        eb.or([
          ...(v.officialId ? [eb('document_assignments.assignee_official_id', '=', v.officialId)] : []),
          ...(v.departmentIds.length
            ? [eb('document_assignments.assignee_department_id', 'in', v.departmentIds)]
            : []),
          eb.val(false),
        ]);
      const assigned = () =>
        db.selectFrom('document_assignments').select('document_assignments.document_id as id').where(mine);
      const ofAgencies = (agencyIds: string[], direction: 'incoming' | 'outgoing', status: string) =>
        db
          .selectFrom('documents')
          .select('documents.id')
          .where('documents.agency_id', 'in', agencyIds)
          .where('documents.direction', '=', direction)
          .where('documents.status', '=', status);
      const queues = {
        to_register: () => (v.clerkOf.length ? ofAgencies(v.clerkOf, 'incoming', 'received') : null),
        to_assign: () => (v.leaderOf.length ? ofAgencies(v.leaderOf, 'incoming', 'registered') : null),
        to_handle: () => assigned().where('status', '=', 'pending').where('role', '!=', 'info'),
        in_progress: () => assigned().where('status', '=', 'in_progress'),
        overdue: () =>
          assigned().where('status', 'in', ['pending', 'in_progress']).where('deadline', '<', today),
        for_info: () => assigned().where('role', '=', 'info'),
        // The reviewers of the first undecided step (one, or a parallel group) of a document under review.
        to_review: () =>
          v.officialId
            ? db
                .selectFrom('document_approvals as p')
                .innerJoin('documents as dd', 'dd.id', 'p.document_id')
                .select('p.document_id as id')
                .where('dd.status', '=', 'in_review')
                .where('p.reviewer_id', '=', v.officialId)
                .where('p.decision', 'is', null)
                .where((eb) =>
                  eb.not(
                    eb.exists(
                      eb
                        .selectFrom('document_approvals as q')
                        .select('q.id')
                        .whereRef('q.document_id', '=', 'p.document_id')
                        .whereRef('q.round', '=', 'p.round')
                        .whereRef('q.step', '<', 'p.step')
                        .where('q.decision', 'is', null),
                    ),
                  ),
                )
                // Only the latest round: a returned round keeps its undecided rows.
                .where((eb) =>
                  eb.not(
                    eb.exists(
                      eb
                        .selectFrom('document_approvals as r')
                        .select('r.id')
                        .whereRef('r.document_id', '=', 'p.document_id')
                        .whereRef('r.round', '>', 'p.round'),
                    ),
                  ),
                )
            : null,
        to_issue: () => (v.clerkOf.length ? ofAgencies(v.clerkOf, 'outgoing', 'approved') : null),
      } satisfies Record<WorkQueue, unknown>;
      const ids = queues[queue]();
      if (ids === null) return { rows: [], total: 0 };
      // A recalled or replaced document waits for nobody (NĐ 30 art. 18.4.b); search still finds it.
      const base = db.selectFrom('documents as d').where('d.id', 'in', ids).where('d.validity', '=', 'valid');
      const [rows, total] = await Promise.all([
        base
          .innerJoin('document_types as t', 't.id', 'd.type_id')
          .leftJoin('register_entries as e', 'e.document_id', 'd.id')
          .select([
            'd.id',
            'd.agency_id',
            'd.direction',
            'd.type_id',
            't.name as type_name',
            'd.number',
            'd.notation',
            'd.issued_on',
            'd.issuer_name',
            'd.subject',
            'd.urgency',
            'd.secrecy',
            'd.status',
            'd.due_on',
            'e.number as register_number',
            'e.registered_at',
          ])
          .orderBy(
            sql`CASE d.urgency WHEN 'flash' THEN 0 WHEN 'very_urgent' THEN 1 WHEN 'urgent' THEN 2 ELSE 3 END`,
          )
          .orderBy('d.created_at', 'desc')
          .limit(pageSize)
          .offset((page - 1) * pageSize)
          .execute(),
        base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { rows, total: Number(total.n) };
    },

    insertApprovals(
      rows: {
        id: string;
        document_id: string;
        round: number;
        step: number;
        reviewer_id: string;
        added_by?: string | null;
      }[],
    ) {
      return db.insertInto('document_approvals').values(rows).execute();
    },
    approvalsOf(documentId: string) {
      return db
        .selectFrom('document_approvals as p')
        .innerJoin('officials as o', 'o.id', 'p.reviewer_id')
        .selectAll('p')
        .select('o.full_name as reviewer_name')
        .where('p.document_id', '=', documentId)
        .orderBy('p.round')
        .orderBy('p.step')
        .execute();
    },
    decideApproval(id: string, decision: 'approved' | 'returned' | 'forwarded', comment: string | null) {
      return db
        .updateTable('document_approvals')
        .set({ decision, comment, decided_at: new Date() })
        .where('id', '=', id)
        .where('decision', 'is', null)
        .executeTakeFirst();
    },
    insertRecipients(
      rows: {
        document_id: string;
        position: number;
        agency_id: string | null;
        name: string;
        agency_code: string | null;
      }[],
    ) {
      return db.insertInto('document_recipients').values(rows).execute();
    },
    recipientsOf(documentId: string) {
      return db
        .selectFrom('document_recipients')
        .selectAll()
        .where('document_id', '=', documentId)
        .orderBy('position')
        .execute();
    },
    setDelivered(documentId: string, position: number, deliveredId: string) {
      return db
        .updateTable('document_recipients')
        .set({ delivered_document_id: deliveredId })
        .where('document_id', '=', documentId)
        .where('position', '=', position)
        .execute();
    },
    setIssued(id: string) {
      return db
        .updateTable('documents')
        .set({ status: 'issued', updated_at: new Date() })
        .where('id', '=', id)
        .where('status', '=', 'approved')
        .where('number', 'is not', null)
        .executeTakeFirst();
    },
    /** Moves a document from one status to another only if it is still in the first one. */
    transition(id: string, from: string, to: string) {
      return db
        .updateTable('documents')
        .set({ status: to, updated_at: new Date() })
        .where('id', '=', id)
        .where('status', '=', from)
        .executeTakeFirst();
    },
    copyFiles(fromId: string, toId: string) {
      return sql`INSERT INTO document_files (document_id, sha256, name, role, position, added_by, added_at)
        SELECT ${toId}, sha256, name, role, position, added_by, now() FROM document_files WHERE document_id = ${fromId}`.execute(
        db,
      );
    },
    entryOf(documentId: string) {
      return db
        .selectFrom('register_entries')
        .select('id')
        .where('document_id', '=', documentId)
        .executeTakeFirst();
    },

    /**
     * Status events (received, registered, assigned, ...) are recorded once per document; true
     * when this call recorded it.
     */
    async insertStatusEventOnce(e: {
      document_id: string;
      kind: 'received' | 'registered' | 'assigned' | 'in_progress' | 'done' | 'returned';
      actor_id: string | null;
      data?: Record<string, unknown>;
    }): Promise<boolean> {
      const r = await sql`INSERT INTO document_events (document_id, kind, actor_id, data)
        VALUES (${e.document_id}, ${e.kind}, ${e.actor_id}, ${JSON.stringify(e.data ?? {})}::jsonb)
        ON CONFLICT (document_id, kind) WHERE kind IN ('received', 'registered', 'assigned', 'in_progress', 'done', 'returned')
        DO NOTHING`.execute(db);
      return Number(r.numAffectedRows ?? 0) === 1;
    },
    setStatus(id: string, status: string) {
      return db
        .updateTable('documents')
        .set({ status, updated_at: new Date() })
        .where('id', '=', id)
        .execute();
    },
    insertAssignments(rows: Insertable<DocumentAssignmentsTable>[]) {
      return db.insertInto('document_assignments').values(rows).execute();
    },
    findAssignment(id: string) {
      return db.selectFrom('document_assignments').selectAll().where('id', '=', id).executeTakeFirst();
    },
    updateAssignment(
      id: string,
      patch: { status: 'in_progress' | 'done' | 'returned'; result?: string | null },
    ) {
      return db
        .updateTable('document_assignments')
        .set({ ...patch, updated_at: new Date() })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
    },
    isAssignedTo(documentId: string, officialId: string | null, departmentIds: string[]) {
      return db
        .selectFrom('document_assignments')
        .select('id')
        .where('document_id', '=', documentId)
        .where((w) =>
          w.or([
            ...(officialId ? [w('assignee_official_id', '=', officialId)] : []),
            ...(departmentIds.length ? [w('assignee_department_id', 'in', departmentIds)] : []),
            w.val(false),
          ]),
        )
        .executeTakeFirst();
    },
    assignmentsOf(documentId: string) {
      return db
        .selectFrom('document_assignments as a')
        .innerJoin('officials as g', 'g.id', 'a.assigner_id')
        .leftJoin('officials as o', 'o.id', 'a.assignee_official_id')
        .leftJoin('departments as p', 'p.id', 'a.assignee_department_id')
        .selectAll('a')
        .select(['g.full_name as assigner_name', 'o.full_name as official_name', 'p.name as department_name'])
        .where('a.document_id', '=', documentId)
        .orderBy('a.created_at')
        .orderBy('a.id')
        .execute();
    },
    /** The PDF files of a document (by their sniffed type), once each. */
    pdfFilesOf(id: string) {
      return db
        .selectFrom('document_files as f')
        .innerJoin('blobs as b', 'b.sha256', 'f.sha256')
        .select(['f.sha256', 'f.name'])
        .distinctOn('f.sha256')
        .where('f.document_id', '=', id)
        .where('b.mime', '=', 'application/pdf')
        .orderBy('f.sha256')
        .execute();
    },
    insertSignatureCheck(c: {
      id: string;
      document_id: string;
      sha256: string;
      signature_count: number;
      valid: boolean;
      trusted: boolean;
      report: string;
      report_text: string;
    }) {
      return db.insertInto('document_signature_checks').values(c).execute();
    },
    /** The latest check of each PDF of a document. */
    signatureChecksOf(id: string) {
      return db
        .selectFrom('document_signature_checks as c')
        .innerJoin('document_files as f', (j) =>
          j.onRef('f.document_id', '=', 'c.document_id').onRef('f.sha256', '=', 'c.sha256'),
        )
        .select([
          'c.sha256',
          'f.name',
          'c.verified_at',
          'c.signature_count',
          'c.valid',
          'c.trusted',
          'c.report',
          'c.report_text',
        ])
        .distinctOn('c.sha256')
        .where('c.document_id', '=', id)
        .orderBy('c.sha256')
        .orderBy('c.verified_at', 'desc')
        .execute();
    },
    fileAt(id: string, position: number) {
      return db
        .selectFrom('document_files as f')
        .innerJoin('blobs as b', 'b.sha256', 'f.sha256')
        .select(['f.sha256', 'f.name', 'b.mime'])
        .where('f.document_id', '=', id)
        .where('f.position', '=', position)
        .executeTakeFirst();
    },
    filesOf(id: string) {
      return db
        .selectFrom('document_files as f')
        .leftJoin('blobs as b', 'b.sha256', 'f.sha256')
        .selectAll('f')
        .select('b.mime')
        .where('f.document_id', '=', id)
        .orderBy('f.position')
        .execute();
    },
    /** A file of the document replaced by its signed copy (same position, same name). */
    replaceFile(documentId: string, position: number, sha256: string) {
      return db
        .updateTable('document_files')
        .set({ sha256 })
        .where('document_id', '=', documentId)
        .where('position', '=', position)
        .execute();
    },
    /** Cấp số: the number and notation, given before the agency signature (NĐ 30 art. 14). */
    setNumber(id: string, number: string, notation: string, issuedOn: string) {
      return db
        .updateTable('documents')
        .set({ number, notation, issued_on: issuedOn, updated_at: new Date() })
        .where('id', '=', id)
        .where('status', '=', 'approved')
        .where('number', 'is', null)
        .executeTakeFirst();
    },
    eventsOf(id: string) {
      return db
        .selectFrom('document_events as ev')
        .leftJoin('officials as o', 'o.id', 'ev.actor_id')
        .select(['ev.kind', 'ev.at', 'ev.actor_id', 'o.full_name as actor_name', 'ev.data'])
        .where('ev.document_id', '=', id)
        .orderBy('ev.id')
        .execute();
    },

    /**
     * The entries of a register for a year (optionally a date or number range), with what the
     * Phụ lục IV registers print: the document, the lead unit or person it went to and when, the
     * recipients of an issued one, and the replies issued to an incoming one.
     */
    async bookEntries(
      registerId: string,
      year: number,
      range: {
        from?: string | undefined;
        to?: string | undefined;
        fromNumber?: number | undefined;
        toNumber?: number | undefined;
      },
      limit: number,
    ) {
      const r = await sql<BookEntry>`
        SELECT e.number, e.registered_at, d.id, d.number AS doc_number, d.notation, d.issued_on,
               d.issuer_name, d.subject, d.signer_name, d.urgency, d.secrecy, d.status, d.page_count,
               d.drafting_unit, d.channel, t.name AS type_name,
               lead.assignee_name AS lead_name, lead.deadline AS lead_deadline, lead.status AS lead_status,
               firsta.at AS first_assigned_at,
               rec.names AS recipients, rec.n AS recipient_count,
               rep.notations AS replies
        FROM register_entries e
        JOIN documents d ON d.id = e.document_id
        JOIN document_types t ON t.id = d.type_id
        LEFT JOIN LATERAL (
          SELECT coalesce(dep.name, o.full_name) AS assignee_name, a.deadline, a.status
          FROM document_assignments a
          LEFT JOIN departments dep ON dep.id = a.assignee_department_id
          LEFT JOIN officials o ON o.id = a.assignee_official_id
          WHERE a.document_id = d.id AND a.parent_id IS NULL AND a.role = 'lead'
          ORDER BY a.created_at DESC LIMIT 1
        ) lead ON true
        LEFT JOIN LATERAL (
          SELECT min(a.created_at) AS at FROM document_assignments a WHERE a.document_id = d.id
        ) firsta ON true
        LEFT JOIN LATERAL (
          SELECT string_agg(x.name, '; ' ORDER BY x.position) AS names, count(*)::int AS n
          FROM document_recipients x WHERE x.document_id = d.id
        ) rec ON true
        LEFT JOIN LATERAL (
          SELECT string_agg(r.number || '/' || r.notation, '; ' ORDER BY r.issued_on, r.number) AS notations
          FROM documents r WHERE r.reply_to_id = d.id AND r.number IS NOT NULL
        ) rep ON true
        WHERE e.register_id = ${registerId} AND e.year = ${year}
          ${range.from ? sql`AND e.registered_at >= (${range.from}::date)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'` : sql``}
          ${range.to ? sql`AND e.registered_at < (${range.to}::date + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'` : sql``}
          ${range.fromNumber ? sql`AND e.number >= ${range.fromNumber}` : sql``}
          ${range.toNumber ? sql`AND e.number <= ${range.toNumber}` : sql``}
        ORDER BY e.number LIMIT ${limit}`.execute(db);
      return r.rows;
    },

    // --- Handling: opinions, forwarding, draft versions, approval chains, recall / replace / update

    /** Locks a document row until the transaction ends: decisions on one document queue. */
    lockDocument(id: string) {
      return db
        .selectFrom('documents')
        .select(['id', 'status', 'validity'])
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirstOrThrow();
    },
    /** A blob this official uploaded (only one's own uploads are attached to documents). */
    findOwnBlob(sha256: string, officialId: string) {
      return db
        .selectFrom('blobs as b')
        .innerJoin('blob_uploaders as u', 'u.sha256', 'b.sha256')
        .select(['b.sha256', 'b.mime', 'b.size'])
        .where('b.sha256', '=', sha256)
        .where('u.official_id', '=', officialId)
        .executeTakeFirst();
    },
    /**
     * A blob attached to a document in any way (its files, a version of its draft, a file of an
     * opinion on it), with a name to serve it under.
     */
    attachedBlob(documentId: string, sha256: string) {
      return sql<{ sha256: string; name: string; mime: string }>`
        SELECT b.sha256, x.name, b.mime FROM blobs b JOIN (
          SELECT sha256, name FROM document_files WHERE document_id = ${documentId}
          UNION ALL SELECT sha256, name FROM document_versions WHERE document_id = ${documentId}
          UNION ALL SELECT f.sha256, f.name FROM document_opinion_files f
            JOIN document_opinions o ON o.id = f.opinion_id WHERE o.document_id = ${documentId}
        ) x ON x.sha256 = b.sha256
        WHERE b.sha256 = ${sha256} LIMIT 1`
        .execute(db)
        .then((r) => r.rows[0]);
    },
    opinionByIdempotencyKey(key: string) {
      return db
        .selectFrom('document_opinions')
        .select(['id', 'document_id'])
        .where('idempotency_key', '=', key)
        .executeTakeFirst();
    },
    insertOpinion(o: Insertable<DocumentOpinionsTable>) {
      return db.insertInto('document_opinions').values(o).execute();
    },
    insertOpinionFiles(rows: { opinion_id: string; position: number; sha256: string; name: string }[]) {
      return rows.length
        ? db.insertInto('document_opinion_files').values(rows).execute()
        : Promise.resolve([]);
    },
    opinionsOf(documentId: string, opinionId?: string) {
      let q = db
        .selectFrom('document_opinions as n')
        .innerJoin('officials as o', 'o.id', 'n.author_id')
        .selectAll('n')
        .select('o.full_name as author_name')
        .where('n.document_id', '=', documentId);
      if (opinionId) q = q.where('n.id', '=', opinionId);
      return q.orderBy('n.created_at').orderBy('n.id').execute();
    },
    opinionFilesOf(documentId: string) {
      return db
        .selectFrom('document_opinion_files as f')
        .innerJoin('document_opinions as n', 'n.id', 'f.opinion_id')
        .selectAll('f')
        .where('n.document_id', '=', documentId)
        .orderBy('f.opinion_id')
        .orderBy('f.position')
        .execute();
    },
    /** Hands an assignment to someone else, only if it still names who forwards it and is open. */
    repointAssignment(
      id: string,
      from: { officialId: string | null; departmentId: string | null },
      to: { officialId: string | null; departmentId: string | null },
    ) {
      return db
        .updateTable('document_assignments')
        .set({
          assignee_official_id: to.officialId,
          assignee_department_id: to.departmentId,
          status: 'pending',
          updated_at: new Date(),
        })
        .where('id', '=', id)
        .where('status', 'in', ['pending', 'in_progress'])
        .where('assignee_official_id', 'is not distinct from', from.officialId)
        .where('assignee_department_id', 'is not distinct from', from.departmentId)
        .executeTakeFirst();
    },
    insertForward(row: Insertable<DocumentAssignmentForwardsTable>) {
      return db.insertInto('document_assignment_forwards').values(row).execute();
    },
    forwardsOf(documentId: string, forwardId?: string) {
      let q = db
        .selectFrom('document_assignment_forwards as w')
        .innerJoin('document_assignments as a', 'a.id', 'w.assignment_id')
        .innerJoin('officials as b', 'b.id', 'w.forwarded_by')
        .leftJoin('officials as fo', 'fo.id', 'w.from_official_id')
        .leftJoin('departments as fd', 'fd.id', 'w.from_department_id')
        .leftJoin('officials as tof', 'tof.id', 'w.to_official_id')
        .leftJoin('departments as td', 'td.id', 'w.to_department_id')
        .selectAll('w')
        .select([
          'b.full_name as forwarded_by_name',
          'fo.full_name as from_official_name',
          'fd.name as from_department_name',
          'tof.full_name as to_official_name',
          'td.name as to_department_name',
        ])
        .where('a.document_id', '=', documentId);
      if (forwardId) q = q.where('w.id', '=', forwardId);
      return q.orderBy('w.forwarded_at').orderBy('w.id').execute();
    },
    versionsOf(documentId: string) {
      return db
        .selectFrom('document_versions as v')
        .innerJoin('blobs as b', 'b.sha256', 'v.sha256')
        .leftJoin('officials as o', 'o.id', 'v.uploaded_by')
        .selectAll('v')
        .select(['b.mime', 'b.size', 'o.full_name as uploaded_by_name'])
        .where('v.document_id', '=', documentId)
        .orderBy('v.version')
        .execute();
    },
    insertVersion(row: {
      document_id: string;
      version: number;
      sha256: string;
      name: string;
      note: string | null;
      uploaded_by: string | null;
    }) {
      return db.insertInto('document_versions').values(row).execute();
    },
    /** The latest version becomes the main file (replacing the previous main file, or added last). */
    async setMainFile(documentId: string, sha256: string, name: string, by: string | null) {
      const r = await db
        .updateTable('document_files')
        .set({ sha256, name, added_by: by, added_at: new Date() })
        .where('document_id', '=', documentId)
        .where('role', '=', 'main')
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) > 0) return;
      await sql`INSERT INTO document_files (document_id, sha256, name, role, position, added_by)
        SELECT ${documentId}, ${sha256}, ${name}, 'main', coalesce(max(position), 0) + 1, ${by}
        FROM document_files WHERE document_id = ${documentId}`.execute(db);
    },
    /** Makes room for a step inserted after `step` (the unique constraint is checked per statement). */
    shiftStepsAfter(documentId: string, round: number, step: number) {
      return db
        .updateTable('document_approvals')
        .set((eb) => ({ step: eb('step', '+', 1) }))
        .where('document_id', '=', documentId)
        .where('round', '=', round)
        .where('step', '>', step)
        .execute();
    },
    setApprovalSignature(id: string, signature: 'unsigned' | 'signed') {
      return db.updateTable('document_approvals').set({ signature }).where('id', '=', id).execute();
    },
    setAgencySignature(documentId: string, signature: 'unsigned' | 'signed') {
      return db
        .updateTable('documents')
        .set({ agency_signature: signature })
        .where('id', '=', documentId)
        .execute();
    },
    /** Electronic incoming copies delivered inside the installation from an issued document. */
    copiesOf(sourceId: string) {
      return db
        .selectFrom('documents')
        .select(['id', 'agency_id'])
        .where('source_document_id', '=', sourceId)
        .orderBy('id')
        .execute();
    },
    copyOfIn(sourceId: string, agencyId: string) {
      return db
        .selectFrom('documents')
        .select('id')
        .where('source_document_id', '=', sourceId)
        .where('agency_id', '=', agencyId)
        .executeTakeFirst();
    },
    /** Recalls or replaces a document that is still valid; 0 rows when it no longer is. */
    setValidity(id: string, validity: 'recalled' | 'replaced', reason: string, replacedById: string | null) {
      return db
        .updateTable('documents')
        .set({
          validity,
          validity_reason: reason,
          validity_changed_at: new Date(),
          replaced_by_id: replacedById,
          updated_at: new Date(),
        })
        .where('id', '=', id)
        .where('validity', '=', 'valid')
        .executeTakeFirst();
    },
    updateIssuedFields(
      id: string,
      patch: Partial<
        Pick<
          DocumentsTable,
          'subject' | 'signer_competence' | 'signer_position' | 'signer_name' | 'page_count'
        >
      >,
    ) {
      return db
        .updateTable('documents')
        .set({ ...patch, updated_at: new Date() })
        .where('id', '=', id)
        .execute();
    },
    documentRef(id: string) {
      return db
        .selectFrom('documents')
        .select(['id', 'number', 'notation', 'subject'])
        .where('id', '=', id)
        .executeTakeFirst();
    },
    replacedBy(id: string) {
      return db
        .selectFrom('documents')
        .select(['id', 'number', 'notation', 'subject'])
        .where('replaced_by_id', '=', id)
        .orderBy('validity_changed_at')
        .execute();
    },
  };
}
