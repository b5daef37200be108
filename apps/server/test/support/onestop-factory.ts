/**
 * Raw inserts into the procedure and dossier tables (migrations 0019, 0020) for tests that need
 * catalogue or dossier rows without going through the services (statistics, forms, sync, and the
 * dossiers module before the procedures service existed). Everything is overridable; nothing here
 * checks business rules — tests of the rules go through the services.
 */
import { randomBytes } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { Db } from '../../src/db/pool.ts';
import type { DossierState, DurationUnit, ProcedureFee, WorkflowStepKind } from '../../src/db/schema.ts';

let seq = 0;

export interface ProcedureSpec {
  code?: string;
  name?: string;
  sectorCode?: string | null;
  authorityLevel?: 'central' | 'province' | 'commune';
  onlineLevel?: 'full' | 'partial';
  published?: boolean;
  validFrom?: string;
  agencyIds?: string[];
  cases?: Array<{
    name?: string;
    steps?: string[];
    channels?: Array<{
      channel: 1 | 2 | 3;
      durationValue: number;
      durationUnit?: DurationUnit;
      fees?: ProcedureFee[];
    }>;
    components?: Array<{
      name: string;
      code?: string;
      originals?: number;
      certified?: number;
      copies?: number;
      required?: boolean;
      alternativeGroup?: string;
    }>;
    workflow?: Array<{
      name: string;
      kind?: WorkflowStepKind;
      agencyId?: string | null;
      departmentId?: string | null;
      role?: string;
      durationHours: number;
    }>;
  }>;
}

/** A procedure with one case by default (counter and online channels, 3 working days, a 2-step workflow). */
export async function insertProcedure(db: Db, spec: ProcedureSpec = {}) {
  seq++;
  const id = uuidv7();
  const code = spec.code ?? `9.${String(900000 + seq + (process.pid % 1000) * 1000).slice(-6)}`;
  if (spec.sectorCode) {
    await db
      .insertInto('procedure_sectors')
      .values({ code: spec.sectorCode, name: `Lĩnh vực ${spec.sectorCode}` })
      .onConflict((oc) => oc.column('code').doNothing())
      .execute();
  }
  await db
    .insertInto('procedures')
    .values({
      id,
      code,
      name: spec.name ?? `Thủ tục thử ${seq}`,
      sector_code: spec.sectorCode ?? null,
      announcing_agency: null,
      authority_level: spec.authorityLevel ?? 'commune',
      online_level: spec.onlineLevel ?? 'partial',
      applicant_description: null,
      conditions: null,
      results: JSON.stringify([{ name: 'Kết quả thử' }]),
      legal_basis: JSON.stringify([]),
      implementing: JSON.stringify([]),
      published: spec.published ?? true,
      valid_from: spec.validFrom ?? '2025-07-01',
      valid_to: null,
      source_hash: null,
      created_by: null,
    })
    .execute();
  if (spec.agencyIds?.length) {
    await db
      .insertInto('procedure_agencies')
      .values(spec.agencyIds.map((agency_id) => ({ procedure_id: id, agency_id })))
      .execute();
  }
  const cases = spec.cases ?? [{}];
  const caseIds: string[] = [];
  for (const [i, c] of cases.entries()) {
    const caseId = uuidv7();
    caseIds.push(caseId);
    await db
      .insertInto('procedure_cases')
      .values({
        id: caseId,
        procedure_id: id,
        ordinal: i + 1,
        name: c.name ?? `Trường hợp ${i + 1}`,
        steps: c.steps ?? [],
      })
      .execute();
    const channels = c.channels ?? [
      { channel: 1 as const, durationValue: 3 },
      { channel: 2 as const, durationValue: 3 },
    ];
    for (const ch of channels) {
      await db
        .insertInto('procedure_channels')
        .values({
          case_id: caseId,
          channel: ch.channel,
          duration_value: ch.durationValue,
          duration_unit: ch.durationUnit ?? 'working_days',
          description: null,
          fees: JSON.stringify(ch.fees ?? []),
        })
        .execute();
    }
    for (const [j, comp] of (c.components ?? [{ name: 'Tờ khai' }]).entries()) {
      await db
        .insertInto('procedure_components')
        .values({
          id: uuidv7(),
          case_id: caseId,
          ordinal: j + 1,
          code: comp.code ?? null,
          name: comp.name,
          form_name: null,
          form_url: null,
          form_blob: null,
          originals: comp.originals ?? 1,
          certified: comp.certified ?? 0,
          copies: comp.copies ?? 0,
          required: comp.required ?? true,
          alternative_group: comp.alternativeGroup ?? null,
        })
        .execute();
    }
    const workflow = c.workflow ?? [
      { name: 'Tiếp nhận hồ sơ', kind: 'receive' as const, role: 'counter', durationHours: 4 },
      { name: 'Thẩm định, trình ký', kind: 'appraise' as const, role: 'specialist', durationHours: 20 },
    ];
    for (const [j, w] of workflow.entries()) {
      await db
        .insertInto('procedure_workflow_steps')
        .values({
          id: uuidv7(),
          case_id: caseId,
          ordinal: j + 1,
          name: w.name,
          kind: w.kind ?? 'other',
          agency_id: w.agencyId ?? null,
          department_id: w.departmentId ?? null,
          role: w.role ?? 'specialist',
          duration_hours: w.durationHours,
        })
        .execute();
    }
  }
  return { id, code, caseIds };
}

