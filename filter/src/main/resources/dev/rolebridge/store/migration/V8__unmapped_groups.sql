-- Rolebridge membership store: the provider's groups that logins carried but that mapped to nothing, per
-- user, for administrators to see which groups they could map. Same placeholders as V1 (rb_table_options);
-- times are UTC microseconds, as V4 made them. One row per name and user; each login that carries the name
-- again updates LAST_SEEN.

CREATE TABLE RB_UNMAPPED_GROUP (
    -- SHA-256 of the name (UTF-8), in lower-case hex: the key, as a unique utf8mb4 index on MariaDB holds at
    -- most 3072 bytes, and the name may take all of them
    NAME_HASH VARCHAR(64) NOT NULL,
    USER_ID BIGINT NOT NULL,
    -- 768 characters, as RB_GROUP.NAME
    NAME VARCHAR(768) NOT NULL,
    FIRST_SEEN BIGINT NOT NULL,
    LAST_SEEN BIGINT NOT NULL,
    PRIMARY KEY (NAME_HASH, USER_ID),
    CONSTRAINT RB_UNMAPPED_GROUP_USER_FK FOREIGN KEY (USER_ID) REFERENCES RB_USER (ID)
)${rb_table_options};

-- a login reads and updates the rows of its user; the list and the pruning select by LAST_SEEN
CREATE INDEX RB_UNMAPPED_GROUP_USER_IX ON RB_UNMAPPED_GROUP (USER_ID);
CREATE INDEX RB_UNMAPPED_GROUP_SEEN_IX ON RB_UNMAPPED_GROUP (LAST_SEEN);

-- the audit trail lists and filters events by time, newest first
CREATE INDEX RB_AUDIT_EVENT_TIME_IX ON RB_AUDIT_EVENT (EVENT_TIME, ID);
