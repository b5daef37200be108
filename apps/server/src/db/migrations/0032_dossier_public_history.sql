-- Issue 7: the public lookup's history, kept on the dossier row. The lookup is the portal's
-- hottest read (citizens and QR codes on receipts); reading and formatting the events of every
-- looked-up dossier cost PostgreSQL about twice the rest of the statement (docs/BENCHMARKS.md,
-- "lookup"). dossier_events stays the record; public_history is a projection of it, kept by
-- statement-level triggers whatever writes the events (service, imports, seeds), in the same
-- transaction.

ALTER TABLE dossiers ADD COLUMN public_history json NOT NULL DEFAULT '[]';
COMMENT ON COLUMN dossiers.public_history IS
  'Projection of dossier_events for the public lookup: [{"at": ISO 8601 UTC instant, "s": portal status}] in (at, id) order; kept by the dossier_events_public_history_* triggers, never written by the application';

CREATE FUNCTION dossier_public_history_refresh() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE dossiers d
  SET public_history = coalesce((
    SELECT json_agg(
             json_build_object('at', to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                               's', e.portal_status)
             ORDER BY e.at, e.id)
    FROM dossier_events e
    WHERE e.dossier_id = d.id), '[]'::json)
  WHERE d.id IN (SELECT c.dossier_id FROM changed c);
  RETURN NULL;
END $$;
COMMENT ON FUNCTION dossier_public_history_refresh() IS
  'Recomputes dossiers.public_history for the dossiers whose events a statement inserted, changed or deleted (transition table "changed")';

CREATE TRIGGER dossier_events_public_history_insert AFTER INSERT ON dossier_events
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION dossier_public_history_refresh();
CREATE TRIGGER dossier_events_public_history_update AFTER UPDATE ON dossier_events
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION dossier_public_history_refresh();
CREATE TRIGGER dossier_events_public_history_delete AFTER DELETE ON dossier_events
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION dossier_public_history_refresh();

-- Events never move to another dossier (the record is append-only); a statement that did would
-- leave the old dossier's projection stale, so it is refused.
CREATE FUNCTION dossier_events_keep_dossier() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.dossier_id <> OLD.dossier_id THEN
    RAISE EXCEPTION 'dossier_events.dossier_id cannot change (event %)', OLD.id;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER dossier_events_keep_dossier BEFORE UPDATE OF dossier_id ON dossier_events
  FOR EACH ROW EXECUTE FUNCTION dossier_events_keep_dossier();

UPDATE dossiers d
SET public_history = h.history
FROM (
  SELECT e.dossier_id,
         json_agg(json_build_object('at', to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                                    's', e.portal_status)
                  ORDER BY e.at, e.id) AS history
  FROM dossier_events e
  GROUP BY e.dossier_id
) h
WHERE h.dossier_id = d.id;
