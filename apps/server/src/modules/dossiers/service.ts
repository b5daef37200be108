import { randomBytes, timingSafeEqual } from 'node:crypto';
import type {
  AcceptDossier,
  Apology,
  AssignStep,
  AttachScan,
  CompleteStep,
  DeliverDossier,
  DoneDossier,
  DossierListQuery,
  DossierView,
  FinancialDone,
  FinancialRequest,
  OverdueQuery,
  OverdueReport,
  PublicDossierStatus,
  ReceiveComponent,
  ReceiveDossier,
  StoreItem,
  SupplementReceived,
  SupplementRequest,
} from '@congvu/contracts';
import { nfc } from '@congvu/vntext';
import type { WorkCalendar } from '@congvu/workdays';
import { v7 as uuidv7 } from 'uuid';
import type { z } from 'zod';
import type { Db } from '../../db/pool.ts';
import type { DossierState, ProcedureFee } from '../../db/schema.ts';
import { type AuditActor, recordAudit } from '../../platform/audit/service.ts';
import { batched } from '../../platform/batch.ts';
import { AppError } from '../../platform/errors.ts';
import { filesRepo } from '../../platform/files/repo.ts';
import { enqueue, type HandlerContext, type OutboxHandler } from '../../platform/outbox/service.ts';
import type { AuthContext } from '../../platform/policy.ts';
import type { CalendarService } from '../calendar/service.ts';
import type { OrgService } from '../org/service.ts';
import type { ProceduresService } from '../procedures/service.ts';
import { dossierCode, localDay, localInstant } from './code.ts';
import { agencyTimes, dueFrom, receptionClockStart, resumedDue, stepTiming } from './deadline.ts';
import { type DossierScope, dossiersPolicy as policy } from './policy.ts';
import { dossiersRepo } from './repo.ts';

/** How long the public lookup keeps a day's state labels at most (see stateLabelsOf). */
const STATE_LABELS_MAX_AGE_MS = 10 * 60_000;

/** Every dossier transition is published on the outbox under this topic: {dossierId, eventId}. */
export const DOSSIERS_EVENT_TOPIC = 'dossiers.event';
export interface DossierEventMessage {
  dossierId: string;
  eventId: string;
}
/** A follower of dossier events (the national portal sync will be one), run in the dispatcher's transaction. */
export type DossierEventSubscriber = (m: DossierEventMessage, ctx: HandlerContext) => Promise<void>;

/** The outbox handler of dossiers.event: hands the message to every subscriber (none is fine). */
export function dossierEventsHandler(subscribers: readonly DossierEventSubscriber[] = []): OutboxHandler {
  return async (payload, ctx) => {
    const m = payload as DossierEventMessage;
    if (subscribers.length === 0) return { skipped: 'không có nơi nhận' };
    for (const s of subscribers) await s(m, ctx);
    return undefined;
  };
}

type Actor = AuditActor & { auth: AuthContext };
type Out<T extends z.ZodType> = z.output<T>;
type Row = NonNullable<Awaited<ReturnType<ReturnType<typeof dossiersRepo>['lock']>>>;
type StepRowT = NonNullable<Awaited<ReturnType<ReturnType<typeof dossiersRepo>['step']>>>;

const OPEN_STATES: DossierState[] = ['received', 'processing', 'supplement', 'financial'];
const iso = (d: Date | null) => (d ? d.toISOString() : null);
const num = (s: string | number | null) => (s === null ? null : Number(s));
const clean = (s: string | undefined) => (s === undefined || s === '' ? null : nfc(s));
const isUniqueViolation = (e: unknown, constraint: string) =>
  (e as { code?: string }).code === '23505' && (e as { constraint?: string }).constraint === constraint;
const money = (n: number) => `${n.toLocaleString('vi-VN').replaceAll(',', '.')} đồng`;

/** A fee the applicant still owes: its position in the channel's list, name and amount. */
interface OwedFee {
  ordinal: number;
  name: string;
  amount: number;
}

/**
 * Refuses the act when a fee due by now is neither paid already nor paid with the act: "thu trước"
 * fees at reception, every fee still owed at delivery. A fee of 0 đồng has nothing to collect.
 */
function requirePaid(owed: OwedFee[], moment: 'reception' | 'delivery') {
  if (owed.length === 0) return;
  const when = moment === 'reception' ? 'khi tiếp nhận hồ sơ' : 'trước khi trả kết quả';
  const list = owed.map((f) => `${f.name} (${money(f.amount)})`).join('; ');
  throw new AppError(
    'DOSSIER_FEES_UNPAID',
    { moment, fees: owed },
    `Chưa thu phí, lệ phí phải nộp ${when}: ${list}`,
  );
}

/** The dossier's fee rows (in catalogue order) still owed by `moment`, not in `paidNow`. */
function owedBy(
  rows: { name: string; amount: string | number; when_paid: string; paid_at: Date | null }[],
  moment: 'reception' | 'delivery',
  paidNow: Set<number>,
): OwedFee[] {
  const due = moment === 'reception' ? ['before'] : ['before', 'after'];
  return rows.flatMap((f, ordinal) =>
    due.includes(f.when_paid) && Number(f.amount) > 0 && f.paid_at === null && !paidNow.has(ordinal)
      ? [{ ordinal, name: f.name, amount: Number(f.amount) }]
      : [],
  );
}

/** A new dossier row's columns before reception: no clock, no deadline, no step, not finished. */
const NOT_YET_RECEIVED = {
  received_at: null,
  received_by: null,
  clock_start_at: null,
  duration_value: null,
  duration_unit: null,
  original_due_at: null,
  due_at: null,
  current_step_id: null,
  finished_at: null,
  delivered_at: null,
  delivery_method: null,
  delivery_note: null,
  closed_reason: null,
} as const;

/** The fees a dossier carries (paid before or after the result; exempt ones are not counted). */
const feeTotal = (fees: ProcedureFee[]) =>
  fees.filter((f) => f.when === 'before' || f.when === 'after').reduce((a, f) => a + f.amount, 0);

/** States in which fees may still be paid online (not closed, not yet delivered). */
const PAYABLE_STATES: DossierState[] = [
  'submitted',
  'received',
  'processing',
  'supplement',
  'financial',
  'done',
];

/** States in which the owner may withdraw the dossier online: those the counter's withdrawal allows. */
const CITIZEN_WITHDRAWABLE: DossierState[] = [
  'submitted',
  'received',
  'processing',
  'supplement',
  'financial',
];

/** States in which the owner may still ask for the result by post (not delivered, not closed). */
const POSTAL_CHOICE_STATES: DossierState[] = ['received', 'processing', 'supplement', 'financial', 'done'];

/** States in which the counter may still digitise the papers it received. */
const DIGITISABLE: DossierState[] = [
  'received',
  'processing',
  'supplement',
  'financial',
  'done',
  'delivered',
];

