-- Issue 7: the citizen rates the handling of their dossier once it has a result (done or
-- delivered): the overall level (5 levels) and the 9 QĐ 766 satisfaction criteria (satisfied or
-- not), with an optional comment. Once per dossier. The 766 index's satisfaction figure is
-- computed from these rows (modules/dossiers/index766.ts, stats-repo.ts).

CREATE TABLE dossier_ratings (
  id uuid PRIMARY KEY,
  dossier_id uuid NOT NULL UNIQUE REFERENCES dossiers(id),
  citizen_id uuid NOT NULL REFERENCES citizens(id),
  agency_id uuid NOT NULL REFERENCES agencies(id),
  level smallint NOT NULL CHECK (level BETWEEN 1 AND 5),
  -- the 9 criteria in order (docs/service-index.md): true = satisfied
  criteria boolean[] NOT NULL CHECK (array_length(criteria, 1) = 9 AND array_position(criteria, NULL) IS NULL),
  satisfied smallint NOT NULL CHECK (satisfied BETWEEN 0 AND 9),
  comment text CHECK (comment IS NULL OR length(comment) <= 2000),
  rated_at timestamptz NOT NULL
);
COMMENT ON TABLE dossier_ratings IS 'Đánh giá mức độ hài lòng of a dossier by its owner citizen: once per dossier, after the result';
COMMENT ON COLUMN dossier_ratings.level IS '1 Rất không hài lòng, 2 Không hài lòng, 3 Bình thường, 4 Hài lòng, 5 Rất hài lòng';
COMMENT ON COLUMN dossier_ratings.satisfied IS 'How many of the 9 criteria are satisfied (kept with criteria, for the index queries)';
CREATE INDEX dossier_ratings_agency_rated ON dossier_ratings (agency_id, rated_at);

UPDATE service_index_rules SET
  formula_vi = 'Tổng số tiêu chí được đánh giá hài lòng / (9 × số phiếu đánh giá của người dân trong kỳ) × 18 (9 tiêu chí × 2 điểm)',
  formula_en = 'Criteria rated satisfied / (9 × citizen ratings in the period) × 18 (9 indicators × 2 points)'
WHERE code = 'satisfaction';
