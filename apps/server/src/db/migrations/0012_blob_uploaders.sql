-- Who uploaded each blob. A blob is content-addressed (the same bytes are stored once), so its
-- hash alone must not open it: GET /api/files/:sha256 serves only its uploaders, and a file
-- attached to a document is served through the document, to those who may read it.

CREATE TABLE blob_uploaders (
  sha256 char(64) NOT NULL REFERENCES blobs(sha256),
  official_id uuid NOT NULL REFERENCES officials(id),
  uploaded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (sha256, official_id)
);
COMMENT ON TABLE blob_uploaders IS 'Officials who uploaded a blob; only they fetch it by its hash';
