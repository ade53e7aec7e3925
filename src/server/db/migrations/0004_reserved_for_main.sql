-- Placeholder on the `trust` branch only: the main line's 0004 takes this number.
-- Delete this file when merging `trust` into main (migrations must not have gaps).
SELECT 1;
