-- Rolebridge membership store: the user name folded to lower case, indexed. SCIM ties a pushed user to an
-- earlier login's by name without regard to case, and the audit trail's user filter matches names the same way;
-- with LOWER(USERNAME) in the condition each of those read every user row. The store writes the key with the
-- name (Java's lower case, Locale.ROOT); rows written before this version take the database's LOWER, which
-- agrees with it for every name in ASCII. One statement each for every supported database.
ALTER TABLE RB_USER ADD COLUMN USERNAME_KEY VARCHAR(512);

UPDATE RB_USER SET USERNAME_KEY = LOWER(USERNAME);

CREATE INDEX RB_USER_USERNAME_KEY_IX ON RB_USER (USERNAME_KEY);
