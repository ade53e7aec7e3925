-- The tamper-evident audit log: entries are the leaves of an RFC 9162-style
-- Merkle tree (seq = leaf index); the server signs tree heads with its log key.
CREATE TABLE audit_entries (
  seq bigint PRIMARY KEY CHECK (seq >= 0),
  occurred_at timestamptz NOT NULL,
  action text NOT NULL,
  actor_id uuid,
  subject_id uuid,
  detail jsonb NOT NULL DEFAULT '{}'::jsonb,
  leaf_hash text NOT NULL
);
CREATE INDEX audit_entries_action ON audit_entries (action, seq);
CREATE INDEX audit_entries_actor ON audit_entries (actor_id, seq);

-- Every signed tree head the server ever issued, so an offline check can verify them all.
CREATE TABLE audit_tree_heads (
  size bigint PRIMARY KEY,
  root_hash text NOT NULL,
  signed_head jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE audit_log_key (
  id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  public_key text NOT NULL,
  private_key text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
