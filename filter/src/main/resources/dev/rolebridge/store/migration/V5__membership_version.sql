-- Rolebridge membership store: a version per user, so that signed-in sessions notice a change cheaply.
-- MEMBERSHIP_VERSION grows by one in the transaction of every change of the user's memberships (any source),
-- primary role or active flag, and of the grants of a group the user is in; a session remembers the version
-- it was built from and compares it at most once per roleRefreshSeconds. Every existing user starts at 0.
-- One statement for every supported database.
ALTER TABLE RB_USER ADD COLUMN MEMBERSHIP_VERSION BIGINT DEFAULT 0 NOT NULL;

-- The active flag an audited change set: TRUE for a reactivation, FALSE for a deactivation, NULL for a change
-- that left the flag alone (every event written before this version).
ALTER TABLE RB_AUDIT_EVENT ADD COLUMN ACTIVE_AFTER BOOLEAN;
