import { sql } from 'kysely';
import type { Db } from '../../db/pool.ts';
import type { DvcqgService, DvcqgSyncState } from '../../db/schema.ts';
import type { DvcqgDossier, DvcqgProgress } from './dvcqg.ts';

/** All SQL of the national portal sync: what a message is built from, and the sync log. */
export function dvcqgRepo(db: Db) {
  const nameOf = async (id: string | null) =>
    id
      ? ((await db.selectFrom('officials').select('full_name').where('id', '=', id).executeTakeFirst())
          ?.full_name ?? null)
      : null;

  return {
    /** The dossier as DongBoHoSoMC needs it; undefined when there is no such dossier. */
    async loadDossier(id: string, fileUrl: (sha: string) => string): Promise<DvcqgDossier | undefined> {
      const d = await db
        .selectFrom('dossiers as d')
        .innerJoin('procedures as p', 'p.id', 'd.procedure_id')
        .leftJoin('procedure_sectors as s', 's.code', 'p.sector_code')
        .innerJoin('agencies as a', (j) =>
          j.on(sql<boolean>`a.id = coalesce(d.current_agency_id, d.agency_id)`),
        )
        .selectAll('d')
        .select([
          'p.code as procedure_code',
          'p.name as procedure_name',
          'p.sector_code',
          's.name as sector_name',
          'a.code as processing_agency_code',
          'a.name as processing_agency_name',
        ])
        .where('d.id', '=', id)
        .executeTakeFirst();
      if (!d) return undefined;
      const [components, fees, pauses, results] = await Promise.all([
        db
          .selectFrom('dossier_components as c')
          .leftJoin('procedure_components as pc', 'pc.id', 'c.spec_id')
          .select([
            'c.id',
            'c.name',
            'c.originals',
            'c.certified',
            'c.copies',
            'c.blob',
            'c.pause_id',
            'pc.code as spec_code',
          ])
          .where('c.dossier_id', '=', id)
          .orderBy('c.ordinal')
          .orderBy('c.created_at')
          .execute(),
        db.selectFrom('dossier_fees').selectAll().where('dossier_id', '=', id).orderBy('name').execute(),
        db
          .selectFrom('dossier_pauses as p')
          .leftJoin('officials as rq', 'rq.id', 'p.requested_by')
          .leftJoin('officials as rs', 'rs.id', 'p.resumed_by')
          .selectAll('p')
          .select(['rq.full_name as requested_name', 'rs.full_name as resumed_name'])
          .where('p.dossier_id', '=', id)
          .where('p.kind', '=', 'supplement')
          .orderBy('p.requested_at')
          .execute(),
        db
          .selectFrom('dossier_results')
          .selectAll()
          .where('dossier_id', '=', id)
          .orderBy('created_at')
          .execute(),
      ]);
      const rep = d.representative as { name?: unknown } | null;
      return {
        code: d.code,
        procedureCode: d.procedure_code,
        procedureName: d.procedure_name,
        sectorCode: d.sector_code,
        sectorName: d.sector_name,
        applicantKind: d.applicant_kind,
        applicantName: d.applicant_name,
        applicantIdNo: d.applicant_id_no,
        applicantAddress: d.applicant_address,
        applicantPhone: d.applicant_phone,
        applicantEmail: d.applicant_email,
        representativeName: typeof rep?.name === 'string' ? rep.name : null,
        summary: d.summary,
        channel: d.channel,
        receivedAt: d.received_at,
        dueAt: d.due_at,
        portalStatus: d.portal_status,
        finishedAt: d.finished_at,
        deliveredAt: d.delivered_at,
        deliveryMethod: d.delivery_method,
        deliveryNote: d.delivery_note,
        closedReason: d.closed_reason,
        processingAgencyCode: d.processing_agency_code,
        processingAgencyName: d.processing_agency_name,
        components: components
          .filter((c) => c.pause_id === null)
          .map((c) => ({
            id: c.id,
            specCode: c.spec_code,
            name: c.name,
            originals: c.originals,
            certified: c.certified,
            copies: c.copies,
            fileUrl: c.blob ? fileUrl(c.blob) : null,
          })),
        fees: fees.map((f) => ({
          code: f.code,
          name: f.name,
          kind: f.kind,
          amount: Number(f.amount),
          whenPaid: f.when_paid,
        })),
        supplements: pauses.map((p) => ({
          id: p.id,
          requestedBy: p.requested_name,
          reason: p.reason,
          items: (Array.isArray(p.items) ? p.items : []).map(itemText),
          requestedAt: p.requested_at,
          resumedBy: p.resumed_name,
          resumedAt: p.resumed_at,
          received: components.filter((c) => c.pause_id === p.id).map((c) => c.name),
          dueBefore: p.due_before,
          dueAfter: p.due_after,
        })),
        results: results.map((r) => ({
          id: r.id,
          code: r.code,
          name: r.name,
          fileUrl: r.blob ? fileUrl(r.blob) : null,
        })),
      };
    },

    /**
     * The progress line of a step event (data.stepId, or a kind starting with "step" on the
     * dossier's current step); undefined for other events.
     */
    async loadProgress(dossierId: string, eventId: string): Promise<DvcqgProgress | undefined> {
      const e = await db
        .selectFrom('dossier_events as e')
        .innerJoin('dossiers as d', 'd.id', 'e.dossier_id')
        .select([
          'e.at',
          'e.kind',
          'e.portal_status',
          'e.actor_id',
          'e.note',
          'e.data',
          'd.code',
          'd.current_step_id',
        ])
        .where('e.id', '=', eventId)
        .where('e.dossier_id', '=', dossierId)
        .executeTakeFirst();
      if (!e) return undefined;
      const data = (e.data ?? {}) as { stepId?: unknown };
      const stepId =
        typeof data.stepId === 'string' ? data.stepId : e.kind.startsWith('step') ? e.current_step_id : null;
      if (!stepId) return undefined;
      const step = await db
        .selectFrom('dossier_steps as s')
        .innerJoin('agencies as a', 'a.id', 's.agency_id')
        .leftJoin('departments as dp', 'dp.id', 's.department_id')
        .select([
          's.name',
          's.official_id',
          's.started_at',
          's.due_at',
          's.note',
          'a.name as agency_name',
          'dp.name as department_name',
        ])
        .where('s.id', '=', stepId)
        .where('s.dossier_id', '=', dossierId)
        .executeTakeFirst();
      if (!step) return undefined;
      const who = e.actor_id ?? step.official_id;
      const title = who
        ? await db
            .selectFrom('memberships as m')
            .innerJoin('positions as p', 'p.id', 'm.position_id')
            .select('p.name')
            .where('m.official_id', '=', who)
            .orderBy('m.is_primary', 'desc')
            .executeTakeFirst()
        : undefined;
      return {
        dossierCode: e.code,
        officialName: await nameOf(who),
        officialTitle: title?.name ?? null,
        at: e.at,
        departmentName: step.department_name,
        agencyName: step.agency_name,
        content: [step.name, e.note ?? step.note].filter(Boolean).join(': '),
        portalStatus: e.portal_status,
        stepStartedAt: step.started_at,
        stepDueAt: step.due_at,
      };
    },

    eventExists(dossierId: string, eventId: string) {
      return db
        .selectFrom('dossier_events')
        .select('id')
        .where('id', '=', eventId)
        .where('dossier_id', '=', dossierId)
        .executeTakeFirst();
    },

    /** Whether a snapshot of the dossier reached the portal before (then isUpdating is True). */
    async sentBefore(dossierId: string, exceptEventId: string): Promise<boolean> {
      const r = await db
        .selectFrom('dvcqg_sync_log')
        .select('id')
        .where('dossier_id', '=', dossierId)
        .where('service', '=', 'DongBoHoSoMC')
        .where('state', '=', 'sent')
        .where('event_id', '!=', exceptEventId)
        .executeTakeFirst();
      return r !== undefined;
    },

    findLog(eventId: string, service: DvcqgService) {
      return db
        .selectFrom('dvcqg_sync_log')
        .selectAll()
        .where('event_id', '=', eventId)
        .where('service', '=', service)
        .executeTakeFirst();
    },

    getLog(id: string) {
      return db.selectFrom('dvcqg_sync_log').selectAll().where('id', '=', id).executeTakeFirst();
    },

    /** The log row of (event, service), created on the first attempt; the payload is the latest built. */
    async upsertLog(row: {
      id: string;
      dossierId: string;
      eventId: string;
      service: DvcqgService;
      isUpdating: boolean;
      payload: unknown;
    }) {
      return db
        .insertInto('dvcqg_sync_log')
        .values({
          id: row.id,
          dossier_id: row.dossierId,
          event_id: row.eventId,
          service: row.service,
          is_updating: row.isUpdating,
          payload: JSON.stringify(row.payload),
          state: 'pending',
        })
        .onConflict((oc) =>
          oc.columns(['event_id', 'service']).doUpdateSet({
            payload: JSON.stringify(row.payload),
            is_updating: row.isUpdating,
          }),
        )
        .returningAll()
        .executeTakeFirstOrThrow();
    },

    /** One attempt's outcome (or the disabled state, which is no attempt). */
    async settle(
      id: string,
      s: {
        state: DvcqgSyncState;
        attempted: boolean;
        httpStatus?: number | null;
        response?: string | null;
        error?: string | null;
      },
    ) {
      await db
        .updateTable('dvcqg_sync_log')
        .set((eb) => ({
          state: s.state,
          attempts: s.attempted ? eb('attempts', '+', 1) : eb.ref('attempts'),
          http_status: s.httpStatus ?? null,
          response: s.response === undefined || s.response === null ? null : s.response.slice(0, 4000),
          error: s.error ?? null,
          last_attempt_at: s.attempted ? new Date() : eb.ref('last_attempt_at'),
          sent_at: s.state === 'sent' ? new Date() : null,
        }))
        .where('id', '=', id)
        .execute();
    },

    async list(q: {
      state?: DvcqgSyncState | undefined;
      dossierId?: string | undefined;
      limit: number;
      offset: number;
    }) {
      let b = db
        .selectFrom('dvcqg_sync_log as l')
        .innerJoin('dossiers as d', 'd.id', 'l.dossier_id')
        .selectAll('l')
        .select('d.code as dossier_code');
      if (q.state) b = b.where('l.state', '=', q.state);
      if (q.dossierId) b = b.where('l.dossier_id', '=', q.dossierId);
      const [items, total] = await Promise.all([
        b.orderBy('l.created_at', 'desc').orderBy('l.id', 'desc').limit(q.limit).offset(q.offset).execute(),
        (() => {
          let c = db.selectFrom('dvcqg_sync_log as l').select((eb) => eb.fn.countAll<string>().as('n'));
          if (q.state) c = c.where('l.state', '=', q.state);
          if (q.dossierId) c = c.where('l.dossier_id', '=', q.dossierId);
          return c.executeTakeFirstOrThrow();
        })(),
      ]);
      return { items, total: Number(total.n) };
    },
  };
}

/** A supplement item as stored (a string, or {name, note}) in words. */
function itemText(i: unknown): string {
  if (typeof i === 'string') return i;
  if (i && typeof i === 'object') {
    const o = i as { name?: unknown; note?: unknown };
    return [o.name, o.note].filter((x) => typeof x === 'string' && x).join(' - ');
  }
  return String(i);
}
