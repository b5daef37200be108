-- Outgoing documents: drafting unit, approval steps, recipients and delivery inside the installation.

ALTER TABLE documents ADD COLUMN drafting_unit text;
ALTER TABLE documents ADD COLUMN typist_initials text;
ALTER TABLE documents ADD COLUMN source_document_id uuid REFERENCES documents(id);
COMMENT ON COLUMN documents.drafting_unit IS 'Chữ viết tắt đơn vị soạn thảo, used in the notation of a công văn (e.g. VP in 12/UBND-VP)';
COMMENT ON COLUMN documents.typist_initials IS 'Ký hiệu người soạn thảo (NĐ 30 thành phần bổ sung)';
COMMENT ON COLUMN documents.source_document_id IS 'For an electronic incoming copy: the issued outgoing document it came from';

CREATE TABLE document_approvals (
  id uuid PRIMARY KEY,
  document_id uuid NOT NULL REFERENCES documents(id),
  round int NOT NULL,
  step int NOT NULL,
  reviewer_id uuid NOT NULL REFERENCES officials(id),
  decision text CHECK (decision IN ('approved', 'returned')),
  comment text,
  decided_at timestamptz,
  UNIQUE (document_id, round, step)
);
COMMENT ON TABLE document_approvals IS 'Trình duyệt: reviewers in order for each submission round; the last step is the signer';

CREATE TABLE document_recipients (
  document_id uuid NOT NULL REFERENCES documents(id),
  position int NOT NULL,
  agency_id uuid REFERENCES agencies(id),
  name text NOT NULL,
  delivered_document_id uuid REFERENCES documents(id),
  PRIMARY KEY (document_id, position)
);
COMMENT ON TABLE document_recipients IS 'Nơi nhận; agencies of this installation receive an electronic incoming copy at issuance';
