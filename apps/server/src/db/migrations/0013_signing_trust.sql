-- Digital signatures: the trust anchors the operator configures (issue 4). Only these roots make
-- a signature "trusted"; certificates are never trusted by their issuer's name.

CREATE TABLE trust_anchors (
  id uuid PRIMARY KEY,
  name text NOT NULL,
  certificate bytea NOT NULL,
  fingerprint_sha256 char(64) NOT NULL,
  subject text NOT NULL,
  serial_number text NOT NULL,
  not_before timestamptz NOT NULL,
  not_after timestamptz NOT NULL,
  added_by uuid REFERENCES officials(id),
  added_at timestamptz NOT NULL DEFAULT now(),
  removed_by uuid REFERENCES officials(id),
  removed_at timestamptz
);
COMMENT ON TABLE trust_anchors IS 'Root certificates trusted for signature verification (DER), managed by the administrator; removal is kept for the record';
CREATE UNIQUE INDEX trust_anchors_active ON trust_anchors (fingerprint_sha256) WHERE removed_at IS NULL;