export function dossiersService(
  db: Db,
  org: OrgService,
  calendar: CalendarService,
  opts: {
    now?: () => Date;
    /** The catalogue (module procedures owns its tables). */
    procedures: Pick<ProceduresService, 'receptionCatalogue'>;
    /**
     * Result files: their bytes, and the signing module's verification against the trust store
     * (an electronic result counts as signed only when every signature is valid and trusted).
     */
    resultFiles: {
      read(sha256: string): Promise<Uint8Array>;
      verifyPdf(pdf: Uint8Array): Promise<{
        valid: boolean;
        trusted: boolean;
        signatures?: { signer: { commonName?: string; organization?: string }; signingTime?: string }[];
      }>;
    };
  },
) {
  const now = opts.now ?? (() => new Date());
  const repo = dossiersRepo(db);
  // Concurrent public lookups share one round trip (platform/batch.ts).
  const publicLookup = batched(
    (codes: string[]) => repo.publicLookup(codes),
    (r) => r.code,
  );

  async function scope(auth: AuthContext): Promise<DossierScope> {
    const who = auth.actingFor?.id ?? auth.officialId;
    return policy.scope(auth, who, who ? await org.agencyIdsOf(who) : []);
  }

  /**
   * The portal labels (portal status → label_vi and label_en) in force on a day, kept in process for the public
   * lookup: dossier_state_map is effective-dated data, so the key is the day (a new day loads the
   * map again); it is also reloaded after STATE_LABELS_MAX_AGE_MS, so a correction made directly in
   * the database shows within minutes without a restart. Concurrent first calls share one query.
   */
  type Labels = Map<number, { vi: string; en: string }>;
  let stateLabels: { from: number; to: number; loadedAt: number; labels: Promise<Labels> } | null = null;
  function stateLabelsOf(at: Date): Promise<Labels> {
    const t = Date.now();
    const ms = at.getTime();
    if (
      stateLabels &&
      ms >= stateLabels.from &&
      ms < stateLabels.to &&
      t - stateLabels.loadedAt < STATE_LABELS_MAX_AGE_MS
    )
      return stateLabels.labels;
    const day = localDay(at);
    const from = localInstant(day, '00:00').getTime();
    const labels = repo.stateMap(day).then((rows) => {
      const m: Labels = new Map();
      for (const r of rows)
        if (!m.has(r.portal_status)) m.set(r.portal_status, { vi: r.label_vi, en: r.label_en });
      return m;
    });
    const entry = { from, to: from + 86_400_000, loadedAt: t, labels };
    stateLabels = entry;
    // A failed load is not kept: the next lookup asks again.
    labels.catch(() => {
      if (stateLabels === entry) stateLabels = null;
    });
    return labels;
  }

  /** Status (code and label) of a state on a day, from dossier_state_map. */
  async function statusOf(trx: Db, state: DossierState, day: string) {
    const m = (await dossiersRepo(trx).stateMap(day)).find((r) => r.state === state);
    if (!m) throw new Error(`no dossier_state_map row for ${state} on ${day}`);
    return { portalStatus: m.portal_status, label: m.label_vi };
  }

  /**
   * Records a transition or an act on the dossier, in the caller's transaction: the new state and
   * its portal status, the timeline event, the audit record and the outbox message.
   */
  async function emit(
    trx: Db,
    actor: AuditActor,
    d: { id: string; code: string; state: DossierState },
    ev: {
      kind: string;
      state?: DossierState;
      at: Date;
      agencyId: string | null;
      note?: string | null;
      data?: Record<string, unknown>;
      /** A citizen's own act (portal): the audit record's entity is the citizen account. */
      citizenId?: string;
    },
  ) {
    const state = ev.state ?? d.state;
    const { portalStatus } = await statusOf(trx, state, localDay(ev.at));
    const r = dossiersRepo(trx);
    if (state !== d.state) await r.update(d.id, { state, portal_status: portalStatus });
    const eventId = uuidv7();
    const who = actor.auth?.actingFor?.id ?? actor.auth?.officialId ?? null;
    await r.insertEvent({
      id: eventId,
      dossier_id: d.id,
      at: ev.at,
      kind: ev.kind,
      state,
      portal_status: portalStatus,
      actor_id: who,
      agency_id: ev.agencyId,
      note: ev.note ?? null,
      data: JSON.stringify(ev.data ?? {}),
    });
    await recordAudit(trx, actor, {
      action: `dossiers.${ev.kind}`,
      entityType: ev.citizenId ? 'citizen' : 'dossier',
      entityId: ev.citizenId ?? d.id,
      summary: {
        code: d.code,
        ...(ev.citizenId && { dossierId: d.id }),
        from: d.state,
        to: state,
        ...(ev.note && { note: ev.note }),
        ...ev.data,
      },
    });
    await enqueue(trx, {
      topic: DOSSIERS_EVENT_TOPIC,
      payload: { dossierId: d.id, eventId } satisfies DossierEventMessage,
      dedupeKey: `dossiers.event:${eventId}`,
    });
    d.state = state;
    return eventId;
  }

  /** Runs a change under the dossier's row lock. */
  async function underLock<T>(
    id: string,
    fn: (trx: Db, d: Row, cal: WorkCalendar) => Promise<T>,
  ): Promise<T> {
    // The calendar is read before the transaction: never wait for a second connection inside one.
    const cal = await calendar.calendar();
    return db.transaction().execute(async (trx) => {
      const d = await dossiersRepo(trx).lock(id);
      if (!d) throw new AppError('DOSSIER_NOT_FOUND');
      return fn(trx, d, cal);
    });
  }

  /** The dossier if the official may see it; otherwise "not found", so existence does not leak. */
  async function readable(s: DossierScope, d: Row | undefined) {
    if (!d) throw new AppError('DOSSIER_NOT_FOUND');
    const stepAgencies = (await repo.steps(d.id)).map((x) => x.agency_id);
    if (!policy.canRead(s, d, stepAgencies) && !policy.canReceive(s, d.agency_id))
      throw new AppError('DOSSIER_NOT_FOUND');
  }

  function expect(d: Row, states: readonly DossierState[]) {
    if (!states.includes(d.state)) throw new AppError('DOSSIER_STATE_INVALID', { state: d.state });
  }

  /** Who acts on the dossier as a whole: who may process its current step, else the receiving counter. */
  async function canActOnCurrent(trx: Db, s: DossierScope, d: Row) {
    if (d.current_step_id) {
      const step = await dossiersRepo(trx).step(d.current_step_id);
      if (step && policy.canProcess(s, step)) return true;
    }
    const agency = d.current_agency_id ?? d.agency_id;
    return (s.can.process && s.agencyIds.includes(agency)) || policy.canReceive(s, d.agency_id);
  }

  /** Who uploads files in this request: the signed-in official, not whom they act for. */
  const uploaderOf = (actor: Actor) => actor.auth?.officialId ?? null;

  /** Results with a file go into the owner's data store (kind result); the new items' ids, in order. */
  async function storeResults(
    trx: Db,
    d: { id: string; applicant_id_no: string | null },
    results: { code: string | null; name: string; blob: string | null }[],
  ): Promise<string[]> {
    const owner = d.applicant_id_no;
    if (!owner) return [];
    const items = results.flatMap((x) =>
      x.blob
        ? [
            {
              id: uuidv7(),
              owner_id_no: owner,
              kind: 'result' as const,
              code: x.code,
              name: x.name,
              blob: x.blob,
              source_dossier_id: d.id,
              valid_until: null,
            },
          ]
        : [],
    );
    if (items.length) await dossiersRepo(trx).insertStoreItems(items);
    return items.map((i) => i.id);
  }

  async function ownFile(trx: Db, uploader: string | null, sha256: string) {
    if (!uploader || !(await filesRepo(trx).findOwnBlob(sha256, uploader)))
      throw new AppError('FILE_NOT_FOUND', { sha256 });
  }

  /** Papers as rows: a scan is digitised (1); an item of the owner's store is reused (2, or 3 from a result). */
  async function componentRows(
    trx: Db,
    /** The signed-in official (who uploaded the scans), not whom they act for. */
    uploader: string | null,
    dossierId: string,
    ownerIdNo: string | null,
    components: Out<typeof ReceiveComponent>[],
    startOrdinal: number,
    specIds: Set<string> | null,
    pauseId: string | null,
    /** Files the caller stored in this very request (the owner citizen's uploads on the portal). */
    ownUploads: ReadonlySet<string> = new Set(),
  ) {
    const rows = [];
    for (const [i, c] of components.entries()) {
      if (c.specId && specIds && !specIds.has(c.specId))
        throw new AppError('DOSSIER_PROCEDURE_INVALID', { specId: c.specId });
      let digitised: 0 | 1 | 2 | 3 = c.blob ? 1 : 0;
      let blob = c.blob ?? null;
      // A scan is a file this official uploaded: never someone else's file named by its hash.
      if (c.blob && !c.storeItemId && !ownUploads.has(c.blob)) await ownFile(trx, uploader, c.blob);
      if (c.storeItemId) {
        const item = await dossiersRepo(trx).storeItem(c.storeItemId);
        if (!item || ownerIdNo === null || item.owner_id_no !== ownerIdNo)
          throw new AppError('DOSSIER_STORE_ITEM_INVALID', { storeItemId: c.storeItemId });
        digitised = item.kind === 'result' ? 3 : 2;
        blob = item.blob;
      }
      rows.push({
        id: uuidv7(),
        dossier_id: dossierId,
        spec_id: c.specId ?? null,
        ordinal: startOrdinal + i + 1,
        name: nfc(c.name),
        originals: c.originals,
        certified: c.certified,
        copies: c.copies,
        blob,
        digitised,
        store_item_id: c.storeItemId ?? null,
        pause_id: pauseId,
      });
    }
    return rows;
  }

  /** Inserts the papers; newly digitised ones go into the owner's data store (kind component). */
  async function addComponents(
    trx: Db,
    d: { id: string; applicant_id_no: string | null },
    rows: Awaited<ReturnType<typeof componentRows>>,
  ) {
    await dossiersRepo(trx).insertComponents(rows);
    for (const c of rows)
      if (c.digitised === 1 && c.blob) await storeComponentScan(trx, d, c.id, c.name, c.blob);
  }

  /** A paper digitised at this agency goes into its owner's data store (kind component), linked to the component. */
  async function storeComponentScan(
    trx: Db,
    d: { id: string; applicant_id_no: string | null },
    componentId: string,
    name: string,
    blob: string,
  ) {
    if (!d.applicant_id_no) return null;
    const r = dossiersRepo(trx);
    const itemId = uuidv7();
    await r.insertStoreItems([
      {
        id: itemId,
        owner_id_no: d.applicant_id_no,
        kind: 'component',
        code: null,
        name,
        blob,
        source_dossier_id: d.id,
        valid_until: null,
      },
    ]);
    await r.setComponentStoreItem(componentId, itemId);
    return itemId;
  }

  /**
   * Starts the processing clock of a complete dossier received at `at`: clock start, due date, the
   * steps copied from the case's workflow (a step without an agency belongs to the receiving one),
   * the first step started.
   */
  async function startProcessing(
    trx: Db,
    cal: WorkCalendar,
    actor: Actor,
    d: Row,
    cat: NonNullable<Awaited<ReturnType<ProceduresService['receptionCatalogue']>>>,
    at: Date,
  ) {
    const r = dossiersRepo(trx);
    const cutoff = await r.cutoffFor(d.agency_id, localDay(at));
    const clockStart = receptionClockStart(cal, at, cutoff);
    const due = dueFrom(cal, clockStart, Number(cat.duration_value), cat.duration_unit);
    const steps = cat.workflow.map((w) => ({
      id: uuidv7(),
      dossier_id: d.id,
      ordinal: w.ordinal,
      workflow_step_id: w.id,
      name: w.name,
      kind: w.kind,
      agency_id: w.agency_id ?? d.agency_id,
      department_id: w.department_id,
      role: w.role,
      official_id: null,
      duration_hours: w.duration_hours,
      started_at: null,
      due_at: null,
      finished_at: null,
      outcome: null,
      note: null,
    }));
    await r.insertSteps(steps);
    const first = steps[0];
    if (first) {
      await r.updateStep(first.id, {
        started_at: clockStart,
        due_at: cal.addWorkingHours(clockStart, Number(first.duration_hours)),
      });
    }
    const who = actor.auth?.actingFor?.id ?? actor.auth?.officialId ?? null;
    await r.update(d.id, {
      received_at: at,
      received_by: who,
      clock_start_at: clockStart,
      duration_value: cat.duration_value,
      duration_unit: cat.duration_unit,
      original_due_at: due,
      due_at: due,
      current_step_id: first?.id ?? null,
      current_agency_id: first?.agency_id ?? d.agency_id,
    });
    return { clockStart, due };
  }

  /** Starts step `next` at `at`; a step at another agency hands the dossier over (control sheet). */
  async function startStep(
    trx: Db,
    cal: WorkCalendar,
    actor: Actor,
    d: Row,
    prev: StepRowT | null,
    next: StepRowT,
    at: Date,
  ) {
    const r = dossiersRepo(trx);
    const start = cal.clockStart(at);
    await r.updateStep(next.id, {
      started_at: start,
      due_at: cal.addWorkingHours(start, Number(next.duration_hours)),
    });
    await r.update(d.id, { current_step_id: next.id, current_agency_id: next.agency_id });
    const from = prev?.agency_id ?? d.current_agency_id ?? d.agency_id;
    if (from !== next.agency_id) {
      const who = actor.auth?.actingFor?.id ?? actor.auth?.officialId ?? null;
      await r.insertHandover({
        id: uuidv7(),
        dossier_id: d.id,
        from_agency_id: from,
        to_agency_id: next.agency_id,
        sent_at: at,
        sent_by: who,
        received_at: null,
        received_by: null,
        result: prev?.outcome ?? null,
        note: prev?.note ?? null,
      });
      await emit(trx, actor, d, {
        kind: 'handed_over',
        at,
        agencyId: from,
        data: { fromAgencyId: from, toAgencyId: next.agency_id, stepId: next.id },
      });
    }
    d.current_step_id = next.id;
    d.current_agency_id = next.agency_id;
  }

  /** Resumes the clock after a pause: due date and the running step's due date move by the paused working time. */
  async function resume(trx: Db, cal: WorkCalendar, actor: AuditActor, d: Row, at: Date) {
    const r = dossiersRepo(trx);
    const pause = await r.openPause(d.id);
    if (!pause) return null;
    const pausedAt = new Date(pause.requested_at);
    const dueAfter = d.due_at ? resumedDue(cal, d.due_at, pausedAt, at) : null;
    const who = actor.auth?.actingFor?.id ?? actor.auth?.officialId ?? null;
    await r.updatePause(pause.id, { resumed_at: at, resumed_by: who, due_after: dueAfter });
    if (dueAfter) await r.update(d.id, { due_at: dueAfter });
    if (d.current_step_id) {
      const step = await r.step(d.current_step_id);
      if (step?.due_at && step.started_at && !step.finished_at)
        await r.updateStep(step.id, { due_at: resumedDue(cal, step.due_at, pausedAt, at) });
    }
    const steps = await r.steps(d.id);
    return {
      pause,
      dueAfter,
      back: (steps.some((s) => s.finished_at) ? 'processing' : 'received') as DossierState,
    };
  }

  async function closeOpenPause(trx: Db, d: Row, at: Date, who: string | null) {
    const r = dossiersRepo(trx);
    const pause = await r.openPause(d.id);
    if (pause) await r.updatePause(pause.id, { resumed_at: at, resumed_by: who });
  }

  const service = {
    /** Reception at the counter (channel 1) or registration of an online / postal submission (2, 3). */
    async receive(actor: Actor, input: Out<typeof ReceiveDossier>, at: Date = now()): Promise<DossierView> {
      const s = await scope(actor.auth);
      const receivingAgencies = s.can.receive ? s.agencyIds : [];
      const agencyId = input.agencyId ?? (receivingAgencies.length === 1 ? receivingAgencies[0] : undefined);
      if (!agencyId) throw new AppError('DOSSIER_AGENCY_REQUIRED');
      if (!policy.canReceive(s, agencyId)) throw new AppError('FORBIDDEN');
      if (input.idempotencyKey) {
        const existing = await repo.findByIdempotencyKey(input.idempotencyKey);
        if (existing) return service.sameAgain(existing, input, actor.auth);
      }
      const day = localDay(at);
      const cat = await opts.procedures.receptionCatalogue(
        input.procedureId,
        input.caseId,
        input.channel,
        agencyId,
        day,
      );
      if (!cat) throw new AppError('DOSSIER_PROCEDURE_INVALID');
      const fees = cat.fees as ProcedureFee[];
      for (const p of input.paidFees)
        if (!fees[p.ordinal]) throw new AppError('DOSSIER_FEE_INVALID', { ordinal: p.ordinal });
      // At the counter the dossier is received now: "thu trước" fees are collected with it.
      if (input.channel === 1)
        requirePaid(
          owedBy(
            fees.map((f) => ({ name: f.name, amount: f.amount, when_paid: f.when, paid_at: null })),
            'reception',
            new Set(input.paidFees.map((p) => p.ordinal)),
          ),
          'reception',
        );
      const agency = await repo.agencyCode(agencyId);
      if (!agency) throw new AppError('AGENCY_NOT_FOUND');
      const who = actor.auth.actingFor?.id ?? actor.auth.officialId;
      const ownerIdNo = input.applicant.idNo ?? null;
      const counter = input.channel === 1;
      // Read before the transaction: never wait for a second connection inside one.
      const cal = await calendar.calendar();
      try {
        const id = await db.transaction().execute(async (trx) => {
          const r = dossiersRepo(trx);
          const n = await r.nextNumber(agencyId, day);
          const code = dossierCode(agency.code, day, n);
          const state: DossierState = counter ? 'received' : 'submitted';
          const { portalStatus } = await statusOf(trx, 'submitted', day);
          const id = uuidv7();
          const row = await r.insertDossier({
            id,
            code,
            agency_id: agencyId,
            procedure_id: cat.id,
            case_id: cat.case_id,
            channel: input.channel,
            state: 'submitted',
            portal_status: portalStatus,
            applicant_kind: input.applicant.kind,
            applicant_name: nfc(input.applicant.name),
            applicant_id_no: ownerIdNo,
            applicant_birth_date: input.applicant.birthDate ?? null,
            applicant_address: clean(input.applicant.address),
            applicant_phone: input.applicant.phone ?? null,
            applicant_email: input.applicant.email ?? null,
            representative: input.representative ? JSON.stringify(input.representative) : null,
            summary: clean(input.summary),
            sets: input.sets,
            submitted_at: at,
            ...NOT_YET_RECEIVED,
            current_agency_id: agencyId,
            fee_total: feeTotal(fees),
            lookup_secret: randomBytes(8).toString('hex'),
            idempotency_key: input.idempotencyKey ?? null,
            created_by: who,
          });
          const specIds = new Set(cat.components.map((c) => c.id));
          await addComponents(
            trx,
            row,
            await componentRows(trx, uploaderOf(actor), id, ownerIdNo, input.components, 0, specIds, null),
          );
          const paid = new Map(input.paidFees.map((p) => [p.ordinal, p]));
          await r.insertFees(
            fees.map((f, i) => ({
              id: uuidv7(),
              dossier_id: id,
              code: f.code ?? null,
              name: f.name,
              kind: f.kind,
              amount: f.amount,
              when_paid: f.when,
              paid_at: paid.has(i) ? at : null,
              paid_online: paid.get(i)?.online ?? false,
              receipt_no: paid.get(i)?.receiptNo ?? null,
            })),
          );
          if (input.paidFees.some((p) => p.online)) await r.update(id, { paid_online: true });
          await emit(trx, actor, row, {
            kind: 'submitted',
            at,
            agencyId,
            data: { channel: input.channel },
          });
          if (counter) {
            const { clockStart, due } = await startProcessing(trx, cal, actor, row, cat, at);
            await emit(trx, actor, row, {
              kind: 'received',
              state,
              at,
              agencyId,
              data: { clockStartAt: clockStart.toISOString(), dueAt: due.toISOString() },
            });
          }
          return id;
        });
        return service.view(actor.auth, id, at);
      } catch (e) {
        if (input.idempotencyKey && isUniqueViolation(e, 'dossiers_idempotency_key_key')) {
          const existing = await repo.findByIdempotencyKey(input.idempotencyKey);
          if (existing) return service.sameAgain(existing, input, actor.auth);
        }
        throw e;
      }
    },

    /** A repeated reception with the same idempotency key: the same dossier, if it is the same request. */
    async sameAgain(
      existing: { id: string; procedure_id: string; applicant_id_no: string | null },
      input: Out<typeof ReceiveDossier>,
      auth: AuthContext,
    ) {
      if (
        existing.procedure_id !== input.procedureId ||
        existing.applicant_id_no !== (input.applicant.idNo ?? null)
      )
        throw new AppError('DOSSIER_IDEMPOTENCY_CONFLICT');
      return service.view(auth, existing.id);
    },

    /** Receives a submitted (online / postal) dossier: the clock starts now. */
    async accept(actor: Actor, id: string, input: Out<typeof AcceptDossier>, at: Date = now()) {
      const s = await scope(actor.auth);
      await underLock(id, async (trx, d, cal) => {
        if (!policy.canReceive(s, d.agency_id)) throw new AppError('DOSSIER_NOT_FOUND');
        expect(d, ['submitted']);
        const r = dossiersRepo(trx);
        const cat = await opts.procedures.receptionCatalogue(
          d.procedure_id,
          d.case_id,
          d.channel,
          d.agency_id,
          localDay(d.submitted_at),
        );
        if (!cat) throw new AppError('DOSSIER_PROCEDURE_INVALID');
        const feeRows = await r.fees(d.id);
        for (const p of input.paidFees)
          if (!feeRows[p.ordinal]) throw new AppError('DOSSIER_FEE_INVALID', { ordinal: p.ordinal });
        requirePaid(owedBy(feeRows, 'reception', new Set(input.paidFees.map((p) => p.ordinal))), 'reception');
        const specIds = new Set(cat.components.map((c) => c.id));
        const rows = await componentRows(
          trx,
          uploaderOf(actor),
          d.id,
          d.applicant_id_no,
          input.components,
          await r.maxComponentOrdinal(d.id),
          specIds,
          null,
        );
        await addComponents(trx, d, rows);
        if (input.paidFees.some((p) => p.online && feeRows[p.ordinal]?.paid_at === null))
          await r.update(d.id, { paid_online: true });
        if (
          !(await r.payFees(
            d.id,
            input.paidFees.map((p) => ({
              ordinal: p.ordinal,
              receiptNo: p.receiptNo ?? null,
              online: p.online,
            })),
            at,
          ))
        )
          throw new AppError('DOSSIER_FEE_INVALID');
        const { clockStart, due } = await startProcessing(trx, cal, actor, d, cat, at);
        await emit(trx, actor, d, {
          kind: 'received',
          state: 'received',
          at,
          agencyId: d.agency_id,
          data: { clockStartAt: clockStart.toISOString(), dueAt: due.toISOString() },
        });
      });
      return service.view(actor.auth, id, at);
    },

    /** Không tiếp nhận: a submitted dossier refused with the reason. */
    async refuse(actor: Actor, id: string, input: { reason: string }, at: Date = now()) {
      const s = await scope(actor.auth);
      await underLock(id, async (trx, d) => {
        if (!policy.canReceive(s, d.agency_id)) throw new AppError('DOSSIER_NOT_FOUND');
        expect(d, ['submitted']);
        await dossiersRepo(trx).update(d.id, { closed_reason: nfc(input.reason), current_agency_id: null });
        await emit(trx, actor, d, {
          kind: 'refused',
          state: 'refused',
          at,
          agencyId: d.agency_id,
          note: nfc(input.reason),
        });
      });
      return service.view(actor.auth, id, at);
    },

    /** Gives an unfinished step to an official of its agency (the supervisor, or who processes the current step there). */
    async assignStep(
      actor: Actor,
      id: string,
      stepId: string,
      input: Out<typeof AssignStep>,
      at: Date = now(),
    ) {
      const s = await scope(actor.auth);
      const officialAgencies = await org.agencyIdsOf(input.officialId);
      await underLock(id, async (trx, d) => {
        const r = dossiersRepo(trx);
        const step = await r.step(stepId);
        if (!step || step.dossier_id !== d.id) throw new AppError('DOSSIER_STEP_INVALID');
        const current = d.current_step_id ? await r.step(d.current_step_id) : undefined;
        const allowed =
          policy.canSupervise(s, step.agency_id) ||
          (current !== undefined && current.agency_id === step.agency_id && policy.canProcess(s, current));
        if (!allowed) throw new AppError('FORBIDDEN');
        expect(d, OPEN_STATES);
        if (step.finished_at) throw new AppError('DOSSIER_STEP_INVALID');
        if (!officialAgencies.includes(step.agency_id)) throw new AppError('DOSSIER_OFFICIAL_INVALID');
        await r.updateStep(step.id, { official_id: input.officialId });
        if (step.id === d.current_step_id) await r.acknowledgeHandover(d.id, step.agency_id, at, s.who);
        await emit(trx, actor, d, {
          kind: 'step_assigned',
          at,
          agencyId: step.agency_id,
          data: { stepId: step.id, ordinal: step.ordinal, officialId: input.officialId },
        });
      });
      return service.view(actor.auth, id, at);
    },

    /** Finishes the current step; the next starts (at another agency: a hand-over). The first finished step makes the dossier "processing". */
    async completeStep(
      actor: Actor,
      id: string,
      stepId: string,
      input: Out<typeof CompleteStep>,
      at: Date = now(),
    ) {
      const s = await scope(actor.auth);
      await underLock(id, async (trx, d, cal) => {
        const r = dossiersRepo(trx);
        const step = await r.step(stepId);
        if (!step || step.dossier_id !== d.id) throw new AppError('DOSSIER_STEP_INVALID');
        if (!policy.canProcess(s, step)) throw new AppError('FORBIDDEN');
        expect(d, ['received', 'processing']);
        if (d.current_step_id !== step.id || step.finished_at) throw new AppError('DOSSIER_STEP_INVALID');
        await r.acknowledgeHandover(d.id, step.agency_id, at, s.who);
        const finished = {
          ...step,
          finished_at: at,
          outcome: clean(input.outcome),
          note: clean(input.note),
          official_id: step.official_id ?? s.who,
        };
        await r.updateStep(step.id, {
          finished_at: at,
          outcome: finished.outcome,
          note: finished.note,
          official_id: finished.official_id,
        });
        await emit(trx, actor, d, {
          kind: 'step_completed',
          state: 'processing',
          at,
          agencyId: step.agency_id,
          note: finished.note,
          data: {
            stepId: step.id,
            ordinal: step.ordinal,
            name: step.name,
            onTime: step.due_at === null || at <= step.due_at,
          },
        });
        const next = (await r.steps(d.id)).find((x) => x.ordinal > step.ordinal && !x.finished_at);
        if (next) await startStep(trx, cal, actor, d, finished, next, at);
        else await r.update(d.id, { current_step_id: null });
      });
      return service.view(actor.auth, id, at);
    },

    /** Yêu cầu bổ sung, hoàn thiện hồ sơ: once per dossier; the clock stops. */
    async requestSupplement(
      actor: Actor,
      id: string,
      input: Out<typeof SupplementRequest>,
      at: Date = now(),
    ) {
      const s = await scope(actor.auth);
      await underLock(id, async (trx, d) => {
        if (!(await canActOnCurrent(trx, s, d))) throw new AppError('FORBIDDEN');
        if (d.supplement_requested) throw new AppError('DOSSIER_SUPPLEMENT_ONCE');
        expect(d, ['received', 'processing']);
        const r = dossiersRepo(trx);
        const pauseId = uuidv7();
        await r.insertPause({
          id: pauseId,
          dossier_id: d.id,
          kind: 'supplement',
          reason: nfc(input.reason),
          items: JSON.stringify(input.items.map((x) => nfc(x))),
          requested_at: at,
          requested_by: s.who,
          resumed_at: null,
          resumed_by: null,
          due_before: d.due_at,
          due_after: null,
        });
        await r.update(d.id, { supplement_requested: true });
        await emit(trx, actor, d, {
          kind: 'supplement_requested',
          state: 'supplement',
          at,
          agencyId: d.current_agency_id,
          note: nfc(input.reason),
          data: { pauseId, items: input.items },
        });
      });
      return service.view(actor.auth, id, at);
    },

    /** The applicant brought the missing papers: the clock resumes and the due dates move by the pause. */
    async supplementReceived(
      actor: Actor,
      id: string,
      input: Out<typeof SupplementReceived>,
      at: Date = now(),
    ) {
      const s = await scope(actor.auth);
      await underLock(id, async (trx, d, cal) => {
        if (!policy.canReceive(s, d.agency_id) && !(await canActOnCurrent(trx, s, d)))
          throw new AppError('FORBIDDEN');
        expect(d, ['supplement']);
        const r = dossiersRepo(trx);
        const pause = await r.openPause(d.id);
        const rows = await componentRows(
          trx,
          uploaderOf(actor),
          d.id,
          d.applicant_id_no,
          input.components,
          await r.maxComponentOrdinal(d.id),
          null,
          pause?.id ?? null,
        );
        await addComponents(trx, d, rows);
        const res = await resume(trx, cal, actor, d, at);
        await emit(trx, actor, d, {
          kind: 'supplement_received',
          state: res?.back ?? 'processing',
          at,
          agencyId: d.agency_id,
          data: { pauseId: pause?.id ?? null, dueAt: iso(res?.dueAfter ?? null), components: rows.length },
        });
      });
      return service.view(actor.auth, id, at);
    },

    /** Yêu cầu thực hiện nghĩa vụ tài chính: the clock stops until the obligations are met. */
    async requestFinancial(actor: Actor, id: string, input: Out<typeof FinancialRequest>, at: Date = now()) {
      const s = await scope(actor.auth);
      await underLock(id, async (trx, d) => {
        if (!(await canActOnCurrent(trx, s, d))) throw new AppError('FORBIDDEN');
        expect(d, ['received', 'processing']);
        const pauseId = uuidv7();
        await dossiersRepo(trx).insertPause({
          id: pauseId,
          dossier_id: d.id,
          kind: 'financial',
          reason: nfc(input.reason),
          items: JSON.stringify(input.amount === undefined ? [] : [{ amount: input.amount }]),
          requested_at: at,
          requested_by: s.who,
          resumed_at: null,
          resumed_by: null,
          due_before: d.due_at,
          due_after: null,
        });
        await emit(trx, actor, d, {
          kind: 'financial_requested',
          state: 'financial',
          at,
          agencyId: d.current_agency_id,
          note: nfc(input.reason),
          data: { pauseId, ...(input.amount !== undefined && { amount: input.amount }) },
        });
      });
      return service.view(actor.auth, id, at);
    },

    /** The obligations are met: fees still owed are marked paid, the clock resumes. */
    async financialDone(actor: Actor, id: string, input: Out<typeof FinancialDone>, at: Date = now()) {
      const s = await scope(actor.auth);
      await underLock(id, async (trx, d, cal) => {
        if (!policy.canReceive(s, d.agency_id) && !(await canActOnCurrent(trx, s, d)))
          throw new AppError('FORBIDDEN');
        expect(d, ['financial']);
        const r = dossiersRepo(trx);
        const unpaid = await r.unpaidFees(d.id);
        await r.markFeesPaid(
          unpaid.map((f) => f.id),
          at,
          input.receiptNo ?? null,
          input.online,
        );
        if (input.online && unpaid.length) await r.update(d.id, { paid_online: true });
        const res = await resume(trx, cal, actor, d, at);
        await emit(trx, actor, d, {
          kind: 'financial_done',
          state: res?.back ?? 'processing',
          at,
          agencyId: d.current_agency_id,
          data: { dueAt: iso(res?.dueAfter ?? null), feesPaid: unpaid.length },
        });
      });
      return service.view(actor.auth, id, at);
    },

    /** Công dân yêu cầu rút hồ sơ: recorded by an officer of the receiving (or current) agency. */
    async withdraw(actor: Actor, id: string, input: { reason: string }, at: Date = now()) {
      const s = await scope(actor.auth);
      await underLock(id, async (trx, d) => {
        if (!policy.canReceiveAt(s, d)) throw new AppError('FORBIDDEN');
        expect(d, ['submitted', ...OPEN_STATES]);
        await closeOpenPause(trx, d, at, s.who);
        await dossiersRepo(trx).update(d.id, { closed_reason: nfc(input.reason) });
        await emit(trx, actor, d, {
          kind: 'withdrawn',
          state: 'withdrawn',
          at,
          agencyId: d.current_agency_id,
          note: nfc(input.reason),
        });
      });
      return service.view(actor.auth, id, at);
    },

    /** Dừng xử lý, with the reason. */
    async stop(actor: Actor, id: string, input: { reason: string }, at: Date = now()) {
      const s = await scope(actor.auth);
      await underLock(id, async (trx, d) => {
        const supervisor = d.current_agency_id !== null && policy.canSupervise(s, d.current_agency_id);
        if (!supervisor && !(await canActOnCurrent(trx, s, d))) throw new AppError('FORBIDDEN');
        expect(d, OPEN_STATES);
        await closeOpenPause(trx, d, at, s.who);
        await dossiersRepo(trx).update(d.id, { closed_reason: nfc(input.reason) });
        await emit(trx, actor, d, {
          kind: 'stopped',
          state: 'stopped',
          at,
          agencyId: d.current_agency_id,
          note: nfc(input.reason),
        });
      });
      return service.view(actor.auth, id, at);
    },

    /** Phiếu xin lỗi và hẹn lại: before the current due date, a later date, by the current agency. */
    async apologise(actor: Actor, id: string, input: Out<typeof Apology>, at: Date = now()) {
      const s = await scope(actor.auth);
      const newDue = new Date(input.newDueAt);
      await underLock(id, async (trx, d) => {
        if (!policy.canApologise(s, d.current_agency_id)) throw new AppError('FORBIDDEN');
        expect(d, ['received', 'processing', 'financial']);
        if (!d.due_at || at >= d.due_at) throw new AppError('DOSSIER_APOLOGY_LATE');
        if (newDue <= d.due_at) throw new AppError('DOSSIER_APOLOGY_DATE');
        const r = dossiersRepo(trx);
        await r.insertApology({
          id: uuidv7(),
          dossier_id: d.id,
          agency_id: d.current_agency_id as string,
          step_id: d.current_step_id,
          reason: nfc(input.reason),
          old_due_at: d.due_at,
          new_due_at: newDue,
          issued_by: s.who,
          issued_at: at,
        });
        await r.update(d.id, { due_at: newDue });
        await emit(trx, actor, d, {
          kind: 'apology',
          at,
          agencyId: d.current_agency_id,
          note: nfc(input.reason),
          data: { oldDueAt: d.due_at.toISOString(), newDueAt: newDue.toISOString() },
        });
      });
      return service.view(actor.auth, id, at);
    },

    /** Đã xử lý xong: the results recorded (the last step, if still open, finishes); results with a file go to the owner's store. */
    async done(actor: Actor, id: string, input: Out<typeof DoneDossier>, at: Date = now()) {
      const s = await scope(actor.auth);
      // The files before the lock (verification may fetch CRLs and OCSP answers): an electronic
      // result is signed when its signatures verify and are trusted, whatever the form said; one
      // said to be signed that is not is refused.
      const checked: (Out<typeof DoneDossier>['results'][number] & { signed: boolean })[] = [];
      for (const x of input.results) {
        let signed = false;
        if (x.blob) {
          await ownFile(db, uploaderOf(actor), x.blob);
          if (x.electronic) {
            const report = await opts.resultFiles
              .verifyPdf(await opts.resultFiles.read(x.blob))
              .catch(() => ({ valid: false, trusted: false }));
            signed = report.valid && report.trusted;
          }
        }
        if (x.signed && !signed) throw new AppError('DOSSIER_RESULT_NOT_SIGNED', { name: x.name });
        checked.push({ ...x, signed });
      }
      await underLock(id, async (trx, d) => {
        if (!(await canActOnCurrent(trx, s, d))) throw new AppError('FORBIDDEN');
        expect(d, ['received', 'processing']);
        const r = dossiersRepo(trx);
        const steps = await r.steps(d.id);
        const open = steps.filter((x) => !x.finished_at);
        const last = steps[steps.length - 1];
        if (open.length > 1 || (open.length === 1 && open[0]?.id !== last?.id))
          throw new AppError('DOSSIER_STEPS_OPEN');
        if (open[0]) {
          await r.updateStep(open[0].id, { finished_at: at, official_id: open[0].official_id ?? s.who });
        }
        const results = checked.map((x) => ({
          id: uuidv7(),
          dossier_id: d.id,
          code: x.code ?? null,
          name: nfc(x.name),
          blob: x.blob ?? null,
          electronic: x.electronic,
          signed: x.signed,
          created_by: s.who,
        }));
        await r.insertResults(results);
        await storeResults(trx, d, results);
        await r.update(d.id, {
          finished_at: at,
          current_step_id: null,
          electronic_result: results.some((x) => x.electronic && x.signed && x.blob !== null),
        });
        await emit(trx, actor, d, {
          kind: 'done',
          state: 'done',
          at,
          agencyId: d.current_agency_id,
          data: { results: results.length, onTime: d.due_at === null || at <= d.due_at },
        });
      });
      return service.view(actor.auth, id, at);
    },

    /** Trả kết quả: at the counter, by post, or online (needs a signed electronic result). */
    async deliver(actor: Actor, id: string, input: Out<typeof DeliverDossier>, at: Date = now()) {
      const s = await scope(actor.auth);
      await underLock(id, async (trx, d) => {
        if (!policy.canReceiveAt(s, d)) throw new AppError('FORBIDDEN');
        expect(d, ['done']);
        const r = dossiersRepo(trx);
        if (input.method === 'online') {
          const results = await r.results(d.id);
          if (!results.some((x) => x.electronic && x.signed && x.blob))
            throw new AppError('DOSSIER_ONLINE_NEEDS_ELECTRONIC');
        }
        // "Thu sau" fees (and any fee still owed) are paid at the latest when the result is handed over.
        const feeRows = await r.fees(d.id);
        for (const p of input.paidFees)
          if (!feeRows[p.ordinal]) throw new AppError('DOSSIER_FEE_INVALID', { ordinal: p.ordinal });
        requirePaid(owedBy(feeRows, 'delivery', new Set(input.paidFees.map((p) => p.ordinal))), 'delivery');
        const paying = input.paidFees.filter((p) => feeRows[p.ordinal]?.paid_at === null);
        await r.payFees(
          d.id,
          paying.map((p) => ({ ordinal: p.ordinal, receiptNo: p.receiptNo ?? null, online: p.online })),
          at,
        );
        await r.update(d.id, {
          delivered_at: at,
          delivery_method: input.method,
          // The address the owner chose on the portal stays when the counter adds no note.
          delivery_note: clean(input.note) ?? d.delivery_note,
          ...(paying.some((p) => p.online) && { paid_online: true }),
        });
        await emit(trx, actor, d, {
          kind: 'delivered',
          state: 'delivered',
          at,
          agencyId: d.current_agency_id ?? d.agency_id,
          note: clean(input.note),
          data: { method: input.method, ...(paying.length > 0 && { feesPaid: paying.length }) },
        });
      });
      return service.view(actor.auth, id, at);
    },

    /**
     * Số hóa sau tiếp nhận: the counter attaches the scan of a paper received on paper only. The
     * component becomes digitised (1) and the scan goes into the applicant's data store for later dossiers.
     */
    async digitiseComponent(
      actor: Actor,
      id: string,
      componentId: string,
      input: Out<typeof AttachScan>,
      at: Date = now(),
    ) {
      const s = await scope(actor.auth);
      await underLock(id, async (trx, d) => {
        if (!policy.canReceiveAt(s, d)) throw new AppError('FORBIDDEN');
        expect(d, DIGITISABLE);
        const r = dossiersRepo(trx);
        const c = await r.component(componentId);
        if (!c || c.dossier_id !== d.id) throw new AppError('DOSSIER_PAPER_NOT_FOUND');
        if (c.digitised !== 0) throw new AppError('DOSSIER_PAPER_DIGITISED');
        await ownFile(trx, uploaderOf(actor), input.blob);
        await r.digitiseComponent(c.id, input.blob);
        const storeItemId = await storeComponentScan(trx, d, c.id, c.name, input.blob);
        await emit(trx, actor, d, {
          kind: 'component_digitised',
          at,
          agencyId: d.agency_id,
          note: c.name,
          data: { componentId: c.id, ordinal: c.ordinal, blob: input.blob, storeItemId },
        });
      });
      return service.view(actor.auth, id, at);
    },

    /** The scan of a result issued on paper: stored with the result and in the applicant's data store (kind result). */
    async digitiseResult(
      actor: Actor,
      id: string,
      resultId: string,
      input: Out<typeof AttachScan>,
      at: Date = now(),
    ) {
      const s = await scope(actor.auth);
      await underLock(id, async (trx, d) => {
        if (!policy.canReceiveAt(s, d)) throw new AppError('FORBIDDEN');
        expect(d, ['done', 'delivered']);
        const r = dossiersRepo(trx);
        const x = await r.result(resultId);
        if (!x || x.dossier_id !== d.id) throw new AppError('DOSSIER_PAPER_NOT_FOUND');
        if (x.blob !== null) throw new AppError('DOSSIER_PAPER_DIGITISED');
        await ownFile(trx, uploaderOf(actor), input.blob);
        await r.setResultBlob(x.id, input.blob);
        const [storeItemId = null] = await storeResults(trx, d, [{ ...x, blob: input.blob }]);
        await emit(trx, actor, d, {
          kind: 'result_digitised',
          at,
          agencyId: d.current_agency_id ?? d.agency_id,
          note: x.name,
          data: { resultId: x.id, blob: input.blob, storeItemId },
        });
      });
      return service.view(actor.auth, id, at);
    },

    /** The whole dossier, for an official who may read it. */
    async view(auth: AuthContext, id: string, at: Date = now()): Promise<DossierView> {
      const s = await scope(auth);
      await readable(s, await repo.find(id));
      return service.present(id, at);
    },

    /** The view without access checks (after a change, and for other modules: forms, sync). */
    async present(id: string, at: Date = now()): Promise<DossierView> {
      const h = await repo.header(id);
      if (!h) throw new AppError('DOSSIER_NOT_FOUND');
      const [steps, pauses, apologies, handovers, components, fees, results, events, cal, map] =
        await Promise.all([
          repo.steps(id),
          repo.pauses(id),
          repo.apologies(id),
          repo.handovers(id),
          repo.components(id),
          repo.fees(id),
          repo.results(id),
          repo.events(id),
          calendar.calendar(),
          repo.stateMap(localDay(at)),
        ]);
      const mapped = map.find((m) => m.state === h.state);
      const label = mapped?.label_vi ?? h.state;
      const pauseSpans = pauses.map((p) => ({ from: new Date(p.requested_at), to: p.resumed_at }));
      const running = h.state === 'received' || h.state === 'processing';
      return {
        id: h.id,
        code: h.code,
        agencyId: h.agency_id,
        agencyName: h.agency_name,
        agencyCode: h.agency_code,
        procedureId: h.procedure_id,
        procedureCode: h.procedure_code,
        procedureName: h.procedure_name,
        caseId: h.case_id,
        caseName: h.case_name,
        channel: h.channel,
        state: h.state,
        status: { portalStatus: h.portal_status, label, labelEn: mapped?.label_en ?? label },
        applicant: {
          kind: h.applicant_kind,
          name: h.applicant_name,
          idNo: h.applicant_id_no,
          birthDate: h.applicant_birth_date,
          address: h.applicant_address,
          phone: h.applicant_phone,
          email: h.applicant_email,
        },
        representative: h.representative,
        summary: h.summary,
        sets: h.sets,
        submittedAt: new Date(h.submitted_at).toISOString(),
        receivedAt: iso(h.received_at),
        receivedById: h.received_by,
        receivedByName: h.received_by_name,
        clockStartAt: iso(h.clock_start_at),
        durationValue: num(h.duration_value),
        durationUnit: h.duration_unit,
        originalDueAt: iso(h.original_due_at),
        dueAt: iso(h.due_at),
        overdue:
          h.due_at !== null &&
          ((running && at > h.due_at) || (h.finished_at !== null && h.finished_at > h.due_at)),
        currentAgencyId: h.current_agency_id,
        currentAgencyName: h.current_agency_name,
        currentStepId: h.current_step_id,
        finishedAt: iso(h.finished_at),
        deliveredAt: iso(h.delivered_at),
        deliveryMethod: h.delivery_method,
        deliveryNote: h.delivery_note,
        closedReason: h.closed_reason,
        supplementRequested: h.supplement_requested,
        electronicResult: h.electronic_result,
        feeTotal: Number(h.fee_total),
        paidOnline: h.paid_online,
        lookupSecret: h.lookup_secret,
        steps: steps.map((x) => ({
          id: x.id,
          ordinal: x.ordinal,
          name: x.name,
          kind: x.kind,
          agencyId: x.agency_id,
          agencyName: x.agency_name,
          departmentId: x.department_id,
          role: x.role,
          officialId: x.official_id,
          officialName: x.official_name,
          durationHours: Number(x.duration_hours),
          startedAt: iso(x.started_at),
          dueAt: iso(x.due_at),
          finishedAt: iso(x.finished_at),
          outcome: x.outcome,
          note: x.note,
          timing: stepTiming(x, at),
        })),
        agencyTimes: agencyTimes(
          cal,
          steps.map((x) => ({ ...x, duration_hours: Number(x.duration_hours) })),
          pauseSpans,
          at,
        ),
        pauses: pauses.map((p) => ({
          id: p.id,
          kind: p.kind,
          reason: p.reason,
          items: p.items,
          requestedAt: new Date(p.requested_at).toISOString(),
          requestedById: p.requested_by,
          resumedAt: iso(p.resumed_at),
          resumedById: p.resumed_by,
          dueBefore: iso(p.due_before),
          dueAfter: iso(p.due_after),
        })),
        apologies: apologies.map((x) => ({
          id: x.id,
          agencyId: x.agency_id,
          agencyName: x.agency_name,
          stepId: x.step_id,
          reason: x.reason,
          oldDueAt: new Date(x.old_due_at).toISOString(),
          newDueAt: new Date(x.new_due_at).toISOString(),
          issuedById: x.issued_by,
          issuedByName: x.issued_by_name,
          issuedAt: new Date(x.issued_at).toISOString(),
        })),
        handovers: handovers.map((x) => ({
          id: x.id,
          fromAgencyId: x.from_agency_id,
          fromAgencyName: x.from_agency_name,
          toAgencyId: x.to_agency_id,
          toAgencyName: x.to_agency_name,
          sentAt: new Date(x.sent_at).toISOString(),
          sentById: x.sent_by,
          receivedAt: iso(x.received_at),
          receivedById: x.received_by,
          result: x.result,
          note: x.note,
        })),
        components: components.map((c) => ({
          id: c.id,
          specId: c.spec_id,
          ordinal: c.ordinal,
          name: c.name,
          originals: c.originals,
          certified: c.certified,
          copies: c.copies,
          blob: c.blob,
          digitised: c.digitised,
          storeItemId: c.store_item_id,
          pauseId: c.pause_id,
        })),
        fees: fees.map((f) => ({
          id: f.id,
          code: f.code,
          name: f.name,
          kind: f.kind,
          amount: Number(f.amount),
          whenPaid: f.when_paid,
          paidAt: iso(f.paid_at),
          paidOnline: f.paid_online,
          receiptNo: f.receipt_no,
        })),
        results: results.map((x) => ({
          id: x.id,
          code: x.code,
          name: x.name,
          blob: x.blob,
          electronic: x.electronic,
          signed: x.signed,
          createdAt: x.created_at.toISOString(),
        })),
        events: events.map((e) => ({
          id: e.id,
          at: new Date(e.at).toISOString(),
          kind: e.kind,
          state: e.state,
          portalStatus: e.portal_status,
          actorId: e.actor_id,
          actorName: e.actor_name,
          agencyId: e.agency_id,
          note: e.note,
          data: e.data,
        })),
      };
    },

    /** Lists: mine (open current steps for me), my agencies', with filters. */
    async list(auth: AuthContext, q: Out<typeof DossierListQuery>, at: Date = now()) {
      const s = await scope(auth);
      let agencyIds = s.agencyIds;
      if (q.agencyId) agencyIds = agencyIds.filter((a) => a === q.agencyId);
      if (agencyIds.length === 0) return { items: [], total: 0 };
      const map = await repo.stateMap(localDay(at));
      const { items, total } = await repo.list({
        agencyIds,
        ...(q.scope === 'mine' && s.who && { mine: { officialId: s.who, rolePairs: s.rolePairs } }),
        stepKind: q.stepKind,
        state: q.state,
        overdue: q.overdue,
        procedureId: q.procedureId,
        procedureCode: q.procedureCode,
        officialId: q.officialId,
        searchKey: q.q,
        from: q.from,
        to: q.to,
        limit: q.limit,
        offset: q.offset,
        now: at,
      });
      return { items: items.map((x) => presentListItem(x, map, at)), total };
    },

    /** Overdue dossiers and steps of the agencies the official supervises, grouped by step, officer and agency. */
    async overdue(auth: AuthContext, q: Out<typeof OverdueQuery>, at: Date = now()): Promise<OverdueReport> {
      const s = await scope(auth);
      let agencyIds = policy.supervisedAgencies(s);
      if (q.agencyId) agencyIds = agencyIds.filter((a) => a === q.agencyId);
      if (agencyIds.length === 0)
        return { dossiers: [], steps: [], byStep: [], byOfficial: [], byAgency: [] };
      const [dossiers, steps, map] = await Promise.all([
        repo.overdueDossiers(agencyIds, at),
        repo.overdueSteps(agencyIds, at),
        repo.stateMap(localDay(at)),
      ]);
      const count = <K extends string>(keyOf: (x: (typeof steps)[number]) => K) => {
        const m = new Map<K, { x: (typeof steps)[number]; n: number }>();
        for (const x of steps) {
          const k = keyOf(x);
          const e = m.get(k);
          if (e) e.n++;
          else m.set(k, { x, n: 1 });
        }
        return [...m.values()];
      };
      return {
        dossiers: dossiers.map((x) => presentListItem(x, map, at)),
        steps: steps.map((x) => ({
          dossierId: x.dossier_id,
          code: x.code,
          stepId: x.step_id,
          stepName: x.step_name,
          agencyId: x.agency_id,
          agencyName: x.agency_name,
          officialId: x.official_id,
          officialName: x.official_name,
          dueAt: (x.due_at as Date).toISOString(),
        })),
        byStep: count((x) => x.step_name).map((e) => ({ stepName: e.x.step_name, count: e.n })),
        byOfficial: count((x) => x.official_id ?? '').map((e) => ({
          officialId: e.x.official_id,
          officialName: e.x.official_name,
          count: e.n,
        })),
        byAgency: count((x) => x.agency_id).map((e) => ({
          agencyId: e.x.agency_id,
          agencyName: e.x.agency_name,
          count: e.n,
        })),
      };
    },

    /** The applicant's data store, for the counter (by CCCD / tax code). */
    async storeItems(auth: AuthContext, idNo: string): Promise<StoreItem[]> {
      const s = await scope(auth);
      if (!s.can.receive || s.agencyIds.length === 0) throw new AppError('FORBIDDEN');
      return presentStoreItems(await repo.storeItems(idNo));
    },

    /**
     * The data store of one owner, for the owner themself: the citizens module calls it with the
     * CCCD of the signed-in citizen (it owns that check); staff use storeItems.
     */
    async ownerStoreItems(ownerIdNo: string): Promise<StoreItem[]> {
      return presentStoreItems(await repo.storeItems(ownerIdNo));
    },

    /** One item of an owner's store, or nothing when it is not theirs (same caller as ownerStoreItems). */
    async findOwnerStoreItem(
      ownerIdNo: string,
      id: string,
    ): Promise<{ name: string; blob: string } | undefined> {
      const i = await repo.storeItem(id);
      return i && i.owner_id_no === ownerIdNo ? { name: i.name, blob: i.blob } : undefined;
    },

    /**
     * The fee lines still owed on a dossier (thu trước / thu sau, more than 0 đồng, not paid), for an
     * online payment: asked by an official who may receive at its agency, or with the secret printed
     * on the receipt. Anyone else is told "not found", so existence does not leak.
     */
    async payableFees(who: { auth: AuthContext } | { secret: string } | { citizenId: string }, code: string) {
      const d = await repo.findByCode(code);
      if ('citizenId' in who) {
        const o = await repo.ownerOfCode(code);
        if (!d || !o || !policy.isOwner(who.citizenId, o)) throw new AppError('DOSSIER_NOT_FOUND');
      } else if ('secret' in who) {
        const a = Buffer.from(who.secret);
        const b = Buffer.from(d?.lookup_secret ?? randomBytes(8).toString('hex'));
        if (!d || a.length !== b.length || !timingSafeEqual(a, b)) throw new AppError('DOSSIER_NOT_FOUND');
      } else if (!d || !policy.canReceive(await scope(who.auth), d.agency_id))
        throw new AppError('DOSSIER_NOT_FOUND');
      if (!PAYABLE_STATES.includes(d.state)) throw new AppError('DOSSIER_STATE_INVALID', { state: d.state });
      const owed = owedBy(await repo.fees(d.id), 'delivery', new Set());
      return { dossierId: d.id, code: d.code, agencyId: d.agency_id, fees: owed };
    },

    /**
     * Fee lines paid through the payment gateway, in the caller's (the payments module's)
     * transaction: each line still unpaid is marked paid online with the order's reference as its
     * receipt; a line paid meanwhile keeps its payment. Audited, on the timeline (paid_online).
     * Returns the ordinals it marked.
     */
    async recordOnlinePayment(
      trx: Db,
      actor: AuditActor,
      dossierId: string,
      payment: { ordinals: number[]; receiptNo: string; amount: number },
      at: Date = now(),
    ): Promise<number[]> {
      const r = dossiersRepo(trx);
      const d = await r.lock(dossierId);
      if (!d) throw new AppError('DOSSIER_NOT_FOUND');
      const rows = await r.fees(d.id);
      const paying = payment.ordinals.filter((o) => rows[o] && rows[o].paid_at === null);
      await r.markFeesPaid(
        paying.map((o) => (rows[o] as { id: string }).id),
        at,
        payment.receiptNo,
        true,
      );
      if (paying.length) await r.update(d.id, { paid_online: true });
      await emit(trx, actor, d, {
        kind: 'paid_online',
        at,
        agencyId: d.current_agency_id ?? d.agency_id,
        data: { receiptNo: payment.receiptNo, amount: payment.amount, ordinals: paying },
      });
      return paying;
    },

    /** The applicant-facing status of a dossier: code + the secret printed on the receipt. Minimal data. */
    async publicStatus(code: string, secret: string, at: Date = now()): Promise<PublicDossierStatus> {
      // One statement (dossier, procedure name, history), batched with the other lookups of this
      // turn of the event loop; the labels come from the per-day cache.
      const [d, labels] = await Promise.all([publicLookup(code), stateLabelsOf(at)]);
      // Constant-time comparison; an unknown code compares against random bytes: the same answer.
      const a = Buffer.from(secret);
      const b = Buffer.from(d?.lookup_secret ?? randomBytes(8).toString('hex'));
      if (!d || a.length !== b.length || !timingSafeEqual(a, b)) throw new AppError('DOSSIER_NOT_FOUND');
      const history: PublicDossierStatus['history'] = [];
      let last = -1;
      for (const e of d.history) {
        if (e.s === last) continue;
        last = e.s;
        const l = labels.get(e.s);
        history.push({
          at: e.at,
          portalStatus: e.s,
          label: l?.vi ?? String(e.s),
          labelEn: l?.en ?? String(e.s),
        });
      }
      const l = labels.get(d.portal_status);
      return {
        code: d.code,
        procedureName: d.procedure_name,
        portalStatus: d.portal_status,
        label: l?.vi ?? String(d.portal_status),
        labelEn: l?.en ?? String(d.portal_status),
        receivedAt: d.received_at,
        dueAt: d.due_at,
        finishedAt: d.finished_at,
        deliveredAt: d.delivered_at,
        history,
      };
    },

    /**
     * One dossier event as its applicant is told of it (the citizens module's notifications), read
     * in the caller's transaction: the dossier's code, procedure, owner account and contacts.
     * Nothing when the event is unknown.
     */
    async eventNotice(trx: Db, eventId: string) {
      const e = await dossiersRepo(trx).eventNotice(eventId);
      if (!e) return undefined;
      return {
        eventId: e.event_id,
        kind: e.kind,
        at: new Date(e.at).toISOString(),
        note: e.note,
        data: e.data as Record<string, unknown>,
        dossierId: e.dossier_id,
        code: e.code,
        lookupSecret: e.lookup_secret,
        citizenId: e.citizen_id,
        applicantName: e.applicant_name,
        applicantEmail: e.applicant_email,
        applicantPhone: e.applicant_phone,
        dueAt: iso(e.due_at),
        procedureName: e.procedure_name,
        agencyName: e.agency_name,
      };
    },

    // --- the owner citizen on the portal ("Hồ sơ của tôi", issue 7). Callers pass the signed-in
    // citizen's id (the citizens module owns sessions); a dossier of anyone else is "not found".

    /**
     * The citizen's dossiers, newest first, with the status label and whether they must act ("Cần
     * làm": papers to add, a financial obligation, or a fee still owed that can be paid online).
     */
    async citizenDossiers(citizenId: string, at: Date = now()) {
      const [rows, map] = await Promise.all([repo.citizenDossiers(citizenId), repo.stateMap(localDay(at))]);
      return rows.map((x) => ({
        code: x.code,
        procedureName: x.procedure_name,
        state: x.state,
        label: map.find((m) => m.state === x.state)?.label_vi ?? x.state,
        labelEn: map.find((m) => m.state === x.state)?.label_en ?? x.state,
        submittedAt: new Date(x.submitted_at).toISOString(),
        dueAt: iso(x.due_at),
        finishedAt: iso(x.finished_at),
        // Papers to add, a financial obligation, or a fee to pay online (what the dossier page offers).
        mustAct:
          x.state === 'supplement' || x.state === 'financial' || (x.owes && PAYABLE_STATES.includes(x.state)),
      }));
    },

    /** The whole dossier for its owner, with the fees still owed and what they may do now. */
    async citizenDossier(citizenId: string, code: string, at: Date = now()) {
      const o = await repo.ownerOfCode(code);
      if (!o || !policy.isOwner(citizenId, o)) throw new AppError('DOSSIER_NOT_FOUND');
      const [view, feeRows, rating] = await Promise.all([
        service.present(o.id, at),
        repo.fees(o.id),
        repo.rating(o.id),
      ]);
      const owed = PAYABLE_STATES.includes(view.state) ? owedBy(feeRows, 'delivery', new Set()) : [];
      return {
        view,
        owed,
        rated: rating
          ? { level: rating.level, satisfied: rating.satisfied, ratedAt: rating.rated_at.toISOString() }
          : null,
        canWithdraw: CITIZEN_WITHDRAWABLE.includes(view.state),
        canRate: !rating && (view.state === 'done' || view.state === 'delivered'),
        canChoosePost: POSTAL_CHOICE_STATES.includes(view.state),
      };
    },

    /**
     * An online submission from the portal (channel 2), in the caller's (module submissions')
     * transaction: the dossier arrives `submitted` (officials accept or refuse it), owned by the
     * citizen account, with the typed form values and the papers (uploaded files count as
     * digitised, items of the owner's data store as reused, as at the counter). The same
     * idempotency key answers the same dossier. Rules in policy.checkOnlineSubmission.
     */
    async submitOnline(
      trx: Db,
      actor: AuditActor & { citizenId: string },
      input: {
        procedureId: string;
        caseId: string;
        agencyId: string;
        applicant: { name: string; idNo: string; phone?: string | undefined; email?: string | undefined };
        summary?: string | undefined;
        formValues: Record<string, unknown> | null;
        components: { specId: string; name: string; blob?: string; storeItemId?: string }[];
        idempotencyKey: string;
      },
      at: Date = now(),
    ): Promise<{ id: string; code: string; lookupSecret: string; created: boolean }> {
      const r = dossiersRepo(trx);
      const existing = await r.findByIdempotencyKey(input.idempotencyKey);
      if (existing) {
        const d = await r.lock(existing.id);
        if (!d || d.citizen_id !== actor.citizenId) throw new AppError('DOSSIER_IDEMPOTENCY_CONFLICT');
        return { id: d.id, code: d.code, lookupSecret: d.lookup_secret, created: false };
      }
      const day = localDay(at);
      const cat = await opts.procedures.receptionCatalogue(
        input.procedureId,
        input.caseId,
        2,
        input.agencyId,
        day,
      );
      if (!cat) throw new AppError('SUBMISSION_NOT_ONLINE');
      policy.checkOnlineSubmission(cat.components, input.components);
      const agency = await r.agencyCode(input.agencyId);
      if (!agency) throw new AppError('AGENCY_NOT_FOUND');
      for (const c of input.components)
        if (c.blob && !(await filesRepo(trx).findBlob(c.blob))) throw new AppError('FILE_NOT_FOUND');
      const fees = cat.fees as ProcedureFee[];
      const n = await r.nextNumber(input.agencyId, day);
      const code = dossierCode(agency.code, day, n);
      const { portalStatus } = await statusOf(trx, 'submitted', day);
      const id = uuidv7();
      const lookupSecret = randomBytes(8).toString('hex');
      const row = await r.insertDossier({
        id,
        code,
        agency_id: input.agencyId,
        procedure_id: cat.id,
        case_id: cat.case_id,
        channel: 2,
        state: 'submitted',
        portal_status: portalStatus,
        applicant_kind: 1,
        applicant_name: nfc(input.applicant.name),
        applicant_id_no: input.applicant.idNo,
        applicant_birth_date: null,
        applicant_address: null,
        applicant_phone: input.applicant.phone ?? null,
        applicant_email: input.applicant.email ?? null,
        representative: null,
        summary: clean(input.summary),
        sets: 1,
        submitted_at: at,
        ...NOT_YET_RECEIVED,
        current_agency_id: input.agencyId,
        fee_total: feeTotal(fees),
        lookup_secret: lookupSecret,
        idempotency_key: input.idempotencyKey,
        created_by: null,
        citizen_id: actor.citizenId,
        form_values: input.formValues ? JSON.stringify(input.formValues) : null,
      });
      const specIds = new Set(cat.components.map((c) => c.id));
      // Store items are checked against the owner by componentRows; uploaded files are the
      // citizen's own (module submissions keeps only its uploads in a draft) and count as digitised.
      const rows = await componentRows(
        trx,
        null,
        id,
        input.applicant.idNo,
        input.components.map((c) => ({
          specId: c.specId,
          name: c.name,
          originals: 0,
          certified: 0,
          copies: 0,
          ...(c.storeItemId && { storeItemId: c.storeItemId }),
        })),
        0,
        specIds,
        null,
      );
      input.components.forEach((c, i) => {
        const x = rows[i];
        if (x && c.blob && !c.storeItemId) {
          x.blob = c.blob;
          x.digitised = 1;
        }
      });
      await addComponents(trx, row, rows);
      await r.insertFees(
        fees.map((f) => ({
          id: uuidv7(),
          dossier_id: id,
          code: f.code ?? null,
          name: f.name,
          kind: f.kind,
          amount: f.amount,
          when_paid: f.when,
          paid_at: null,
          paid_online: false,
          receipt_no: null,
        })),
      );
      await emit(trx, actor, row, {
        kind: 'submitted',
        at,
        agencyId: input.agencyId,
        data: { channel: 2, citizenId: actor.citizenId },
      });
      return { id, code, lookupSecret, created: true };
    },

    /** The code of an online dossier of this citizen by id; DOSSIER_NOT_FOUND otherwise. */
    async citizenDossierCode(citizenId: string, id: string) {
      const d = await repo.find(id);
      if (!d || !policy.ownsOnline(citizenId, d)) throw new AppError('DOSSIER_NOT_FOUND');
      return d.code;
    },

    /** An online dossier of this citizen by code (receipt, "submitted" page); DOSSIER_NOT_FOUND otherwise. */
    async ownOnlineDossier(citizenId: string, code: string) {
      const d = await repo.findByCode(code);
      if (!d || !policy.ownsOnline(citizenId, d)) throw new AppError('DOSSIER_NOT_FOUND');
      return d;
    },

    /**
     * The owner answers the supplement request online: the files they uploaded in this request
     * (stored by the portal, type sniffed) and items of their data store become components, as at
     * the counter (supplementReceived): the clock resumes, timeline event, audit (entity citizen).
     * A form posted twice (same key) changes nothing the second time.
     */
    async citizenSupplement(
      actor: AuditActor,
      citizenId: string,
      code: string,
      input: {
        key: string;
        uploads: { name: string; blob: string }[];
        storeItemIds: string[];
      },
      at: Date = now(),
    ) {
      const o = await repo.ownerOfCode(code);
      if (!o || !policy.isOwner(citizenId, o)) throw new AppError('DOSSIER_NOT_FOUND');
      if (input.uploads.length + input.storeItemIds.length === 0)
        throw new AppError('DOSSIER_SUPPLEMENT_EMPTY');
      return underLock(o.id, async (trx, d, cal) => {
        const r = dossiersRepo(trx);
        if (await r.hasEventWithKey(d.id, 'supplement_received', input.key)) return { repeated: true };
        expect(d, ['supplement']);
        const pause = await r.openPause(d.id);
        const rows = await componentRows(
          trx,
          null,
          d.id,
          d.applicant_id_no,
          [
            ...input.uploads.map((u) => ({
              name: u.name,
              originals: 0,
              certified: 0,
              copies: 1,
              blob: u.blob,
            })),
            ...input.storeItemIds.map((id) => ({
              name: 'Giấy tờ từ kho dữ liệu',
              originals: 0,
              certified: 0,
              copies: 1,
              storeItemId: id,
            })),
          ] as Out<typeof ReceiveComponent>[],
          await r.maxComponentOrdinal(d.id),
          null,
          pause?.id ?? null,
          new Set(input.uploads.map((u) => u.blob)),
        );
        // An item of the store keeps its own name.
        for (const row of rows)
          if (row.store_item_id) row.name = (await r.storeItem(row.store_item_id))?.name ?? row.name;
        await addComponents(trx, d, rows);
        const res = await resume(trx, cal, actor, d, at);
        await emit(trx, actor, d, {
          kind: 'supplement_received',
          state: res?.back ?? 'processing',
          at,
          agencyId: d.agency_id,
          citizenId,
          data: {
            pauseId: pause?.id ?? null,
            dueAt: iso(res?.dueAfter ?? null),
            components: rows.length,
            online: true,
            key: input.key,
          },
        });
        return { repeated: false };
      });
    },

    /** The owner withdraws the dossier (rút hồ sơ) in the states the counter's withdrawal allows; twice is once. */
    async citizenWithdraw(
      actor: AuditActor,
      citizenId: string,
      code: string,
      input: { reason: string },
      at: Date = now(),
    ) {
      const o = await repo.ownerOfCode(code);
      if (!o || !policy.isOwner(citizenId, o)) throw new AppError('DOSSIER_NOT_FOUND');
      await underLock(o.id, async (trx, d) => {
        if (d.state === 'withdrawn') return;
        expect(d, CITIZEN_WITHDRAWABLE);
        await closeOpenPause(trx, d, at, null);
        await dossiersRepo(trx).update(d.id, { closed_reason: nfc(input.reason) });
        await emit(trx, actor, d, {
          kind: 'withdrawn',
          state: 'withdrawn',
          at,
          agencyId: d.current_agency_id,
          note: nfc(input.reason),
          citizenId,
          data: { byCitizen: true },
        });
      });
    },

    /**
     * An electronic result file for its owner, with the signing module's verification of it
     * (valid and trusted, the signers and times). Only results with a file.
     */
    async citizenResult(citizenId: string, code: string, resultId: string) {
      const o = await repo.ownerOfCode(code);
      if (!o || !policy.isOwner(citizenId, o)) throw new AppError('DOSSIER_NOT_FOUND');
      const x = await repo.result(resultId);
      if (!x || x.dossier_id !== o.id || !x.blob) throw new AppError('DOSSIER_NOT_FOUND');
      const pdf = await opts.resultFiles.read(x.blob);
      const report = await opts.resultFiles
        .verifyPdf(pdf)
        .catch(() => ({ valid: false, trusted: false, signatures: [] }));
      return {
        name: x.name,
        blob: x.blob,
        verification: {
          valid: report.valid,
          trusted: report.trusted,
          signatures: (report.signatures ?? []).map((g) => ({
            signer: g.signer.commonName ?? g.signer.organization ?? '',
            signingTime: g.signingTime ?? null,
          })),
        },
      };
    },

    /**
     * The owner asks for the result by post before it is delivered: the address and phone are
     * recorded on the dossier (delivery_method 'post', delivery_note) for the counter, which
     * records the hand-off to the post with deliver (method 'post'). Event + audit (entity citizen).
     */
    async citizenChoosePost(
      actor: AuditActor,
      citizenId: string,
      code: string,
      input: { address: string; phone: string },
      at: Date = now(),
    ) {
      const o = await repo.ownerOfCode(code);
      if (!o || !policy.isOwner(citizenId, o)) throw new AppError('DOSSIER_NOT_FOUND');
      await underLock(o.id, async (trx, d) => {
        expect(d, POSTAL_CHOICE_STATES);
        const note = nfc(
          `Gửi kết quả qua bưu chính: ${input.address.trim()}; điện thoại ${input.phone.trim()}`,
        );
        if (d.delivery_method === 'post' && d.delivery_note === note) return;
        await dossiersRepo(trx).update(d.id, { delivery_method: 'post', delivery_note: note });
        await emit(trx, actor, d, {
          kind: 'postal_chosen',
          at,
          agencyId: d.current_agency_id ?? d.agency_id,
          note,
          citizenId,
        });
      });
    },

    /**
     * Đánh giá mức độ hài lòng: once per dossier, by its owner, after the result (done or
     * delivered): the 5-level overall answer and the 9 QĐ 766 criteria. Audited (entity citizen).
     */
    async rate(
      actor: AuditActor,
      citizenId: string,
      code: string,
      input: { level: 1 | 2 | 3 | 4 | 5; criteria: boolean[]; comment?: string | undefined },
      at: Date = now(),
    ) {
      const o = await repo.ownerOfCode(code);
      if (!o || !policy.isOwner(citizenId, o)) throw new AppError('DOSSIER_NOT_FOUND');
      if (input.criteria.length !== 9) throw new AppError('VALIDATION_ERROR');
      await underLock(o.id, async (trx, d) => {
        expect(d, ['done', 'delivered']);
        const satisfied = input.criteria.filter(Boolean).length;
        const ok = await dossiersRepo(trx).insertRating({
          id: uuidv7(),
          dossier_id: d.id,
          citizen_id: citizenId,
          agency_id: d.agency_id,
          level: input.level,
          criteria: input.criteria,
          satisfied,
          comment: clean(input.comment),
          rated_at: at,
        });
        if (!ok) throw new AppError('DOSSIER_RATING_ONCE');
        await emit(trx, actor, d, {
          kind: 'rated',
          at,
          agencyId: d.agency_id,
          citizenId,
          data: { level: input.level, satisfied },
        });
      });
    },
  };
  return service;
}

