-- Platform: sessions, API tokens, audit log, blob store, holiday notices.

CREATE TABLE sessions (
  id text PRIMARY KEY,
  official_id uuid NOT NULL REFERENCES officials(id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  ip text,
  user_agent text
);
COMMENT ON TABLE sessions IS 'Server-side sessions; id is the SHA-256 of the cookie value, never the value itself';
CREATE INDEX sessions_official ON sessions (official_id);

CREATE TABLE api_tokens (
  id uuid PRIMARY KEY,
  name text NOT NULL,
  secret_hash text NOT NULL,
  permissions text[] NOT NULL,
  created_by uuid REFERENCES officials(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);
COMMENT ON TABLE api_tokens IS 'Tokens for system-to-system calls; secret_hash is SHA-256 of the secret';

CREATE TABLE audit_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at timestamptz NOT NULL,
  actor_id uuid,
  on_behalf_of_id uuid,
  token_id uuid,
  action text NOT NULL,
  entity_type text NOT NULL,
  entity_id text,
  summary jsonb NOT NULL DEFAULT '{}',
  ip text,
  prev_hash text NOT NULL,
  hash text NOT NULL
);
COMMENT ON TABLE audit_log IS 'Append-only, hash-chained log of every state change and sign-in';
COMMENT ON COLUMN audit_log.on_behalf_of_id IS 'When acting under a delegation: the official whose rights were used';
COMMENT ON COLUMN audit_log.hash IS 'SHA-256 over prev_hash and the canonical row; congvu audit verify recomputes the chain';
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_entity ON audit_log (entity_type, entity_id);
CREATE INDEX audit_log_actor ON audit_log (actor_id);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END $$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

CREATE TABLE blobs (
  sha256 char(64) PRIMARY KEY,
  size bigint NOT NULL,
  mime text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE blobs IS 'Content-addressed files on disk under <data>/files/ab/cd/<sha256>';

CREATE TABLE holiday_notices (
  id uuid PRIMARY KEY,
  date date NOT NULL UNIQUE,
  kind text NOT NULL CHECK (kind IN ('day_off', 'makeup_workday')),
  name text NOT NULL,
  legal_ref text,
  created_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE holiday_notices IS 'Yearly government notices: extra days off and swapped working days (làm bù)';
