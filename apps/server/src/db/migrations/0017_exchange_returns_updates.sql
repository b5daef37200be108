-- Status 02 (an incoming document returned, with its reason) and updates of issued documents
-- (BussinessDocType 2) answered 15/16 by the recipient (issue 5; NĐ 30 art. 21.2, 18.3).
-- One document may now carry several updates and several 15/16 answers, so the once-only keys
-- gain what the envelope or event concerns.

ALTER TABLE exchange_outbound ADD COLUMN description text;
COMMENT ON COLUMN exchange_outbound.description IS 'status: the Description sent when it is not the code''s fixed text (02: the reason for returning; 15/16: the answer''s reason); edoc update: the BussinessDocReason';
ALTER TABLE exchange_outbound ADD COLUMN update_fields jsonb;
COMMENT ON COLUMN exchange_outbound.update_fields IS 'edoc update (BussinessDocType 2): the corrected header fields as they were when queued, so every attempt builds the same bytes';
ALTER TABLE exchange_outbound ADD COLUMN regarding text NOT NULL DEFAULT '';
COMMENT ON COLUMN exchange_outbound.regarding IS 'What the envelope concerns when a document may have several of its kind: an update (2) its update id; a 15/16 answering an update the id of that request; empty otherwise';
DROP INDEX exchange_outbound_status_once;
CREATE UNIQUE INDEX exchange_outbound_status_once ON exchange_outbound (document_id, status_code, regarding)
  WHERE kind = 'status';
DROP INDEX exchange_outbound_edoc_once;
CREATE UNIQUE INDEX exchange_outbound_edoc_once ON exchange_outbound (document_id, business_type, regarding)
  WHERE kind = 'edoc';

ALTER TABLE exchange_timeline ADD COLUMN regarding text NOT NULL DEFAULT '';
COMMENT ON COLUMN exchange_timeline.regarding IS 'Empty, or for a 15/16 what it answers (the hub message that brought it, or the update request inside the installation): a recipient may answer a recall and several updates';
ALTER TABLE exchange_timeline DROP CONSTRAINT exchange_timeline_pkey;
ALTER TABLE exchange_timeline ADD PRIMARY KEY (document_id, agency_code, event, regarding);
