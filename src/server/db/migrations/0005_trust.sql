-- Trust hardened against the server itself (docs/decisions/0011-trust-against-the-server.md):
-- signed membership lists, organization-key rotation, organization-signed
-- administrator invitations.

-- Every membership list an administrator's browser published, signed with the
-- organization key; clients refuse one older than the newest they have seen.
CREATE TABLE membership_lists (
  counter bigint PRIMARY KEY CHECK (counter >= 1),
  organization_key text NOT NULL,
  list jsonb NOT NULL,
  published_by uuid REFERENCES members(id),
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Each change of the organization key, signed by the key it replaces: the
-- chain a browser follows from the key it pinned to the current one.
CREATE TABLE organization_key_rotations (
  seq integer PRIMARY KEY CHECK (seq >= 1),
  previous_key text NOT NULL,
  new_key text NOT NULL UNIQUE,
  statement jsonb NOT NULL,
  rotated_by uuid REFERENCES members(id),
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Set when an administrator was removed or demoted while still knowing the
-- organization private key; cleared by the rotation that replaces it.
ALTER TABLE organization ADD COLUMN rotation_pending boolean NOT NULL DEFAULT false;

-- The organization key's signature over an administrator invitation (id, role, expiry).
ALTER TABLE invitations ADD COLUMN statement jsonb;
