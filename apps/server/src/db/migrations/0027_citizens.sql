-- Citizen accounts (issue 7): a separate table, sessions and cookie from staff, so a citizen
-- session can never act as an official.

CREATE TABLE citizens (
  id uuid PRIMARY KEY,
  email text UNIQUE CHECK (email = lower(email)),
  phone text UNIQUE CHECK (phone ~ '^0[0-9]{9}$'),
  password_hash text,
  full_name text NOT NULL,
  id_no text UNIQUE CHECK (id_no ~ '^[0-9]{12}$'),
  address text,
  failed_logins int NOT NULL DEFAULT 0,
  locked_until timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (password_hash IS NULL OR email IS NOT NULL OR phone IS NOT NULL)
);
COMMENT ON TABLE citizens IS 'Citizen (người dân) accounts of the public-service portal; never officials';
COMMENT ON COLUMN citizens.email IS 'Lower-cased; a sign-in name';
COMMENT ON COLUMN citizens.phone IS 'Normalised to 0 + 9 digits; a sign-in name';
COMMENT ON COLUMN citizens.password_hash IS 'argon2id PHC string; NULL for an account that signs in only through OIDC';
COMMENT ON COLUMN citizens.id_no IS 'CCCD (12 digits): the key of the citizen''s data store (citizen_store_items.owner_id_no)';
COMMENT ON COLUMN citizens.failed_logins IS 'Failed password sign-ins since the last success or lock';

CREATE TABLE citizen_sessions (
  id text PRIMARY KEY,
  citizen_id uuid NOT NULL REFERENCES citizens(id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  ip text,
  user_agent text
);
COMMENT ON TABLE citizen_sessions IS 'Citizen sign-in sessions (cookie congvu_citizen)';
COMMENT ON COLUMN citizen_sessions.id IS 'SHA-256 (hex) of the cookie value; the value itself is never stored';
CREATE INDEX citizen_sessions_citizen ON citizen_sessions (citizen_id);

CREATE TABLE citizen_identities (
  issuer text NOT NULL,
  subject text NOT NULL,
  citizen_id uuid NOT NULL REFERENCES citizens(id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_login_at timestamptz,
  PRIMARY KEY (issuer, subject)
);
COMMENT ON TABLE citizen_identities IS 'OpenID Connect identities (e.g. VNeID) linked to a citizen: issuer + sub';
CREATE INDEX citizen_identities_citizen ON citizen_identities (citizen_id);

CREATE TABLE citizen_password_resets (
  id uuid PRIMARY KEY,
  citizen_id uuid NOT NULL REFERENCES citizens(id) ON DELETE CASCADE,
  token_hash text NOT NULL UNIQUE,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE citizen_password_resets IS 'Password reset links sent by e-mail: single use, expiring';
COMMENT ON COLUMN citizen_password_resets.token_hash IS 'SHA-256 (hex) of the token in the link';
CREATE INDEX citizen_password_resets_citizen ON citizen_password_resets (citizen_id);

CREATE TABLE citizen_oidc_states (
  state_hash text PRIMARY KEY,
  code_verifier text NOT NULL,
  nonce text NOT NULL,
  return_to text NOT NULL,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE citizen_oidc_states IS 'Pending OIDC sign-ins (authorization code + PKCE): used once by the callback';
COMMENT ON COLUMN citizen_oidc_states.state_hash IS 'SHA-256 (hex) of the state sent to the provider and kept in the browser''s cookie';
