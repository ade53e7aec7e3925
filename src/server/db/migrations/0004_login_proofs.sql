-- Login becomes a proof of possession: the server keeps the public half of an
-- authentication key derived in the browser, so no stored value lets anyone log in.
-- Members made before this keep their slow hash until their next login moves them over.
ALTER TABLE members ADD COLUMN auth_public_key text;
ALTER TABLE members ALTER COLUMN auth_hash DROP NOT NULL;
ALTER TABLE members ADD CONSTRAINT members_login_key CHECK (auth_public_key IS NOT NULL OR auth_hash IS NOT NULL);

-- Challenges and throttle rows were keyed by the name as typed (once, a passphrase typed
-- into the name field). From now on they are keyed by an HMAC under a secret kept in the
-- data directory, outside the database. Both are short-lived: start afresh.
DELETE FROM login_challenges;
DELETE FROM auth_throttle;
ALTER TABLE login_challenges RENAME COLUMN name_key TO subject_tag;
ALTER TABLE login_challenges ADD COLUMN purpose text NOT NULL DEFAULT 'login'
  CHECK (purpose IN ('login', 'passphrase-change', 'account-change'));
CREATE INDEX login_challenges_expiry ON login_challenges (expires_at);
CREATE INDEX auth_throttle_updated ON auth_throttle (updated_at);
CREATE INDEX sessions_expiry ON sessions (expires_at);

-- The decoy secret moves to the data directory's server secret.
DROP TABLE server_secrets;
