-- Issue 7: a dossier submitted through the portal belongs to the citizen account that submitted it.
-- Only that account sees it in "Hồ sơ của tôi", answers its supplement request, withdraws it,
-- pays its fees and rates it; a dossier received at the counter has no owner account (NULL) and is
-- reached through the lookup code and secret only.

ALTER TABLE dossiers ADD COLUMN citizen_id uuid REFERENCES citizens(id);
COMMENT ON COLUMN dossiers.citizen_id IS 'The citizen account that submitted the dossier online (portal); NULL for counter and postal dossiers';
CREATE INDEX dossiers_citizen_idx ON dossiers (citizen_id, submitted_at DESC) WHERE citizen_id IS NOT NULL;