export interface DossierSpec {
  agencyId: string;
  agencyCode: string;
  procedureId: string;
  caseId: string;
  /** Local day of the code (yyyy-mm-dd); default from receivedAt, else submittedAt. */
  day?: string;
  number?: number;
  channel?: 1 | 2 | 3;
  state?: DossierState;
  portalStatus?: number;
  applicantName?: string;
  applicantIdNo?: string | null;
  submittedAt?: Date;
  receivedAt?: Date | null;
  dueAt?: Date | null;
  finishedAt?: Date | null;
  deliveredAt?: Date | null;
  deliveryMethod?: 'counter' | 'post' | 'online' | null;
  electronicResult?: boolean;
  feeTotal?: number;
  paidOnline?: boolean;
  supplementRequested?: boolean;
}

const STATUS: Record<DossierState, number> = {
  submitted: 1,
  received: 2,
  refused: 3,
  processing: 4,
  supplement: 5,
  financial: 6,
  withdrawn: 7,
  stopped: 8,
  done: 9,
  delivered: 10,
};

/** Local (UTC+7) yyMMdd of an instant. */
function localYyMMdd(at: Date) {
  return new Date(at.getTime() + 7 * 3_600_000).toISOString().slice(2, 10).replaceAll('-', '');
}

/** A dossier row as-is (no steps, events, components): for statistics, forms and sync tests. */
export async function insertDossier(db: Db, spec: DossierSpec) {
  seq++;
  const id = uuidv7();
  const submittedAt = spec.submittedAt ?? new Date();
  const receivedAt = spec.receivedAt === undefined ? submittedAt : spec.receivedAt;
  const day = spec.day ? spec.day.slice(2).replaceAll('-', '') : localYyMMdd(receivedAt ?? submittedAt);
  const code = `${spec.agencyCode}-${day}-${String(spec.number ?? seq).padStart(4, '0')}`;
  const state = spec.state ?? 'received';
  await db
    .insertInto('dossiers')
    .values({
      id,
      code,
      agency_id: spec.agencyId,
      procedure_id: spec.procedureId,
      case_id: spec.caseId,
      channel: spec.channel ?? 1,
      state,
      portal_status: spec.portalStatus ?? STATUS[state],
      applicant_name: spec.applicantName ?? `Nguyễn Văn Dân ${seq}`,
      applicant_id_no:
        spec.applicantIdNo === undefined ? `0010900${String(seq).padStart(5, '0')}` : spec.applicantIdNo,
      applicant_birth_date: null,
      applicant_address: null,
      applicant_phone: null,
      applicant_email: null,
      summary: null,
      submitted_at: submittedAt,
      received_at: receivedAt,
      received_by: null,
      clock_start_at: receivedAt,
      duration_value: null,
      duration_unit: null,
      original_due_at: spec.dueAt ?? null,
      due_at: spec.dueAt ?? null,
      current_agency_id: spec.agencyId,
      current_step_id: null,
      finished_at: spec.finishedAt ?? null,
      delivered_at: spec.deliveredAt ?? null,
      delivery_method: spec.deliveryMethod ?? null,
      delivery_note: null,
      closed_reason: null,
      supplement_requested: spec.supplementRequested ?? false,
      electronic_result: spec.electronicResult ?? false,
      fee_total: spec.feeTotal ?? 0,
      paid_online: spec.paidOnline ?? false,
      lookup_secret: randomBytes(6).toString('hex'),
      idempotency_key: null,
      created_by: null,
    })
    .execute();
  return { id, code };
}

