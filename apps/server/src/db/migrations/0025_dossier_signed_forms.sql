-- One-stop forms (TT 01/2018 Mẫu 01–05) signed with the agency's signature (issue 6). The forms
-- themselves are generated on request and never stored; a signed copy is evidence and is kept.

CREATE TABLE dossier_signed_forms (
  id uuid PRIMARY KEY,
  dossier_id uuid NOT NULL REFERENCES dossiers(id),
  form text NOT NULL CHECK (form IN ('receipt', 'supplement', 'refusal', 'apology', 'control')),
  content_sha256 char(64) NOT NULL,
  blob_sha256 char(64) NOT NULL REFERENCES blobs(sha256),
  agency_id uuid NOT NULL REFERENCES agencies(id),
  certificate_subject text NOT NULL,
  signed_by uuid NOT NULL REFERENCES officials(id),
  signed_at timestamptz NOT NULL,
  event_id uuid NOT NULL REFERENCES dossier_events(id),
  UNIQUE (dossier_id, form, content_sha256)
);
COMMENT ON TABLE dossier_signed_forms IS 'Forms of a dossier signed with the agency signature (PAdES, verified against the trust store before being kept); one per dossier, form and content';
COMMENT ON COLUMN dossier_signed_forms.content_sha256 IS 'sha256 of the data the form shows: the same content is signed once, a changed one (e.g. a control sheet with a new step) again';
COMMENT ON COLUMN dossier_signed_forms.blob_sha256 IS 'The signed PDF in the file store';
COMMENT ON COLUMN dossier_signed_forms.agency_id IS 'The agency whose signature it carries: the receiving agency, or the apology''s agency for Mẫu 04';
COMMENT ON COLUMN dossier_signed_forms.certificate_subject IS 'Subject of the agency certificate that signed';
COMMENT ON COLUMN dossier_signed_forms.signed_at IS 'Business time (platform/clock.ts) of the signing, as on the dossier timeline';
COMMENT ON COLUMN dossier_signed_forms.event_id IS 'The dossier timeline event (kind form_signed)';
CREATE INDEX dossier_signed_forms_dossier ON dossier_signed_forms (dossier_id, signed_at);
