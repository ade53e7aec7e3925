-- Casework (docs/decisions/0016-casework.md): cases with plaintext workflow
-- metadata only, their signed chains of compartment holders, sealed keys,
-- encrypted records with their blind tokens, flags, tasks and notifications.
-- Nothing here names a person: names, contacts, routes and testimony are in
-- `case_records.sealed` (ciphertext) and `record_tokens` (keyed hashes).

CREATE TABLE cases (
  id uuid PRIMARY KEY,
  code text NOT NULL UNIQUE,
  status text NOT NULL DEFAULT 'new',
  category text NOT NULL,
  priority text NOT NULL DEFAULT 'normal',
  owner_id uuid REFERENCES members(id),
  outcome text,
  created_by uuid NOT NULL REFERENCES members(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  -- Last activity: any write to the case, its records, flags or tasks.
  updated_at timestamptz NOT NULL DEFAULT now(),
  closed_at timestamptz,
  -- Kept by the task use cases, so the list sorts and filters without counting.
  open_tasks integer NOT NULL DEFAULT 0 CHECK (open_tasks >= 0),
  next_due_on date
);
CREATE INDEX cases_updated ON cases (updated_at DESC, id);
CREATE INDEX cases_owner ON cases (owner_id, updated_at DESC);
CREATE INDEX cases_status ON cases (status, updated_at DESC);

-- Specialists a case was escalated to: a referral keeps the owner, a transfer also moved ownership.
CREATE TABLE case_specialists (
  case_id uuid NOT NULL REFERENCES cases(id),
  member_id uuid NOT NULL REFERENCES members(id),
  kind text NOT NULL,
  added_by uuid NOT NULL REFERENCES members(id),
  added_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (case_id, member_id)
);
CREATE INDEX case_specialists_member ON case_specialists (member_id);

-- The case's chain: statements signed in members' browsers, in order (src/core/crypto/case-chain).
CREATE TABLE case_statements (
  case_id uuid NOT NULL REFERENCES cases(id),
  seq integer NOT NULL CHECK (seq >= 0),
  statement jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (case_id, seq)
);

-- One row per compartment of a case: its current epoch, locked by every grant, rotation and write.
CREATE TABLE compartments (
  case_id uuid NOT NULL REFERENCES cases(id),
  compartment text NOT NULL,
  current_epoch integer NOT NULL DEFAULT 0 CHECK (current_epoch >= 0),
  PRIMARY KEY (case_id, compartment)
);

-- Every epoch's public key and the link that wraps the previous epoch's private key (null at epoch 0).
CREATE TABLE compartment_epochs (
  case_id uuid NOT NULL,
  compartment text NOT NULL,
  epoch integer NOT NULL CHECK (epoch >= 0),
  public_key text NOT NULL,
  link text,
  created_by uuid NOT NULL REFERENCES members(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (case_id, compartment, epoch),
  FOREIGN KEY (case_id, compartment) REFERENCES compartments(case_id, compartment)
);

-- A compartment key sealed to one member, signed by its grantor. `current` is true for the compartment's current epoch.
CREATE TABLE compartment_grants (
  case_id uuid NOT NULL,
  compartment text NOT NULL,
  epoch integer NOT NULL,
  member_id uuid NOT NULL REFERENCES members(id),
  sealed_key jsonb NOT NULL,
  granted_by uuid NOT NULL REFERENCES members(id),
  current boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (case_id, compartment, epoch, member_id),
  FOREIGN KEY (case_id, compartment, epoch) REFERENCES compartment_epochs(case_id, compartment, epoch)
);
CREATE INDEX compartment_grants_member ON compartment_grants (member_id, case_id) WHERE current;

-- A member to leave a compartment at its next rotation (revoked from the case, or suspended or
-- removed from the organization). From the moment this row exists the server refuses that
-- member the compartment, and refuses every write to it until a holder's browser rotates.
CREATE TABLE pending_rotations (
  case_id uuid NOT NULL,
  compartment text NOT NULL,
  member_id uuid NOT NULL REFERENCES members(id),
  reason text NOT NULL,
  requested_by uuid REFERENCES members(id),
  requested_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (case_id, compartment, member_id),
  FOREIGN KEY (case_id, compartment) REFERENCES compartments(case_id, compartment)
);

-- Every version of every record: sealed (AEAD + author's signature, src/core/crypto/records).
CREATE TABLE case_records (
  id uuid NOT NULL,
  version integer NOT NULL CHECK (version >= 0),
  case_id uuid NOT NULL REFERENCES cases(id),
  compartment text NOT NULL,
  kind text NOT NULL,
  epoch integer NOT NULL,
  author_id uuid NOT NULL REFERENCES members(id),
  sealed jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (id, version)
);

-- The newest version of each record: what optimistic concurrency compares against.
CREATE TABLE record_heads (
  id uuid PRIMARY KEY,
  case_id uuid NOT NULL REFERENCES cases(id),
  compartment text NOT NULL,
  kind text NOT NULL,
  version integer NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX record_heads_case ON record_heads (case_id, compartment, kind);

-- Blind tokens of each record's newest version (keyed hashes, src/core/crypto/search).
CREATE TABLE record_tokens (
  token text NOT NULL,
  record_id uuid NOT NULL REFERENCES record_heads(id),
  case_id uuid NOT NULL,
  PRIMARY KEY (token, record_id)
);
CREATE INDEX record_tokens_record ON record_tokens (record_id);

CREATE TABLE case_flags (
  case_id uuid NOT NULL REFERENCES cases(id),
  flag text NOT NULL,
  set_by uuid NOT NULL REFERENCES members(id),
  set_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (case_id, flag)
);

-- Tasks: the title is a record (kind 'task') in `compartment`; due date, assignee and state are plaintext.
CREATE TABLE case_tasks (
  id uuid PRIMARY KEY,
  case_id uuid NOT NULL REFERENCES cases(id),
  record_id uuid NOT NULL,
  compartment text NOT NULL,
  assignee_id uuid REFERENCES members(id),
  due_on date,
  state text NOT NULL DEFAULT 'open',
  created_by uuid NOT NULL REFERENCES members(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  overdue_notified_at timestamptz
);
CREATE INDEX case_tasks_case ON case_tasks (case_id, state);
CREATE INDEX case_tasks_assignee ON case_tasks (assignee_id, state, due_on);

-- In-app notifications: ids and kinds only, the words come from the catalogue.
CREATE TABLE notifications (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  member_id uuid NOT NULL REFERENCES members(id),
  kind text NOT NULL,
  case_id uuid REFERENCES cases(id),
  task_id uuid REFERENCES case_tasks(id),
  actor_id uuid REFERENCES members(id),
  detail jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  read_at timestamptz
);
CREATE INDEX notifications_member ON notifications (member_id, created_at DESC);
CREATE INDEX notifications_unread ON notifications (member_id) WHERE read_at IS NULL;

-- A case's timeline and access log read the audit log by subject.
CREATE INDEX audit_entries_subject ON audit_entries (subject_id, seq);
