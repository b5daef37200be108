/**
 * The administrative-procedure catalogue (thủ tục hành chính, TTHC): the input of a procedure with
 * its cases, channels, fees, components and processing workflow, the list filters, the detail shape
 * and the report of a LayThuTuc import (STANDARDS §5). No I/O here.
 */
import { FormDefinition } from '@congvu/forms';
import { z } from 'zod';

const Id = z.uuid();
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Ngày có dạng YYYY-MM-DD');
const Text = (max: number) => z.string().trim().min(1).max(max);
const OptText = (max: number) => z.string().trim().max(max).optional();
const ROLE_NAMES = ['admin', 'clerk', 'leader', 'specialist', 'counter'] as const;

/** MATTHC as published by the national database, e.g. `1.001193`. */
export const ProcedureCode = z
  .string()
  .trim()
  .regex(/^[0-9A-Za-z][0-9A-Za-z._-]{0,39}$/, 'Mã thủ tục gồm chữ, số, dấu chấm, gạch (tối đa 40 ký tự)');

export const AUTHORITY_LEVELS = ['central', 'province', 'commune'] as const;
export const ONLINE_LEVELS = ['full', 'partial'] as const;
/** KENH: 1 trực tiếp, 2 trực tuyến, 3 bưu chính công ích. */
export const CHANNELS = [1, 2, 3] as const;
export const DURATION_UNITS = ['working_days', 'working_hours', 'calendar_days'] as const;
export const FEE_KINDS = ['fee', 'charge'] as const;
export const FEE_WHEN = ['before', 'after', 'exempt', 'none'] as const;
export const WORKFLOW_STEP_KINDS = [
  'receive',
  'assign',
  'appraise',
  'approve',
  'sign',
  'return',
  'other',
] as const;

export const ProcedureFeeInput = z.object({
  code: OptText(50),
  name: Text(500),
  kind: z.enum(FEE_KINDS),
  amount: z.number().min(0).max(1e13),
  when: z.enum(FEE_WHEN),
  description: OptText(2000),
});
export type ProcedureFeeInput = z.infer<typeof ProcedureFeeInput>;

export const ProcedureChannelInput = z.object({
  channel: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  durationValue: z.number().min(0).max(99_999),
  durationUnit: z.enum(DURATION_UNITS),
  description: OptText(2000),
  fees: z.array(ProcedureFeeInput).max(50).default([]),
});
export type ProcedureChannelInput = z.infer<typeof ProcedureChannelInput>;

export const ProcedureComponentInput = z.object({
  code: OptText(100),
  name: Text(2000),
  formName: OptText(500),
  formUrl: OptText(2000),
  /** sha256 of a form template uploaded through /api/files. */
  formBlob: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  originals: z.number().int().min(0).max(100).default(1),
  certified: z.number().int().min(0).max(100).default(0),
  copies: z.number().int().min(0).max(100).default(0),
  required: z.boolean().default(true),
  alternativeGroup: OptText(50),
});
export type ProcedureComponentInput = z.infer<typeof ProcedureComponentInput>;

export const WorkflowStepInput = z.object({
  name: Text(500),
  kind: z.enum(WORKFLOW_STEP_KINDS),
  /** null: the agency that received the dossier. */
  agencyId: Id.nullable().default(null),
  departmentId: Id.nullable().default(null),
  role: z.enum(ROLE_NAMES),
  durationHours: z.number().min(0).max(10_000),
});
export type WorkflowStepInput = z.infer<typeof WorkflowStepInput>;

export const ProcedureCaseInput = z.object({
  name: Text(2000),
  steps: z.array(Text(4000)).max(100).default([]),
  channels: z
    .array(ProcedureChannelInput)
    .max(3)
    .refine((cs) => new Set(cs.map((c) => c.channel)).size === cs.length, 'Mỗi kênh chỉ khai một lần')
    .default([]),
  components: z.array(ProcedureComponentInput).max(200).default([]),
  workflow: z.array(WorkflowStepInput).max(100).default([]),
  /**
   * The online form of the case (packages/forms), versioned with the procedure version; null: none.
   * Left out on an update or a new version: the form of the previous case of the same name is kept
   * (the staff app's editor does not edit forms).
   */
  onlineForm: FormDefinition.nullable().optional(),
});
export type ProcedureCaseInput = z.infer<typeof ProcedureCaseInput>;

