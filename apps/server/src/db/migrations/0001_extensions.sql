-- Vietnamese search needs accent folding and trigram indexes.
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- unaccent() is STABLE (it depends on a dictionary); this wrapper pins the dictionary so it can be
-- IMMUTABLE and used in expression indexes. unaccent.rules folds đ/Đ to d/D as well.
CREATE OR REPLACE FUNCTION f_unaccent(text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;
COMMENT ON FUNCTION f_unaccent(text) IS 'IMMUTABLE accent folding for Vietnamese search indexes';

-- Search key used everywhere: lower-case, accents and đ folded.
CREATE OR REPLACE FUNCTION f_search_key(text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT lower(public.f_unaccent($1)) $$;
COMMENT ON FUNCTION f_search_key(text) IS 'Diacritic-insensitive search key: f_unaccent + lower';
