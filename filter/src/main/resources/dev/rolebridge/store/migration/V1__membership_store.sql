-- Rolebridge membership store, first schema. One script for every supported database: the few types that
-- differ come from placeholders that MembershipStore sets per database (rb_timestamp, rb_text,
-- rb_table_options). Every table name starts with RB_ so nothing collides with the application's tables.
-- Names (groups, roles) are data: wide columns, and on MariaDB a binary, no-pad utf8mb4 collation so
-- they compare exactly ('Admin' <> 'admin', 'x' <> 'x ') as on the other databases.
-- Ids come from sequences (EclipseLink takes the value returned as the last of a block of 50), never from
-- identity columns.

-- Id sequences: a block of 50 ids per call (the JPA allocation size), so most inserts need no round trip.
CREATE SEQUENCE RB_USER_SEQ START WITH 50 INCREMENT BY 50;
CREATE SEQUENCE RB_GROUP_SEQ START WITH 50 INCREMENT BY 50;
CREATE SEQUENCE RB_ROLE_SEQ START WITH 50 INCREMENT BY 50;
CREATE SEQUENCE RB_MAPPING_RULE_SEQ START WITH 50 INCREMENT BY 50;
CREATE SEQUENCE RB_AUDIT_EVENT_SEQ START WITH 50 INCREMENT BY 50;

-- Roles, ranked: ROLE_RANK 0 is the highest (rolePriority order).
CREATE TABLE RB_ROLE (
    ID BIGINT NOT NULL,
    NAME VARCHAR(255) NOT NULL,
    ROLE_RANK INTEGER NOT NULL,
    ORIGIN VARCHAR(16) NOT NULL,
    PRIMARY KEY (ID),
    CONSTRAINT RB_ROLE_NAME_UK UNIQUE (NAME)
)${rb_table_options};

-- Application groups. 768 characters is the widest a unique utf8mb4 index allows on MariaDB.
CREATE TABLE RB_GROUP (
    ID BIGINT NOT NULL,
    NAME VARCHAR(768) NOT NULL,
    ORIGIN VARCHAR(16) NOT NULL,
    CREATED_AT ${rb_timestamp} NOT NULL,
    PRIMARY KEY (ID),
    CONSTRAINT RB_GROUP_NAME_UK UNIQUE (NAME)
)${rb_table_options};

-- The role an application group grants (at most one per group).
CREATE TABLE RB_GROUP_ROLE (
    GROUP_ID BIGINT NOT NULL,
    ROLE_ID BIGINT NOT NULL,
    ORIGIN VARCHAR(16) NOT NULL,
    PRIMARY KEY (GROUP_ID),
    CONSTRAINT RB_GROUP_ROLE_GROUP_FK FOREIGN KEY (GROUP_ID) REFERENCES RB_GROUP (ID),
    CONSTRAINT RB_GROUP_ROLE_ROLE_FK FOREIGN KEY (ROLE_ID) REFERENCES RB_ROLE (ID)
)${rb_table_options};

CREATE INDEX RB_GROUP_ROLE_ROLE_IX ON RB_GROUP_ROLE (ROLE_ID);

-- Users, one per provider account: the issuer and its subject identify them.
CREATE TABLE RB_USER (
    ID BIGINT NOT NULL,
    ISSUER VARCHAR(512) NOT NULL,
    SUBJECT VARCHAR(255) NOT NULL,
    USERNAME VARCHAR(512) NOT NULL,
    EMAIL VARCHAR(512),
    PRIMARY_ROLE VARCHAR(255),
    ACTIVE BOOLEAN NOT NULL,
    CREATED_AT ${rb_timestamp} NOT NULL,
    LAST_LOGIN ${rb_timestamp},
    PRIMARY KEY (ID),
    CONSTRAINT RB_USER_ACCOUNT_UK UNIQUE (ISSUER, SUBJECT)
)${rb_table_options};

-- Memberships: one row per user, group and source (OIDC = the login sync, SCIM, MANUAL).
CREATE TABLE RB_MEMBERSHIP (
    USER_ID BIGINT NOT NULL,
    GROUP_ID BIGINT NOT NULL,
    SOURCE VARCHAR(16) NOT NULL,
    CREATED_AT ${rb_timestamp} NOT NULL,
    PRIMARY KEY (USER_ID, GROUP_ID, SOURCE),
    CONSTRAINT RB_MEMBERSHIP_USER_FK FOREIGN KEY (USER_ID) REFERENCES RB_USER (ID),
    CONSTRAINT RB_MEMBERSHIP_GROUP_FK FOREIGN KEY (GROUP_ID) REFERENCES RB_GROUP (ID)
)${rb_table_options};

CREATE INDEX RB_MEMBERSHIP_GROUP_IX ON RB_MEMBERSHIP (GROUP_ID);

-- Mapping rules: CONFIG rows mirror the filter's configuration and are rewritten at start; ADMIN rows are
-- never touched by the configuration. RULE_POSITION orders the rules of one origin.
CREATE TABLE RB_MAPPING_RULE (
    ID BIGINT NOT NULL,
    KIND VARCHAR(32) NOT NULL,
    RULE_TEXT VARCHAR(4000) NOT NULL,
    TARGET_GROUP VARCHAR(768) NOT NULL,
    SYNC_MODE VARCHAR(16),
    ORIGIN VARCHAR(16) NOT NULL,
    RULE_POSITION INTEGER NOT NULL,
    PRIMARY KEY (ID),
    -- one order per origin; also keeps two nodes that start at once from both writing the configured rules
    CONSTRAINT RB_MAPPING_RULE_POSITION_UK UNIQUE (ORIGIN, RULE_POSITION)
)${rb_table_options};

-- Audit: one row per change. Lists are stored one entry per line (see MembershipStore). ISSUER and SUBJECT
-- are copied so an event stays readable without its user.
CREATE TABLE RB_AUDIT_EVENT (
    ID BIGINT NOT NULL,
    EVENT_TIME ${rb_timestamp} NOT NULL,
    ACTOR VARCHAR(32) NOT NULL,
    USER_ID BIGINT,
    ISSUER VARCHAR(512) NOT NULL,
    SUBJECT VARCHAR(255) NOT NULL,
    ADDED_GROUPS ${rb_text} NOT NULL,
    REMOVED_GROUPS ${rb_text} NOT NULL,
    CREATED_GROUPS ${rb_text} NOT NULL,
    ROLE_BEFORE VARCHAR(255),
    ROLE_AFTER VARCHAR(255),
    RULES_FIRED ${rb_text} NOT NULL,
    PRIMARY KEY (ID)
)${rb_table_options};

CREATE INDEX RB_AUDIT_EVENT_USER_IX ON RB_AUDIT_EVENT (USER_ID, ID);
