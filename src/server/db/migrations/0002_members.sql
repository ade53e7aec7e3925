-- Members, their keys and second factor, invitations, sessions and login throttling.
-- Names here are login handles chosen by members (pseudonyms), never legal names.

ALTER TABLE organization
  ADD COLUMN public_key text,
  ADD COLUMN fingerprint text;

CREATE TABLE members (
  id uuid PRIMARY KEY,
  name text NOT NULL CHECK (char_length(name) BETWEEN 2 AND 64),
  name_key text NOT NULL UNIQUE,
  role text NOT NULL CHECK (role IN ('administrator', 'coordinator', 'specialist', 'verifier', 'psychologist', 'partner')),
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'removed')),
  -- The encrypted key bundle (opened only in the member's browser) and its public half.
  key_bundle jsonb NOT NULL,
  encryption_public_key text NOT NULL,
  signing_public_key text NOT NULL,
  -- The organization's signature over the member's id, role and public keys; NULL until certified.
  certificate jsonb,
  certified_at timestamptz,
  -- Memory-hard hash of the authentication key derived in the browser (never the passphrase).
  auth_hash text NOT NULL,
  totp_secret text,
  totp_enabled_at timestamptz,
  totp_last_step bigint,
  recovery_codes jsonb NOT NULL DEFAULT '[]'::jsonb,
  invited_by uuid REFERENCES members(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  last_active_at timestamptz
);

-- The organization private key, sealed to each administrator's encryption key.
CREATE TABLE organization_key_grants (
  member_id uuid PRIMARY KEY REFERENCES members(id) ON DELETE CASCADE,
  sealed_key jsonb NOT NULL,
  granted_by uuid REFERENCES members(id),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE invitations (
  id uuid PRIMARY KEY,
  token_hash text NOT NULL UNIQUE,
  role text NOT NULL CHECK (role IN ('administrator', 'coordinator', 'specialist', 'verifier', 'psychologist', 'partner')),
  created_by uuid NOT NULL REFERENCES members(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  revoked_at timestamptz,
  member_id uuid REFERENCES members(id)
);

CREATE TABLE sessions (
  id_hash text PRIMARY KEY,
  member_id uuid NOT NULL REFERENCES members(id) ON DELETE CASCADE,
  stage text NOT NULL CHECK (stage IN ('second_factor', 'totp_enrollment', 'full')),
  csrf_token text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz
);
CREATE INDEX sessions_member ON sessions (member_id);

-- Single-use login challenges: a captured login request cannot be replayed.
CREATE TABLE login_challenges (
  challenge_hash text PRIMARY KEY,
  name_key text NOT NULL,
  expires_at timestamptz NOT NULL
);

-- Failed attempts per account (addresses are throttled in memory only, never stored).
CREATE TABLE auth_throttle (
  key text PRIMARY KEY,
  failures integer NOT NULL DEFAULT 0,
  next_allowed_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- A secret of this server: fake login parameters for unknown names, so names cannot be probed.
CREATE TABLE server_secrets (
  name text PRIMARY KEY,
  value text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
