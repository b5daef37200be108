-- The administrative-procedure catalogue (thủ tục hành chính, module procedures; STANDARDS §5):
-- procedures with the fields of the national TTHC database, effective-dated versions, cases with
-- per-channel processing times and fees, required components, and per case a processing workflow.

CREATE TABLE procedure_sectors (
  code text PRIMARY KEY,
  name text NOT NULL,
  valid_from date NOT NULL DEFAULT '2000-01-01',
  valid_to date,
  CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
COMMENT ON TABLE procedure_sectors IS 'Lĩnh vực (LayDanhMucLinhVuc: MALINHVUC, TENLINHVUC); effective-dated';

CREATE TABLE procedures (
  id uuid PRIMARY KEY,
  code text NOT NULL CHECK (code ~ '^[0-9A-Za-z][0-9A-Za-z._-]{0,39}$'),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 1000),
  sector_code text REFERENCES procedure_sectors(code),
  announcing_agency text,
  authority_level text NOT NULL CHECK (authority_level IN ('central', 'province', 'commune')),
  online_level text NOT NULL CHECK (online_level IN ('full', 'partial')),
  applicants text[] NOT NULL DEFAULT '{}',
  applicant_description text,
  conditions text,
  results jsonb NOT NULL DEFAULT '[]',
  legal_basis jsonb NOT NULL DEFAULT '[]',
  implementing jsonb NOT NULL DEFAULT '[]',
  published boolean NOT NULL DEFAULT false,
  valid_from date NOT NULL,
  valid_to date,
  source text NOT NULL DEFAULT 'local' CHECK (source IN ('local', 'import')),
  source_hash text,
  search_text text GENERATED ALWAYS AS (f_search_key(code || ' ' || name)) STORED,
  created_by uuid REFERENCES officials(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (code, valid_from),
  CHECK (valid_to IS NULL OR valid_to > valid_from)
);
COMMENT ON TABLE procedures IS 'Thủ tục hành chính (LayThuTuc record): one row per version; the version in force on a day is the one with valid_from <= day < valid_to';
COMMENT ON COLUMN procedures.code IS 'MATTHC, e.g. 1.001193';
COMMENT ON COLUMN procedures.online_level IS 'NĐ 42/2022: full = toàn trình, partial = một phần';
COMMENT ON COLUMN procedures.results IS 'KETQUATHUCHIEN: [{code, name}]';
COMMENT ON COLUMN procedures.legal_basis IS 'CANCUPHAPLY: [{number, title}]';
COMMENT ON COLUMN procedures.implementing IS 'COQUANTHUCHIEN as published: [{code, name}] (the local agencies are procedure_agencies)';
COMMENT ON COLUMN procedures.source_hash IS 'SHA-256 of the imported record in canonical JSON: re-importing the same record changes nothing';
CREATE INDEX procedures_search_trgm ON procedures USING gin (search_text gin_trgm_ops);

CREATE TABLE procedure_agencies (
  procedure_id uuid NOT NULL REFERENCES procedures(id) ON DELETE CASCADE,
  agency_id uuid NOT NULL REFERENCES agencies(id),
  PRIMARY KEY (procedure_id, agency_id)
);
COMMENT ON TABLE procedure_agencies IS 'Agencies of this installation that receive dossiers of the procedure (cơ quan thực hiện)';

CREATE TABLE procedure_cases (
  id uuid PRIMARY KEY,
  procedure_id uuid NOT NULL REFERENCES procedures(id) ON DELETE CASCADE,
  ordinal int NOT NULL,
  name text NOT NULL,
  steps text[] NOT NULL DEFAULT '{}',
  UNIQUE (procedure_id, ordinal)
);
COMMENT ON TABLE procedure_cases IS 'Trường hợp (TRINHTUTHUCHIEN.TRUONGHOP) with its published steps (TRINHTU.TENTRINHTU)';

CREATE TABLE procedure_channels (
  case_id uuid NOT NULL REFERENCES procedure_cases(id) ON DELETE CASCADE,
  channel smallint NOT NULL CHECK (channel IN (1, 2, 3)),
  duration_value numeric(10, 2) NOT NULL CHECK (duration_value >= 0),
  duration_unit text NOT NULL CHECK (duration_unit IN ('working_days', 'working_hours', 'calendar_days')),
  description text,
  fees jsonb NOT NULL DEFAULT '[]',
  PRIMARY KEY (case_id, channel)
);
COMMENT ON TABLE procedure_channels IS 'CACHTHUCTHUCHIEN: per channel (KENH 1 trực tiếp, 2 trực tuyến, 3 bưu chính) the processing time and fees';
COMMENT ON COLUMN procedure_channels.fees IS '[{code, name, kind: fee|charge (phí|lệ phí), amount (VND), when: before|after|exempt|none, description}]';

CREATE TABLE procedure_components (
  id uuid PRIMARY KEY,
  case_id uuid NOT NULL REFERENCES procedure_cases(id) ON DELETE CASCADE,
  ordinal int NOT NULL,
  code text,
  name text NOT NULL,
  form_name text,
  form_url text,
  form_blob text,
  originals int NOT NULL DEFAULT 0 CHECK (originals >= 0),
  certified int NOT NULL DEFAULT 0 CHECK (certified >= 0),
  copies int NOT NULL DEFAULT 0 CHECK (copies >= 0),
  required boolean NOT NULL DEFAULT true,
  alternative_group text,
  UNIQUE (case_id, ordinal)
);
COMMENT ON TABLE procedure_components IS 'Thành phần hồ sơ (THANHPHANHOSO.GIAYTO): name, form template, counts of originals / certified / plain copies';
COMMENT ON COLUMN procedure_components.form_blob IS 'sha256 of the form template in the blob store (files module), if uploaded';
COMMENT ON COLUMN procedure_components.alternative_group IS 'Components with the same group are alternatives: one of them is enough';

CREATE TABLE procedure_workflow_steps (
  id uuid PRIMARY KEY,
  case_id uuid NOT NULL REFERENCES procedure_cases(id) ON DELETE CASCADE,
  ordinal int NOT NULL,
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('receive', 'assign', 'appraise', 'approve', 'sign', 'return', 'other')),
  agency_id uuid REFERENCES agencies(id),
  department_id uuid REFERENCES departments(id),
  role text NOT NULL,
  duration_hours numeric(8, 2) NOT NULL CHECK (duration_hours >= 0),
  UNIQUE (case_id, ordinal)
);
COMMENT ON TABLE procedure_workflow_steps IS 'The processing workflow of a case: ordered steps each done by a role in a department of an agency, with a duration in working hours';
COMMENT ON COLUMN procedure_workflow_steps.agency_id IS 'NULL: the agency that received the dossier; another agency makes the procedure inter-agency (liên thông)';

CREATE TABLE procedure_import_runs (
  id uuid PRIMARY KEY,
  started_by uuid REFERENCES officials(id),
  started_at timestamptz NOT NULL DEFAULT now(),
  total int NOT NULL,
  created int NOT NULL,
  updated int NOT NULL,
  unchanged int NOT NULL,
  rejected jsonb NOT NULL DEFAULT '[]'
);
COMMENT ON TABLE procedure_import_runs IS 'Each LayThuTuc import: counts and every rejected record with its reason [{index, code, reason}]';