// --- Rows around a dossier (forms and portal-sync tests)

/** Sets columns of a dossier the factory leaves empty (contact details, summary, dates …). */
export async function updateDossier(
  db: Db,
  id: string,
  values: import('kysely').Updateable<import('../../src/db/schema.ts').DossiersTable>,
) {
  await db.updateTable('dossiers').set(values).where('id', '=', id).execute();
}

export async function insertComponent(
  db: Db,
  dossierId: string,
  c: {
    name: string;
    ordinal?: number;
    specId?: string | null;
    originals?: number;
    certified?: number;
    copies?: number;
    blob?: string | null;
    digitised?: 0 | 1 | 2 | 3;
    pauseId?: string | null;
  },
) {
  const id = uuidv7();
  await db
    .insertInto('dossier_components')
    .values({
      id,
      dossier_id: dossierId,
      spec_id: c.specId ?? null,
      ordinal: c.ordinal ?? ++seq,
      name: c.name,
      originals: c.originals ?? 1,
      certified: c.certified ?? 0,
      copies: c.copies ?? 0,
      blob: c.blob ?? null,
      digitised: c.digitised ?? 0,
      store_item_id: null,
      pause_id: c.pauseId ?? null,
    })
    .execute();
  return { id };
}

export async function insertFee(
  db: Db,
  dossierId: string,
  f: {
    name: string;
    code?: string | null;
    kind?: 'fee' | 'charge';
    amount: number;
    whenPaid?: 'before' | 'after' | 'exempt' | 'none';
  },
) {
  const id = uuidv7();
  await db
    .insertInto('dossier_fees')
    .values({
      id,
      dossier_id: dossierId,
      code: f.code ?? null,
      name: f.name,
      kind: f.kind ?? 'charge',
      amount: f.amount,
      when_paid: f.whenPaid ?? 'before',
      paid_at: null,
      receipt_no: null,
    })
    .execute();
  return { id };
}

export async function insertPause(
  db: Db,
  dossierId: string,
  p: {
    kind?: 'supplement' | 'financial';
    reason?: string;
    items?: unknown[];
    requestedAt: Date;
    requestedBy?: string | null;
    resumedAt?: Date | null;
    resumedBy?: string | null;
    dueBefore?: Date | null;
    dueAfter?: Date | null;
  },
) {
  const id = uuidv7();
  await db
    .insertInto('dossier_pauses')
    .values({
      id,
      dossier_id: dossierId,
      kind: p.kind ?? 'supplement',
      reason: p.reason ?? 'Bổ sung giấy tờ',
      items: JSON.stringify(p.items ?? []),
      requested_at: p.requestedAt,
      requested_by: p.requestedBy ?? null,
      resumed_at: p.resumedAt ?? null,
      resumed_by: p.resumedBy ?? null,
      due_before: p.dueBefore ?? null,
      due_after: p.dueAfter ?? null,
    })
    .execute();
  return { id };
}

export async function insertResult(
  db: Db,
  dossierId: string,
  r: { name: string; code?: string | null; blob?: string | null; electronic?: boolean },
) {
  const id = uuidv7();
  await db
    .insertInto('dossier_results')
    .values({
      id,
      dossier_id: dossierId,
      code: r.code ?? null,
      name: r.name,
      blob: r.blob ?? null,
      electronic: r.electronic ?? false,
      signed: false,
      created_by: null,
    })
    .execute();
  return { id };
}

