-- Issue 7: online submission on the portal. The online form of a case is data, versioned with the
-- procedure version ("law as data"); administrative units for address fields are effective-dated
-- rows; a citizen's draft lives in module submissions until it is submitted as a dossier.

ALTER TABLE procedure_cases ADD COLUMN online_form jsonb;
COMMENT ON COLUMN procedure_cases.online_form IS 'The online form of the case (packages/forms FormDefinition, checked on save), NULL: the portal asks no form';

-- The two-level administration in force since 01/07/2025: province → commune/ward. A unit that is
-- merged or renamed gets valid_to and a new row; forms offer the units valid on the day.
CREATE TABLE admin_units (
  code text NOT NULL,
  name text NOT NULL,
  level text NOT NULL CHECK (level IN ('province', 'commune')),
  parent_code text,
  valid_from date NOT NULL,
  valid_to date,
  PRIMARY KEY (code, valid_from),
  CHECK ((level = 'province') = (parent_code IS NULL)),
  CHECK (valid_to IS NULL OR valid_to > valid_from)
);
COMMENT ON TABLE admin_units IS 'Administrative units (province, commune/ward) for address fields, effective-dated';
COMMENT ON COLUMN admin_units.code IS 'Unit code (national list of administrative unit codes)';
COMMENT ON COLUMN admin_units.parent_code IS 'The province of a commune/ward; NULL for a province';
COMMENT ON COLUMN admin_units.valid_to IS 'First day the unit no longer exists (exclusive); NULL: in force';
CREATE INDEX admin_units_parent_idx ON admin_units (parent_code, code);

CREATE TABLE online_drafts (
  id uuid PRIMARY KEY,
  citizen_id uuid NOT NULL REFERENCES citizens(id),
  procedure_id uuid NOT NULL REFERENCES procedures(id),
  case_id uuid NOT NULL REFERENCES procedure_cases(id) ON DELETE CASCADE,
  agency_id uuid NOT NULL REFERENCES agencies(id),
  "values" jsonb NOT NULL DEFAULT '{}'::jsonb,
  components jsonb NOT NULL DEFAULT '{}'::jsonb,
  step text NOT NULL DEFAULT 'form' CHECK (step IN ('form', 'papers', 'review', 'submitted')),
  dossier_id uuid UNIQUE REFERENCES dossiers(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((step = 'submitted') = (dossier_id IS NOT NULL))
);
COMMENT ON TABLE online_drafts IS 'A citizen''s online submission in progress (module submissions); submitted once into a dossier';
COMMENT ON COLUMN online_drafts."values" IS 'The form as typed (field path → string), only names of the case''s online form';
COMMENT ON COLUMN online_drafts.components IS 'Per component spec id: an uploaded file {kind:file, sha256, name, mime, size} or a data-store item {kind:store, storeItemId, name}';
COMMENT ON COLUMN online_drafts.case_id IS 'The case of the procedure version; a version rewritten in place (new case rows) drops its drafts';
COMMENT ON COLUMN online_drafts.agency_id IS 'The receiving agency the citizen chose (one of the procedure''s)';
COMMENT ON COLUMN online_drafts.step IS 'form → papers → review → submitted';
COMMENT ON COLUMN online_drafts.dossier_id IS 'The dossier it became (once: a second submit answers the same dossier)';
CREATE INDEX online_drafts_citizen_idx ON online_drafts (citizen_id, updated_at DESC);

-- What the citizen filled in, checked against the case's online form at submission (typed values).
ALTER TABLE dossiers ADD COLUMN form_values jsonb;
COMMENT ON COLUMN dossiers.form_values IS 'The online form as submitted (packages/forms typed values); NULL for dossiers without one';
