-- A reply (văn bản trả lời) names the incoming document it answers; the tracking register of
-- incoming documents prints its number and notation.

ALTER TABLE documents ADD COLUMN reply_to_id uuid REFERENCES documents(id);
COMMENT ON COLUMN documents.reply_to_id IS 'For an outgoing document: the incoming document of the same agency it replies to';
CREATE INDEX documents_reply_to ON documents (reply_to_id) WHERE reply_to_id IS NOT NULL;

-- Searches read an agency's documents newest first (see documentsRepo.search). The index gives
-- that order whatever the direction, and carries what the search filters on, so the scan reads
-- the index alone (an index-only scan) and touches the table only for the page it shows.
CREATE INDEX documents_agency_newest ON documents (agency_id, created_at DESC, id DESC)
  INCLUDE (secrecy, direction, type_id, urgency, search_text);
