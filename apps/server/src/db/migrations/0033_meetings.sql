-- Issue 8 (paperless meetings), first part: bodies and their members, meetings with an agenda
-- tree, invitations and attendance with check-in, and polls with secret ballots that cannot be
-- linked to voters. Owned by the meetings module.

-- Majority and quorum rules are law, so they are data (effective-dated): "more than half of the
-- total number of delegates" (Luật Tổ chức chính quyền địa phương: HĐND resolutions), "at least
-- two thirds of the total" (quorum of an HĐND session; dismissals), and the rules counted on those
-- present or on the votes cast for ad-hoc bodies. A rule passes when
--   count × denominator  >  base × numerator   (strict), or  ≥  (not strict),
-- where base is the body's voting members ('all'), those checked in ('present') or the ballots
-- cast ('cast').
CREATE TABLE meeting_rules (
  code text NOT NULL CHECK (code ~ '^[a-z][a-z0-9_]*$'),
  label_vi text NOT NULL,
  label_en text NOT NULL,
  base text NOT NULL CHECK (base IN ('all', 'present', 'cast')),
  numerator int NOT NULL CHECK (numerator > 0),
  denominator int NOT NULL CHECK (denominator >= numerator),
  strict boolean NOT NULL,
  legal_basis text,
  valid_from date NOT NULL,
  valid_to date,
  PRIMARY KEY (code, valid_from),
  CHECK (valid_to IS NULL OR valid_to > valid_from)
);
COMMENT ON TABLE meeting_rules IS 'Majority and quorum rules (law as data): count × denominator > (strict) or ≥ base × numerator';
INSERT INTO meeting_rules (code, label_vi, label_en, base, numerator, denominator, strict, legal_basis, valid_from) VALUES
  ('majority_of_all', 'Quá nửa tổng số đại biểu', 'More than half of all delegates', 'all', 1, 2, true,
   'Luật Tổ chức chính quyền địa phương 2025, nghị quyết của HĐND', '2015-01-01'),
  ('two_thirds_of_all', 'Ít nhất hai phần ba tổng số đại biểu', 'At least two thirds of all delegates', 'all', 2, 3, false,
   'Luật Tổ chức chính quyền địa phương 2025, kỳ họp HĐND', '2015-01-01'),
  ('majority_of_present', 'Quá nửa số đại biểu có mặt', 'More than half of the delegates present', 'present', 1, 2, true,
   NULL, '2015-01-01'),
  ('two_thirds_of_present', 'Ít nhất hai phần ba số đại biểu có mặt', 'At least two thirds of the delegates present', 'present', 2, 3, false,
   NULL, '2015-01-01'),
  ('majority_of_cast', 'Quá nửa số phiếu biểu quyết', 'More than half of the votes cast', 'cast', 1, 2, true,
   NULL, '2015-01-01');

CREATE TABLE meeting_bodies (
  id uuid PRIMARY KEY,
  agency_id uuid NOT NULL REFERENCES agencies(id),
  kind text NOT NULL CHECK (kind IN ('council', 'council_committee', 'people_committee', 'party_committee', 'adhoc')),
  name text NOT NULL,
  parent_id uuid REFERENCES meeting_bodies(id),
  quorum_rule text NOT NULL DEFAULT 'majority_of_all',
  created_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE meeting_bodies IS 'A body that meets: HĐND (council) and its committees, UBND meetings, party committees, ad-hoc meetings';
COMMENT ON COLUMN meeting_bodies.agency_id IS 'The agency whose staff with meetings.manage run the body (its secretariat)';
COMMENT ON COLUMN meeting_bodies.quorum_rule IS 'meeting_rules.code a poll needs present before it may open';
CREATE INDEX meeting_bodies_agency ON meeting_bodies (agency_id);

CREATE TABLE meeting_members (
  id uuid PRIMARY KEY,
  body_id uuid NOT NULL REFERENCES meeting_bodies(id),
  official_id uuid REFERENCES officials(id),
  full_name text NOT NULL,
  sort_key text NOT NULL DEFAULT '',
  email text,
  role text NOT NULL CHECK (role IN ('chair', 'vice_chair', 'delegate', 'secretary', 'guest')),
  voting boolean NOT NULL,
  term text,
  valid_from date NOT NULL,
  valid_to date,
  CHECK (valid_to IS NULL OR valid_to > valid_from),
  CHECK (role NOT IN ('secretary', 'guest') OR NOT voting)
);
COMMENT ON TABLE meeting_members IS 'Membership of a body for a term: delegates (voting), chair, secretariat, guests; an official or an external person';
COMMENT ON COLUMN meeting_members.official_id IS 'The official account the member signs in with (null: external, invited by e-mail only for now)';
COMMENT ON COLUMN meeting_members.voting IS 'Counts in the body''s total number of delegates (the base of "all" rules)';
CREATE UNIQUE INDEX meeting_members_official ON meeting_members (body_id, official_id, valid_from) WHERE official_id IS NOT NULL;
CREATE INDEX meeting_members_body ON meeting_members (body_id, sort_key);

CREATE TABLE meetings (
  id uuid PRIMARY KEY,
  body_id uuid NOT NULL REFERENCES meeting_bodies(id),
  kind text NOT NULL CHECK (kind IN ('session', 'meeting')),
  title text NOT NULL,
  place text,
  online_url text,
  starts_at timestamptz NOT NULL,
  ends_at timestamptz,
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'invited', 'open', 'closed')),
  invited_at timestamptz,
  opened_at timestamptz,
  closed_at timestamptz,
  current_item_id uuid,
  created_by uuid REFERENCES officials(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (ends_at IS NULL OR ends_at > starts_at)
);
COMMENT ON TABLE meetings IS 'A session (kỳ họp) or meeting (cuộc họp) of a body; video conferencing is outside CongVu (online_url only)';
CREATE INDEX meetings_body ON meetings (body_id, starts_at DESC);

