-- Platform outbox (work that must happen once in effect after a commit) and in-app notifications.

CREATE TABLE outbox (
  id uuid PRIMARY KEY,
  topic text NOT NULL,
  payload jsonb NOT NULL,
  dedupe_key text NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'skipped', 'failed')),
  attempts int NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT outbox_dedupe_key UNIQUE (dedupe_key)
);
COMMENT ON TABLE outbox IS 'Transactional outbox: rows enqueued in the caller''s transaction, run once by the dispatcher (row locks, SKIP LOCKED), retried with exponential backoff';
COMMENT ON COLUMN outbox.topic IS 'Names the handler (documents.event, mail.send, ...)';
COMMENT ON COLUMN outbox.dedupe_key IS 'The same key enqueues once: a retried caller does not duplicate the work';
COMMENT ON COLUMN outbox.status IS 'pending (due at next_attempt_at), sent, skipped (nothing to do, e.g. mail not configured), failed (gave up after the last attempt)';
COMMENT ON COLUMN outbox.attempts IS 'Failed attempts so far';
COMMENT ON COLUMN outbox.sent_at IS 'When the row was settled as sent or skipped';
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status = 'pending';

CREATE TABLE notifications (
  id uuid PRIMARY KEY,
  recipient_id uuid NOT NULL REFERENCES officials(id) ON DELETE CASCADE,
  kind text NOT NULL,
  title text NOT NULL,
  body text NOT NULL,
  link text,
  document_id uuid REFERENCES documents(id),
  dedupe_key text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  read_at timestamptz,
  CONSTRAINT notifications_dedupe_key UNIQUE (dedupe_key)
);
COMMENT ON TABLE notifications IS 'Thông báo trong hệ thống: one row per recipient and event, read only by the recipient';
COMMENT ON COLUMN notifications.title IS 'Short Vietnamese title shown in the bell list';
COMMENT ON COLUMN notifications.link IS 'Path in the staff web app, e.g. /van-ban/<id>';
COMMENT ON COLUMN notifications.dedupe_key IS 'Event and recipient: a redelivered event notifies once';
COMMENT ON COLUMN notifications.read_at IS 'When the recipient marked it read; NULL while unread';
CREATE INDEX notifications_recipient ON notifications (recipient_id, created_at DESC, id DESC);
CREATE INDEX notifications_unread ON notifications (recipient_id) WHERE read_at IS NULL;
