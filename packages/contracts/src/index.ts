/**
 * Shapes shared by the server, the staff web app and the portal.
 * The server validates requests and strips responses with these schemas;
 * the browser apps use the inferred types. No I/O here.
 */
import { z } from 'zod';
import { ApprovalChain, DocumentHandlingFields } from './handling.ts';
import { SigningInput } from './signing.ts';

export * from './citizens.ts';
export * from './errors.ts';
export * from './handling.ts';
export * from './hub-admin.ts';
export * from './notifications.ts';
export * from './procedures.ts';

export const ROLES = ['admin', 'clerk', 'leader', 'specialist', 'counter'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

/** Permissions a route may require; granted by roles (see apps/server platform/policy.ts). */
export const PERMISSIONS = [
  'org.read',
  'org.manage',
  'audit.read',
  'calendar.manage',
  'tokens.manage',
  'files.read',
  'files.write',
  'documents.read',
  'documents.register',
  'workfiles.read',
  'workfiles.manage',
  'workfiles.approveList',
  'workfiles.archive',
  'signing.trust',
  'exchange.manage',
  'hub.manage',
  'procedures.manage',
  'dossiers.read',
  'dossiers.receive',
  'dossiers.process',
  'dossiers.supervise',
  'meetings.manage',
] as const;
export const Permission = z.enum(PERMISSIONS);
export type Permission = z.infer<typeof Permission>;

export const AGENCY_KINDS = [
  'central', // bộ, ngành trung ương
  'province_committee', // UBND tỉnh
  'province_office', // Văn phòng UBND tỉnh
  'province_department', // Sở, ban, ngành
  'district_committee', // UBND huyện (before 07/2025)
  'commune_committee', // UBND xã
  'ward_committee', // UBND phường
  'special_zone', // đặc khu
  'other',
] as const;
export const AgencyKind = z.enum(AGENCY_KINDS);
export type AgencyKind = z.infer<typeof AgencyKind>;

/** QĐ 20/2020/QĐ-TTg electronic identification code: ≤ 35 chars, A–Z 0–9 in dot-separated groups. */
export const AgencyCode = z
  .string()
  .max(35)
  .regex(/^[A-Z0-9]+(\.[A-Z0-9]+)*$/, 'Mã định danh chỉ gồm chữ in hoa A–Z, chữ số 0–9 và dấu chấm');
/** QCVN 102:2016 legacy code, e.g. 000.00.00.H49. */
export const LegacyAgencyCode = z
  .string()
  .regex(/^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$/, 'Mã QCVN 102 có dạng 000.00.00.H49');

export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Ngày có dạng YYYY-MM-DD');
export const Uuid = z.uuid();

export const Agency = z.object({
  id: Uuid,
  code: z.string(),
  legacyCode: z.string().nullable(),
  name: z.string(),
  shortName: z.string().nullable(),
  kind: AgencyKind,
  parentId: Uuid.nullable(),
  validFrom: IsoDate,
  validTo: IsoDate.nullable(),
  successorId: Uuid.nullable(),
});
export type Agency = z.infer<typeof Agency>;

export const CreateAgency = z.object({
  code: AgencyCode,
  legacyCode: LegacyAgencyCode.optional(),
  name: z.string().trim().min(2).max(300),
  shortName: z.string().trim().max(50).optional(),
  kind: AgencyKind,
  parentId: Uuid.optional(),
  validFrom: IsoDate.optional(),
});
export type CreateAgency = z.infer<typeof CreateAgency>;

export const UpdateAgency = z
  .object({
    name: z.string().trim().min(2).max(300),
    shortName: z.string().trim().max(50).nullable(),
    legacyCode: LegacyAgencyCode.nullable(),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'Cần ít nhất một trường để cập nhật');
export type UpdateAgency = z.infer<typeof UpdateAgency>;

/** Merge several agencies into one (new or existing), or split one into several. */
export const Reorganisation = z.object({
  kind: z.enum(['merge', 'split']),
  effectiveDate: IsoDate,
  sourceIds: z.array(Uuid).min(1),
  targets: z.array(z.union([z.object({ existingId: Uuid }), CreateAgency.omit({ validFrom: true })])).min(1),
  note: z.string().max(1000).optional(),
});
export type Reorganisation = z.infer<typeof Reorganisation>;

export const Department = z.object({
  id: Uuid,
  agencyId: Uuid,
  name: z.string(),
  code: z.string().nullable(),
  validFrom: IsoDate,
  validTo: IsoDate.nullable(),
});
export type Department = z.infer<typeof Department>;

export const CreateDepartment = z.object({
  agencyId: Uuid,
  name: z.string().trim().min(2).max(300),
  code: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9Đđ&.-]{1,20}$/)
    .optional(),
});
export type CreateDepartment = z.infer<typeof CreateDepartment>;

