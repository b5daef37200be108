-- Digital signatures (issue 4): who signs with which certificate. A personal credential belongs
-- to an official, an agency credential (the agency's seal key, kept by the clerks) to an agency.
-- A 'pkcs12' credential keeps the PKCS#12 file exactly as issued: its key stays encrypted under
-- the holder's password, which is asked for at signing time and never stored. A 'token'
-- credential keeps only the certificate: the key is on the holder's USB token and signs through
-- the client-side flow. The image is the signature image (official) or the red seal (agency).

CREATE TABLE signing_credentials (
  id uuid PRIMARY KEY,
  official_id uuid REFERENCES officials(id),
  agency_id uuid REFERENCES agencies(id),
  kind text NOT NULL CHECK (kind IN ('pkcs12', 'token')),
  certificate bytea NOT NULL,
  chain bytea[] NOT NULL DEFAULT '{}',
  pkcs12 bytea,
  subject text NOT NULL,
  issuer text NOT NULL,
  serial_number text NOT NULL,
  fingerprint_sha256 char(64) NOT NULL,
  not_before timestamptz NOT NULL,
  not_after timestamptz NOT NULL,
  image_sha256 char(64) REFERENCES blobs(sha256),
  seal_diameter_mm numeric(4, 1),
  added_by uuid REFERENCES officials(id),
  added_at timestamptz NOT NULL DEFAULT now(),
  removed_by uuid REFERENCES officials(id),
  removed_at timestamptz,
  CHECK ((official_id IS NULL) <> (agency_id IS NULL)),
  CHECK ((kind = 'pkcs12') = (pkcs12 IS NOT NULL))
);
COMMENT ON TABLE signing_credentials IS 'Signing certificates of officials (personal) and agencies (seal key): PKCS#12 kept encrypted under the holder''s password, or certificate only for USB tokens; one active per holder';
CREATE UNIQUE INDEX signing_credentials_official ON signing_credentials (official_id)
  WHERE removed_at IS NULL AND official_id IS NOT NULL;
CREATE UNIQUE INDEX signing_credentials_agency ON signing_credentials (agency_id)
  WHERE removed_at IS NULL AND agency_id IS NOT NULL;
