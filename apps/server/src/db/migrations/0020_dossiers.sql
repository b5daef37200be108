-- Dossiers of administrative procedures (hồ sơ TTHC, module dossiers; STANDARDS §4): reception,
-- the daily per-agency code counter, deadlines with pauses, processing steps across agencies,
-- supplements, apologies, results, the applicant's data store and the timeline.

CREATE TABLE dossier_state_map (
  state text NOT NULL,
  portal_status smallint NOT NULL CHECK (portal_status BETWEEN 1 AND 10),
  label_vi text NOT NULL,
  label_en text NOT NULL,
  valid_from date NOT NULL,
  valid_to date,
  PRIMARY KEY (state, valid_from),
  CHECK (valid_to IS NULL OR valid_to > valid_from)
);
COMMENT ON TABLE dossier_state_map IS 'Internal dossier state → TrangThaiHoSo of the national portal (1–10); effective-dated data';

INSERT INTO dossier_state_map (state, portal_status, label_vi, label_en, valid_from) VALUES
  ('submitted', 1, 'Mới đăng ký', 'Newly submitted', '2018-01-01'),
  ('received', 2, 'Được tiếp nhận', 'Received', '2018-01-01'),
  ('refused', 3, 'Không được tiếp nhận', 'Not accepted', '2018-01-01'),
  ('processing', 4, 'Đang xử lý', 'Processing', '2018-01-01'),
  ('supplement', 5, 'Yêu cầu bổ sung giấy tờ', 'Supplement requested', '2018-01-01'),
  ('financial', 6, 'Yêu cầu thực hiện nghĩa vụ tài chính', 'Financial obligation requested', '2018-01-01'),
  ('withdrawn', 7, 'Công dân yêu cầu rút hồ sơ', 'Withdrawn by the applicant', '2018-01-01'),
  ('stopped', 8, 'Dừng xử lý', 'Stopped', '2018-01-01'),
  ('done', 9, 'Đã xử lý xong', 'Processed', '2018-01-01'),
  ('delivered', 10, 'Đã trả kết quả', 'Result delivered', '2018-01-01');

CREATE TABLE one_stop_settings (
  id uuid PRIMARY KEY,
  agency_id uuid REFERENCES agencies(id),
  cutoff time NOT NULL,
  valid_from date NOT NULL,
  valid_to date,
  CHECK (valid_to IS NULL OR valid_to > valid_from)
);
CREATE UNIQUE INDEX one_stop_settings_once ON one_stop_settings (coalesce(agency_id, '00000000-0000-0000-0000-000000000000'::uuid), valid_from);
COMMENT ON TABLE one_stop_settings IS 'Reception rules per agency (NULL = every agency without its own row), effective-dated';
COMMENT ON COLUMN one_stop_settings.cutoff IS 'A complete dossier received at or after this time counts from the next working morning (NĐ 61/2018 art. 19: 15:00)';
INSERT INTO one_stop_settings (id, agency_id, cutoff, valid_from)
VALUES ('00000000-0000-7000-8000-000000000001', NULL, '15:00', '2018-01-01');

CREATE TABLE dossier_counters (
  agency_id uuid NOT NULL REFERENCES agencies(id),
  day date NOT NULL,
  last int NOT NULL,
  PRIMARY KEY (agency_id, day)
);
COMMENT ON TABLE dossier_counters IS 'Last sequence number of a dossier code per receiving agency and local day; taken with INSERT … ON CONFLICT DO UPDATE … RETURNING inside the receiving transaction, so never repeated nor skipped';