CREATE TABLE meeting_items (
  id uuid PRIMARY KEY,
  meeting_id uuid NOT NULL REFERENCES meetings(id),
  parent_id uuid REFERENCES meeting_items(id),
  ordinal int NOT NULL CHECK (ordinal > 0),
  title text NOT NULL,
  rapporteur text,
  planned_minutes int CHECK (planned_minutes > 0),
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'current', 'done')),
  UNIQUE (meeting_id, parent_id, ordinal)
);
COMMENT ON TABLE meeting_items IS 'The agenda tree of a meeting: items and sub-items in order';
ALTER TABLE meetings ADD FOREIGN KEY (current_item_id) REFERENCES meeting_items(id);

CREATE TABLE meeting_attendance (
  meeting_id uuid NOT NULL REFERENCES meetings(id),
  member_id uuid NOT NULL REFERENCES meeting_members(id),
  invited_at timestamptz NOT NULL,
  response text CHECK (response IN ('attend', 'absent', 'delegated')),
  reason text,
  delegated_to text,
  responded_at timestamptz,
  checked_in_at timestamptz,
  checked_in_by uuid REFERENCES officials(id),
  PRIMARY KEY (meeting_id, member_id),
  CHECK (response IS DISTINCT FROM 'absent' OR reason IS NOT NULL),
  CHECK (response IS DISTINCT FROM 'delegated' OR delegated_to IS NOT NULL)
);
COMMENT ON TABLE meeting_attendance IS 'Invitation, answer (attend / absent with reason / delegated) and check-in of each member';
COMMENT ON COLUMN meeting_attendance.checked_in_by IS 'Who checked the member in: the member (self) or the secretariat';

CREATE TABLE meeting_polls (
  id uuid PRIMARY KEY,
  meeting_id uuid NOT NULL REFERENCES meetings(id),
  item_id uuid REFERENCES meeting_items(id),
  title text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('open', 'named', 'secret')),
  options jsonb NOT NULL,
  rule text NOT NULL,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  electorate int NOT NULL CHECK (electorate >= 0),
  present int NOT NULL CHECK (present >= 0),
  cast_count int,
  outcome text CHECK (outcome IN ('passed', 'failed')),
  opened_at timestamptz NOT NULL,
  opened_by uuid REFERENCES officials(id),
  closed_at timestamptz,
  CHECK ((status = 'closed') = (closed_at IS NOT NULL))
);
COMMENT ON TABLE meeting_polls IS 'A vote on an item: open (show of hands recorded), named, or secret (who voted is kept, never what)';
COMMENT ON COLUMN meeting_polls.options IS 'Option labels in order; yes/no/abstain polls are ["Tán thành","Không tán thành","Không biểu quyết"] and the first is "yes"';
COMMENT ON COLUMN meeting_polls.electorate IS 'Voting members of the body on the meeting day, fixed when the poll opened (base of "all" rules)';
COMMENT ON COLUMN meeting_polls.present IS 'Voting members checked in when the poll opened (base of "present" rules)';
CREATE INDEX meeting_polls_meeting ON meeting_polls (meeting_id, opened_at);

CREATE TABLE meeting_poll_voters (
  poll_id uuid NOT NULL REFERENCES meeting_polls(id),
  member_id uuid NOT NULL REFERENCES meeting_members(id),
  PRIMARY KEY (poll_id, member_id)
);
COMMENT ON TABLE meeting_poll_voters IS 'Who has voted in a poll (one vote each); no time and no choice, so a secret ballot cannot be matched to its voter by order or time';

