-- Work files (module workfiles): retention classes as effective-dated data, the yearly file list
-- (danh mục hồ sơ) with its items, work files (hồ sơ công việc) with their documents and notes,
-- closing and deposit into the agency archive (NĐ 30/2020/NĐ-CP art. 28–31).

CREATE TABLE retention_classes (
  code text PRIMARY KEY,
  label text NOT NULL,
  years int CHECK (years > 0),
  deposit_required boolean NOT NULL,
  sort_order int NOT NULL,
  valid_from date NOT NULL,
  valid_to date,
  legal_basis text NOT NULL,
  CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
COMMENT ON TABLE retention_classes IS 'Thời hạn bảo quản hồ sơ, tài liệu (TT 10/2022/TT-BNV); effective-dated data: end a row with valid_to and add another when the table changes';
COMMENT ON COLUMN retention_classes.years IS 'Years kept; NULL means permanent (vĩnh viễn)';
COMMENT ON COLUMN retention_classes.deposit_required IS 'Files of this class are deposited into the agency archive (NĐ 30 art. 30: retention of 05 years or more)';

-- The seeded periods are those the project's standards digest lists for TT 10/2022/TT-BNV; its
-- effective date (01/02/2023) is from memory, not checked against the gazette.
INSERT INTO retention_classes (code, label, years, deposit_required, sort_order, valid_from, legal_basis) VALUES
  ('vinh_vien', 'Vĩnh viễn', NULL, true, 1, '2023-02-01', 'TT 10/2022/TT-BNV'),
  ('70_nam', '70 năm', 70, true, 2, '2023-02-01', 'TT 10/2022/TT-BNV'),
  ('50_nam', '50 năm', 50, true, 3, '2023-02-01', 'TT 10/2022/TT-BNV'),
  ('20_nam', '20 năm', 20, true, 4, '2023-02-01', 'TT 10/2022/TT-BNV'),
  ('10_nam', '10 năm', 10, true, 5, '2023-02-01', 'TT 10/2022/TT-BNV'),
  ('5_nam', '05 năm', 5, true, 6, '2023-02-01', 'TT 10/2022/TT-BNV');

CREATE TABLE file_lists (
  id uuid PRIMARY KEY,
  agency_id uuid NOT NULL REFERENCES agencies(id),
  year int NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'approved')),
  approved_by uuid REFERENCES officials(id),
  approved_at timestamptz,
  created_by uuid REFERENCES officials(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (agency_id, year),
  CHECK ((status = 'approved') = (approved_at IS NOT NULL))
);
COMMENT ON TABLE file_lists IS 'Danh mục hồ sơ: one list per agency and year, drafted then approved by the head of the agency (NĐ 30 art. 28, Phụ lục V)';

CREATE TABLE file_list_items (
  id uuid PRIMARY KEY,
  list_id uuid NOT NULL REFERENCES file_lists(id),
  section text,
  code text NOT NULL,
  title text NOT NULL,
  retention_code text NOT NULL REFERENCES retention_classes(code),
  department_id uuid REFERENCES departments(id),
  official_id uuid REFERENCES officials(id),
  note text,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (list_id, code)
);
COMMENT ON TABLE file_list_items IS 'A file planned in the list: số và ký hiệu hồ sơ, tiêu đề, thời hạn bảo quản, đơn vị/người lập hồ sơ, ghi chú';
COMMENT ON COLUMN file_list_items.section IS 'Tên đề mục the item sits under (Phụ lục V groups files by headings)';

CREATE TABLE work_files (
  id uuid PRIMARY KEY,
  agency_id uuid NOT NULL REFERENCES agencies(id),
  list_item_id uuid UNIQUE REFERENCES file_list_items(id),
  year int NOT NULL,
  code text NOT NULL,
  title text NOT NULL,
  retention_code text NOT NULL REFERENCES retention_classes(code),
  department_id uuid REFERENCES departments(id),
  owner_id uuid NOT NULL REFERENCES officials(id),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  opened_on date NOT NULL,
  closed_on date,
  closing_note text,
  deposited_on date,
  deposited_by uuid REFERENCES officials(id),
  created_by uuid REFERENCES officials(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (agency_id, year, code),
  CHECK ((status = 'closed') = (closed_on IS NOT NULL)),
  CHECK (closed_on IS NULL OR closed_on >= opened_on),
  CHECK (deposited_on IS NULL OR (status = 'closed' AND deposited_on >= closed_on))
);
COMMENT ON TABLE work_files IS 'Hồ sơ công việc: opened from a list item or off the list, closed when the work ends, then deposited into the agency archive';
COMMENT ON COLUMN work_files.owner_id IS 'Người lập hồ sơ';
COMMENT ON COLUMN work_files.closed_on IS 'Thời gian kết thúc; the deposit deadline runs from it (01 year, NĐ 30 art. 30)';
COMMENT ON COLUMN work_files.closing_note IS 'Chứng từ kết thúc hồ sơ';
COMMENT ON COLUMN work_files.deposited_on IS 'Ngày nộp lưu into the agency archive';
CREATE INDEX work_files_owner ON work_files (owner_id, status);
CREATE INDEX work_files_archive_due ON work_files (agency_id, closed_on) WHERE status = 'closed' AND deposited_on IS NULL;

CREATE TABLE work_file_documents (
  file_id uuid NOT NULL REFERENCES work_files(id),
  document_id uuid NOT NULL REFERENCES documents(id),
  added_by uuid REFERENCES officials(id),
  added_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (file_id, document_id)
);
COMMENT ON TABLE work_file_documents IS 'Documents gathered into a work file (văn bản trong hồ sơ)';
CREATE INDEX work_file_documents_document ON work_file_documents (document_id);

CREATE TABLE work_file_notes (
  id uuid PRIMARY KEY,
  file_id uuid NOT NULL REFERENCES work_files(id),
  body text NOT NULL,
  author_id uuid REFERENCES officials(id),
  idempotency_key text UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE work_file_notes IS 'Notes written into a work file while it is open (ghi chú, tài liệu dạng văn bản)';
CREATE INDEX work_file_notes_file ON work_file_notes (file_id, created_at);
