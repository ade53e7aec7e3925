-- PLACEHOLDER on branch webauthn only: the trust line's 0005 takes this number.
-- Delete this file when merging (migrations must be numbered without gaps).
SELECT 1;
