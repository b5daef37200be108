-- Official documents (module documents): types as effective-dated data, registers with yearly
-- counters, documents, register entries, files and the timeline.

CREATE TABLE document_types (
  id text PRIMARY KEY,
  name text NOT NULL,
  abbreviation text,
  sort_order int NOT NULL,
  valid_from date NOT NULL,
  valid_to date,
  legal_basis text NOT NULL
);
COMMENT ON TABLE document_types IS 'Tên loại văn bản hành chính (NĐ 30/2020 art. 7) and their Phụ lục III abbreviations; effective-dated data';
COMMENT ON COLUMN document_types.abbreviation IS 'Chữ viết tắt tên loại; NULL for công văn and thư công, which have none';

INSERT INTO document_types (id, name, abbreviation, sort_order, valid_from, legal_basis) VALUES
  ('nghi_quyet', 'Nghị quyết', 'NQ', 1, '2020-03-05', 'NĐ 30/2020/NĐ-CP, Phụ lục III'),
  ('quyet_dinh', 'Quyết định', 'QĐ', 2, '2020-03-05', 'NĐ 30/2020/NĐ-CP, Phụ lục III'),
  ('chi_thi', 'Chỉ thị', 'CT', 3, '2020-03-05', 'NĐ 30/2020/NĐ-CP, Phụ lục III'),
  ('quy_che', 'Quy chế', 'QC', 4, '2020-03-05', 'NĐ 30/2020/NĐ-CP, Phụ lục III'),
  ('quy_dinh', 'Quy định', 'QyĐ', 5, '2020-03-05', 'NĐ 30/2020/NĐ-CP, Phụ lục III'),
  ('thong_cao', 'Thông cáo', 'TC', 6, '2020-03-05', 'NĐ 30/2020/NĐ-CP, Phụ lục III'),
  ('thong_bao', 'Thông báo', 'TB', 7, '2020-03-05', 'NĐ 30/2020/NĐ-CP, Phụ lục III'),
  ('huong_dan', 'Hướng dẫn', 'HD', 8, '2020-03-05', 'NĐ 30/2020/NĐ-CP, Phụ lục III'),
  ('chuong_trinh', 'Chương trình', 'CTr', 9, '2020-03-05', 'NĐ 30/2020/NĐ-CP, Phụ lục III'),
  ('ke_hoach', 'Kế hoạch', 'KH', 10, '2020-03-05', 'NĐ 30/2020/NĐ-CP, Phụ lục III'),
  ('phuong_an', 'Phương án', 'PA', 11, '2020-03-05', 'NĐ 30/2020/NĐ-CP, Phụ lục III'),
  ('de_an', 'Đề án', 'ĐA', 12, '2020-03-05', 'NĐ 30/2020/NĐ-CP, Phụ lục III'),
  ('du_an', 'Dự án', 'DA', 13, '2020-03-05', 'NĐ 30/2020/NĐ-CP, Phụ lục III'),
  ('bao_cao', 'Báo cáo', 'BC', 14, '2020-03-05', 'NĐ 30/2020/NĐ-CP, Phụ lục III'),
  ('bien_ban', 'Biên bản', 'BB', 15, '2020-03-05', 'NĐ 30/2020/NĐ-CP, Phụ lục III'),
  ('to_trinh', 'Tờ trình', 'TTr', 16, '2020-03-05', 'NĐ 30/2020/NĐ-CP, Phụ lục III'),
  ('hop_dong', 'Hợp đồng', 'HĐ', 17, '2020-03-05', 'NĐ 30/2020/NĐ-CP, Phụ lục III'),
  ('cong_van', 'Công văn', NULL, 18, '2020-03-05', 'NĐ 30/2020/NĐ-CP, Phụ lục III'),
  ('cong_dien', 'Công điện', 'CĐ', 19, '2020-03-05', 'NĐ 30/2020/NĐ-CP, Phụ lục III'),
  ('ban_ghi_nho', 'Bản ghi nhớ', 'BGN', 20, '2020-03-05', 'NĐ 30/2020/NĐ-CP, Phụ lục III'),
  ('ban_thoa_thuan', 'Bản thỏa thuận', 'BTT', 21, '2020-03-05', 'NĐ 30/2020/NĐ-CP, Phụ lục III'),
  ('giay_uy_quyen', 'Giấy ủy quyền', 'GUQ', 22, '2020-03-05', 'NĐ 30/2020/NĐ-CP, Phụ lục III'),
  ('giay_moi', 'Giấy mời', 'GM', 23, '2020-03-05', 'NĐ 30/2020/NĐ-CP, Phụ lục III'),
  ('giay_gioi_thieu', 'Giấy giới thiệu', 'GGT', 24, '2020-03-05', 'NĐ 30/2020/NĐ-CP, Phụ lục III'),
  ('giay_nghi_phep', 'Giấy nghỉ phép', 'GNP', 25, '2020-03-05', 'NĐ 30/2020/NĐ-CP, Phụ lục III'),
  ('phieu_gui', 'Phiếu gửi', 'PG', 26, '2020-03-05', 'NĐ 30/2020/NĐ-CP, Phụ lục III'),
  ('phieu_chuyen', 'Phiếu chuyển', 'PC', 27, '2020-03-05', 'NĐ 30/2020/NĐ-CP, Phụ lục III'),
  ('phieu_bao', 'Phiếu báo', 'PB', 28, '2020-03-05', 'NĐ 30/2020/NĐ-CP, Phụ lục III'),
  ('thu_cong', 'Thư công', NULL, 29, '2020-03-05', 'NĐ 30/2020/NĐ-CP, Phụ lục III');

