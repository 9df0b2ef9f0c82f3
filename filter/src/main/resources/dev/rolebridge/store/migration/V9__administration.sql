-- Rolebridge membership store: what the administration page writes. Same placeholders as V1 (rb_text,
-- rb_table_options); times are UTC microseconds, as V4 made them.

-- An ADMIN row either applies a rule of its own (APPLY) or switches a configured rule off (DISABLE: the row
-- repeats the configured rule's kind, text and target, so the switch survives the configuration's rows being
-- rewritten at start). CONFIG rows always apply.
ALTER TABLE RB_MAPPING_RULE ADD COLUMN RULE_ACTION VARCHAR(16) DEFAULT 'APPLY' NOT NULL;

-- Who, by name, made an administrator's change (ACTOR says which kind of writer: login, admin, scim).
ALTER TABLE RB_AUDIT_EVENT ADD COLUMN ACTED_BY VARCHAR(255);

-- Settings an administrator changes at run time, by name (e.g. the SCIM endpoint switched on or off).
CREATE TABLE RB_SETTING (
    NAME VARCHAR(64) NOT NULL,
    SETTING_VALUE VARCHAR(4000) NOT NULL,
    PRIMARY KEY (NAME)
)${rb_table_options};

-- SCIM bearer tokens created on the administration page, besides the configuration's scimToken: only the
-- SHA-256 digest of each is kept; the token is shown once, when it is created.
CREATE TABLE RB_SCIM_TOKEN (
    ID VARCHAR(64) NOT NULL,
    NAME VARCHAR(255) NOT NULL,
    TOKEN_DIGEST VARCHAR(64) NOT NULL,
    CREATED_AT BIGINT NOT NULL,
    CREATED_BY VARCHAR(255),
    REVOKED_AT BIGINT,
    PRIMARY KEY (ID),
    CONSTRAINT RB_SCIM_TOKEN_DIGEST_UK UNIQUE (TOKEN_DIGEST)
)${rb_table_options};
