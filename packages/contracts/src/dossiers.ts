/**
 * Dossiers of administrative procedures (hồ sơ TTHC, issue 6; STANDARDS §4): reception at the
 * counter or of online/postal submissions, the lifecycle transitions, the staff dossier view, list
 * filters, the applicant's data store and the public (applicant-facing) status.
 * Timestamps are ISO 8601 strings (UTC); screens show them in Asia/Ho_Chi_Minh.
 * Primitives are declared here rather than imported from index.ts, which re-exports this file.
 */
import { z } from 'zod';

const Id = z.uuid();
const Instant = z.string();
const Text = (max: number) => z.string().trim().min(1).max(max);
const Reason = z.string().trim().min(3, 'Cần ghi rõ lý do').max(2000);
/** sha256 of a blob in the files module's store. */
export const BlobRef = z.string().regex(/^[0-9a-f]{64}$/, 'Mã tệp (sha256) gồm 64 ký tự 0–9, a–f');
/** A real calendar day written YYYY-MM-DD. */
const Day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Ngày có dạng YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, 'Ngày không có thật');

/** Internal states; each maps to TrangThaiHoSo 1–10 through dossier_state_map (data). */
export const DOSSIER_STATES = [
  'submitted',
  'received',
  'refused',
  'processing',
  'supplement',
  'financial',
  'withdrawn',
  'stopped',
  'done',
  'delivered',
] as const;
export const DossierState = z.enum(DOSSIER_STATES);
export type DossierState = z.infer<typeof DossierState>;
/** States in which nothing more happens (except delivery of a done dossier). */
export const DOSSIER_CLOSED_STATES = ['refused', 'withdrawn', 'stopped', 'delivered'] as const;

/** KenhThucHien: 1 trực tiếp (counter), 2 trực tuyến (online), 3 bưu chính công ích (postal). */
export const DossierChannel = z.union([z.literal(1), z.literal(2), z.literal(3)]);
export type DossierChannel = z.infer<typeof DossierChannel>;

import { DURATION_UNITS, ProcedureCode } from './procedures.ts';
export const DELIVERY_METHODS = ['counter', 'post', 'online'] as const;
export const DeliveryMethod = z.enum(DELIVERY_METHODS);
/** 0 chưa số hóa, 1 số hóa, 2 tái sử dụng, 3 tái sử dụng từ kết quả hồ sơ khác. */
export const Digitised = z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]);

/** Số định danh cá nhân (CCCD): 12 digits. */
export const CitizenIdNo = z
  .string()
  .trim()
  .regex(/^\d{12}$/, 'Số định danh cá nhân (CCCD) gồm 12 chữ số');
/** Mã số doanh nghiệp / thuế: 10 digits, or 10-3 for a branch. */
export const OrganisationIdNo = z
  .string()
  .trim()
  .regex(/^\d{10}(-\d{3})?$/, 'Mã số doanh nghiệp gồm 10 chữ số (chi nhánh: 10 chữ số-3 chữ số)');

const Phone = z
  .string()
  .trim()
  .regex(/^\+?[0-9 .-]{8,15}$/, 'Số điện thoại không hợp lệ');

/** Chủ hồ sơ: LoaiDoiTuong 1 cá nhân (CCCD required), 2 tổ chức / doanh nghiệp. */
export const Applicant = z
  .object({
    kind: z.union([z.literal(1), z.literal(2)]).default(1),
    name: Text(300),
    idNo: z.string().trim().max(20).optional(),
    birthDate: Day.optional(),
    address: z.string().trim().max(500).optional(),
    phone: Phone.optional(),
    email: z.email('Thư điện tử không hợp lệ').optional(),
  })
  .superRefine((a, ctx) => {
    const check = a.kind === 1 ? CitizenIdNo : OrganisationIdNo;
    if (a.idNo === undefined) {
      if (a.kind === 1)
        ctx.addIssue({ code: 'custom', path: ['idNo'], message: 'Cần số định danh cá nhân (CCCD)' });
      return;
    }
    const r = check.safeParse(a.idNo);
    if (!r.success)
      ctx.addIssue({ code: 'custom', path: ['idNo'], message: r.error.issues[0]?.message ?? '' });
  });
