-- Rolebridge membership store: users a SCIM client provisioned. Same placeholders as V1 (rb_text,
-- rb_table_options); times are UTC microseconds, as V4 made them. Each SCIM user is one RB_USER row (whose ACTIVE flag SCIM sets); until the person's first
-- login that row carries a placeholder subject, and LOGIN_KEY says which login claims it.

CREATE TABLE RB_SCIM_USER (
    ID VARCHAR(64) NOT NULL,
    USER_ID BIGINT NOT NULL,
    USER_NAME VARCHAR(512) NOT NULL,
    -- userName folded to lower case: SCIM userName is unique without regard to case (RFC 7643 4.1.1)
    USER_NAME_KEY VARCHAR(512) NOT NULL,
    EXTERNAL_ID VARCHAR(255),
    -- true while the RB_USER row awaits its first login (placeholder subject)
    AWAITS_LOGIN BOOLEAN NOT NULL,
    -- what that first login must present: 'u:' + the lower-cased user name, or 's:' + the subject
    LOGIN_KEY VARCHAR(520),
    -- the SCIM representation as last written, as JSON
    RESOURCE ${rb_text} NOT NULL,
    CREATED_AT BIGINT NOT NULL,
    LAST_MODIFIED BIGINT NOT NULL,
    PRIMARY KEY (ID),
    CONSTRAINT RB_SCIM_USER_USER_UK UNIQUE (USER_ID),
    CONSTRAINT RB_SCIM_USER_NAME_UK UNIQUE (USER_NAME_KEY),
    CONSTRAINT RB_SCIM_USER_USER_FK FOREIGN KEY (USER_ID) REFERENCES RB_USER (ID)
)${rb_table_options};

CREATE INDEX RB_SCIM_USER_LOGIN_IX ON RB_SCIM_USER (LOGIN_KEY);
