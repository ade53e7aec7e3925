-- The organization this server belongs to: one row, created by the first-run setup.
CREATE TABLE organization (
  id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 120),
  default_language text NOT NULL CHECK (default_language IN ('en', 'ru')),
  created_at timestamptz NOT NULL DEFAULT now()
);
