import type { Insertable, Updateable } from 'kysely';
import { sql } from 'kysely';
import type { Db } from '../../db/pool.ts';
import type {
  CitizenStoreItemsTable,
  DossierApologiesTable,
  DossierComponentsTable,
  DossierEventsTable,
  DossierFeesTable,
  DossierHandoversTable,
  DossierPausesTable,
  DossierRatingsTable,
  DossierResultsTable,
  DossierState,
  DossierStepsTable,
  DossiersTable,
} from '../../db/schema.ts';

/** States in which the processing clock runs (supplement and financial requests stop it). */
const RUNNING: DossierState[] = ['received', 'processing'];
/** to_char's picture of an instant at UTC as Date.prototype.toISOString writes it (2025-01-02T03:04:05.006Z). */
const ISO = sql.lit('YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');

/** Which dossiers a reader sees: those received at, or with a step in, one of their agencies. */
export interface DossierVisibility {
  agencyIds: string[];
}

export interface ListFilter {
  agencyIds: string[];
  /** Open current steps for me: assigned to me, or to one of my (agency, role) pairs. */
  mine?: { officialId: string; rolePairs: { agencyId: string; role: string }[] };
  stepKind?: string | undefined;
  state?: DossierState | undefined;
  overdue?: boolean | undefined;
  procedureId?: string | undefined;
  procedureCode?: string | undefined;
  officialId?: string | undefined;
  searchKey?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  limit: number;
  offset: number;
  now: Date;
}

