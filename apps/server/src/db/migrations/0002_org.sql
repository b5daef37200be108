-- Organisations and people (module org).

CREATE TABLE agencies (
  id uuid PRIMARY KEY,
  code varchar(35) NOT NULL CHECK (code ~ '^[A-Z0-9]+(\.[A-Z0-9]+)*$'),
  legacy_code varchar(13) CHECK (legacy_code ~ '^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$'),
  name text NOT NULL,
  short_name text,
  sort_key text NOT NULL DEFAULT '',
  kind text NOT NULL,
  parent_id uuid REFERENCES agencies(id),
  valid_from date NOT NULL,
  valid_to date,
  successor_id uuid REFERENCES agencies(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
COMMENT ON TABLE agencies IS 'Cơ quan, tổ chức có mã định danh: an effective-dated tree; rows are never deleted';
COMMENT ON COLUMN agencies.code IS 'Electronic identification code, QĐ 20/2020/QĐ-TTg (≤ 35 chars, A–Z 0–9 and dots)';
COMMENT ON COLUMN agencies.legacy_code IS 'QCVN 102:2016 code, e.g. 000.00.00.H49';
COMMENT ON COLUMN agencies.valid_to IS 'Last day the agency exists; NULL while active';
COMMENT ON COLUMN agencies.successor_id IS 'Agency this one merged into (or the main successor of a split)';
-- A code is unique among agencies alive at the same time; a merged agency keeps its old code for history.
CREATE UNIQUE INDEX agencies_code_active ON agencies (code) WHERE valid_to IS NULL;
CREATE INDEX agencies_parent ON agencies (parent_id);
CREATE INDEX agencies_name_trgm ON agencies USING gin (f_search_key(name) gin_trgm_ops);

CREATE TABLE agency_reorganisations (
  id uuid PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('merge', 'split')),
  effective_date date NOT NULL,
  source_ids uuid[] NOT NULL,
  target_ids uuid[] NOT NULL,
  note text,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE agency_reorganisations IS 'Sáp nhập, chia tách: which agencies ended and which carry on, from which date';

CREATE TABLE departments (
  id uuid PRIMARY KEY,
  agency_id uuid NOT NULL REFERENCES agencies(id),
  name text NOT NULL,
  sort_key text NOT NULL DEFAULT '',
  code text,
  valid_from date NOT NULL,
  valid_to date,
  created_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE departments IS 'Phòng, ban, đơn vị trực thuộc inside an agency; not an exchange endpoint';
CREATE INDEX departments_agency ON departments (agency_id);

CREATE TABLE positions (
  id uuid PRIMARY KEY,
  name text NOT NULL UNIQUE,
  rank int NOT NULL DEFAULT 100
);
COMMENT ON TABLE positions IS 'Chức vụ (Chủ tịch, Giám đốc Sở, Chuyên viên...); rank orders lists, lower is higher';

CREATE TABLE officials (
  id uuid PRIMARY KEY,
  username text NOT NULL UNIQUE,
  full_name text NOT NULL,
  sort_key text NOT NULL DEFAULT '',
  email text,
  phone text,
  password_hash text NOT NULL,
  is_active boolean NOT NULL DEFAULT true,
  totp_secret text,
  totp_enabled boolean NOT NULL DEFAULT false,
  failed_logins int NOT NULL DEFAULT 0,
  locked_until timestamptz,
  password_changed_at timestamptz NOT NULL DEFAULT now(),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE officials IS 'Cán bộ, công chức, viên chức: the people who sign in';
COMMENT ON COLUMN officials.sort_key IS 'Vietnamese collation key (given name first), compared with COLLATE "C"';
COMMENT ON COLUMN officials.password_hash IS 'argon2id PHC string';
COMMENT ON COLUMN officials.totp_secret IS 'Base32 TOTP secret (RFC 6238); set at enrolment, used once enabled';
CREATE INDEX officials_name_trgm ON officials USING gin (f_search_key(full_name) gin_trgm_ops);

CREATE TABLE official_roles (
  official_id uuid NOT NULL REFERENCES officials(id) ON DELETE CASCADE,
  role text NOT NULL CHECK (role IN ('admin', 'clerk', 'leader', 'specialist', 'counter')),
  agency_id uuid REFERENCES agencies(id),
  UNIQUE NULLS NOT DISTINCT (official_id, role, agency_id)
);
COMMENT ON TABLE official_roles IS 'Roles an official holds, per agency (agency_id NULL = province-wide)';

CREATE TABLE memberships (
  official_id uuid NOT NULL REFERENCES officials(id) ON DELETE CASCADE,
  department_id uuid NOT NULL REFERENCES departments(id),
  position_id uuid REFERENCES positions(id),
  is_primary boolean NOT NULL DEFAULT false,
  PRIMARY KEY (official_id, department_id)
);
COMMENT ON TABLE memberships IS 'An official works in one or more departments, each with a position';
CREATE UNIQUE INDEX memberships_one_primary ON memberships (official_id) WHERE is_primary;

CREATE TABLE delegations (
  id uuid PRIMARY KEY,
  from_official_id uuid NOT NULL REFERENCES officials(id),
  to_official_id uuid NOT NULL REFERENCES officials(id),
  roles text[] NOT NULL,
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  reason text NOT NULL,
  revoked_at timestamptz,
  created_by uuid REFERENCES officials(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (ends_at > starts_at),
  CHECK (from_official_id <> to_official_id)
);
COMMENT ON TABLE delegations IS 'Ủy quyền: time-boxed transfer of some of an official''s roles to another';
CREATE INDEX delegations_to ON delegations (to_official_id, ends_at);
