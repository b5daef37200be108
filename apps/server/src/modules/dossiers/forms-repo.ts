import { type Insertable, sql } from 'kysely';
import type { Db } from '../../db/pool.ts';
import type { DossierEventsTable, DossierFormKind, DossierSignedFormsTable } from '../../db/schema.ts';

/**
 * All SQL of the one-stop forms: a dossier with what its forms print, the tracking book rows, and
 * the forms signed with the agency signature (dossier_signed_forms).
 */
export function formsRepo(db: Db) {
  const agency = (id: string) =>
    db
      .selectFrom('agencies as a')
      .leftJoin('agencies as p', 'p.id', 'a.parent_id')
      .select(['a.id', 'a.name', 'p.name as parent_name'])
      .where('a.id', '=', id)
      .executeTakeFirst();

  return {
    agency,

    /** The dossier and everything its forms show; undefined when there is none. */
    async dossierIdByCode(code: string) {
      return (await db.selectFrom('dossiers').select('id').where('code', '=', code).executeTakeFirst())?.id;
    },
    async loadDossier(id: string) {
      const d = await db
        .selectFrom('dossiers as d')
        .innerJoin('procedures as p', 'p.id', 'd.procedure_id')
        .leftJoin('procedure_channels as ch', (j) =>
          j.onRef('ch.case_id', '=', 'd.case_id').onRef('ch.channel', '=', 'd.channel'),
        )
        .leftJoin('officials as rb', 'rb.id', 'd.received_by')
        .selectAll('d')
        .select([
          'p.name as procedure_name',
          'ch.duration_value as channel_duration_value',
          'ch.duration_unit as channel_duration_unit',
          'rb.full_name as received_by_name',
        ])
        .where('d.id', '=', id)
        .executeTakeFirst();
      if (!d) return undefined;
      const [receiving, components, fees, pauses, apologies, steps, handovers] = await Promise.all([
        agency(d.agency_id),
        db
          .selectFrom('dossier_components')
          .select(['name', 'originals', 'certified', 'copies'])
          .where('dossier_id', '=', id)
          .where('pause_id', 'is', null)
          .orderBy('ordinal')
          .orderBy('created_at')
          .execute(),
        db
          .selectFrom('dossier_fees')
          .select(['name', 'amount', 'when_paid'])
          .where('dossier_id', '=', id)
          .orderBy('name')
          .execute(),
        db
          .selectFrom('dossier_pauses as p')
          .leftJoin('officials as o', 'o.id', 'p.requested_by')
          .select(['p.reason', 'p.items', 'p.requested_at', 'o.full_name', 'o.phone', 'o.email'])
          .where('p.dossier_id', '=', id)
          .where('p.kind', '=', 'supplement')
          .orderBy('p.requested_at', 'desc')
          .execute(),
        db
          .selectFrom('dossier_apologies as x')
          .leftJoin('officials as o', 'o.id', 'x.issued_by')
          .select(['x.agency_id', 'x.reason', 'x.old_due_at', 'x.new_due_at', 'x.issued_at', 'o.full_name'])
          .where('x.dossier_id', '=', id)
          .orderBy('x.issued_at', 'desc')
          .execute(),
        db
          .selectFrom('dossier_steps as s')
          .innerJoin('agencies as a', 'a.id', 's.agency_id')
          .leftJoin('departments as dp', 'dp.id', 's.department_id')
          .leftJoin('officials as o', 'o.id', 's.official_id')
          .select([
            's.ordinal',
            's.name',
            's.agency_id',
            's.started_at',
            's.due_at',
            's.finished_at',
            's.outcome',
            's.note',
            'a.name as agency_name',
            'dp.name as department_name',
            'o.full_name as official_name',
          ])
          .where('s.dossier_id', '=', id)
          .orderBy('s.ordinal')
          .execute(),
        db
          .selectFrom('dossier_handovers as h')
          .innerJoin('agencies as f', 'f.id', 'h.from_agency_id')
          .innerJoin('agencies as t', 't.id', 'h.to_agency_id')
          .select([
            'h.sent_at',
            'h.received_at',
            'h.result',
            'h.note',
            'h.to_agency_id',
            'f.name as from_name',
            't.name as to_name',
          ])
          .where('h.dossier_id', '=', id)
          .orderBy('h.sent_at')
          .execute(),
      ]);
      const apologyAgency = apologies[0] ? await agency(apologies[0].agency_id) : undefined;
      return { d, receiving, components, fees, pauses, apologies, apologyAgency, steps, handovers };
    },

    /** Agencies of a dossier's steps and hand-overs (who may print its forms besides the receiver). */
    async involvedAgencyIds(id: string): Promise<string[]> {
      const rows = await db
        .selectFrom('dossiers')
        .select('agency_id as id')
        .where('id', '=', id)
        .union(db.selectFrom('dossier_steps').select('agency_id as id').where('dossier_id', '=', id))
        .union(db.selectFrom('dossier_handovers').select('to_agency_id as id').where('dossier_id', '=', id))
        .execute();
      return rows.map((r) => r.id);
    },

    /** The dossier's row, locked for the rest of the transaction (signing records under it). */
    lockDossier(id: string) {
      return db
        .selectFrom('dossiers')
        .select(['id', 'code', 'state', 'portal_status'])
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirst();
    },

    insertEvent(row: Insertable<DossierEventsTable>) {
      return db.insertInto('dossier_events').values(row).execute();
    },

    /** Under the dossier's lock (unique per dossier, form and content). */
    insertSignedForm(row: Insertable<DossierSignedFormsTable>) {
      return db.insertInto('dossier_signed_forms').values(row).execute();
    },

    /** Signed forms of a dossier, oldest first; or the one of a form's content, or by id. */
    signedForms(
      dossierId: string,
      only: { form: DossierFormKind; contentSha256: string } | { id: string } | null = null,
    ) {
      let q = db
        .selectFrom('dossier_signed_forms as s')
        .innerJoin('agencies as a', 'a.id', 's.agency_id')
        .innerJoin('officials as o', 'o.id', 's.signed_by')
        .select([
          's.id',
          's.form',
          's.content_sha256',
          's.blob_sha256',
          's.agency_id',
          's.certificate_subject',
          's.signed_by',
          's.signed_at',
          'a.name as agency_name',
          'o.full_name as signed_by_name',
        ])
        .where('s.dossier_id', '=', dossierId);
      if (only && 'id' in only) q = q.where('s.id', '=', only.id);
      else if (only) q = q.where('s.form', '=', only.form).where('s.content_sha256', '=', only.contentSha256);
      return q.orderBy('s.signed_at').orderBy('s.id').execute();
    },

    /** Dossiers received by an agency on local days from..to (inclusive), in order of receipt. */
    bookRows(agencyId: string, from: string, to: string) {
      return db
        .selectFrom('dossiers as d')
        .innerJoin('procedures as p', 'p.id', 'd.procedure_id')
        .innerJoin('agencies as a', 'a.id', 'd.agency_id')
        .innerJoin('dossier_state_map as m', (j) =>
          j
            .onRef('m.state', '=', 'd.state')
            .on(sql<boolean>`m.valid_from <= (d.received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date`)
            .on(
              sql<boolean>`(m.valid_to IS NULL OR m.valid_to > (d.received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date)`,
            ),
        )
        .select((eb) => [
          'd.code',
          'd.sets',
          'd.applicant_name',
          'd.applicant_address',
          'd.applicant_phone',
          'd.received_at',
          'd.due_at',
          'd.finished_at',
          'd.delivered_at',
          'd.closed_reason',
          'p.name as procedure_name',
          'a.name as agency_name',
          'm.label_vi as state_label',
          eb
            .selectFrom('dossier_handovers as h')
            .select((e) => e.fn.min('h.sent_at').as('t'))
            .whereRef('h.dossier_id', '=', 'd.id')
            .as('transferred_at'),
          eb
            .selectFrom('dossier_handovers as h')
            .innerJoin('agencies as ta', 'ta.id', 'h.to_agency_id')
            .select('ta.name')
            .whereRef('h.dossier_id', '=', 'd.id')
            .orderBy('h.sent_at')
            .limit(1)
            .as('lead_agency_name'),
        ])
        .where('d.agency_id', '=', agencyId)
        .where(
          sql<boolean>`(d.received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date BETWEEN ${from}::date AND ${to}::date`,
        )
        .orderBy('d.received_at')
        .orderBy('d.code')
        .execute();
    },
  };
}

export type FormsRepo = ReturnType<typeof formsRepo>;
export type LoadedDossier = NonNullable<Awaited<ReturnType<FormsRepo['loadDossier']>>>;
