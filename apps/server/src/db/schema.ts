/**
 * Kysely table types for the migrated schema (migrations/*.sql). Keep in step with the SQL:
 * `test/schema.test.ts` compares these columns with information_schema and fails on drift.
 */
import type { FormDefinition } from '@congvu/forms';
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type IsoDate = string;

export interface AgenciesTable {
  id: string;
  code: string;
  legacy_code: string | null;
  name: string;
  short_name: string | null;
  sort_key: string;
  kind: string;
  parent_id: string | null;
  valid_from: IsoDate;
  valid_to: IsoDate | null;
  successor_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export interface AgencyReorganisationsTable {
  id: string;
  kind: 'merge' | 'split';
  effective_date: IsoDate;
  source_ids: string[];
  target_ids: string[];
  note: string | null;
  created_by: string | null;
  created_at: Timestamp;
}
export interface DepartmentsTable {
  id: string;
  agency_id: string;
  name: string;
  sort_key: string;
  code: string | null;
  valid_from: IsoDate;
  valid_to: IsoDate | null;
  created_at: Timestamp;
}
export interface PositionsTable {
  id: string;
  name: string;
  rank: number;
}
export interface OfficialsTable {
  id: string;
  username: string;
  full_name: string;
  sort_key: string;
  email: string | null;
  phone: string | null;
  password_hash: string;
  is_active: Generated<boolean>;
  totp_secret: string | null;
  totp_enabled: Generated<boolean>;
  failed_logins: Generated<number>;
  locked_until: Date | null;
  password_changed_at: Timestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export interface OfficialRolesTable {
  official_id: string;
  role: string;
  agency_id: string | null;
}
export interface MembershipsTable {
  official_id: string;
  department_id: string;
  position_id: string | null;
  is_primary: boolean;
}
export interface DelegationsTable {
  id: string;
  from_official_id: string;
  to_official_id: string;
  roles: string[];
  starts_at: Timestamp;
  ends_at: Timestamp;
  reason: string;
  revoked_at: Date | null;
  created_by: string | null;
  created_at: Timestamp;
}
export interface SessionsTable {
  id: string;
  official_id: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
}
export interface ApiTokensTable {
  id: string;
  name: string;
  secret_hash: string;
  permissions: string[];
  created_by: string | null;
  created_at: Timestamp;
  last_used_at: Date | null;
  revoked_at: Date | null;
}
export interface AuditLogTable {
  id: Generated<string>;
  at: Timestamp;
  actor_id: string | null;
  on_behalf_of_id: string | null;
  token_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  summary: ColumnType<Record<string, unknown>, string, string>;
  ip: string | null;
  prev_hash: string;
  hash: string;
}
export interface BlobsTable {
  sha256: string;
  size: ColumnType<string, number | string, never>;
  mime: string;
  created_at: Timestamp;
}

export interface BlobUploadersTable {
  sha256: string;
  official_id: string;
  uploaded_at: Generated<Date>;
}
export interface HolidayNoticesTable {
  id: string;
  date: IsoDate;
  kind: 'day_off' | 'makeup_workday';
  name: string;
  legal_ref: string | null;
  created_at: Timestamp;
}
export interface DocumentTypesTable {
  id: string;
  name: string;
  abbreviation: string | null;
  sort_order: number;
  valid_from: IsoDate;
  valid_to: IsoDate | null;
  legal_basis: string;
}
export interface RegistersTable {
  id: string;
  agency_id: string;
  kind: 'incoming' | 'outgoing';
  secret: Generated<boolean>;
  code: string;
  name: string;
  created_at: Timestamp;
}
export interface RegisterCountersTable {
  register_id: string;
  year: number;
  last_number: Generated<number>;
}
export interface DocumentsTable {
  id: string;
  agency_id: string;
  direction: 'incoming' | 'outgoing';
  channel: 'paper' | 'electronic';
  type_id: string;
  number: string | null;
  notation: string | null;
  issued_on: IsoDate | null;
  place: string | null;
  issuer_name: string;
  issuer_agency_id: string | null;
  subject: string;
  signer_competence: string | null;
  signer_position: string | null;
  signer_name: string | null;
  urgency: Generated<'normal' | 'urgent' | 'very_urgent' | 'flash'>;
  secrecy: Generated<'none' | 'confidential' | 'secret' | 'top_secret'>;
  page_count: number | null;
  due_on: IsoDate | null;
  status: string;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  search_text: ColumnType<string, never, never>;
  drafting_unit: string | null;
  typist_initials: string | null;
  source_document_id: string | null;
  reply_to_id: string | null;
  agency_signature: 'unsigned' | 'signed' | null;
  validity: Generated<'valid' | 'recalled' | 'replaced'>;
  validity_reason: string | null;
  validity_changed_at: Date | null;
  replaced_by_id: string | null;
}
export interface RegisterEntriesTable {
  id: string;
  register_id: string;
  year: number;
  number: number;
  document_id: string;
  registered_at: Timestamp;
  registered_by: string | null;
  idempotency_key: string | null;
}
export interface DocumentFilesTable {
  document_id: string;
  sha256: string;
  name: string;
  role: 'main' | 'appendix' | 'scan';
  position: number;
  added_by: string | null;
  added_at: Timestamp;
}
export interface DocumentEventsTable {
  id: Generated<string>;
  document_id: string;
  kind: string;
  actor_id: string | null;
  at: Timestamp;
  data: ColumnType<Record<string, unknown>, string | undefined, string>;
}
export interface DocumentAssignmentsTable {
  id: string;
  document_id: string;
  parent_id: string | null;
  assigner_id: string;
  role: 'lead' | 'support' | 'info';
  assignee_official_id: string | null;
  assignee_department_id: string | null;
  instruction: string | null;
  deadline: IsoDate | null;
  status: Generated<'pending' | 'in_progress' | 'done' | 'returned'>;
  result: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export interface DocumentApprovalsTable {
  id: string;
  document_id: string;
  round: number;
  step: number;
  reviewer_id: string;
  decision: 'approved' | 'returned' | 'forwarded' | null;
  comment: string | null;
  decided_at: Date | null;
  added_by: string | null;
  signature: 'unsigned' | 'signed' | null;
}
export interface DocumentRecipientsTable {
  document_id: string;
  position: number;
  agency_id: string | null;
  name: string;
  delivered_document_id: string | null;
  agency_code: ColumnType<string | null, string | null | undefined, string | null>;
}
export interface RetentionClassesTable {
  code: string;
  label: string;
  years: number | null;
  deposit_required: boolean;
  sort_order: number;
  valid_from: IsoDate;
  valid_to: IsoDate | null;
  legal_basis: string;
}
export interface FileListsTable {
  id: string;
  agency_id: string;
  year: number;
  status: Generated<'draft' | 'approved'>;
  approved_by: string | null;
  approved_at: Date | null;
  created_by: string | null;
  created_at: Timestamp;
}
export interface FileListItemsTable {
  id: string;
  list_id: string;
  section: string | null;
  code: string;
  title: string;
  retention_code: string;
  department_id: string | null;
  official_id: string | null;
  note: string | null;
  created_at: Timestamp;
}
export interface WorkFilesTable {
  id: string;
  agency_id: string;
  list_item_id: string | null;
  year: number;
  code: string;
  title: string;
  retention_code: string;
  department_id: string | null;
  owner_id: string;
  status: Generated<'open' | 'closed'>;
  opened_on: IsoDate;
  closed_on: IsoDate | null;
  closing_note: string | null;
  deposited_on: IsoDate | null;
  deposited_by: string | null;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export interface WorkFileDocumentsTable {
  file_id: string;
  document_id: string;
  added_by: string | null;
  added_at: Timestamp;
}
export interface WorkFileNotesTable {
  id: string;
  file_id: string;
  body: string;
  author_id: string | null;
  idempotency_key: string | null;
  created_at: Timestamp;
}
export interface ExchangeDirectoryTable {
  code: string;
  legacy_code: string | null;
  name: string;
  parent_code: string | null;
  synced_at: Timestamp;
}
export interface ExchangeOutboundTable {
  id: string;
  document_id: string;
  kind: 'edoc' | 'status';
  business_type: number | null;
  status_code: string | null;
  from_code: string;
  recipients: string[];
  edxml_document_id: string;
  replaces_edxml_id: ColumnType<string | null, string | null | undefined, string | null>;
  state: Generated<'queued' | 'sent' | 'failed'>;
  hub_message_id: string | null;
  attempts: Generated<number>;
  last_error: string | null;
  created_at: Timestamp;
  sent_at: Date | null;
  description: ColumnType<string | null, string | null | undefined, string | null>;
  update_fields: ColumnType<unknown, string | null | undefined, string | null>;
  regarding: Generated<string>;
}
export interface ExchangeInboundTable {
  hub_message_id: string;
  kind: 'edoc' | 'status';
  recipient_code: string;
  from_code: string;
  edxml_document_id: string;
  business_type: number | null;
  status_code: string | null;
  document_id: string | null;
  outcome: 'accepted' | 'duplicate' | 'applied' | 'unknown_document' | 'rejected';
  detail: string | null;
  warnings: ColumnType<unknown, string | undefined, string>;
  xml_signature: Generated<'absent' | 'valid' | 'invalid'>;
  xml_signer: string | null;
  xml_trusted: boolean | null;
  received_at: Timestamp;
  xml_revocation: ColumnType<
    'good' | 'revoked' | 'unknown' | null,
    'good' | 'revoked' | 'unknown' | null | undefined,
    'good' | 'revoked' | 'unknown' | null
  >;
  xml_revocation_detail: ColumnType<string | null, string | null | undefined, string | null>;
}
export interface ExchangeTimelineTable {
  document_id: string;
  agency_code: string;
  event: string;
  at: Date;
  description: string | null;
  staff: ColumnType<unknown, string | null | undefined, string | null>;
  hub_message_id: string | null;
  recorded_at: Timestamp;
  regarding: Generated<string>;
}
export interface OutboxTable {
  id: string;
  topic: string;
  payload: ColumnType<unknown, string, string>;
  dedupe_key: string;
  status: Generated<'pending' | 'sent' | 'skipped' | 'failed'>;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  sent_at: Date | null;
  last_error: string | null;
  created_at: Timestamp;
}
export interface NotificationsTable {
  id: string;
  recipient_id: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  document_id: string | null;
  dedupe_key: string;
  created_at: Timestamp;
  read_at: Date | null;
}
export interface DocumentOpinionsTable {
  id: string;
  document_id: string;
  assignment_id: string;
  author_id: string;
  content: string;
  idempotency_key: string | null;
  created_at: Timestamp;
}
export interface DocumentOpinionFilesTable {
  opinion_id: string;
  position: number;
  sha256: string;
  name: string;
}
export interface DocumentAssignmentForwardsTable {
  id: string;
  assignment_id: string;
  from_official_id: string | null;
  from_department_id: string | null;
  to_official_id: string | null;
  to_department_id: string | null;
  note: string;
  forwarded_by: string;
  forwarded_at: Timestamp;
}
export interface DocumentVersionsTable {
  document_id: string;
  version: number;
  sha256: string;
  name: string;
  note: string | null;
  uploaded_by: string | null;
  uploaded_at: Timestamp;
}
export interface TrustAnchorsTable {
  id: string;
  name: string;
  certificate: Buffer;
  fingerprint_sha256: string;
  subject: string;
  serial_number: string;
  not_before: Date;
  not_after: Date;
  added_by: string | null;
  added_at: Generated<Date>;
  removed_by: string | null;
  removed_at: Date | null;
}
export interface SigningCredentialsTable {
  id: string;
  official_id: string | null;
  agency_id: string | null;
  kind: 'pkcs12' | 'token';
  certificate: Buffer;
  chain: Generated<Buffer[]>;
  pkcs12: Buffer | null;
  subject: string;
  issuer: string;
  serial_number: string;
  fingerprint_sha256: string;
  not_before: Date;
  not_after: Date;
  image_sha256: string | null;
  seal_diameter_mm: string | null;
  added_by: string | null;
  added_at: Generated<Date>;
  removed_by: string | null;
  removed_at: Date | null;
}
export interface DocumentSignatureChecksTable {
  id: string;
  document_id: string;
  sha256: string;
  verified_at: Generated<Date>;
  signature_count: number;
  valid: boolean;
  trusted: boolean;
  report: ColumnType<unknown, string, string>;
  report_text: string;
}
export interface SchemaMigrationsTable {
  name: string;
  checksum: string;
  applied_at: Timestamp;
}

// Module procedures (0019): the TTHC catalogue.
type Json<T = unknown> = ColumnType<T, string | undefined, string>;
export type DurationUnit = 'working_days' | 'working_hours' | 'calendar_days';
export interface ProcedureSectorsTable {
  code: string;
  name: string;
  valid_from: ColumnType<IsoDate, IsoDate | undefined, IsoDate>;
  valid_to: IsoDate | null;
}
export interface ProceduresTable {
  id: string;
  code: string;
  name: string;
  sector_code: string | null;
  announcing_agency: string | null;
  authority_level: 'central' | 'province' | 'commune';
  online_level: 'full' | 'partial';
  applicants: ColumnType<string[], string[] | undefined, string[]>;
  applicant_description: string | null;
  conditions: string | null;
  results: Json<Array<{ code?: string; name: string }>>;
  legal_basis: Json<Array<{ number?: string; title: string }>>;
  implementing: Json<Array<{ code?: string; name: string }>>;
  published: Generated<boolean>;
  valid_from: IsoDate;
  valid_to: IsoDate | null;
  source: Generated<'local' | 'import'>;
  source_hash: string | null;
  search_text: ColumnType<string, never, never>;
  /** 0021: Vietnamese collation key of the name. */
  sort_key: Generated<string>;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export interface ProcedureAgenciesTable {
  procedure_id: string;
  agency_id: string;
}
export interface ProcedureCasesTable {
  id: string;
  procedure_id: string;
  ordinal: number;
  name: string;
  steps: ColumnType<string[], string[] | undefined, string[]>;
  /** packages/forms FormDefinition (checked by the contracts schema on save), or null. */
  online_form: ColumnType<FormDefinition | null, string | null | undefined, string | null>;
}
export interface AdminUnitsTable {
  code: string;
  name: string;
  level: 'province' | 'commune';
  parent_code: string | null;
  valid_from: ColumnType<string, string, string>;
  valid_to: string | null;
}
/** Per component spec id: an uploaded file or an item of the citizen's data store. */
export type DraftComponent =
  | { kind: 'file'; sha256: string; name: string; mime: string; size: number }
  | { kind: 'store'; storeItemId: string; name: string };
export interface OnlineDraftsTable {
  id: string;
  citizen_id: string;
  procedure_id: string;
  case_id: string;
  agency_id: string;
  values: ColumnType<Record<string, string>, string | undefined, string>;
  components: ColumnType<Record<string, DraftComponent>, string | undefined, string>;
  step: 'form' | 'papers' | 'review' | 'submitted';
  dossier_id: string | null;
  created_at: Generated<Date>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}
export interface ProcedureFee {
  code?: string;
  name: string;
  kind: 'fee' | 'charge';
  amount: number;
  when: 'before' | 'after' | 'exempt' | 'none';
  description?: string;
}
export interface ProcedureChannelsTable {
  case_id: string;
  channel: 1 | 2 | 3;
  duration_value: ColumnType<string, string | number, string | number>;
  duration_unit: DurationUnit;
  description: string | null;
  fees: Json<ProcedureFee[]>;
}
export interface ProcedureComponentsTable {
  id: string;
  case_id: string;
  ordinal: number;
  code: string | null;
  name: string;
  form_name: string | null;
  form_url: string | null;
  form_blob: string | null;
  originals: Generated<number>;
  certified: Generated<number>;
  copies: Generated<number>;
  required: Generated<boolean>;
  alternative_group: string | null;
}
export type WorkflowStepKind = 'receive' | 'assign' | 'appraise' | 'approve' | 'sign' | 'return' | 'other';
export interface ProcedureWorkflowStepsTable {
  id: string;
  case_id: string;
  ordinal: number;
  name: string;
  kind: WorkflowStepKind;
  agency_id: string | null;
  department_id: string | null;
  role: string;
  duration_hours: ColumnType<string, string | number, string | number>;
}
export interface ProcedureImportRunsTable {
  id: string;
  started_by: string | null;
  started_at: Generated<Date>;
  total: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: Json<Array<{ index: number; code: string | null; reason: string }>>;
}

// Module dossiers (0020): hồ sơ TTHC.
export type DossierState =
  | 'submitted'
  | 'received'
  | 'refused'
  | 'processing'
  | 'supplement'
  | 'financial'
  | 'withdrawn'
  | 'stopped'
  | 'done'
  | 'delivered';
export interface ServiceIndexRulesTable {
  id: Generated<string>;
  code: string;
  group_code: string;
  group_label_vi: string;
  ordinal: number;
  label_vi: string;
  label_en: string;
  points: ColumnType<string, string | number, string | number>;
  kind: 'ratio' | 'threshold' | 'constant';
  threshold: ColumnType<string | null, string | number | null, string | number | null>;
  factor_below: ColumnType<string | null, string | number | null, string | number | null>;
  formula_vi: string;
  formula_en: string;
  valid_from: IsoDate;
  valid_to: IsoDate | null;
}
export interface DossierStateMapTable {
  state: DossierState;
  portal_status: number;
  label_vi: string;
  label_en: string;
  valid_from: IsoDate;
  valid_to: IsoDate | null;
}
export interface OneStopSettingsTable {
  id: string;
  agency_id: string | null;
  cutoff: string;
  valid_from: IsoDate;
  valid_to: IsoDate | null;
}
export interface DossierCountersTable {
  agency_id: string;
  day: IsoDate;
  last: number;
}
export interface DossiersTable {
  id: string;
  code: string;
  agency_id: string;
  procedure_id: string;
  case_id: string;
  channel: 1 | 2 | 3;
  state: DossierState;
  portal_status: number;
  applicant_kind: Generated<1 | 2>;
  applicant_name: string;
  applicant_id_no: string | null;
  applicant_birth_date: IsoDate | null;
  applicant_address: string | null;
  applicant_phone: string | null;
  applicant_email: string | null;
  representative: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  summary: string | null;
  sets: Generated<number>;
  submitted_at: Timestamp;
  received_at: Date | null;
  received_by: string | null;
  clock_start_at: Date | null;
  duration_value: ColumnType<string | null, string | number | null | undefined, string | number | null>;
  duration_unit: DurationUnit | null;
  original_due_at: Date | null;
  due_at: Date | null;
  current_agency_id: string | null;
  current_step_id: string | null;
  finished_at: Date | null;
  delivered_at: Date | null;
  delivery_method: 'counter' | 'post' | 'online' | null;
  delivery_note: string | null;
  closed_reason: string | null;
  supplement_requested: Generated<boolean>;
  electronic_result: Generated<boolean>;
  fee_total: ColumnType<string, string | number | undefined, string | number>;
  paid_online: Generated<boolean>;
  lookup_secret: string;
  idempotency_key: string | null;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  search_text: ColumnType<string, never, never>;
  components_total: Generated<number>;
  components_digitised: Generated<number>;
  components_reused: Generated<number>;
  citizen_id: string | null;
  /** The online form as submitted (packages/forms FormValues), or null. */
  form_values: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  /** Projection of dossier_events for the public lookup, kept by triggers (migration 0032); never written. */
  public_history: ColumnType<Array<{ at: string; s: number }>, never, never>;
}
export interface DossierStepsTable {
  id: string;
  dossier_id: string;
  ordinal: number;
  workflow_step_id: string | null;
  name: string;
  kind: string;
  agency_id: string;
  department_id: string | null;
  role: string;
  official_id: string | null;
  duration_hours: ColumnType<string, string | number, string | number>;
  started_at: Date | null;
  due_at: Date | null;
  finished_at: Date | null;
  outcome: string | null;
  note: string | null;
}
export interface DossierComponentsTable {
  id: string;
  dossier_id: string;
  spec_id: string | null;
  ordinal: number;
  name: string;
  originals: Generated<number>;
  certified: Generated<number>;
  copies: Generated<number>;
  blob: string | null;
  digitised: Generated<0 | 1 | 2 | 3>;
  store_item_id: string | null;
  pause_id: string | null;
  created_at: Generated<Date>;
}
export interface DossierFeesTable {
  id: string;
  dossier_id: string;
  code: string | null;
  name: string;
  kind: 'fee' | 'charge';
  amount: ColumnType<string, string | number, string | number>;
  when_paid: 'before' | 'after' | 'exempt' | 'none';
  paid_at: Date | null;
  paid_online: Generated<boolean>;
  receipt_no: string | null;
}
export interface DossierPausesTable {
  id: string;
  dossier_id: string;
  kind: 'supplement' | 'financial';
  reason: string;
  items: Json<unknown[]>;
  requested_at: Timestamp;
  requested_by: string | null;
  resumed_at: Date | null;
  resumed_by: string | null;
  due_before: Date | null;
  due_after: Date | null;
}
export interface DossierApologiesTable {
  id: string;
  dossier_id: string;
  agency_id: string;
  step_id: string | null;
  reason: string;
  old_due_at: Timestamp;
  new_due_at: Timestamp;
  issued_by: string | null;
  issued_at: Timestamp;
}
export interface DossierHandoversTable {
  id: string;
  dossier_id: string;
  from_agency_id: string;
  to_agency_id: string;
  sent_at: Timestamp;
  sent_by: string | null;
  received_at: Date | null;
  received_by: string | null;
  result: string | null;
  note: string | null;
}
export interface DossierResultsTable {
  id: string;
  dossier_id: string;
  code: string | null;
  name: string;
  blob: string | null;
  electronic: Generated<boolean>;
  signed: Generated<boolean>;
  created_by: string | null;
  created_at: Generated<Date>;
}
export interface DossierEventsTable {
  id: string;
  dossier_id: string;
  at: Timestamp;
  kind: string;
  state: DossierState;
  portal_status: number;
  actor_id: string | null;
  agency_id: string | null;
  note: string | null;
  data: Json<Record<string, unknown>>;
}
export interface CitizenStoreItemsTable {
  id: string;
  owner_id_no: string;
  kind: 'component' | 'result';
  code: string | null;
  name: string;
  blob: string;
  source_dossier_id: string | null;
  valid_until: IsoDate | null;
  created_at: Generated<Date>;
}

// The national portal sync (0024).
export type DvcqgService = 'DongBoHoSoMC' | 'CapNhatTienDoHoSoMC';
export type DvcqgSyncState = 'pending' | 'sent' | 'failed' | 'disabled';
export interface DvcqgSyncLogTable {
  id: string;
  dossier_id: string;
  event_id: string;
  service: DvcqgService;
  is_updating: boolean;
  payload: Json<Record<string, unknown>>;
  state: DvcqgSyncState;
  attempts: Generated<number>;
  http_status: number | null;
  response: string | null;
  error: string | null;
  created_at: Generated<Date>;
  last_attempt_at: Date | null;
  sent_at: Date | null;
}

// Citizen accounts (0027).
export interface CitizensTable {
  id: string;
  email: string | null;
  phone: string | null;
  password_hash: string | null;
  full_name: string;
  id_no: string | null;
  address: string | null;
  failed_logins: Generated<number>;
  locked_until: Date | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  notify_email: Generated<boolean>;
  notify_sms: Generated<boolean>;
}
export interface CitizenNotificationsTable {
  id: string;
  citizen_id: string | null;
  dossier_id: string;
  event_id: string;
  kind: string;
  title_vi: string;
  body_vi: string;
  link: string;
  created_at: Generated<Date>;
  read_at: Date | null;
}
export interface CitizenSessionsTable {
  id: string;
  citizen_id: string;
  created_at: Generated<Date>;
  last_seen_at: Generated<Date>;
  expires_at: Date;
  ip: string | null;
  user_agent: string | null;
}
export interface CitizenIdentitiesTable {
  issuer: string;
  subject: string;
  citizen_id: string;
  created_at: Generated<Date>;
  last_login_at: Date | null;
}
export interface CitizenPasswordResetsTable {
  id: string;
  citizen_id: string;
  token_hash: string;
  expires_at: Date;
  used_at: Date | null;
  created_at: Generated<Date>;
}
export interface CitizenOidcStatesTable {
  state_hash: string;
  code_verifier: string;
  nonce: string;
  return_to: string;
  expires_at: Date;
  created_at: Generated<Date>;
  link_citizen_id: string | null;
}

// Citizens' satisfaction ratings of their dossiers (0030).
export interface DossierRatingsTable {
  id: string;
  dossier_id: string;
  citizen_id: string;
  agency_id: string;
  level: 1 | 2 | 3 | 4 | 5;
  criteria: boolean[];
  satisfied: number;
  comment: string | null;
  rated_at: Date;
}
// One-stop forms signed with the agency signature (0025).
export type DossierFormKind = 'receipt' | 'supplement' | 'refusal' | 'apology' | 'control';
export interface DossierSignedFormsTable {
  id: string;
  dossier_id: string;
  form: DossierFormKind;
  content_sha256: string;
  blob_sha256: string;
  agency_id: string;
  certificate_subject: string;
  signed_by: string;
  signed_at: Date;
  event_id: string;
}

// Online payments (0026).
export type PaymentOrderStatus = 'pending' | 'paid' | 'failed' | 'expired';
export interface PaymentOrdersTable {
  id: string;
  txn_ref: string;
  provider: string;
  dossier_id: string;
  agency_id: string;
  fee_ordinals: number[];
  amount: ColumnType<string, string | number, string | number>;
  status: Generated<PaymentOrderStatus>;
  created_at: Date;
  expires_at: Date;
  created_by: string | null;
  gateway_txn_no: string | null;
  bank_code: string | null;
  response_code: string | null;
  paid_at: Date | null;
  settled_at: Date | null;
  ipn_params: ColumnType<unknown, string | null | undefined, string | null>;
}

// --- meetings (issue 8; migration 0033)
export interface MeetingRulesTable {
  code: string;
  label_vi: string;
  label_en: string;
  base: 'all' | 'present' | 'cast';
  numerator: number;
  denominator: number;
  strict: boolean;
  legal_basis: string | null;
  valid_from: string;
  valid_to: string | null;
}
export interface MeetingBodiesTable {
  id: string;
  agency_id: string;
  kind: 'council' | 'council_committee' | 'people_committee' | 'party_committee' | 'adhoc';
  name: string;
  parent_id: string | null;
  quorum_rule: Generated<string>;
  created_at: Generated<Date>;
}
export interface MeetingMembersTable {
  id: string;
  body_id: string;
  official_id: string | null;
  full_name: string;
  sort_key: Generated<string>;
  email: string | null;
  role: 'chair' | 'vice_chair' | 'delegate' | 'secretary' | 'guest';
  voting: boolean;
  term: string | null;
  valid_from: string;
  valid_to: string | null;
}
export interface MeetingsTable {
  id: string;
  body_id: string;
  kind: 'session' | 'meeting';
  title: string;
  place: string | null;
  online_url: string | null;
  starts_at: Date;
  ends_at: Date | null;
  status: Generated<'draft' | 'invited' | 'open' | 'closed'>;
  invited_at: Date | null;
  opened_at: Date | null;
  closed_at: Date | null;
  current_item_id: string | null;
  created_by: string | null;
  created_at: Generated<Date>;
}
export interface MeetingItemsTable {
  id: string;
  meeting_id: string;
  parent_id: string | null;
  ordinal: number;
  title: string;
  rapporteur: string | null;
  planned_minutes: number | null;
  status: Generated<'pending' | 'current' | 'done'>;
}
export interface MeetingAttendanceTable {
  meeting_id: string;
  member_id: string;
  invited_at: Date;
  response: 'attend' | 'absent' | 'delegated' | null;
  reason: string | null;
  delegated_to: string | null;
  responded_at: Date | null;
  checked_in_at: Date | null;
  checked_in_by: string | null;
}
export interface MeetingPollsTable {
  id: string;
  meeting_id: string;
  item_id: string | null;
  title: string;
  kind: 'open' | 'named' | 'secret';
  options: Json<string[]>;
  rule: string;
  status: Generated<'open' | 'closed'>;
  electorate: number;
  present: number;
  cast_count: number | null;
  outcome: 'passed' | 'failed' | null;
  opened_at: Date;
  opened_by: string | null;
  closed_at: Date | null;
}
export interface MeetingPollVotersTable {
  poll_id: string;
  member_id: string;
}
export interface MeetingPollChoicesTable {
  poll_id: string;
  member_id: string;
  option: number;
}
export interface MeetingPollBoxTable {
  id: string;
  poll_id: string;
  option: number;
}
export interface MeetingSpeakersTable {
  id: string;
  meeting_id: string;
  item_id: string | null;
  member_id: string;
  kind: 'speech' | 'point_of_order';
  position: number;
  status: Generated<'waiting' | 'speaking' | 'done' | 'withdrawn'>;
  planned_seconds: number;
  requested_at: Date;
  started_at: Date | null;
  ended_at: Date | null;
}
export interface MeetingDocumentsTable {
  id: string;
  meeting_id: string;
  item_id: string | null;
  kind: 'main' | 'appendix' | 'draft_resolution' | 'other';
  title: string;
  created_at: Date;
}
export interface MeetingDocumentVersionsTable {
  document_id: string;
  version: number;
  sha256: string;
  filename: string;
  added_at: Date;
  added_by: string | null;
  after_invitation: boolean;
}
export interface MeetingDocumentReceiptsTable {
  document_id: string;
  version: number;
  member_id: string;
  delivered_at: Date;
  opened_at: Date | null;
}
export interface MeetingNoticesTable {
  id: string;
  meeting_id: string;
  text: string;
  created_by: string | null;
  created_at: Date;
}
export interface MeetingPollResultsTable {
  poll_id: string;
  option: number;
  count: number;
}

export interface Database {
  agencies: AgenciesTable;
  agency_reorganisations: AgencyReorganisationsTable;
  departments: DepartmentsTable;
  positions: PositionsTable;
  officials: OfficialsTable;
  official_roles: OfficialRolesTable;
  memberships: MembershipsTable;
  delegations: DelegationsTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  audit_log: AuditLogTable;
  blobs: BlobsTable;
  blob_uploaders: BlobUploadersTable;
  holiday_notices: HolidayNoticesTable;
  document_types: DocumentTypesTable;
  registers: RegistersTable;
  register_counters: RegisterCountersTable;
  documents: DocumentsTable;
  register_entries: RegisterEntriesTable;
  document_files: DocumentFilesTable;
  document_events: DocumentEventsTable;
  document_assignments: DocumentAssignmentsTable;
  document_approvals: DocumentApprovalsTable;
  document_recipients: DocumentRecipientsTable;
  retention_classes: RetentionClassesTable;
  file_lists: FileListsTable;
  file_list_items: FileListItemsTable;
  work_files: WorkFilesTable;
  work_file_documents: WorkFileDocumentsTable;
  work_file_notes: WorkFileNotesTable;
  outbox: OutboxTable;
  notifications: NotificationsTable;
  document_opinions: DocumentOpinionsTable;
  document_opinion_files: DocumentOpinionFilesTable;
  document_assignment_forwards: DocumentAssignmentForwardsTable;
  document_versions: DocumentVersionsTable;
  trust_anchors: TrustAnchorsTable;
  document_signature_checks: DocumentSignatureChecksTable;
  signing_credentials: SigningCredentialsTable;
  exchange_directory: ExchangeDirectoryTable;
  exchange_outbound: ExchangeOutboundTable;
  exchange_inbound: ExchangeInboundTable;
  exchange_timeline: ExchangeTimelineTable;
  procedure_sectors: ProcedureSectorsTable;
  procedures: ProceduresTable;
  procedure_agencies: ProcedureAgenciesTable;
  procedure_cases: ProcedureCasesTable;
  admin_units: AdminUnitsTable;
  online_drafts: OnlineDraftsTable;
  procedure_channels: ProcedureChannelsTable;
  procedure_components: ProcedureComponentsTable;
  procedure_workflow_steps: ProcedureWorkflowStepsTable;
  procedure_import_runs: ProcedureImportRunsTable;
  dossier_state_map: DossierStateMapTable;
  service_index_rules: ServiceIndexRulesTable;
  one_stop_settings: OneStopSettingsTable;
  dossier_counters: DossierCountersTable;
  dossiers: DossiersTable;
  dossier_steps: DossierStepsTable;
  dossier_components: DossierComponentsTable;
  dossier_fees: DossierFeesTable;
  dossier_pauses: DossierPausesTable;
  dossier_apologies: DossierApologiesTable;
  dossier_handovers: DossierHandoversTable;
  dossier_results: DossierResultsTable;
  dossier_events: DossierEventsTable;
  dvcqg_sync_log: DvcqgSyncLogTable;
  dossier_signed_forms: DossierSignedFormsTable;
  dossier_ratings: DossierRatingsTable;
  payment_orders: PaymentOrdersTable;
  citizen_store_items: CitizenStoreItemsTable;
  citizens: CitizensTable;
  citizen_sessions: CitizenSessionsTable;
  citizen_identities: CitizenIdentitiesTable;
  citizen_password_resets: CitizenPasswordResetsTable;
  citizen_oidc_states: CitizenOidcStatesTable;
  citizen_notifications: CitizenNotificationsTable;
  meeting_rules: MeetingRulesTable;
  meeting_bodies: MeetingBodiesTable;
  meeting_members: MeetingMembersTable;
  meetings: MeetingsTable;
  meeting_items: MeetingItemsTable;
  meeting_attendance: MeetingAttendanceTable;
  meeting_polls: MeetingPollsTable;
  meeting_poll_voters: MeetingPollVotersTable;
  meeting_poll_choices: MeetingPollChoicesTable;
  meeting_poll_box: MeetingPollBoxTable;
  meeting_poll_results: MeetingPollResultsTable;
  meeting_notices: MeetingNoticesTable;
  meeting_speakers: MeetingSpeakersTable;
  meeting_documents: MeetingDocumentsTable;
  meeting_document_versions: MeetingDocumentVersionsTable;
  meeting_document_receipts: MeetingDocumentReceiptsTable;
  schema_migrations: SchemaMigrationsTable;
}
