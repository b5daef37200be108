-- Handling of documents (NĐ 30): opinions on assignments, forwarding an assignment, versions of
-- a draft's main file, approval chains with parallel groups and forwarding, the signature hook,
-- and recall / replacement / update of issued documents.

CREATE TABLE document_opinions (
  id uuid PRIMARY KEY,
  document_id uuid NOT NULL REFERENCES documents(id),
  assignment_id uuid NOT NULL REFERENCES document_assignments(id),
  author_id uuid NOT NULL REFERENCES officials(id),
  content text NOT NULL,
  idempotency_key text UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE document_opinions IS 'Ý kiến xử lý: an opinion recorded on an assignment by its assignee, its assigner or a leader of the agency';
COMMENT ON COLUMN document_opinions.idempotency_key IS 'Client-supplied key: retrying the same opinion returns the first one';
CREATE INDEX document_opinions_document ON document_opinions (document_id, created_at);

CREATE TABLE document_opinion_files (
  opinion_id uuid NOT NULL REFERENCES document_opinions(id),
  position int NOT NULL,
  sha256 char(64) NOT NULL REFERENCES blobs(sha256),
  name text NOT NULL,
  PRIMARY KEY (opinion_id, position)
);
COMMENT ON TABLE document_opinion_files IS 'Files attached to an opinion, in order';

CREATE TABLE document_assignment_forwards (
  id uuid PRIMARY KEY,
  assignment_id uuid NOT NULL REFERENCES document_assignments(id),
  from_official_id uuid REFERENCES officials(id),
  from_department_id uuid REFERENCES departments(id),
  to_official_id uuid REFERENCES officials(id),
  to_department_id uuid REFERENCES departments(id),
  note text NOT NULL,
  forwarded_by uuid NOT NULL REFERENCES officials(id),
  forwarded_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((from_official_id IS NULL) <> (from_department_id IS NULL)),
  CHECK ((to_official_id IS NULL) <> (to_department_id IS NULL))
);
COMMENT ON TABLE document_assignment_forwards IS 'Chuyển xử lý: an assignment handed by its assignee to another official or department of the agency; the assignment row is re-pointed, this table keeps who held it before';
CREATE INDEX document_assignment_forwards_assignment ON document_assignment_forwards (assignment_id, forwarded_at);

CREATE TABLE document_versions (
  document_id uuid NOT NULL REFERENCES documents(id),
  version int NOT NULL CHECK (version > 0),
  sha256 char(64) NOT NULL REFERENCES blobs(sha256),
  name text NOT NULL,
  note text,
  uploaded_by uuid REFERENCES officials(id),
  uploaded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (document_id, version)
);
COMMENT ON TABLE document_versions IS 'Every version of the main file of an outgoing draft; the highest version is the main file in document_files';

-- Approval chains: a step holds one reviewer or a parallel group (several rows with the same
-- step); a reviewer may forward, which inserts a step after theirs. The constraint is checked at
-- the end of each statement so that inserting a step can renumber the later ones in one UPDATE.
ALTER TABLE document_approvals DROP CONSTRAINT document_approvals_document_id_round_step_key;
ALTER TABLE document_approvals ADD CONSTRAINT document_approvals_step_reviewer
  UNIQUE (document_id, round, step, reviewer_id) DEFERRABLE INITIALLY IMMEDIATE;
ALTER TABLE document_approvals DROP CONSTRAINT document_approvals_decision_check;
ALTER TABLE document_approvals ADD CONSTRAINT document_approvals_decision_check
  CHECK (decision IN ('approved', 'returned', 'forwarded'));
ALTER TABLE document_approvals ADD COLUMN added_by uuid REFERENCES officials(id);
ALTER TABLE document_approvals ADD COLUMN signature text CHECK (signature IN ('unsigned', 'signed'));
COMMENT ON COLUMN document_approvals.added_by IS 'The reviewer who inserted this step by forwarding; NULL for steps given at submission';
COMMENT ON COLUMN document_approvals.signature IS 'Personal signature of the signer (final step) when approving: unsigned until the signature module signs';

ALTER TABLE documents ADD COLUMN agency_signature text CHECK (agency_signature IN ('unsigned', 'signed'));
ALTER TABLE documents ADD COLUMN validity text NOT NULL DEFAULT 'valid' CHECK (validity IN ('valid', 'recalled', 'replaced'));
ALTER TABLE documents ADD COLUMN validity_reason text;
ALTER TABLE documents ADD COLUMN validity_changed_at timestamptz;
ALTER TABLE documents ADD COLUMN replaced_by_id uuid REFERENCES documents(id);
COMMENT ON COLUMN documents.agency_signature IS 'Chữ ký số của cơ quan applied at issuance (NĐ 30 art. 14): unsigned until the signature module signs';
COMMENT ON COLUMN documents.validity IS 'valid, recalled (thu hồi) or replaced (thay thế) by the issuing agency; delivered copies follow their source';
COMMENT ON COLUMN documents.replaced_by_id IS 'The issued document that replaces this one (for a delivered copy: the copy of the replacement held by the same agency, when there is one)';
CREATE INDEX documents_source ON documents (source_document_id) WHERE source_document_id IS NOT NULL;

-- A document is recalled or replaced once.
CREATE UNIQUE INDEX document_events_validity_once ON document_events (document_id)
  WHERE kind IN ('recalled', 'replaced');