function presentListItem(
  x: {
    id: string;
    code: string;
    agency_id: string;
    procedure_code: string;
    procedure_name: string;
    applicant_name: string;
    channel: 1 | 2 | 3;
    state: DossierState;
    portal_status: number;
    submitted_at: Date;
    received_at: Date | null;
    due_at: Date | null;
    finished_at: Date | null;
    current_agency_id: string | null;
    current_agency_name: string | null;
    current_step_id: string | null;
    current_step_name: string | null;
    current_step_official_name: string | null;
    current_step_due_at: Date | null;
  },
  map: { state: DossierState; label_vi: string; label_en: string }[],
  at: Date,
) {
  const running = x.state === 'received' || x.state === 'processing';
  return {
    id: x.id,
    code: x.code,
    agencyId: x.agency_id,
    procedureCode: x.procedure_code,
    procedureName: x.procedure_name,
    applicantName: x.applicant_name,
    channel: x.channel,
    state: x.state,
    status: {
      portalStatus: x.portal_status,
      label: map.find((m) => m.state === x.state)?.label_vi ?? x.state,
      labelEn: map.find((m) => m.state === x.state)?.label_en ?? x.state,
    },
    submittedAt: new Date(x.submitted_at).toISOString(),
    receivedAt: iso(x.received_at),
    dueAt: iso(x.due_at),
    overdue:
      x.due_at !== null &&
      ((running && at > x.due_at) || (x.finished_at !== null && x.finished_at > x.due_at)),
    currentAgencyId: x.current_agency_id,
    currentAgencyName: x.current_agency_name,
    currentStepId: x.current_step_id,
    currentStepName: x.current_step_name,
    currentStepOfficialName: x.current_step_official_name,
    currentStepDueAt: iso(x.current_step_due_at),
  };
}

export type DossiersService = ReturnType<typeof dossiersService>;

function presentStoreItems(
  rows: Awaited<ReturnType<ReturnType<typeof dossiersRepo>['storeItems']>>,
): StoreItem[] {
  return rows.map((i) => ({
    id: i.id,
    ownerIdNo: i.owner_id_no,
    kind: i.kind,
    code: i.code,
    name: i.name,
    blob: i.blob,
    sourceDossierId: i.source_dossier_id,
    sourceDossierCode: i.source_dossier_code,
    validUntil: i.valid_until,
    createdAt: i.created_at.toISOString(),
  }));
}
