-- Issue 7: citizen notifications (the notification centre of the portal account, e-mail and SMS)
-- and the citizen's delivery preferences. Owned by the citizens module.

CREATE TABLE citizen_notifications (
  id uuid PRIMARY KEY,
  citizen_id uuid REFERENCES citizens(id) ON DELETE CASCADE,
  dossier_id uuid NOT NULL REFERENCES dossiers(id),
  event_id uuid NOT NULL UNIQUE,
  kind text NOT NULL,
  title_vi text NOT NULL,
  body_vi text NOT NULL,
  link text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  read_at timestamptz
);
COMMENT ON TABLE citizen_notifications IS 'What an applicant was told about a dossier event: one row per event (the centre shows those with a citizen)';
COMMENT ON COLUMN citizen_notifications.citizen_id IS 'The account that owns the dossier; NULL for a dossier without account (told by e-mail/SMS only)';
COMMENT ON COLUMN citizen_notifications.event_id IS 'dossier_events.id: unique, so a redelivered outbox message notifies once';
COMMENT ON COLUMN citizen_notifications.link IS 'Absolute link to the dossier page (account) or the lookup (others)';
CREATE INDEX citizen_notifications_citizen ON citizen_notifications (citizen_id, created_at DESC, id DESC)
  WHERE citizen_id IS NOT NULL;

ALTER TABLE citizens ADD COLUMN notify_email boolean NOT NULL DEFAULT true;
ALTER TABLE citizens ADD COLUMN notify_sms boolean NOT NULL DEFAULT true;
COMMENT ON COLUMN citizens.notify_email IS 'Dossier notifications by e-mail (to the account''s address)';
COMMENT ON COLUMN citizens.notify_sms IS 'Dossier notifications by SMS (to the account''s phone)';

-- Linking an OIDC identity to the signed-in account (profile page): the pending state names it.
ALTER TABLE citizen_oidc_states ADD COLUMN link_citizen_id uuid REFERENCES citizens(id) ON DELETE CASCADE;
COMMENT ON COLUMN citizen_oidc_states.link_citizen_id IS 'Set when the sign-in links an identity to this signed-in citizen instead of signing in';
