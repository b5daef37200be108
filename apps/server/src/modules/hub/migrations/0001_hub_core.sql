-- The exchange hub (trục liên thông), issue 5 part 2. These tables live in the hub's own
-- database (congvu_hub), never in an installation's: the hub knows agencies, connected systems
-- and the envelopes in transit, nothing of documents. Its schema_migrations is the hub database's.

CREATE TABLE hub_agencies (
  code text PRIMARY KEY CHECK (code ~ '^[0-9A-Z.]{1,35}$'),
  legacy_code text UNIQUE CHECK (legacy_code ~ '^[0-9A-Z.]{1,35}$'),
  name text NOT NULL,
  parent_code text REFERENCES hub_agencies(code),
  email text,
  phone text,
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE hub_agencies IS 'Agencies connected to the hub: the addresses envelopes are routed to';
COMMENT ON COLUMN hub_agencies.code IS 'Electronic identification code under QĐ 20/2020/QĐ-TTg (level 1 leftmost, max 35 chars), e.g. H37.02.02';
COMMENT ON COLUMN hub_agencies.legacy_code IS 'The QCVN 102:2016 code (13 chars, level 1 rightmost, e.g. 000.00.00.H49) that older envelopes carry; resolved to code on arrival';
COMMENT ON COLUMN hub_agencies.name IS 'Official name of the agency';
COMMENT ON COLUMN hub_agencies.parent_code IS 'Direct parent agency (cơ quan chủ quản), if connected';
COMMENT ON COLUMN hub_agencies.email IS 'Contact e-mail of the agency''s clerical office';
COMMENT ON COLUMN hub_agencies.phone IS 'Contact telephone';
COMMENT ON COLUMN hub_agencies.active IS 'false: no longer a valid recipient or sender (merged, dissolved, locked); rows are kept for the record';
COMMENT ON COLUMN hub_agencies.created_at IS 'When the agency was registered at the hub';
COMMENT ON COLUMN hub_agencies.updated_at IS 'Last change of the row';

CREATE TABLE hub_systems (
  id uuid PRIMARY KEY,
  name text NOT NULL,
  secret text NOT NULL,
  callback_url text,
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE hub_systems IS 'Document-management systems (installations) allowed to call the hub; each signs its requests with HMAC-SHA256';
COMMENT ON COLUMN hub_systems.id IS 'The X-System-Id the system sends';
COMMENT ON COLUMN hub_systems.name IS 'Human-readable name, e.g. the installation''s province or vendor';
COMMENT ON COLUMN hub_systems.secret IS 'HMAC key: "enc:v1:<iv>:<tag>:<ciphertext>" (AES-256-GCM under HUB_SECRET_KEY) or "plain:<secret>" when HUB_SECRET_KEY is unset';
COMMENT ON COLUMN hub_systems.callback_url IS 'Optional URL told of new messages for the system''s agencies (POST {messageId, kind}); delivery still needs fetch and ack';
COMMENT ON COLUMN hub_systems.active IS 'false: every request of the system is refused';
COMMENT ON COLUMN hub_systems.created_at IS 'When the system was registered';

CREATE TABLE hub_system_agencies (
  system_id uuid NOT NULL REFERENCES hub_systems(id),
  agency_code text NOT NULL REFERENCES hub_agencies(code),
  PRIMARY KEY (system_id, agency_code)
);
COMMENT ON TABLE hub_system_agencies IS 'The agencies a system may send for and receive for';
COMMENT ON COLUMN hub_system_agencies.system_id IS 'The connected system';
COMMENT ON COLUMN hub_system_agencies.agency_code IS 'An agency it acts for';
CREATE INDEX hub_system_agencies_agency ON hub_system_agencies (agency_code);

CREATE TABLE hub_messages (
  id uuid PRIMARY KEY,
  sender_system uuid NOT NULL REFERENCES hub_systems(id),
  from_code text NOT NULL REFERENCES hub_agencies(code),
  kind text NOT NULL CHECK (kind IN ('edoc', 'status')),
  message_key text NOT NULL,
  document_id text NOT NULL,
  business_type smallint CHECK (business_type BETWEEN 0 AND 3),
  status_code text,
  body bytea NOT NULL,
  size integer NOT NULL,
  sha256 char(64) NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (sender_system, message_key),
  CHECK ((kind = 'edoc' AND status_code IS NULL) OR (kind = 'status' AND status_code IS NOT NULL AND business_type IS NULL))
);
COMMENT ON TABLE hub_messages IS 'Envelopes accepted by the hub (edXML documents and status messages), stored as received; committed before the sender hears 201';
COMMENT ON COLUMN hub_messages.id IS 'UUID v7 made by the hub: the docId receivers fetch and acknowledge; ordered by arrival';
COMMENT ON COLUMN hub_messages.sender_system IS 'The system that sent it';
COMMENT ON COLUMN hub_messages.from_code IS 'Sending agency (MessageHeader From, resolved to its QĐ 20 code)';
COMMENT ON COLUMN hub_messages.kind IS 'edoc: a document envelope; status: a status message (codes 01–06, 13, 15, 16)';
COMMENT ON COLUMN hub_messages.message_key IS 'The sender''s idempotency key (X-Message-Key): the same key and body again answers the first result';
COMMENT ON COLUMN hub_messages.document_id IS 'edoc: MessageHeader DocumentId; status: ResponseFor DocumentId ("{organId},{yyyy/MM/dd},{number}/{notation}")';
COMMENT ON COLUMN hub_messages.business_type IS 'edoc: BussinessDocType 0 new, 1 recall, 2 update, 3 replace; null if absent or a status';
COMMENT ON COLUMN hub_messages.status_code IS 'status: StatusCode as sent (two digits)';
COMMENT ON COLUMN hub_messages.body IS 'The envelope bytes exactly as received';
COMMENT ON COLUMN hub_messages.size IS 'Length of body in bytes';
COMMENT ON COLUMN hub_messages.sha256 IS 'SHA-256 of body, hex';
COMMENT ON COLUMN hub_messages.created_at IS 'When the hub accepted it';
CREATE INDEX hub_messages_sender ON hub_messages (sender_system, kind, created_at);
CREATE INDEX hub_messages_document ON hub_messages (document_id) WHERE kind = 'edoc';

CREATE TABLE hub_deliveries (
  message_id uuid NOT NULL REFERENCES hub_messages(id) ON DELETE CASCADE,
  recipient_code text NOT NULL REFERENCES hub_agencies(code),
  kind text NOT NULL CHECK (kind IN ('edoc', 'status')),
  state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'fail')),
  fetched_count integer NOT NULL DEFAULT 0,
  first_fetched_at timestamptz,
  acked_at timestamptz,
  ack_reason text,
  PRIMARY KEY (message_id, recipient_code),
  CHECK ((state = 'pending') = (acked_at IS NULL))
);
COMMENT ON TABLE hub_deliveries IS 'One row per (message, recipient agency): the recipient''s queue entry and its transport acknowledgement';
COMMENT ON COLUMN hub_deliveries.message_id IS 'The message';
COMMENT ON COLUMN hub_deliveries.recipient_code IS 'Recipient agency (QĐ 20 code)';
COMMENT ON COLUMN hub_deliveries.kind IS 'Copy of hub_messages.kind, so a queue read is one index range';
COMMENT ON COLUMN hub_deliveries.state IS 'pending until the recipient acknowledges: done (fetched and stored) or fail (refused at transport level); only pending rows are listed';
COMMENT ON COLUMN hub_deliveries.fetched_count IS 'How many times the recipient downloaded the envelope (more than one: a retry after a crash)';
COMMENT ON COLUMN hub_deliveries.first_fetched_at IS 'First download';
COMMENT ON COLUMN hub_deliveries.acked_at IS 'When the recipient acknowledged (first acknowledgement wins)';
COMMENT ON COLUMN hub_deliveries.ack_reason IS 'Reason the recipient gave, mostly for fail';
CREATE INDEX hub_deliveries_queue ON hub_deliveries (recipient_code, kind, state, message_id);