export type Applicant = z.infer<typeof Applicant>;

/** Người nộp thay (representative), when not the applicant. */
export const Representative = z.object({
  name: Text(300),
  idNo: CitizenIdNo.optional(),
  phone: Phone.optional(),
  address: z.string().trim().max(500).optional(),
  relation: z.string().trim().max(200).optional(),
});
export type Representative = z.infer<typeof Representative>;

/** A paper received: counts, a scan (digitised = 1), or an item of the applicant's store (reused). */
export const ReceiveComponent = z.object({
  specId: Id.optional(),
  name: Text(1000),
  originals: z.number().int().min(0).max(100).default(0),
  certified: z.number().int().min(0).max(100).default(0),
  copies: z.number().int().min(0).max(100).default(0),
  blob: BlobRef.optional(),
  storeItemId: Id.optional(),
});
export type ReceiveComponent = z.infer<typeof ReceiveComponent>;

/**
 * Fees are computed by the server from the catalogue (the case's channel row); the counter only
 * says which were paid: `ordinal` is the position (0-based) in the channel's fee list.
 */
export const ReceiveFeePayment = z.object({
  ordinal: z.number().int().min(0).max(100),
  receiptNo: z.string().trim().max(60).optional(),
  online: z.boolean().default(false),
});

/**
 * Reception. Channel 1 (counter): the dossier is received now (state received, clock and due date
 * set). Channels 2 and 3 arrive as `submitted` and are received later (POST /:id/accept) or refused.
 * The same idempotencyKey gives the same dossier back.
 */
export const ReceiveDossier = z.object({
  procedureId: Id,
  caseId: Id,
  channel: DossierChannel.default(1),
  /** The agency receiving it; default: the official's only receiving agency. */
  agencyId: Id.optional(),
  applicant: Applicant,
  representative: Representative.optional(),
  summary: z.string().trim().max(2000).optional(),
  sets: z.number().int().min(1).max(100).default(1),
  components: z.array(ReceiveComponent).max(200).default([]),
  paidFees: z.array(ReceiveFeePayment).max(50).default([]),
  idempotencyKey: z.string().trim().min(8).max(100).optional(),
});
export type ReceiveDossier = z.input<typeof ReceiveDossier>;

/** Receiving a submitted (online / postal) dossier: papers checked, maybe more listed. */
export const AcceptDossier = z.object({
  components: z.array(ReceiveComponent).max(200).default([]),
  paidFees: z.array(ReceiveFeePayment).max(50).default([]),
});
export const RefuseDossier = z.object({ reason: Reason });
export const AssignStep = z.object({ officialId: Id });
export const CompleteStep = z.object({
  note: z.string().trim().max(2000).optional(),
  outcome: z.string().trim().max(200).optional(),
});
export const SupplementRequest = z.object({
  reason: Reason,
  items: z.array(Text(1000)).min(1, 'Cần liệt kê giấy tờ phải bổ sung').max(50),
});
export const SupplementReceived = z.object({
  components: z.array(ReceiveComponent).min(1, 'Cần ít nhất một giấy tờ bổ sung').max(200),
});
export const FinancialRequest = z.object({
  reason: Reason,
  amount: z.number().int().min(0).max(1e13).optional(),
});
export const FinancialDone = z.object({
  receiptNo: z.string().trim().max(60).optional(),
  online: z.boolean().default(false),
});
export const WithdrawDossier = z.object({ reason: Reason });
export const StopDossier = z.object({ reason: Reason });
/** Phiếu xin lỗi và hẹn lại: before the current due date, a later date. */
export const Apology = z.object({ reason: Reason, newDueAt: z.iso.datetime({ offset: true }) });
export const DossierResultInput = z.object({
  name: Text(1000),
  code: z.string().trim().max(60).optional(),
  blob: BlobRef.optional(),
  electronic: z.boolean().default(false),
  signed: z.boolean().default(false),
});
export const DoneDossier = z.object({ results: z.array(DossierResultInput).min(1).max(50) });
/** Trả kết quả; `paidFees`: fees collected now (every fee still owed must be paid by delivery). */
export const DeliverDossier = z.object({
  method: DeliveryMethod,
  note: z.string().trim().max(2000).optional(),
  paidFees: z.array(ReceiveFeePayment).max(50).default([]),
});
/** Số hóa sau tiếp nhận: the scan of a paper received on paper only, or of a paper result. */
export const AttachScan = z.object({ blob: BlobRef });
export type AttachScan = z.infer<typeof AttachScan>;