export const UpdateDepartment = z
  .object({
    name: z.string().trim().min(2).max(300),
    code: z.string().trim().max(20).nullable(),
    validTo: IsoDate.nullable(),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'Cần ít nhất một trường để cập nhật');

export const Position = z.object({ id: Uuid, name: z.string(), rank: z.number().int() });
export type Position = z.infer<typeof Position>;
export const CreatePosition = z.object({
  name: z.string().trim().min(2).max(100),
  rank: z.number().int().min(0).max(1000),
});

export const RoleGrant = z.object({ role: Role, agencyId: Uuid.nullable() });
export type RoleGrant = z.infer<typeof RoleGrant>;
export const Membership = z.object({
  departmentId: Uuid,
  positionId: Uuid.nullable(),
  isPrimary: z.boolean(),
});
export type Membership = z.infer<typeof Membership>;
export const MembershipView = Membership.extend({
  departmentName: z.string(),
  agencyId: Uuid,
  agencyName: z.string(),
  positionName: z.string().nullable(),
});
export type MembershipView = z.infer<typeof MembershipView>;

export const Username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9._-]{3,64}$/, 'Tên đăng nhập gồm 3–64 ký tự a–z, 0–9, dấu chấm, gạch');
/** At least 10 characters with a letter and a digit. */
export const NewPassword = z
  .string()
  .min(10, 'Mật khẩu cần ít nhất 10 ký tự')
  .max(200)
  .regex(/[A-Za-z]/, 'Mật khẩu cần có chữ cái')
  .regex(/\d/, 'Mật khẩu cần có chữ số');

export const OfficialSummary = z.object({
  id: Uuid,
  username: z.string(),
  fullName: z.string(),
  email: z.string().nullable(),
  isActive: z.boolean(),
  roles: z.array(RoleGrant),
  primaryDepartment: z.string().nullable(),
  primaryAgency: z.string().nullable(),
  position: z.string().nullable(),
});
export type OfficialSummary = z.infer<typeof OfficialSummary>;

export const Official = z.object({
  id: Uuid,
  username: z.string(),
  fullName: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  isActive: z.boolean(),
  totpEnabled: z.boolean(),
  roles: z.array(RoleGrant),
  memberships: z.array(MembershipView),
  createdAt: z.string(),
});
export type Official = z.infer<typeof Official>;

