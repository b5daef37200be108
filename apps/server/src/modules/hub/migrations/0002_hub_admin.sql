-- The operator's views (/api/hub-admin): messages searched by sending agency, newest first, and
-- the dead letters (deliveries a recipient acknowledged `fail`), latest first. Changes made there
-- are recorded in hub_admin_log like the CLI's.

CREATE INDEX hub_messages_from ON hub_messages (from_code, id);
CREATE INDEX hub_deliveries_failed ON hub_deliveries (acked_at) WHERE state = 'fail';
