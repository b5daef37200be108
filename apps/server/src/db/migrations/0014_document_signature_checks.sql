-- Signatures of the PDFs a document arrives with, verified on arrival (issue 4): the report
-- (certificates, revocation data, result) is kept with the document as evidence.

CREATE TABLE document_signature_checks (
  id uuid PRIMARY KEY,
  document_id uuid NOT NULL REFERENCES documents(id),
  sha256 char(64) NOT NULL REFERENCES blobs(sha256),
  verified_at timestamptz NOT NULL DEFAULT now(),
  signature_count int NOT NULL,
  valid boolean NOT NULL,
  trusted boolean NOT NULL,
  report jsonb NOT NULL,
  report_text text NOT NULL
);
COMMENT ON TABLE document_signature_checks IS 'Verification of the signatures in a document''s PDF files (report with certificates and revocation data kept as evidence; Vietnamese rendering)';
CREATE INDEX document_signature_checks_document ON document_signature_checks (document_id, verified_at DESC);