/** Step timing: pending (not started), running (in time), overdue (running past due), on_time / late (finished). */
export const STEP_TIMINGS = ['pending', 'running', 'overdue', 'on_time', 'late'] as const;

export const DossierStep = z.object({
  id: Id,
  ordinal: z.number().int(),
  name: z.string(),
  kind: z.string(),
  agencyId: Id,
  agencyName: z.string(),
  departmentId: Id.nullable(),
  role: z.string(),
  officialId: Id.nullable(),
  officialName: z.string().nullable(),
  durationHours: z.number(),
  startedAt: Instant.nullable(),
  dueAt: Instant.nullable(),
  finishedAt: Instant.nullable(),
  outcome: z.string().nullable(),
  note: z.string().nullable(),
  timing: z.enum(STEP_TIMINGS),
});
export type DossierStep = z.infer<typeof DossierStep>;

export const DossierPause = z.object({
  id: Id,
  kind: z.enum(['supplement', 'financial']),
  reason: z.string(),
  items: z.array(z.unknown()),
  requestedAt: Instant,
  requestedById: Id.nullable(),
  resumedAt: Instant.nullable(),
  resumedById: Id.nullable(),
  dueBefore: Instant.nullable(),
  dueAfter: Instant.nullable(),
});
export const DossierApology = z.object({
  id: Id,
  agencyId: Id,
  agencyName: z.string(),
  stepId: Id.nullable(),
  reason: z.string(),
  oldDueAt: Instant,
  newDueAt: Instant,
  issuedById: Id.nullable(),
  issuedByName: z.string().nullable(),
  issuedAt: Instant,
});
export const DossierHandover = z.object({
  id: Id,
  fromAgencyId: Id,
  fromAgencyName: z.string(),
  toAgencyId: Id,
  toAgencyName: z.string(),
  sentAt: Instant,
  sentById: Id.nullable(),
  receivedAt: Instant.nullable(),
  receivedById: Id.nullable(),
  result: z.string().nullable(),
  note: z.string().nullable(),
});
export const DossierComponent = z.object({
  id: Id,
  specId: Id.nullable(),
  ordinal: z.number().int(),
  name: z.string(),
  originals: z.number().int(),
  certified: z.number().int(),
  copies: z.number().int(),
  blob: z.string().nullable(),
  digitised: Digitised,
  storeItemId: Id.nullable(),
  /** Received as the answer to this supplement request. */
  pauseId: Id.nullable(),
});
export const DossierFee = z.object({
  id: Id,
  code: z.string().nullable(),
  name: z.string(),
  kind: z.enum(['fee', 'charge']),
  amount: z.number(),
  whenPaid: z.enum(['before', 'after', 'exempt', 'none']),
  paidAt: Instant.nullable(),
  paidOnline: z.boolean(),
  receiptNo: z.string().nullable(),
});
export const DossierResult = z.object({
  id: Id,
  code: z.string().nullable(),
  name: z.string(),
  blob: z.string().nullable(),
  electronic: z.boolean(),
  signed: z.boolean(),
  createdAt: Instant,
});
export const DossierEvent = z.object({
  id: Id,
  at: Instant,
  kind: z.string(),
  state: DossierState,
  portalStatus: z.number().int(),
  actorId: Id.nullable(),
  actorName: z.string().nullable(),
  agencyId: Id.nullable(),
  note: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
});
/** Each agency's own time on an inter-agency dossier (working hours used vs. its steps' allowance). */
export const DossierAgencyTime = z.object({
  agencyId: Id,
  agencyName: z.string(),
  allowedHours: z.number(),
  usedHours: z.number(),
  finished: z.boolean(),
  onTime: z.boolean(),
});