CREATE TABLE registers (
  id uuid PRIMARY KEY,
  agency_id uuid NOT NULL REFERENCES agencies(id),
  kind text NOT NULL CHECK (kind IN ('incoming', 'outgoing')),
  secret boolean NOT NULL DEFAULT false,
  code text NOT NULL,
  name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (agency_id, kind, code)
);
COMMENT ON TABLE registers IS 'Sổ đăng ký văn bản đến / đi of an agency; secret documents have their own register';

CREATE TABLE register_counters (
  register_id uuid NOT NULL REFERENCES registers(id),
  year int NOT NULL,
  last_number int NOT NULL DEFAULT 0,
  PRIMARY KEY (register_id, year)
);
COMMENT ON TABLE register_counters IS 'Last number given per register and calendar year; incremented under a row lock inside the registering transaction, so numbers are never repeated nor skipped';

CREATE TABLE documents (
  id uuid PRIMARY KEY,
  agency_id uuid NOT NULL REFERENCES agencies(id),
  direction text NOT NULL CHECK (direction IN ('incoming', 'outgoing')),
  channel text NOT NULL CHECK (channel IN ('paper', 'electronic')),
  type_id text NOT NULL REFERENCES document_types(id),
  number text,
  notation text,
  issued_on date,
  place text,
  issuer_name text NOT NULL,
  issuer_agency_id uuid REFERENCES agencies(id),
  subject text NOT NULL,
  signer_competence text,
  signer_position text,
  signer_name text,
  urgency text NOT NULL DEFAULT 'normal' CHECK (urgency IN ('normal', 'urgent', 'very_urgent', 'flash')),
  secrecy text NOT NULL DEFAULT 'none' CHECK (secrecy IN ('none', 'confidential', 'secret', 'top_secret')),
  page_count int CHECK (page_count > 0),
  due_on date,
  status text NOT NULL,
  created_by uuid REFERENCES officials(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  search_text text GENERATED ALWAYS AS (
    f_search_key(coalesce(subject, '') || ' ' || coalesce(number, '') || '/' || coalesce(notation, '') || ' ' ||
      coalesce(issuer_name, '') || ' ' || coalesce(signer_name, ''))
  ) STORED
);
COMMENT ON TABLE documents IS 'Văn bản đến và đi of an agency (one row per agency that holds the document)';
COMMENT ON COLUMN documents.subject IS 'Trích yếu nội dung';
COMMENT ON COLUMN documents.search_text IS 'Accent-folded text searched with trigram and simple tsvector indexes';
CREATE INDEX documents_agency_created ON documents (agency_id, direction, created_at DESC);
CREATE INDEX documents_search_trgm ON documents USING gin (search_text gin_trgm_ops);
CREATE INDEX documents_search_fts ON documents USING gin (to_tsvector('simple', search_text));

CREATE TABLE register_entries (
  id uuid PRIMARY KEY,
  register_id uuid NOT NULL REFERENCES registers(id),
  year int NOT NULL,
  number int NOT NULL,
  document_id uuid NOT NULL REFERENCES documents(id),
  registered_at timestamptz NOT NULL DEFAULT now(),
  registered_by uuid REFERENCES officials(id),
  idempotency_key text UNIQUE,
  UNIQUE (register_id, year, number),
  UNIQUE (register_id, document_id)
);
COMMENT ON TABLE register_entries IS 'A document entered in a register: số đến (incoming) or số đi (outgoing) for that year';
COMMENT ON COLUMN register_entries.idempotency_key IS 'Client-supplied key: retrying the same registration returns the first result';

CREATE TABLE document_files (
  document_id uuid NOT NULL REFERENCES documents(id),
  sha256 char(64) NOT NULL REFERENCES blobs(sha256),
  name text NOT NULL,
  role text NOT NULL CHECK (role IN ('main', 'appendix', 'scan')),
  position int NOT NULL,
  added_by uuid REFERENCES officials(id),
  added_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (document_id, position)
);
COMMENT ON TABLE document_files IS 'Files of a document in order: the main file, appendices, scans of paper originals';

CREATE TABLE document_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  document_id uuid NOT NULL REFERENCES documents(id),
  kind text NOT NULL,
  actor_id uuid REFERENCES officials(id),
  at timestamptz NOT NULL DEFAULT now(),
  data jsonb NOT NULL DEFAULT '{}'
);
COMMENT ON TABLE document_events IS 'The document timeline; status kinds (received, registered, ...) are the domain events the exchange sends as edXML statuses';
-- Each status event happens once per document (edXML statuses 01–06 are sent once each).
CREATE UNIQUE INDEX document_events_status_once ON document_events (document_id, kind)
  WHERE kind IN ('received', 'registered', 'assigned', 'in_progress', 'done', 'returned');
CREATE INDEX document_events_document ON document_events (document_id, id);
