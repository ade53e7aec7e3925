-- WebAuthn authenticators as a second factor, and what the account page needs:
-- a pending TOTP secret while re-enrolling, and coarse, non-identifying facts
-- about each session (never an IP address or a full user agent).

CREATE TABLE webauthn_credentials (
  id uuid PRIMARY KEY,
  member_id uuid NOT NULL REFERENCES members(id) ON DELETE CASCADE,
  -- The authenticator's credential id and COSE public key, base64url.
  credential_id text NOT NULL UNIQUE CHECK (char_length(credential_id) BETWEEN 16 AND 1400),
  public_key text NOT NULL CHECK (char_length(public_key) <= 4096),
  -- The signature counter; 0 for authenticators that do not count.
  counter bigint NOT NULL DEFAULT 0 CHECK (counter >= 0),
  transports jsonb NOT NULL DEFAULT '[]'::jsonb,
  -- Chosen by the member ("blue key"); shown only to that member, never logged or audited.
  name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 64),
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz
);
CREATE INDEX webauthn_credentials_member ON webauthn_credentials (member_id);

-- Single-use WebAuthn challenges, bound to the member and the session that asked.
CREATE TABLE webauthn_challenges (
  challenge_hash text PRIMARY KEY,
  member_id uuid NOT NULL REFERENCES members(id) ON DELETE CASCADE,
  session_hash text NOT NULL,
  purpose text NOT NULL CHECK (purpose IN ('registration', 'login', 'confirmation')),
  expires_at timestamptz NOT NULL
);
CREATE INDEX webauthn_challenges_expiry ON webauthn_challenges (expires_at);

-- A new TOTP secret waiting for its first code; the old one stays in force until then.
ALTER TABLE members
  ADD COLUMN totp_pending_secret text,
  ADD COLUMN totp_pending_expires_at timestamptz;

-- A public handle for a session (the account page ends sessions by it) and a coarse
-- client label such as "firefox/linux", from a fixed list.
ALTER TABLE sessions
  ADD COLUMN public_id uuid NOT NULL DEFAULT gen_random_uuid(),
  ADD COLUMN client_label text CHECK (client_label IS NULL OR client_label ~ '^[a-z]{1,16}/[a-z]{1,16}$');
CREATE UNIQUE INDEX sessions_public_id ON sessions (public_id);
