-- Document exchange between installations through the hub (issue 5): the installation side.
-- Outgoing documents travel as edXML envelopes to recipient agencies outside this installation;
-- incoming envelopes become incoming documents; business statuses 01–06, 13, 15, 16 travel back.

ALTER TABLE document_recipients
  ADD COLUMN agency_code varchar(35) CHECK (agency_code ~ '^[A-Z0-9]+(\.[A-Z0-9]+)*$');
COMMENT ON COLUMN document_recipients.agency_code IS 'Electronic code (mã định danh) of a recipient agency outside this installation: the document travels to it through the exchange hub';

CREATE TABLE exchange_directory (
  code varchar(35) PRIMARY KEY,
  legacy_code varchar(13),
  name text NOT NULL,
  parent_code varchar(35),
  synced_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE exchange_directory IS 'Agencies connected to the exchange hub, as the hub last listed them (recipients outside this installation)';

CREATE TABLE exchange_outbound (
  id uuid PRIMARY KEY,
  document_id uuid NOT NULL REFERENCES documents(id),
  kind text NOT NULL CHECK (kind IN ('edoc', 'status')),
  business_type smallint CHECK (business_type BETWEEN 0 AND 3),
  status_code char(2),
  from_code varchar(35) NOT NULL,
  recipients varchar(35)[] NOT NULL,
  edxml_document_id text NOT NULL,
  replaces_edxml_id text,
  state text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sent', 'failed')),
  hub_message_id uuid,
  attempts int NOT NULL DEFAULT 0,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz,
  CHECK ((kind = 'edoc') = (business_type IS NOT NULL)),
  CHECK ((kind = 'status') = (status_code IS NOT NULL))
);
COMMENT ON TABLE exchange_outbound IS 'Envelopes this installation sends to the hub; id is the hub message key, so a resend is accepted once';
COMMENT ON COLUMN exchange_outbound.document_id IS 'edoc: our outgoing document; status: our incoming copy the status is about';
COMMENT ON COLUMN exchange_outbound.edxml_document_id IS 'The edXML DocumentId: {OrganId},{yyyy/MM/dd},{number}/{notation}';
COMMENT ON COLUMN exchange_outbound.replaces_edxml_id IS 'A replacement (BussinessDocType 3): the DocumentId of the document it replaces';
-- A business status is sent once per document and code (QĐ 28; the Lạng Sơn design's UNIQUE).
CREATE UNIQUE INDEX exchange_outbound_status_once ON exchange_outbound (document_id, status_code)
  WHERE kind = 'status';
-- An edoc action (new, recall, update, replace) is sent once per document and action.
CREATE UNIQUE INDEX exchange_outbound_edoc_once ON exchange_outbound (document_id, business_type)
  WHERE kind = 'edoc';
CREATE INDEX exchange_outbound_state ON exchange_outbound (state, created_at);

CREATE TABLE exchange_inbound (
  hub_message_id uuid PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('edoc', 'status')),
  recipient_code varchar(35) NOT NULL,
  from_code varchar(35) NOT NULL,
  edxml_document_id text NOT NULL,
  business_type smallint,
  status_code char(2),
  document_id uuid REFERENCES documents(id),
  outcome text NOT NULL CHECK (outcome IN ('accepted', 'duplicate', 'applied', 'unknown_document', 'rejected')),
  detail text,
  warnings jsonb NOT NULL DEFAULT '[]',
  xml_signature text NOT NULL DEFAULT 'absent' CHECK (xml_signature IN ('absent', 'valid', 'invalid')),
  xml_signer text,
  xml_trusted boolean,
  received_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE exchange_inbound IS 'Every envelope fetched from the hub, once (keyed by the hub message id), with what became of it';
COMMENT ON COLUMN exchange_inbound.document_id IS 'edoc: the incoming document it created (or the one it duplicates); status: our outgoing document it is about';
COMMENT ON COLUMN exchange_inbound.xml_signature IS 'The envelope''s XML signature (XMLDSig): absent, valid (digest and value check with its certificate) or invalid (such an envelope is refused)';
COMMENT ON COLUMN exchange_inbound.xml_signer IS 'Subject of the certificate that signed the envelope';
COMMENT ON COLUMN exchange_inbound.xml_trusted IS 'Whether that certificate was issued by one of the trust anchors and valid at arrival';
COMMENT ON COLUMN exchange_inbound.outcome IS 'accepted (a new incoming document), duplicate (DocumentId already received by that agency), applied (a status recorded), unknown_document, rejected (not conformant)';
-- The same document sent again under a new hub message is kept once per recipient agency.
CREATE UNIQUE INDEX exchange_inbound_edoc_once ON exchange_inbound (edxml_document_id, recipient_code, business_type)
  WHERE kind = 'edoc' AND outcome = 'accepted';
CREATE INDEX exchange_inbound_document ON exchange_inbound (document_id);

CREATE TABLE exchange_timeline (
  document_id uuid NOT NULL REFERENCES documents(id),
  agency_code varchar(35) NOT NULL,
  event text NOT NULL,
  at timestamptz NOT NULL,
  description text,
  staff jsonb,
  hub_message_id uuid,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (document_id, agency_code, event)
);
COMMENT ON TABLE exchange_timeline IS 'Per recipient agency of our outgoing document: sent to the hub, then the statuses it reported (01–06, 15, 16), each once';
COMMENT ON COLUMN exchange_timeline.event IS 'sent | a status code 01–06, 13, 15, 16';