export function dossiersRepo(db: Db) {
  const listSelect = () =>
    db
      .selectFrom('dossiers as d')
      .innerJoin('procedures as p', 'p.id', 'd.procedure_id')
      .leftJoin('agencies as ca', 'ca.id', 'd.current_agency_id')
      .leftJoin('dossier_steps as cs', 'cs.id', 'd.current_step_id')
      .leftJoin('officials as co', 'co.id', 'cs.official_id')
      .select([
        'd.id',
        'd.code',
        'd.agency_id',
        'd.procedure_id',
        'p.code as procedure_code',
        'p.name as procedure_name',
        'd.applicant_name',
        'd.channel',
        'd.state',
        'd.portal_status',
        'd.submitted_at',
        'd.received_at',
        'd.due_at',
        'd.finished_at',
        'd.current_agency_id',
        'ca.name as current_agency_name',
        'd.current_step_id',
        'cs.name as current_step_name',
        'co.full_name as current_step_official_name',
        'cs.due_at as current_step_due_at',
      ]);

  return {
    // --- settings and data in force

    async cutoffFor(agencyId: string, day: string): Promise<string> {
      const r = await db
        .selectFrom('one_stop_settings')
        .select('cutoff')
        .where((eb) => eb.or([eb('agency_id', '=', agencyId), eb('agency_id', 'is', null)]))
        .where('valid_from', '<=', day)
        .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>', day)]))
        .orderBy(sql`agency_id IS NULL`)
        .orderBy('valid_from', 'desc')
        .executeTakeFirst();
      return r?.cutoff ?? '15:00:00';
    },
    async stateMap(day: string) {
      return db
        .selectFrom('dossier_state_map')
        .select(['state', 'portal_status', 'label_vi', 'label_en'])
        .where('valid_from', '<=', day)
        .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>', day)]))
        .execute();
    },
    async labelsByStatus() {
      return db
        .selectFrom('dossier_state_map')
        .select(['portal_status', 'label_vi', 'valid_from'])
        .orderBy('valid_from', 'desc')
        .execute();
    },

    // --- reception

    /** The next number of the agency's day; the row stays locked until the caller's transaction ends. */
    async nextNumber(agencyId: string, day: string): Promise<number> {
      const r = await db
        .insertInto('dossier_counters')
        .values({ agency_id: agencyId, day, last: 1 })
        .onConflict((oc) =>
          oc.columns(['agency_id', 'day']).doUpdateSet({ last: sql<number>`dossier_counters.last + 1` }),
        )
        .returning('last')
        .executeTakeFirstOrThrow();
      return r.last;
    },
    agencyCode(agencyId: string) {
      return db.selectFrom('agencies').select(['code', 'name']).where('id', '=', agencyId).executeTakeFirst();
    },
    findByIdempotencyKey(key: string) {
      return db.selectFrom('dossiers').selectAll().where('idempotency_key', '=', key).executeTakeFirst();
    },
    insertDossier(row: Insertable<DossiersTable>) {
      return db.insertInto('dossiers').values(row).returningAll().executeTakeFirstOrThrow();
    },
    async insertSteps(rows: Insertable<DossierStepsTable>[]) {
      if (rows.length) await db.insertInto('dossier_steps').values(rows).execute();
    },
    async insertComponents(rows: Insertable<DossierComponentsTable>[]) {
      if (rows.length) await db.insertInto('dossier_components').values(rows).execute();
    },
    async insertFees(rows: Insertable<DossierFeesTable>[]) {
      if (rows.length) await db.insertInto('dossier_fees').values(rows).execute();
    },
    async maxComponentOrdinal(dossierId: string): Promise<number> {
      const r = await db
        .selectFrom('dossier_components')
        .select((eb) => eb.fn.max<number | null>('ordinal').as('m'))
        .where('dossier_id', '=', dossierId)
        .executeTakeFirst();
      return r?.m ?? 0;
    },
    async payFees(
      dossierId: string,
      fees: { ordinal: number; receiptNo: string | null; online: boolean }[],
      at: Date,
    ) {
      // dossier_fees rows are inserted in catalogue order: the ordinal-th by id order (uuid v7).
      const rows = await db
        .selectFrom('dossier_fees')
        .select('id')
        .where('dossier_id', '=', dossierId)
        .orderBy('id')
        .execute();
      for (const f of fees) {
        const row = rows[f.ordinal];
        if (!row) return false;
        await db
          .updateTable('dossier_fees')
          .set({ paid_at: at, receipt_no: f.receiptNo, paid_online: f.online })
          .where('id', '=', row.id)
          // A payment already recorded (online at submission) keeps its time and receipt.
          .where('paid_at', 'is', null)
          .execute();
      }
      return true;
    },
    async unpaidFees(dossierId: string) {
      return db
        .selectFrom('dossier_fees')
        .select(['id'])
        .where('dossier_id', '=', dossierId)
        .where('paid_at', 'is', null)
        .where('when_paid', 'in', ['before', 'after'])
        .orderBy('id')
        .execute();
    },
    async markFeesPaid(ids: string[], at: Date, receiptNo: string | null, online: boolean) {
      if (ids.length)
        await db
          .updateTable('dossier_fees')
          .set({ paid_at: at, receipt_no: receiptNo, paid_online: online })
          .where('id', 'in', ids)
          .execute();
    },
    async anyPaidOnline(dossierId: string) {
      const r = await db
        .selectFrom('dossier_fees')
        .select('id')
        .where('dossier_id', '=', dossierId)
        .where('paid_online', '=', true)
        .executeTakeFirst();
      return r !== undefined;
    },

    // --- the dossier and its parts

    lock(id: string) {
      return db.selectFrom('dossiers').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    },
    find(id: string) {
      return db.selectFrom('dossiers').selectAll().where('id', '=', id).executeTakeFirst();
    },
    findByCode(code: string) {
      return db
        .selectFrom('dossiers as d')
        .innerJoin('procedures as p', 'p.id', 'd.procedure_id')
        .select([
          'd.id',
          'd.code',
          'd.lookup_secret',
          'd.agency_id',
          'd.state',
          'd.portal_status',
          'd.received_at',
          'd.due_at',
          'd.finished_at',
          'd.delivered_at',
          'd.citizen_id',
          'd.submitted_at',
          'p.name as procedure_name',
        ])
        .where('d.code', '=', code)
        .executeTakeFirst();
    },
    /**
     * The public lookup of several codes in one statement (the service batches concurrent lookups):
     * each dossier's public fields, its procedure's name and its history (each event's portal status
     * and ISO instant, in order), read from dossiers.public_history, the projection of its events
     * that migration 0032's triggers keep: reading and formatting the events themselves cost
     * PostgreSQL more than the rest of the statement. The caller compares the secret. A named
     * prepared statement (db/pool.ts): under load, planning this join cost four times its execution.
     */
    async publicLookup(codes: string[]) {
      const r = await sql<{
        code: string;
        lookup_secret: string;
        portal_status: number;
        received_at: string | null;
        due_at: string | null;
        finished_at: string | null;
        delivered_at: string | null;
        procedure_name: string;
        history: Array<{ at: string; s: number }>;
      }>`/* prepared:dossiers.public_lookup */
        SELECT d.code, d.lookup_secret, d.portal_status,
               to_char(d.received_at AT TIME ZONE 'UTC', ${ISO}) AS received_at,
               to_char(d.due_at AT TIME ZONE 'UTC', ${ISO}) AS due_at,
               to_char(d.finished_at AT TIME ZONE 'UTC', ${ISO}) AS finished_at,
               to_char(d.delivered_at AT TIME ZONE 'UTC', ${ISO}) AS delivered_at,
               p.name AS procedure_name, d.public_history AS history
        FROM dossiers d
        JOIN procedures p ON p.id = d.procedure_id
        WHERE d.code = ANY(${codes}::text[])`.execute(db);
      return r.rows;
    },
    async update(id: string, set: Updateable<DossiersTable>) {
      await db
        .updateTable('dossiers')
        .set({ ...set, updated_at: new Date() })
        .where('id', '=', id)
        .execute();
    },
    header(id: string) {
      return db
        .selectFrom('dossiers as d')
        .innerJoin('agencies as a', 'a.id', 'd.agency_id')
        .innerJoin('procedures as p', 'p.id', 'd.procedure_id')
        .innerJoin('procedure_cases as c', 'c.id', 'd.case_id')
        .leftJoin('agencies as ca', 'ca.id', 'd.current_agency_id')
        .leftJoin('officials as rb', 'rb.id', 'd.received_by')
        .selectAll('d')
        .select([
          'a.name as agency_name',
          'a.code as agency_code',
          'p.code as procedure_code',
          'p.name as procedure_name',
          'c.name as case_name',
          'ca.name as current_agency_name',
          'rb.full_name as received_by_name',
        ])
        .where('d.id', '=', id)
        .executeTakeFirst();
    },
    steps(dossierId: string) {
      return db
        .selectFrom('dossier_steps as s')
        .innerJoin('agencies as a', 'a.id', 's.agency_id')
        .leftJoin('officials as o', 'o.id', 's.official_id')
        .selectAll('s')
        .select(['a.name as agency_name', 'o.full_name as official_name'])
        .where('s.dossier_id', '=', dossierId)
        .orderBy('s.ordinal')
        .execute();
    },
    step(id: string) {
      return db.selectFrom('dossier_steps').selectAll().where('id', '=', id).executeTakeFirst();
    },
    async updateStep(id: string, set: Updateable<DossierStepsTable>) {
      await db.updateTable('dossier_steps').set(set).where('id', '=', id).execute();
    },
    pauses(dossierId: string) {
      return db
        .selectFrom('dossier_pauses')
        .selectAll()
        .where('dossier_id', '=', dossierId)
        .orderBy('requested_at')
        .execute();
    },
    openPause(dossierId: string) {
      return db
        .selectFrom('dossier_pauses')
        .selectAll()
        .where('dossier_id', '=', dossierId)
        .where('resumed_at', 'is', null)
        .executeTakeFirst();
    },
    insertPause(row: Insertable<DossierPausesTable>) {
      return db.insertInto('dossier_pauses').values(row).execute();
    },
    async updatePause(id: string, set: Updateable<DossierPausesTable>) {
      await db.updateTable('dossier_pauses').set(set).where('id', '=', id).execute();
    },
    apologies(dossierId: string) {
      return db
        .selectFrom('dossier_apologies as x')
        .innerJoin('agencies as a', 'a.id', 'x.agency_id')
        .leftJoin('officials as o', 'o.id', 'x.issued_by')
        .selectAll('x')
        .select(['a.name as agency_name', 'o.full_name as issued_by_name'])
        .where('x.dossier_id', '=', dossierId)
        .orderBy('x.issued_at')
        .execute();
    },
    insertApology(row: Insertable<DossierApologiesTable>) {
      return db.insertInto('dossier_apologies').values(row).execute();
    },
    handovers(dossierId: string) {
      return db
        .selectFrom('dossier_handovers as h')
        .innerJoin('agencies as fa', 'fa.id', 'h.from_agency_id')
        .innerJoin('agencies as ta', 'ta.id', 'h.to_agency_id')
        .selectAll('h')
        .select(['fa.name as from_agency_name', 'ta.name as to_agency_name'])
        .where('h.dossier_id', '=', dossierId)
        .orderBy('h.sent_at')
        .execute();
    },
    insertHandover(row: Insertable<DossierHandoversTable>) {
      return db.insertInto('dossier_handovers').values(row).execute();
    },
    async acknowledgeHandover(dossierId: string, toAgencyId: string, at: Date, by: string | null) {
      await db
        .updateTable('dossier_handovers')
        .set({ received_at: at, received_by: by })
        .where('dossier_id', '=', dossierId)
        .where('to_agency_id', '=', toAgencyId)
        .where('received_at', 'is', null)
        .execute();
    },
    components(dossierId: string) {
      return db
        .selectFrom('dossier_components')
        .selectAll()
        .where('dossier_id', '=', dossierId)
        .orderBy('ordinal')
        .execute();
    },
    component(id: string) {
      return db.selectFrom('dossier_components').selectAll().where('id', '=', id).executeTakeFirst();
    },
    /** A scan attached after reception: the trigger of migration 0023 moves components_digitised. */
    async digitiseComponent(id: string, blob: string) {
      await db
        .updateTable('dossier_components')
        .set({ blob, digitised: 1 })
        .where('id', '=', id)
        .where('digitised', '=', 0)
        .execute();
    },
    result(id: string) {
      return db.selectFrom('dossier_results').selectAll().where('id', '=', id).executeTakeFirst();
    },
    async setResultBlob(id: string, blob: string) {
      await db
        .updateTable('dossier_results')
        .set({ blob })
        .where('id', '=', id)
        .where('blob', 'is', null)
        .execute();
    },
    fees(dossierId: string) {
      return db
        .selectFrom('dossier_fees')
        .selectAll()
        .where('dossier_id', '=', dossierId)
        .orderBy('id')
        .execute();
    },
    results(dossierId: string) {
      return db
        .selectFrom('dossier_results')
        .selectAll()
        .where('dossier_id', '=', dossierId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
    },
    async insertResults(rows: Insertable<DossierResultsTable>[]) {
      if (rows.length) await db.insertInto('dossier_results').values(rows).execute();
    },
    /** One event with what an applicant is told about it (citizen notifications). */
    eventNotice(eventId: string) {
      return db
        .selectFrom('dossier_events as e')
        .innerJoin('dossiers as d', 'd.id', 'e.dossier_id')
        .innerJoin('procedures as p', 'p.id', 'd.procedure_id')
        .leftJoin('agencies as a', 'a.id', 'e.agency_id')
        .select([
          'e.id as event_id',
          'e.kind',
          'e.at',
          'e.note',
          'e.data',
          'd.id as dossier_id',
          'd.code',
          'd.lookup_secret',
          'd.citizen_id',
          'd.applicant_name',
          'd.applicant_email',
          'd.applicant_phone',
          'd.due_at',
          'p.name as procedure_name',
          'a.name as agency_name',
        ])
        .where('e.id', '=', eventId)
        .executeTakeFirst();
    },
    events(dossierId: string) {
      return db
        .selectFrom('dossier_events as e')
        .leftJoin('officials as o', 'o.id', 'e.actor_id')
        .selectAll('e')
        .select('o.full_name as actor_name')
        .where('e.dossier_id', '=', dossierId)
        .orderBy('e.at')
        .orderBy('e.id')
        .execute();
    },
    insertEvent(row: Insertable<DossierEventsTable>) {
      return db.insertInto('dossier_events').values(row).execute();
    },

    // --- the applicant's data store

    storeItems(ownerIdNo: string) {
      return db
        .selectFrom('citizen_store_items as i')
        .leftJoin('dossiers as d', 'd.id', 'i.source_dossier_id')
        .selectAll('i')
        .select('d.code as source_dossier_code')
        .where('i.owner_id_no', '=', ownerIdNo)
        .orderBy('i.created_at', 'desc')
        .orderBy('i.id')
        .execute();
    },
    storeItem(id: string) {
      return db.selectFrom('citizen_store_items').selectAll().where('id', '=', id).executeTakeFirst();
    },
    async insertStoreItems(rows: Insertable<CitizenStoreItemsTable>[]) {
      if (rows.length) await db.insertInto('citizen_store_items').values(rows).execute();
    },
    async setComponentStoreItem(componentId: string, storeItemId: string) {
      await db
        .updateTable('dossier_components')
        .set({ store_item_id: storeItemId })
        .where('id', '=', componentId)
        .execute();
    },

    // --- lists

    async list(f: ListFilter) {
      let q = listSelect();
      q = q.where((eb) =>
        eb.or([
          eb('d.agency_id', 'in', f.agencyIds),
          eb('d.current_agency_id', 'in', f.agencyIds),
          eb.exists(
            eb
              .selectFrom('dossier_steps as vs')
              .select('vs.id')
              .whereRef('vs.dossier_id', '=', 'd.id')
              .where('vs.agency_id', 'in', f.agencyIds),
          ),
        ]),
      );
      if (f.mine) {
        const m = f.mine;
        q = q
          .where('cs.finished_at', 'is', null)
          .where((eb) =>
            eb.or([
              eb('cs.official_id', '=', m.officialId),
              ...m.rolePairs.map((p) =>
                eb.and([eb('cs.agency_id', '=', p.agencyId), eb('cs.role', '=', p.role)]),
              ),
            ]),
          );
        q = q.where('d.state', 'in', ['received', 'processing']);
      }
      if (f.stepKind) q = q.where('cs.kind', '=', f.stepKind);
      if (f.state) q = q.where('d.state', '=', f.state);
      if (f.procedureId) q = q.where('d.procedure_id', '=', f.procedureId);
      if (f.procedureCode) q = q.where('p.code', '=', f.procedureCode);
      if (f.officialId)
        q = q.where(sql<boolean>`coalesce(cs.official_id, d.received_by) = ${f.officialId}::uuid`);
      if (f.searchKey) {
        const key = f.searchKey.replace(/[\\%_]/g, (c) => `\\${c}`);
        q = q.where(sql<boolean>`d.search_text LIKE '%' || f_search_key(${key}) || '%'`);
      }
      if (f.from)
        q = q.where(
          sql<boolean>`(coalesce(d.received_at, d.submitted_at) AT TIME ZONE 'Asia/Ho_Chi_Minh')::date >= ${f.from}::date`,
        );
      if (f.to)
        q = q.where(
          sql<boolean>`(coalesce(d.received_at, d.submitted_at) AT TIME ZONE 'Asia/Ho_Chi_Minh')::date <= ${f.to}::date`,
        );
      if (f.overdue === true)
        q = q.where((eb) =>
          eb.or([
            eb.and([
              eb('d.finished_at', 'is', null),
              eb('d.due_at', '<', f.now),
              eb('d.state', 'in', RUNNING),
            ]),
            eb.and([
              eb('d.finished_at', 'is not', null),
              eb(eb.ref('d.finished_at'), '>', eb.ref('d.due_at')),
            ]),
          ]),
        );
      if (f.overdue === false)
        q = q.where((eb) =>
          eb.or([
            eb('d.due_at', 'is', null),
            eb.and([eb('d.finished_at', 'is', null), eb('d.due_at', '>=', f.now)]),
            eb.and([
              eb('d.finished_at', 'is not', null),
              eb(eb.ref('d.finished_at'), '<=', eb.ref('d.due_at')),
            ]),
            eb('d.state', 'in', ['submitted', 'refused', 'withdrawn', 'stopped', 'supplement', 'financial']),
          ]),
        );
      const total = await q
        .clearSelect()
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow();
      const items = await q
        .orderBy('d.received_at', 'desc')
        .orderBy('d.id', 'desc')
        .limit(f.limit)
        .offset(f.offset)
        .execute();
      return { items, total: Number(total.n) };
    },

    /** Open dossiers past due whose current agency is one of `agencyIds`. */
    overdueDossiers(agencyIds: string[], now: Date) {
      return listSelect()
        .where('d.current_agency_id', 'in', agencyIds)
        .where('d.state', 'in', RUNNING)
        .where('d.due_at', '<', now)
        .orderBy('d.due_at')
        .execute();
    },
    /** Open steps past due at one of `agencyIds` (of dossiers not paused for a supplement). */
    overdueSteps(agencyIds: string[], now: Date) {
      return db
        .selectFrom('dossier_steps as s')
        .innerJoin('dossiers as d', 'd.id', 's.dossier_id')
        .innerJoin('agencies as a', 'a.id', 's.agency_id')
        .leftJoin('officials as o', 'o.id', 's.official_id')
        .select([
          'd.id as dossier_id',
          'd.code',
          's.id as step_id',
          's.name as step_name',
          's.agency_id',
          'a.name as agency_name',
          's.official_id',
          'o.full_name as official_name',
          's.due_at',
        ])
        .where('s.agency_id', 'in', agencyIds)
        .where('s.started_at', 'is not', null)
        .where('s.finished_at', 'is', null)
        .where('s.due_at', '<', now)
        .where('d.state', 'in', RUNNING)
        .orderBy('s.due_at')
        .execute();
    },

    // --- the citizen's own dossiers (portal "Hồ sơ của tôi")

    /** The dossiers a citizen account submitted, newest first. */
    citizenDossiers(citizenId: string) {
      return db
        .selectFrom('dossiers as d')
        .innerJoin('procedures as p', 'p.id', 'd.procedure_id')
        .select([
          'd.id',
          'd.code',
          'd.state',
          'd.portal_status',
          'd.submitted_at',
          'd.due_at',
          'd.finished_at',
          'p.name as procedure_name',
          // A fee still owed (paid before or after the result, not yet paid): the citizen can pay it online.
          sql<boolean>`EXISTS (SELECT 1 FROM dossier_fees f WHERE f.dossier_id = d.id AND f.paid_at IS NULL
                               AND f.amount > 0 AND f.when_paid IN ('before', 'after'))`.as('owes'),
        ])
        .where('d.citizen_id', '=', citizenId)
        .orderBy('d.submitted_at', 'desc')
        .orderBy('d.id', 'desc')
        .limit(500)
        .execute();
    },
    /** The dossier of a code with its owner account (null: none). */
    ownerOfCode(code: string) {
      return db
        .selectFrom('dossiers')
        .select(['id', 'citizen_id'])
        .where('code', '=', code)
        .executeTakeFirst();
    },
    /** An event of a kind carrying this idempotency key in its data (a form posted twice). */
    async hasEventWithKey(dossierId: string, kind: string, key: string) {
      const r = await db
        .selectFrom('dossier_events')
        .select('id')
        .where('dossier_id', '=', dossierId)
        .where('kind', '=', kind)
        .where(sql<boolean>`data->>'key' = ${key}`)
        .executeTakeFirst();
      return r !== undefined;
    },
    rating(dossierId: string) {
      return db
        .selectFrom('dossier_ratings')
        .selectAll()
        .where('dossier_id', '=', dossierId)
        .executeTakeFirst();
    },
    /** Inserts the rating; false when the dossier already has one. */
    async insertRating(row: Insertable<DossierRatingsTable>) {
      const r = await db
        .insertInto('dossier_ratings')
        .values(row)
        .onConflict((oc) => oc.column('dossier_id').doNothing())
        .returning('id')
        .executeTakeFirst();
      return r !== undefined;
    },
  };
}

export type DossiersRepo = ReturnType<typeof dossiersRepo>;