export async function insertStep(
  db: Db,
  dossierId: string,
  s: {
    ordinal: number;
    name: string;
    agencyId: string;
    kind?: string;
    departmentId?: string | null;
    role?: string;
    officialId?: string | null;
    durationHours?: number;
    startedAt?: Date | null;
    dueAt?: Date | null;
    finishedAt?: Date | null;
    outcome?: string | null;
    note?: string | null;
  },
) {
  const id = uuidv7();
  await db
    .insertInto('dossier_steps')
    .values({
      id,
      dossier_id: dossierId,
      ordinal: s.ordinal,
      workflow_step_id: null,
      name: s.name,
      kind: s.kind ?? 'other',
      agency_id: s.agencyId,
      department_id: s.departmentId ?? null,
      role: s.role ?? 'specialist',
      official_id: s.officialId ?? null,
      duration_hours: s.durationHours ?? 8,
      started_at: s.startedAt ?? null,
      due_at: s.dueAt ?? null,
      finished_at: s.finishedAt ?? null,
      outcome: s.outcome ?? null,
      note: s.note ?? null,
    })
    .execute();
  return { id };
}

export async function insertEvent(
  db: Db,
  dossierId: string,
  e: {
    kind: string;
    state: DossierState;
    at?: Date;
    actorId?: string | null;
    agencyId?: string | null;
    note?: string | null;
    data?: Record<string, unknown>;
  },
) {
  const id = uuidv7();
  await db
    .insertInto('dossier_events')
    .values({
      id,
      dossier_id: dossierId,
      at: e.at ?? new Date(),
      kind: e.kind,
      state: e.state,
      portal_status: STATUS[e.state],
      actor_id: e.actorId ?? null,
      agency_id: e.agencyId ?? null,
      note: e.note ?? null,
      data: JSON.stringify(e.data ?? {}),
    })
    .execute();
  return { id };
}

export async function insertApology(
  db: Db,
  dossierId: string,
  a: {
    agencyId: string;
    reason: string;
    oldDueAt: Date;
    newDueAt: Date;
    issuedAt?: Date;
    issuedBy?: string | null;
  },
) {
  const id = uuidv7();
  await db
    .insertInto('dossier_apologies')
    .values({
      id,
      dossier_id: dossierId,
      agency_id: a.agencyId,
      step_id: null,
      reason: a.reason,
      old_due_at: a.oldDueAt,
      new_due_at: a.newDueAt,
      issued_by: a.issuedBy ?? null,
      issued_at: a.issuedAt ?? new Date(),
    })
    .execute();
  return { id };
}

export async function insertHandover(
  db: Db,
  dossierId: string,
  h: {
    fromAgencyId: string;
    toAgencyId: string;
    sentAt: Date;
    receivedAt?: Date | null;
    result?: string | null;
    note?: string | null;
  },
) {
  const id = uuidv7();
  await db
    .insertInto('dossier_handovers')
    .values({
      id,
      dossier_id: dossierId,
      from_agency_id: h.fromAgencyId,
      to_agency_id: h.toAgencyId,
      sent_at: h.sentAt,
      sent_by: null,
      received_at: h.receivedAt ?? null,
      received_by: null,
      result: h.result ?? null,
      note: h.note ?? null,
    })
    .execute();
  return { id };
}

/** Components of a dossier, one per digitisation level given (0 chưa số hóa … 3 tái sử dụng từ kết quả). */
export async function insertComponents(db: Db, dossierId: string, levels: Array<0 | 1 | 2 | 3>) {
  if (!levels.length) return [];
  const rows = levels.map((digitised, i) => ({
    id: uuidv7(),
    dossier_id: dossierId,
    spec_id: null,
    ordinal: i + 1,
    name: `Thành phần ${i + 1}`,
    originals: 1,
    certified: 0,
    copies: 0,
    blob: null,
    digitised,
    store_item_id: null,
    pause_id: null,
  }));
  await db.insertInto('dossier_components').values(rows).execute();
  return rows.map((r) => r.id);
}