export const Phone = z.string().regex(/^(\+84|0)\d{9,10}$/, 'Số điện thoại không hợp lệ');
export const CreateOfficial = z.object({
  username: Username,
  fullName: z.string().trim().min(2).max(200),
  email: z.email().optional(),
  phone: Phone.optional(),
  password: NewPassword,
  roles: z.array(RoleGrant).default([]),
  memberships: z.array(Membership).default([]),
});
export type CreateOfficial = z.input<typeof CreateOfficial>;
export const UpdateOfficial = z
  .object({
    fullName: z.string().trim().min(2).max(200),
    email: z.email().nullable(),
    phone: Phone.nullable(),
    isActive: z.boolean(),
    roles: z.array(RoleGrant),
    memberships: z.array(Membership),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'Cần ít nhất một trường để cập nhật');
export type UpdateOfficial = z.infer<typeof UpdateOfficial>;

export const ListOfficialsQuery = z.object({
  q: z.string().max(200).optional(),
  agencyId: Uuid.optional(),
  departmentId: Uuid.optional(),
  role: Role.optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

export const Me = z.object({
  id: Uuid,
  username: z.string(),
  fullName: z.string(),
  email: z.string().nullable(),
  totpEnabled: z.boolean(),
  roles: z.array(RoleGrant),
  permissions: z.array(Permission),
  memberships: z.array(MembershipView),
  /** When acting under a delegation: whose rights are in use. */
  actingFor: z.object({ id: Uuid, fullName: z.string() }).nullable(),
});
export type Me = z.infer<typeof Me>;

export const Login = z.object({
  username: z.string().trim().toLowerCase().min(1).max(64),
  password: z.string().min(1).max(200),
  totp: z
    .string()
    .regex(/^\d{6}$/)
    .optional(),
});
export type Login = z.infer<typeof Login>;
export const ChangePassword = z.object({
  currentPassword: z.string().min(1).max(200),
  newPassword: NewPassword,
});
export const ResetPassword = z.object({ newPassword: NewPassword });
export const TotpCode = z.object({ code: z.string().regex(/^\d{6}$/, 'Mã xác thực gồm 6 chữ số') });
export const TotpSetup = z.object({ secret: z.string(), otpauthUrl: z.string() });
export const PasswordConfirm = z.object({ password: z.string().min(1).max(200) });

export const Delegation = z.object({
  id: Uuid,
  fromOfficialId: Uuid,
  fromName: z.string(),
  toOfficialId: Uuid,
  toName: z.string(),
  roles: z.array(Role),
  startsAt: z.string(),
  endsAt: z.string(),
  reason: z.string(),
  revokedAt: z.string().nullable(),
});
export type Delegation = z.infer<typeof Delegation>;
export const CreateDelegation = z
  .object({
    fromOfficialId: Uuid,
    toOfficialId: Uuid,
    roles: z.array(Role).min(1),
    startsAt: z.iso.datetime({ offset: true }),
    endsAt: z.iso.datetime({ offset: true }),
    reason: z.string().trim().min(3).max(500),
  })
  .refine((d) => new Date(d.endsAt) > new Date(d.startsAt), {
    message: 'Thời điểm kết thúc phải sau thời điểm bắt đầu',
    path: ['endsAt'],
  })
  .refine((d) => d.fromOfficialId !== d.toOfficialId, {
    message: 'Không thể ủy quyền cho chính mình',
    path: ['toOfficialId'],
  });
export type CreateDelegation = z.infer<typeof CreateDelegation>;

export const AuditEntry = z.object({
  id: z.string(),
  at: z.string(),
  actorId: Uuid.nullable(),
  actorName: z.string().nullable(),
  onBehalfOfId: Uuid.nullable(),
  onBehalfOfName: z.string().nullable(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  summary: z.record(z.string(), z.unknown()),
  ip: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;
export const AuditQuery = z.object({
  actorId: Uuid.optional(),
  action: z.string().max(100).optional(),
  entityType: z.string().max(100).optional(),
  entityId: z.string().max(100).optional(),
  from: IsoDate.optional(),
  to: IsoDate.optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export const AuditVerifyResult = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  brokenAt: z.string().nullable(),
  reason: z.string().nullable(),
});

export const ApiToken = z.object({
  id: Uuid,
  name: z.string(),
  permissions: z.array(Permission),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type ApiToken = z.infer<typeof ApiToken>;
export const CreateApiToken = z.object({
  name: z.string().trim().min(3).max(100),
  permissions: z.array(Permission).min(1),
});

export const StoredFile = z.object({
  sha256: z.string(),
  size: z.number().int(),
  mime: z.string(),
  name: z.string(),
});
export type StoredFile = z.infer<typeof StoredFile>;

export const HOLIDAY_NOTICE_KINDS = ['day_off', 'makeup_workday'] as const;
export const HolidayNotice = z.object({
  id: Uuid,
  date: IsoDate,
  kind: z.enum(HOLIDAY_NOTICE_KINDS),
  name: z.string(),
  legalRef: z.string().nullable(),
});
export type HolidayNotice = z.infer<typeof HolidayNotice>;
export const CreateHolidayNotice = z.object({
  date: IsoDate,
  kind: z.enum(HOLIDAY_NOTICE_KINDS),
  name: z.string().trim().min(2).max(200),
  legalRef: z.string().trim().max(100).optional(),
});
export const DayOff = z.object({ date: IsoDate, name: z.string(), source: z.enum(['statutory', 'notice']) });

export const Page = <T extends z.ZodTypeAny>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int() });
export const List = <T extends z.ZodTypeAny>(item: T) => z.object({ items: z.array(item) });

// --- Official documents (văn bản)

export const URGENCIES = ['normal', 'urgent', 'very_urgent', 'flash'] as const;
export const Urgency = z.enum(URGENCIES);
export const SECRECIES = ['none', 'confidential', 'secret', 'top_secret'] as const;
export const Secrecy = z.enum(SECRECIES);

export const DocumentType = z.object({
  id: z.string(),
  name: z.string(),
  abbreviation: z.string().nullable(),
  validFrom: IsoDate,
  validTo: IsoDate.nullable(),
});
export type DocumentType = z.infer<typeof DocumentType>;

export const Register = z.object({
  id: Uuid,
  agencyId: Uuid,
  kind: z.enum(['incoming', 'outgoing']),
  secret: z.boolean(),
  code: z.string(),
  name: z.string(),
});
export type Register = z.infer<typeof Register>;
export const CreateRegister = z.object({
  agencyId: Uuid,
  kind: z.enum(['incoming', 'outgoing']),
  secret: z.boolean().default(false),
  code: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9Đđ-]{1,20}$/, 'Mã sổ gồm chữ, số, gạch ngang'),
  name: z.string().trim().min(3).max(200),
});

export const DocumentFileRef = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  name: z.string().trim().min(1).max(255),
  role: z.enum(['main', 'appendix', 'scan']),
});

/** A paper (or scanned) incoming document entered by the clerk. */
export const RegisterIncoming = z.object({
  registerId: Uuid,
  typeId: z.string().min(1).max(40),
  number: z.string().trim().max(20).optional(),
  notation: z.string().trim().max(60).optional(),
  issuedOn: IsoDate.optional(),
  place: z.string().trim().max(100).optional(),
  issuerName: z.string().trim().min(2).max(300),
  subject: z.string().trim().min(3).max(2000),
  signerCompetence: z.string().trim().max(30).optional(),
  signerPosition: z.string().trim().max(100).optional(),
  signerName: z.string().trim().max(100).optional(),
  urgency: Urgency.default('normal'),
  secrecy: Secrecy.default('none'),
  pageCount: z.number().int().min(1).max(100000).optional(),
  dueOn: IsoDate.optional(),
  files: z.array(DocumentFileRef).max(50).default([]),
});
export type RegisterIncoming = z.input<typeof RegisterIncoming>;

export const DocumentSummary = z.object({
  id: Uuid,
  agencyId: Uuid,
  direction: z.enum(['incoming', 'outgoing']),
  typeId: z.string(),
  typeName: z.string(),
  number: z.string().nullable(),
  notation: z.string().nullable(),
  issuedOn: IsoDate.nullable(),
  issuerName: z.string(),
  subject: z.string(),
  urgency: Urgency,
  secrecy: Secrecy,
  status: z.string(),
  registerNumber: z.number().int().nullable(),
  registeredAt: z.string().nullable(),
  dueOn: IsoDate.nullable(),
});
export type DocumentSummary = z.infer<typeof DocumentSummary>;

export const DocumentEvent = z.object({
  kind: z.string(),
  at: z.string(),
  actorId: Uuid.nullable(),
  actorName: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
});
export const DocumentDetail = DocumentSummary.extend({
  channel: z.enum(['paper', 'electronic']),
  place: z.string().nullable(),
  signerCompetence: z.string().nullable(),
  signerPosition: z.string().nullable(),
  signerName: z.string().nullable(),
  pageCount: z.number().int().nullable(),
  registerId: Uuid.nullable(),
  registerYear: z.number().int().nullable(),
  files: z.array(DocumentFileRef.extend({ position: z.number().int() })),
  timeline: z.array(DocumentEvent),
  assignments: z.array(z.lazy(() => Assignment)),
  /** For a reply: the incoming document it answers; for an incoming one: its replies. */
  replyTo: z.object({ id: Uuid, label: z.string() }).nullable(),
  replies: z.array(z.object({ id: Uuid, label: z.string(), status: z.string() })),
  /** The signatures found in each PDF, verified on arrival (latest check per file). */
  signatureChecks: z.array(
    z.object({
      sha256: z.string(),
      name: z.string(),
      verifiedAt: z.string(),
      signatureCount: z.number().int(),
      valid: z.boolean(),
      trusted: z.boolean(),
      /** The Vietnamese report. */
      text: z.string(),
      signers: z.array(
        z.object({
          name: z.string().nullable(),
          valid: z.boolean(),
          trusted: z.boolean(),
          signingTime: z.string().nullable(),
        }),
      ),
    }),
  ),
}).extend(DocumentHandlingFields.shape);
export type DocumentDetail = z.infer<typeof DocumentDetail>;

export const DocumentQuery = z.object({
  q: z.string().max(200).optional(),
  direction: z.enum(['incoming', 'outgoing']).optional(),
  typeId: z.string().max(40).optional(),
  urgency: Urgency.optional(),
  from: IsoDate.optional(),
  to: IsoDate.optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

// --- Assignment and handling (phân công, xử lý)

export const ASSIGNMENT_ROLES = ['lead', 'support', 'info'] as const;
export const AssignmentItem = z
  .object({
    role: z.enum(ASSIGNMENT_ROLES),
    officialId: Uuid.optional(),
    departmentId: Uuid.optional(),
    deadline: IsoDate.optional(),
    /** Hạn xử lý as N working days from today (computed with the working calendar). */
    deadlineWorkingDays: z.number().int().min(1).max(365).optional(),
  })
  .refine((a) => (a.officialId === undefined) !== (a.departmentId === undefined), {
    message: 'Chọn đúng một cán bộ hoặc một phòng ban',
  })
  .refine((a) => a.deadline === undefined || a.deadlineWorkingDays === undefined, {
    message: 'Chỉ nhập hạn theo ngày hoặc theo số ngày làm việc',
  });
export const AssignDocument = z
  .object({
    parentId: Uuid.optional(),
    instruction: z.string().trim().max(2000).optional(),
    items: z.array(AssignmentItem).min(1).max(50),
  })
  .refine((a) => a.items.filter((i) => i.role === 'lead').length <= 1, {
    message: 'Chỉ một đơn vị, cá nhân chủ trì',
  });
export type AssignDocument = z.infer<typeof AssignDocument>;

export const Assignment = z.object({
  id: Uuid,
  parentId: Uuid.nullable(),
  role: z.enum(ASSIGNMENT_ROLES),
  assignerId: Uuid,
  assignerName: z.string(),
  assigneeOfficialId: Uuid.nullable(),
  assigneeOfficialName: z.string().nullable(),
  assigneeDepartmentId: Uuid.nullable(),
  assigneeDepartmentName: z.string().nullable(),
  instruction: z.string().nullable(),
  deadline: IsoDate.nullable(),
  status: z.enum(['pending', 'in_progress', 'done', 'returned']),
  result: z.string().nullable(),
  createdAt: z.string(),
});
export type Assignment = z.infer<typeof Assignment>;
export const FinishAssignment = z.object({ result: z.string().trim().min(1).max(4000) });
export const ReturnAssignment = z.object({ reason: z.string().trim().min(3).max(2000) });

/** Worklists (hàng đợi công việc) of the documents module. */
export const WORK_QUEUES = [
  'to_register',
  'to_assign',
  'to_handle',
  'in_progress',
  'overdue',
  'for_info',
  'to_review',
  'to_issue',
] as const;
export type WorkQueue = (typeof WORK_QUEUES)[number];

// --- Outgoing documents (văn bản đi): draft, approval, issuance

export const Recipient = z.union([
  z.object({ agencyId: Uuid }),
  /** An agency outside this installation, by its electronic code: sent through the exchange hub. */
  z.object({ agencyCode: AgencyCode, name: z.string().trim().min(2).max(300) }),
  z.object({ name: z.string().trim().min(2).max(300) }),
]);
export const CreateOutgoingFields = z.object({
  agencyId: Uuid,
  typeId: z.string().min(1).max(40),
  subject: z.string().trim().min(3).max(2000),
  /** Abbreviation of the drafting unit (công văn notation), e.g. VP. */
  draftingUnit: z
    .string()
    .trim()
    .regex(/^[A-ZĐ0-9][A-Za-zĐđ0-9&]{0,19}$/, 'Chữ viết tắt đơn vị soạn thảo không hợp lệ')
    .optional(),
  typistInitials: z.string().trim().max(20).optional(),
  signerCompetence: z.string().trim().max(30).optional(),
  signerPosition: z.string().trim().max(100).optional(),
  signerName: z.string().trim().max(100).optional(),
  urgency: Urgency.default('normal'),
  secrecy: Secrecy.default('none'),
  pageCount: z.number().int().min(1).max(100000).optional(),
  files: z.array(DocumentFileRef).max(50).default([]),
  recipients: z.array(Recipient).min(1).max(200),
  /** Reviewers in order; the last one is the signer. Or `steps`, with parallel groups. */
  reviewerIds: z.array(Uuid).min(1).max(10).optional(),
  steps: ApprovalChain.optional(),
  /** The incoming document of the same agency this one replies to. */
  replyToId: Uuid.optional(),
});
export const CreateOutgoing = CreateOutgoingFields.refine(
  (d) => (d.reviewerIds === undefined) !== (d.steps === undefined),
  { message: 'Nhập danh sách người duyệt (steps) hoặc reviewerIds, không cả hai' },
);
export type CreateOutgoing = z.input<typeof CreateOutgoing>;
export const ReviewDecision = z.object({
  decision: z.enum(['approved', 'returned']),
  comment: z.string().trim().max(2000).optional(),
  /** The signer's personal signature, when the final approval signs a PDF. */
  signing: SigningInput.optional(),
});
export const IssueDocument = z.object({
  registerId: Uuid,
  /** The agency signature (the seal key's password, or the token's signatures). */
  signing: SigningInput.optional(),
});
export const RegisterReceived = z.object({ registerId: Uuid });
export const NumberDocument = z.object({ registerId: Uuid });
export const NumberResult = z.object({ number: z.string(), notation: z.string(), issuedOn: IsoDate });
export const IssueResult = z.object({
  number: z.string(),
  notation: z.string(),
  issuedOn: IsoDate,
  deliveredTo: z.array(z.object({ agencyId: Uuid, documentId: Uuid })),
  /** No main file: issued on paper (signed by hand, sealed), nothing sent electronically. */
  paper: z.boolean(),
});

export * from './books.ts';
export * from './dossier-forms.ts';
export * from './dossiers.ts';
export * from './meetings.ts';
export * from './signing.ts';
export * from './workfiles.ts';

/** Exchange (liên thông văn bản): per recipient agency, the envelopes sent and the statuses reported. */
export const ExchangeTimeline = z.object({
  /** An incoming document that came through the exchange: from whom, and its envelope's XML signature. */
  inbound: z
    .object({
      from: z.string(),
      edxmlDocumentId: z.string(),
      receivedAt: z.string(),
      xmlSignature: z.enum(['absent', 'valid', 'invalid']),
      xmlSigner: z.string().nullable(),
      xmlTrusted: z.boolean().nullable(),
      /**
       * Revocation of a trusted signer's certificate (CRL/OCSP, checked on arrival): revoked makes
       * xmlTrusted false; unknown = not checkable; null = not checked (unsigned, invalid, untrusted).
       */
      xmlRevocation: z.enum(['good', 'revoked', 'unknown']).nullable(),
      /** The check's message (Vietnamese): revocation date and reason, or why it was not checkable. */
      xmlRevocationDetail: z.string().nullable(),
    })
    .nullable(),
  outbound: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(['edoc', 'status']),
      businessType: z.number().int().nullable(),
      statusCode: z.string().nullable(),
      recipients: z.array(z.string()),
      state: z.enum(['queued', 'sent', 'failed']),
      attempts: z.number().int(),
      lastError: z.string().nullable(),
      createdAt: z.string(),
      sentAt: z.string().nullable(),
    }),
  ),
  events: z.array(
    z.object({
      agencyCode: z.string(),
      event: z.string(),
      at: z.string(),
      description: z.string().nullable(),
    }),
  ),
});
export type ExchangeTimeline = z.infer<typeof ExchangeTimeline>;
export const ExchangeHealth = z.object({
  connected: z.boolean(),
  queued: z.number().int(),
  failed: z.number().int(),
  sent: z.number().int(),
  inbound: z.number().int(),
  rejected: z.number().int(),
});
export type ExchangeHealth = z.infer<typeof ExchangeHealth>;
export const ExchangeAgency = z.object({
  code: z.string(),
  legacyCode: z.string().nullable(),
  name: z.string(),
  parentCode: z.string().nullable(),
});
export type ExchangeAgency = z.infer<typeof ExchangeAgency>;
/** The clerk's answer to an issuer's recall request (thu hồi): accept (15) or refuse (16). */
export const ExchangeRecallAnswer = z.object({
  accept: z.boolean(),
  reason: z.string().trim().min(3).max(2000),
});
export type ExchangeRecallAnswer = z.infer<typeof ExchangeRecallAnswer>;
/** The clerk's answer to an issuer's update (cập nhật, BussinessDocType 2): accept (15) or refuse (16). */
export const ExchangeUpdateAnswer = ExchangeRecallAnswer;
export type ExchangeUpdateAnswer = ExchangeRecallAnswer;
export const ExchangeOutboundItem = z.object({
  id: z.string(),
  documentId: z.string(),
  kind: z.enum(['edoc', 'status']),
  businessType: z.number().int().nullable(),
  statusCode: z.string().nullable(),
  recipients: z.array(z.string()),
  edxmlDocumentId: z.string(),
  state: z.enum(['queued', 'sent', 'failed']),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});
export type ExchangeOutboundItem = z.infer<typeof ExchangeOutboundItem>;
export const ExchangeInboundOutcome = z.enum([
  'accepted',
  'duplicate',
  'applied',
  'unknown_document',
  'rejected',
]);
export const ExchangeInboundItem = z.object({
  hubMessageId: z.string(),
  kind: z.enum(['edoc', 'status']),
  from: z.string(),
  to: z.string(),
  edxmlDocumentId: z.string(),
  businessType: z.number().int().nullable(),
  statusCode: z.string().nullable(),
  documentId: z.string().nullable(),
  outcome: ExchangeInboundOutcome,
  detail: z.string().nullable(),
  xmlSignature: z.enum(['absent', 'valid', 'invalid']),
  xmlRevocation: z.enum(['good', 'revoked', 'unknown']).nullable(),
  receivedAt: z.string(),
});
export type ExchangeInboundItem = z.infer<typeof ExchangeInboundItem>;
