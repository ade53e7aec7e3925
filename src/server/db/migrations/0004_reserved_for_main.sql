-- PLACEHOLDER on branch webauthn only: the main line's 0004 takes this number.
-- Delete this file when merging (migrations must be numbered without gaps).
SELECT 1;