const ProcedureFields = {
  name: Text(1000),
  sectorCode: z.string().trim().min(1).max(50).nullable().default(null),
  announcingAgency: OptText(200),
  authorityLevel: z.enum(AUTHORITY_LEVELS),
  onlineLevel: z.enum(ONLINE_LEVELS),
  applicants: z.array(Text(500)).max(50).default([]),
  applicantDescription: OptText(4000),
  conditions: OptText(20_000),
  results: z
    .array(z.object({ code: OptText(100), name: Text(2000) }))
    .max(50)
    .default([]),
  legalBasis: z
    .array(z.object({ number: OptText(200), title: Text(2000) }))
    .max(200)
    .default([]),
  implementing: z
    .array(z.object({ code: OptText(100), name: Text(500) }))
    .max(50)
    .default([]),
  /** Agencies of this installation that receive dossiers of the procedure. */
  agencyIds: z.array(Id).max(500).default([]),
  published: z.boolean().default(false),
  cases: z.array(ProcedureCaseInput).min(1).max(50),
};

export const ProcedureInput = z
  .object({
    code: ProcedureCode,
    ...ProcedureFields,
    validFrom: Day,
    validTo: Day.nullable().default(null),
  })
  .refine((p) => p.validTo === null || p.validTo > p.validFrom, {
    message: 'Ngày hết hiệu lực phải sau ngày có hiệu lực',
    path: ['validTo'],
  });
export type ProcedureInput = z.infer<typeof ProcedureInput>;
export type ProcedureInputRaw = z.input<typeof ProcedureInput>;

/** Content of an existing version, changed in place (code and validity stay). */
export const UpdateProcedure = z.object(ProcedureFields);
export type UpdateProcedure = z.infer<typeof UpdateProcedure>;

/** A new version from a day: the version in force that day is closed with valid_to = that day. */
export const NewProcedureVersion = z.object({ ...ProcedureFields, validFrom: Day });
export type NewProcedureVersion = z.infer<typeof NewProcedureVersion>;

export const PublishProcedure = z.object({ published: z.boolean() });

const QueryBool = z
  .enum(['true', 'false'])
  .optional()
  .transform((v) => (v === undefined ? undefined : v === 'true'));

