-- The national public-service portal sync (DVCQG, STANDARDS §4.6): every attempt to send a
-- dossier snapshot (DongBoHoSoMC) or its progress (CapNhatTienDoHoSoMC), so an administrator sees
-- what was sent, what failed and why, and what was not sent because no endpoint is configured.

CREATE TABLE dvcqg_sync_log (
  id uuid PRIMARY KEY,
  dossier_id uuid NOT NULL REFERENCES dossiers(id),
  event_id uuid NOT NULL REFERENCES dossier_events(id),
  service text NOT NULL CHECK (service IN ('DongBoHoSoMC', 'CapNhatTienDoHoSoMC')),
  is_updating boolean NOT NULL,
  payload jsonb NOT NULL,
  state text NOT NULL CHECK (state IN ('pending', 'sent', 'failed', 'disabled')),
  attempts int NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  http_status int,
  response text,
  error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_attempt_at timestamptz,
  sent_at timestamptz,
  UNIQUE (event_id, service)
);
COMMENT ON TABLE dvcqg_sync_log IS 'Each message to the national portal (one per dossier event and service) with its state and the last answer; written outside the outbox transaction so failed attempts stay visible';
COMMENT ON COLUMN dvcqg_sync_log.is_updating IS 'DongBoHoSoMC isUpdating: false the first time the dossier is sent, true after';
COMMENT ON COLUMN dvcqg_sync_log.state IS 'pending (being sent), sent (HTTP 200 and error_code 0), failed (will be retried by the outbox), disabled (CONGVU_DVCQG_URL not set: not sent)';
COMMENT ON COLUMN dvcqg_sync_log.attempts IS 'HTTP attempts made for this message';
COMMENT ON COLUMN dvcqg_sync_log.response IS 'The last answer body (first 4000 characters)';
CREATE INDEX dvcqg_sync_log_dossier ON dvcqg_sync_log (dossier_id, created_at);
CREATE INDEX dvcqg_sync_log_state ON dvcqg_sync_log (state, created_at);