CREATE TABLE hub_nonces (
  system_id uuid NOT NULL REFERENCES hub_systems(id),
  nonce text NOT NULL,
  seen_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (system_id, nonce)
);
COMMENT ON TABLE hub_nonces IS 'Nonces of accepted signed requests, refused if seen again; rows older than twice the time window are purged (a request that old is refused as stale anyway)';
COMMENT ON COLUMN hub_nonces.system_id IS 'The calling system';
COMMENT ON COLUMN hub_nonces.nonce IS 'X-Nonce of the request';
COMMENT ON COLUMN hub_nonces.seen_at IS 'When the hub first accepted it';
CREATE INDEX hub_nonces_seen ON hub_nonces (seen_at);

CREATE TABLE hub_push_attempts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  message_id uuid NOT NULL REFERENCES hub_messages(id) ON DELETE CASCADE,
  system_id uuid NOT NULL REFERENCES hub_systems(id),
  attempt smallint NOT NULL,
  at timestamptz NOT NULL DEFAULT now(),
  http_status smallint,
  error text
);
COMMENT ON TABLE hub_push_attempts IS 'Best-effort calls to a receiving system''s callback_url after a message commits; a hint only, the receiver still fetches and acknowledges';
COMMENT ON COLUMN hub_push_attempts.id IS 'Row number';
COMMENT ON COLUMN hub_push_attempts.message_id IS 'The new message';
COMMENT ON COLUMN hub_push_attempts.system_id IS 'The system told (it acts for a recipient)';
COMMENT ON COLUMN hub_push_attempts.attempt IS '1 for the first try, then each retry';
COMMENT ON COLUMN hub_push_attempts.at IS 'When the call ended';
COMMENT ON COLUMN hub_push_attempts.http_status IS 'The callback''s HTTP status; null when no answer';
COMMENT ON COLUMN hub_push_attempts.error IS 'Network error or timeout, when there was no answer';
CREATE INDEX hub_push_attempts_message ON hub_push_attempts (message_id);

CREATE TABLE hub_admin_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  actor text NOT NULL,
  action text NOT NULL,
  subject text,
  summary jsonb NOT NULL DEFAULT '{}'
);
COMMENT ON TABLE hub_admin_log IS 'Append-only record of administrative changes (agencies, systems, purges); message traffic is recorded by hub_messages and hub_deliveries themselves';
COMMENT ON COLUMN hub_admin_log.id IS 'Row number, in order of the changes';
COMMENT ON COLUMN hub_admin_log.at IS 'When';
COMMENT ON COLUMN hub_admin_log.actor IS 'Who: "cli" for the congvu hub command, or the caller''s description';
COMMENT ON COLUMN hub_admin_log.action IS 'e.g. agency.added, system.added, messages.purged';
COMMENT ON COLUMN hub_admin_log.subject IS 'The agency code or system id concerned';
COMMENT ON COLUMN hub_admin_log.summary IS 'What changed (never a secret)';

CREATE FUNCTION hub_admin_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'hub_admin_log is append-only';
END $$;
CREATE TRIGGER hub_admin_log_no_update BEFORE UPDATE OR DELETE ON hub_admin_log
  FOR EACH ROW EXECUTE FUNCTION hub_admin_log_append_only();