CREATE TABLE meeting_poll_choices (
  poll_id uuid NOT NULL REFERENCES meeting_polls(id),
  member_id uuid NOT NULL REFERENCES meeting_members(id),
  option int NOT NULL CHECK (option >= 0),
  PRIMARY KEY (poll_id, member_id)
);
COMMENT ON TABLE meeting_poll_choices IS 'What each member chose in an open or named poll; never written for a secret poll';

CREATE TABLE meeting_poll_box (
  id uuid PRIMARY KEY,
  poll_id uuid NOT NULL REFERENCES meeting_polls(id),
  option int NOT NULL CHECK (option >= 0)
);
COMMENT ON TABLE meeting_poll_box IS 'The ballot box of an open secret poll: one row per ballot with a random id, no voter, no time; counted into meeting_poll_results and emptied when the poll closes';

CREATE TABLE meeting_poll_results (
  poll_id uuid NOT NULL REFERENCES meeting_polls(id),
  option int NOT NULL CHECK (option >= 0),
  count int NOT NULL CHECK (count >= 0),
  PRIMARY KEY (poll_id, option)
);
COMMENT ON TABLE meeting_poll_results IS 'The count per option of a closed poll';

CREATE TABLE meeting_notices (
  id uuid PRIMARY KEY,
  meeting_id uuid NOT NULL REFERENCES meetings(id),
  text text NOT NULL CHECK (length(text) BETWEEN 1 AND 2000),
  created_by uuid REFERENCES officials(id),
  created_at timestamptz NOT NULL
);
COMMENT ON TABLE meeting_notices IS 'Notices the secretariat or the chair push to every follower of a meeting (thông báo tại cuộc họp)';
CREATE INDEX meeting_notices_meeting ON meeting_notices (meeting_id, created_at);

CREATE TABLE meeting_speakers (
  id uuid PRIMARY KEY,
  meeting_id uuid NOT NULL REFERENCES meetings(id),
  item_id uuid REFERENCES meeting_items(id),
  member_id uuid NOT NULL REFERENCES meeting_members(id),
  kind text NOT NULL CHECK (kind IN ('speech', 'point_of_order')),
  position int NOT NULL,
  status text NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'speaking', 'done', 'withdrawn')),
  planned_seconds int NOT NULL CHECK (planned_seconds > 0),
  requested_at timestamptz NOT NULL,
  started_at timestamptz,
  ended_at timestamptz
);
COMMENT ON TABLE meeting_speakers IS 'The speaker list (đăng ký phát biểu): requests in order; a point of order goes before every speech; the chair reorders, starts and stops';
COMMENT ON COLUMN meeting_speakers.position IS 'Order among the waiting requests of the same kind (the chair may change it)';
CREATE UNIQUE INDEX meeting_speakers_one_speaking ON meeting_speakers (meeting_id) WHERE status = 'speaking';
CREATE UNIQUE INDEX meeting_speakers_one_waiting ON meeting_speakers (meeting_id, member_id, kind) WHERE status = 'waiting';

-- Documents per agenda item, versioned, with proof of delivery per delegate (as idelibre does):
-- when each version reached the delegate's device and when the delegate first opened it.
CREATE TABLE meeting_documents (
  id uuid PRIMARY KEY,
  meeting_id uuid NOT NULL REFERENCES meetings(id),
  item_id uuid REFERENCES meeting_items(id),
  kind text NOT NULL CHECK (kind IN ('main', 'appendix', 'draft_resolution', 'other')),
  title text NOT NULL,
  created_at timestamptz NOT NULL
);
COMMENT ON TABLE meeting_documents IS 'A document of a meeting (tài liệu họp), per agenda item: main, appendix, draft resolution';
CREATE INDEX meeting_documents_meeting ON meeting_documents (meeting_id, created_at);

CREATE TABLE meeting_document_versions (
  document_id uuid NOT NULL REFERENCES meeting_documents(id),
  version int NOT NULL CHECK (version > 0),
  sha256 text NOT NULL REFERENCES blobs(sha256),
  filename text NOT NULL,
  added_at timestamptz NOT NULL,
  added_by uuid REFERENCES officials(id),
  after_invitation boolean NOT NULL,
  PRIMARY KEY (document_id, version)
);
COMMENT ON TABLE meeting_document_versions IS 'Every version of a meeting document; the highest is current';
COMMENT ON COLUMN meeting_document_versions.after_invitation IS 'Added after the invitations went out: shown as new to every delegate until they open it';

CREATE TABLE meeting_document_receipts (
  document_id uuid NOT NULL,
  version int NOT NULL,
  member_id uuid NOT NULL REFERENCES meeting_members(id),
  delivered_at timestamptz NOT NULL,
  opened_at timestamptz,
  PRIMARY KEY (document_id, version, member_id),
  FOREIGN KEY (document_id, version) REFERENCES meeting_document_versions(document_id, version)
);
COMMENT ON TABLE meeting_document_receipts IS 'Proof of delivery: when a version reached a delegate (their list of documents) and when they first opened it';
