-- The procedure catalogue in Vietnamese order (module procedures): the service writes the key
-- from packages/vntext (sortKeyVi of the name); compared with COLLATE "C" like officials.sort_key.
ALTER TABLE procedures ADD COLUMN sort_key text NOT NULL DEFAULT '';
COMMENT ON COLUMN procedures.sort_key IS 'Vietnamese collation key of the name (packages/vntext sortKeyVi), compared with COLLATE "C"';