/** The applicant-facing status: one for the whole dossier across agencies. */
export const PortalStatus = z.object({
  portalStatus: z.number().int().min(1).max(10),
  label: z.string(),
  /** The same label in English (dossier_state_map.label_en), for the portal's English pages. */
  labelEn: z.string(),
});

export const DossierView = z.object({
  id: Id,
  code: z.string(),
  agencyId: Id,
  agencyName: z.string(),
  agencyCode: z.string(),
  procedureId: Id,
  procedureCode: z.string(),
  procedureName: z.string(),
  caseId: Id,
  caseName: z.string(),
  channel: DossierChannel,
  state: DossierState,
  status: PortalStatus,
  applicant: z.object({
    kind: z.union([z.literal(1), z.literal(2)]),
    name: z.string(),
    idNo: z.string().nullable(),
    birthDate: z.string().nullable(),
    address: z.string().nullable(),
    phone: z.string().nullable(),
    email: z.string().nullable(),
  }),
  representative: z.record(z.string(), z.unknown()).nullable(),
  summary: z.string().nullable(),
  sets: z.number().int(),
  submittedAt: Instant,
  receivedAt: Instant.nullable(),
  receivedById: Id.nullable(),
  receivedByName: z.string().nullable(),
  clockStartAt: Instant.nullable(),
  durationValue: z.number().nullable(),
  durationUnit: z.enum(DURATION_UNITS).nullable(),
  originalDueAt: Instant.nullable(),
  dueAt: Instant.nullable(),
  /** Past due now (open dossier) or finished after its due date. */
  overdue: z.boolean(),
  currentAgencyId: Id.nullable(),
  currentAgencyName: z.string().nullable(),
  currentStepId: Id.nullable(),
  finishedAt: Instant.nullable(),
  deliveredAt: Instant.nullable(),
  deliveryMethod: DeliveryMethod.nullable(),
  deliveryNote: z.string().nullable(),
  closedReason: z.string().nullable(),
  supplementRequested: z.boolean(),
  electronicResult: z.boolean(),
  feeTotal: z.number(),
  paidOnline: z.boolean(),
  /** Printed on the receipt (QR code of the public lookup). */
  lookupSecret: z.string(),
  steps: z.array(DossierStep),
  agencyTimes: z.array(DossierAgencyTime),
  pauses: z.array(DossierPause),
  apologies: z.array(DossierApology),
  handovers: z.array(DossierHandover),
  components: z.array(DossierComponent),
  fees: z.array(DossierFee),
  results: z.array(DossierResult),
  events: z.array(DossierEvent),
});
export type DossierView = z.infer<typeof DossierView>;

/**
 * List filters. scope: mine = open steps assigned to me or to my role in my agencies;
 * agency = dossiers at my agencies (receiving or current); all = every dossier I may read.
 */
