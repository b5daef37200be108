-- Assignment and handling of documents (bút phê, phân công chủ trì / phối hợp / để biết).

CREATE TABLE document_assignments (
  id uuid PRIMARY KEY,
  document_id uuid NOT NULL REFERENCES documents(id),
  parent_id uuid REFERENCES document_assignments(id),
  assigner_id uuid NOT NULL REFERENCES officials(id),
  role text NOT NULL CHECK (role IN ('lead', 'support', 'info')),
  assignee_official_id uuid REFERENCES officials(id),
  assignee_department_id uuid REFERENCES departments(id),
  instruction text,
  deadline date,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'in_progress', 'done', 'returned')),
  result text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((assignee_official_id IS NULL) <> (assignee_department_id IS NULL))
);
COMMENT ON TABLE document_assignments IS 'Phân công xử lý: to a department or an official, as lead (chủ trì), support (phối hợp) or for information (để biết); parent_id chains the levels (leader → department head → specialist)';
COMMENT ON COLUMN document_assignments.deadline IS 'Hạn xử lý; when given as N working days it is computed with the working calendar';
CREATE INDEX document_assignments_document ON document_assignments (document_id);
CREATE INDEX document_assignments_official ON document_assignments (assignee_official_id) WHERE assignee_official_id IS NOT NULL;
CREATE INDEX document_assignments_department ON document_assignments (assignee_department_id) WHERE assignee_department_id IS NOT NULL;
-- One lead per level.
CREATE UNIQUE INDEX document_assignments_one_lead ON document_assignments (document_id, coalesce(parent_id, '00000000-0000-0000-0000-000000000000'::uuid))
  WHERE role = 'lead';