export const ProcedureQuery = z.object({
  q: z.string().trim().max(200).optional(),
  sectorCode: z.string().trim().min(1).max(50).optional(),
  agencyId: Id.optional(),
  authorityLevel: z.enum(AUTHORITY_LEVELS).optional(),
  onlineLevel: z.enum(ONLINE_LEVELS).optional(),
  published: QueryBool,
  /** The versions in force on this day (default today, Asia/Ho_Chi_Minh). */
  on: Day.optional(),
  /** Every version of every procedure (ignores `on`). */
  allVersions: QueryBool,
  code: ProcedureCode.optional(),
  sort: z.enum(['name', 'code']).default('name'),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type ProcedureQuery = z.output<typeof ProcedureQuery>;

export const ProcedureSummary = z.object({
  id: Id,
  code: z.string(),
  name: z.string(),
  sectorCode: z.string().nullable(),
  sectorName: z.string().nullable(),
  authorityLevel: z.enum(AUTHORITY_LEVELS),
  onlineLevel: z.enum(ONLINE_LEVELS),
  published: z.boolean(),
  validFrom: Day,
  validTo: Day.nullable(),
  source: z.enum(['local', 'import']),
});
export type ProcedureSummary = z.infer<typeof ProcedureSummary>;

export const ProcedureFee = ProcedureFeeInput.extend({
  code: z.string().optional(),
  description: z.string().optional(),
});
export const ProcedureChannel = z.object({
  channel: z.number().int(),
  durationValue: z.number(),
  durationUnit: z.enum(DURATION_UNITS),
  description: z.string().nullable(),
  fees: z.array(ProcedureFee),
});
export const ProcedureComponent = z.object({
  id: Id,
  ordinal: z.number().int(),
  code: z.string().nullable(),
  name: z.string(),
  formName: z.string().nullable(),
  formUrl: z.string().nullable(),
  formBlob: z.string().nullable(),
  originals: z.number().int(),
  certified: z.number().int(),
  copies: z.number().int(),
  required: z.boolean(),
  alternativeGroup: z.string().nullable(),
});
export type ProcedureComponent = z.infer<typeof ProcedureComponent>;
export const WorkflowStep = z.object({
  id: Id,
  ordinal: z.number().int(),
  name: z.string(),
  kind: z.enum(WORKFLOW_STEP_KINDS),
  agencyId: Id.nullable(),
  agencyName: z.string().nullable(),
  departmentId: Id.nullable(),
  departmentName: z.string().nullable(),
  role: z.enum(ROLE_NAMES),
  durationHours: z.number(),
});
export type WorkflowStep = z.infer<typeof WorkflowStep>;
export const ProcedureCase = z.object({
  id: Id,
  ordinal: z.number().int(),
  name: z.string(),
  steps: z.array(z.string()),
  channels: z.array(ProcedureChannel),
  components: z.array(ProcedureComponent),
  workflow: z.array(WorkflowStep),
  /** The online form (packages/forms FormDefinition), or null. */
  onlineForm: FormDefinition.nullable(),
  /** A step in an agency other than the receiving ones: liên thông. */
  interAgency: z.boolean(),
  totalHours: z.number(),
});
export type ProcedureCase = z.infer<typeof ProcedureCase>;

export const ProcedureDetail = ProcedureSummary.extend({
  announcingAgency: z.string().nullable(),
  applicants: z.array(z.string()),
  applicantDescription: z.string().nullable(),
  conditions: z.string().nullable(),
  results: z.array(z.object({ code: z.string().optional(), name: z.string() })),
  legalBasis: z.array(z.object({ number: z.string().optional(), title: z.string() })),
  implementing: z.array(z.object({ code: z.string().optional(), name: z.string() })),
  agencies: z.array(z.object({ id: Id, code: z.string(), name: z.string() })),
  interAgency: z.boolean(),
  cases: z.array(ProcedureCase),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ProcedureDetail = z.infer<typeof ProcedureDetail>;

export const ProcedureSector = z.object({
  code: z.string(),
  name: z.string(),
  validFrom: Day,
  validTo: Day.nullable(),
});
export type ProcedureSector = z.infer<typeof ProcedureSector>;
export const CreateProcedureSector = z.object({
  code: z
    .string()
    .trim()
    .regex(/^[0-9A-Za-z][0-9A-Za-z._-]{0,49}$/, 'Mã lĩnh vực gồm chữ, số, dấu chấm, gạch'),
  name: Text(500),
  validFrom: Day.optional(),
});

/** The body of an import: an array of LayThuTuc records or the portal's `{ result: [...] }`. */
export const ProcedureImportBody = z.union([
  z.array(z.unknown()).max(100_000),
  z.object({ result: z.array(z.unknown()).max(100_000) }),
]);
export const ProcedureExportQuery = z.object({
  on: Day.optional(),
  published: QueryBool,
});

export const ImportRejection = z.object({
  index: z.number().int(),
  code: z.string().nullable(),
  reason: z.string(),
});
export type ImportRejection = z.infer<typeof ImportRejection>;
export const ProcedureImportReport = z.object({
  runId: Id,
  total: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  rejected: z.array(ImportRejection),
});
export type ProcedureImportReport = z.infer<typeof ProcedureImportReport>;