export const DossierListQuery = z.object({
  scope: z.enum(['mine', 'agency', 'all']).default('agency'),
  agencyId: Id.optional(),
  /** Current step's kind (receive, assign, appraise, approve, sign, return, other). */
  stepKind: z.string().trim().max(20).optional(),
  state: DossierState.optional(),
  overdue: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  procedureId: Id.optional(),
  /** Every version of a procedure (MATTHC), as the supervisor dashboard groups them. */
  procedureCode: ProcedureCode.optional(),
  /** The official holding the dossier: its current step's, else the one who received it (as the dashboard). */
  officialId: Id.optional(),
  /** Diacritic-insensitive: code, applicant name, CCCD, summary. */
  q: z.string().trim().max(200).optional(),
  /** Received from / to (local days, inclusive). */
  from: Day.optional(),
  to: Day.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export type DossierListQuery = z.input<typeof DossierListQuery>;

export const DossierListItem = z.object({
  id: Id,
  code: z.string(),
  agencyId: Id,
  procedureCode: z.string(),
  procedureName: z.string(),
  applicantName: z.string(),
  channel: DossierChannel,
  state: DossierState,
  status: PortalStatus,
  submittedAt: Instant,
  receivedAt: Instant.nullable(),
  dueAt: Instant.nullable(),
  overdue: z.boolean(),
  currentAgencyId: Id.nullable(),
  currentAgencyName: z.string().nullable(),
  currentStepId: Id.nullable(),
  currentStepName: z.string().nullable(),
  currentStepOfficialName: z.string().nullable(),
  currentStepDueAt: Instant.nullable(),
});
export type DossierListItem = z.infer<typeof DossierListItem>;
export const DossierList = z.object({ items: z.array(DossierListItem), total: z.number().int() });

/** Supervisor's overdue lists (dossiers.supervise) for the agencies they supervise. */
export const OverdueQuery = z.object({ agencyId: Id.optional() });
export const OverdueStep = z.object({
  dossierId: Id,
  code: z.string(),
  stepId: Id,
  stepName: z.string(),
  agencyId: Id,
  agencyName: z.string(),
  officialId: Id.nullable(),
  officialName: z.string().nullable(),
  dueAt: Instant,
});
export const OverdueReport = z.object({
  dossiers: z.array(DossierListItem),
  steps: z.array(OverdueStep),
  byStep: z.array(z.object({ stepName: z.string(), count: z.number().int() })),
  byOfficial: z.array(
    z.object({ officialId: Id.nullable(), officialName: z.string().nullable(), count: z.number().int() }),
  ),
  byAgency: z.array(z.object({ agencyId: Id, agencyName: z.string(), count: z.number().int() })),
});
export type OverdueReport = z.infer<typeof OverdueReport>;

/** Kho dữ liệu của tổ chức, cá nhân: the counter looks up an owner's items by CCCD / tax code. */
export const StoreItemsQuery = z.object({
  idNo: z
    .string()
    .trim()
    .regex(/^\d{10,12}(-\d{3})?$/, 'Số định danh không hợp lệ'),
});
export const StoreItem = z.object({
  id: Id,
  ownerIdNo: z.string(),
  kind: z.enum(['component', 'result']),
  code: z.string().nullable(),
  name: z.string(),
  blob: z.string(),
  sourceDossierId: Id.nullable(),
  sourceDossierCode: z.string().nullable(),
  validUntil: z.string().nullable(),
  createdAt: Instant,
});
export type StoreItem = z.infer<typeof StoreItem>;

/** GET /api/public/dossiers/:code?k=secret — minimal data, no personal details. */
export const PublicDossierQuery = z.object({ k: z.string().trim().min(6).max(64) });
export const PublicDossierStatus = z.object({
  code: z.string(),
  procedureName: z.string(),
  portalStatus: z.number().int(),
  label: z.string(),
  /** The state map's English label (the portal's English pages). */
  labelEn: z.string(),
  receivedAt: Instant.nullable(),
  dueAt: Instant.nullable(),
  finishedAt: Instant.nullable(),
  deliveredAt: Instant.nullable(),
  history: z.array(
    z.object({ at: Instant, portalStatus: z.number().int(), label: z.string(), labelEn: z.string() }),
  ),
});
export type PublicDossierStatus = z.infer<typeof PublicDossierStatus>;