CREATE TABLE dossiers (
  id uuid PRIMARY KEY,
  code text NOT NULL UNIQUE,
  agency_id uuid NOT NULL REFERENCES agencies(id),
  procedure_id uuid NOT NULL REFERENCES procedures(id),
  case_id uuid NOT NULL REFERENCES procedure_cases(id),
  channel smallint NOT NULL CHECK (channel IN (1, 2, 3)),
  state text NOT NULL CHECK (state IN ('submitted', 'received', 'refused', 'processing', 'supplement',
    'financial', 'withdrawn', 'stopped', 'done', 'delivered')),
  portal_status smallint NOT NULL CHECK (portal_status BETWEEN 1 AND 10),
  applicant_kind smallint NOT NULL DEFAULT 1 CHECK (applicant_kind IN (1, 2)),
  applicant_name text NOT NULL CHECK (length(applicant_name) BETWEEN 1 AND 300),
  applicant_id_no text,
  applicant_birth_date date,
  applicant_address text,
  applicant_phone text,
  applicant_email text,
  representative jsonb,
  summary text,
  sets int NOT NULL DEFAULT 1 CHECK (sets >= 1),
  submitted_at timestamptz NOT NULL,
  received_at timestamptz,
  received_by uuid REFERENCES officials(id),
  clock_start_at timestamptz,
  duration_value numeric(10, 2),
  duration_unit text CHECK (duration_unit IN ('working_days', 'working_hours', 'calendar_days')),
  original_due_at timestamptz,
  due_at timestamptz,
  current_agency_id uuid REFERENCES agencies(id),
  current_step_id uuid,
  finished_at timestamptz,
  delivered_at timestamptz,
  delivery_method text CHECK (delivery_method IN ('counter', 'post', 'online')),
  delivery_note text,
  closed_reason text,
  supplement_requested boolean NOT NULL DEFAULT false,
  electronic_result boolean NOT NULL DEFAULT false,
  fee_total bigint NOT NULL DEFAULT 0 CHECK (fee_total >= 0),
  paid_online boolean NOT NULL DEFAULT false,
  lookup_secret text NOT NULL,
  idempotency_key text UNIQUE,
  created_by uuid REFERENCES officials(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  search_text text GENERATED ALWAYS AS (
    f_search_key(code || ' ' || applicant_name || ' ' || coalesce(applicant_id_no, '') || ' ' || coalesce(summary, ''))
  ) STORED
);
COMMENT ON TABLE dossiers IS 'Hồ sơ TTHC: code {agencyCode}-{yyMMdd}-{NNNN}; the applicant (chủ hồ sơ) and who submitted it (representative)';
COMMENT ON COLUMN dossiers.channel IS 'KenhThucHien: 1 trực tiếp, 2 trực tuyến, 3 bưu chính công ích';
COMMENT ON COLUMN dossiers.portal_status IS 'TrangThaiHoSo (dossier_state_map of the state when it changed)';
COMMENT ON COLUMN dossiers.clock_start_at IS 'When the processing clock started: the receipt of a complete dossier, or the next working morning after the cut-off';
COMMENT ON COLUMN dossiers.original_due_at IS 'Ngày hẹn trả printed on the receipt';
COMMENT ON COLUMN dossiers.due_at IS 'The due date now: moved by supplement pauses and by apologies (phiếu xin lỗi, hẹn lại)';
COMMENT ON COLUMN dossiers.finished_at IS 'NgayKetThucXuLy: processing finished (state done)';
COMMENT ON COLUMN dossiers.lookup_secret IS 'Printed on the receipt (and in its QR code): with the code it opens the public lookup';
CREATE INDEX dossiers_agency_received ON dossiers (agency_id, received_at);
CREATE INDEX dossiers_current ON dossiers (current_agency_id, state);
CREATE INDEX dossiers_procedure ON dossiers (procedure_id);
CREATE INDEX dossiers_applicant ON dossiers (applicant_id_no);
CREATE INDEX dossiers_search_trgm ON dossiers USING gin (search_text gin_trgm_ops);

CREATE TABLE dossier_steps (
  id uuid PRIMARY KEY,
  dossier_id uuid NOT NULL REFERENCES dossiers(id),
  ordinal int NOT NULL,
  workflow_step_id uuid REFERENCES procedure_workflow_steps(id),
  name text NOT NULL,
  kind text NOT NULL,
  agency_id uuid NOT NULL REFERENCES agencies(id),
  department_id uuid REFERENCES departments(id),
  role text NOT NULL,
  official_id uuid REFERENCES officials(id),
  duration_hours numeric(8, 2) NOT NULL,
  started_at timestamptz,
  due_at timestamptz,
  finished_at timestamptz,
  outcome text,
  note text,
  UNIQUE (dossier_id, ordinal)
);
COMMENT ON TABLE dossier_steps IS 'The dossier''s copy of its workflow: each step''s officer, start, due (working hours, paused time added) and end';
CREATE INDEX dossier_steps_open ON dossier_steps (agency_id, official_id) WHERE finished_at IS NULL;
ALTER TABLE dossiers ADD CONSTRAINT dossiers_current_step FOREIGN KEY (current_step_id) REFERENCES dossier_steps(id);

CREATE TABLE dossier_components (
  id uuid PRIMARY KEY,
  dossier_id uuid NOT NULL REFERENCES dossiers(id),
  spec_id uuid REFERENCES procedure_components(id),
  ordinal int NOT NULL,
  name text NOT NULL,
  originals int NOT NULL DEFAULT 0 CHECK (originals >= 0),
  certified int NOT NULL DEFAULT 0 CHECK (certified >= 0),
  copies int NOT NULL DEFAULT 0 CHECK (copies >= 0),
  blob text,
  digitised smallint NOT NULL DEFAULT 0 CHECK (digitised BETWEEN 0 AND 3),
  store_item_id uuid,
  pause_id uuid,
  created_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE dossier_components IS 'Papers received: counts, scan (blob sha256), digitisation 0 chưa số hóa, 1 số hóa, 2 tái sử dụng, 3 tái sử dụng từ kết quả hồ sơ khác';
COMMENT ON COLUMN dossier_components.pause_id IS 'Received as the answer to this supplement request';
CREATE INDEX dossier_components_dossier ON dossier_components (dossier_id);

CREATE TABLE dossier_fees (
  id uuid PRIMARY KEY,
  dossier_id uuid NOT NULL REFERENCES dossiers(id),
  code text,
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('fee', 'charge')),
  amount bigint NOT NULL CHECK (amount >= 0),
  when_paid text NOT NULL CHECK (when_paid IN ('before', 'after', 'exempt', 'none')),
  paid_at timestamptz,
  paid_online boolean NOT NULL DEFAULT false,
  receipt_no text
);
COMMENT ON TABLE dossier_fees IS 'DanhSachLePhi: phí / lệ phí owed, when (thu trước / thu sau / miễn / không thu) and payment';
CREATE INDEX dossier_fees_dossier ON dossier_fees (dossier_id);

CREATE TABLE dossier_pauses (
  id uuid PRIMARY KEY,
  dossier_id uuid NOT NULL REFERENCES dossiers(id),
  kind text NOT NULL CHECK (kind IN ('supplement', 'financial')),
  reason text NOT NULL,
  items jsonb NOT NULL DEFAULT '[]',
  requested_at timestamptz NOT NULL,
  requested_by uuid REFERENCES officials(id),
  resumed_at timestamptz,
  resumed_by uuid REFERENCES officials(id),
  due_before timestamptz,
  due_after timestamptz,
  CHECK (resumed_at IS NULL OR resumed_at >= requested_at)
);
COMMENT ON TABLE dossier_pauses IS 'Clock stops: a supplement request (once per dossier) or a request for financial obligations; the due date moves by the paused working time';
CREATE INDEX dossier_pauses_dossier ON dossier_pauses (dossier_id);

CREATE TABLE dossier_apologies (
  id uuid PRIMARY KEY,
  dossier_id uuid NOT NULL REFERENCES dossiers(id),
  agency_id uuid NOT NULL REFERENCES agencies(id),
  step_id uuid REFERENCES dossier_steps(id),
  reason text NOT NULL,
  old_due_at timestamptz NOT NULL,
  new_due_at timestamptz NOT NULL CHECK (new_due_at > old_due_at),
  issued_by uuid REFERENCES officials(id),
  issued_at timestamptz NOT NULL
);
COMMENT ON TABLE dossier_apologies IS 'Phiếu xin lỗi và hẹn lại ngày trả kết quả: issued before the due date by the responsible agency';

CREATE TABLE dossier_handovers (
  id uuid PRIMARY KEY,
  dossier_id uuid NOT NULL REFERENCES dossiers(id),
  from_agency_id uuid NOT NULL REFERENCES agencies(id),
  to_agency_id uuid NOT NULL REFERENCES agencies(id),
  sent_at timestamptz NOT NULL,
  sent_by uuid REFERENCES officials(id),
  received_at timestamptz,
  received_by uuid REFERENCES officials(id),
  result text,
  note text
);
COMMENT ON TABLE dossier_handovers IS 'Phiếu kiểm soát quá trình giải quyết hồ sơ: each hand-over between agencies of an inter-agency dossier';

CREATE TABLE dossier_results (
  id uuid PRIMARY KEY,
  dossier_id uuid NOT NULL REFERENCES dossiers(id),
  code text,
  name text NOT NULL,
  blob text,
  electronic boolean NOT NULL DEFAULT false,
  signed boolean NOT NULL DEFAULT false,
  created_by uuid REFERENCES officials(id),
  created_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE dossier_results IS 'DanhSachGiayToKetQua: the papers the dossier produced; electronic = a file is the result';

CREATE TABLE dossier_events (
  id uuid PRIMARY KEY,
  dossier_id uuid NOT NULL REFERENCES dossiers(id),
  at timestamptz NOT NULL,
  kind text NOT NULL,
  state text NOT NULL,
  portal_status smallint NOT NULL,
  actor_id uuid REFERENCES officials(id),
  agency_id uuid REFERENCES agencies(id),
  note text,
  data jsonb NOT NULL DEFAULT '{}'
);
COMMENT ON TABLE dossier_events IS 'The dossier timeline: every transition, in order (also what the national portal sync sends)';
CREATE INDEX dossier_events_dossier ON dossier_events (dossier_id, at);

CREATE TABLE citizen_store_items (
  id uuid PRIMARY KEY,
  owner_id_no text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('component', 'result')),
  code text,
  name text NOT NULL,
  blob text NOT NULL,
  source_dossier_id uuid REFERENCES dossiers(id),
  valid_until date,
  created_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE citizen_store_items IS 'Kho dữ liệu của tổ chức, cá nhân (NĐ 45/2020): digitised papers and results keyed by the owner''s CCCD / tax code, reusable by later dossiers';
CREATE INDEX citizen_store_owner ON citizen_store_items (owner_id_no);
ALTER TABLE dossier_components ADD CONSTRAINT dossier_components_store FOREIGN KEY (store_item_id) REFERENCES citizen_store_items(id);
ALTER TABLE dossier_components ADD CONSTRAINT dossier_components_pause FOREIGN KEY (pause_id) REFERENCES dossier_pauses(id);
