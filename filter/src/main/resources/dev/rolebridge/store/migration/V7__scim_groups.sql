-- Rolebridge membership store: groups a SCIM client pushed, and their members. Same placeholders as V1
-- (rb_text, rb_table_options); times are UTC microseconds, as V4 made them. A pushed group is the provider's
-- group: its members' SCIM memberships (RB_MEMBERSHIP, source SCIM) are the app groups its display name maps
-- to, by the rules a value of the groups claim follows.

CREATE TABLE RB_SCIM_GROUP (
    ID VARCHAR(64) NOT NULL,
    -- 768 characters, as RB_GROUP.NAME: the widest a unique utf8mb4 index allows on MariaDB
    DISPLAY_NAME VARCHAR(768) NOT NULL,
    -- displayName folded to lower case: one provider group per name, whatever the case
    DISPLAY_NAME_KEY VARCHAR(768) NOT NULL,
    EXTERNAL_ID VARCHAR(255),
    -- the SCIM representation as last written, without its members, as JSON
    RESOURCE ${rb_text} NOT NULL,
    CREATED_AT BIGINT NOT NULL,
    LAST_MODIFIED BIGINT NOT NULL,
    PRIMARY KEY (ID),
    CONSTRAINT RB_SCIM_GROUP_NAME_UK UNIQUE (DISPLAY_NAME_KEY)
)${rb_table_options};

CREATE TABLE RB_SCIM_GROUP_MEMBER (
    GROUP_ID VARCHAR(64) NOT NULL,
    SCIM_USER_ID VARCHAR(64) NOT NULL,
    PRIMARY KEY (GROUP_ID, SCIM_USER_ID),
    CONSTRAINT RB_SCIM_MEMBER_GROUP_FK FOREIGN KEY (GROUP_ID) REFERENCES RB_SCIM_GROUP (ID),
    CONSTRAINT RB_SCIM_MEMBER_USER_FK FOREIGN KEY (SCIM_USER_ID) REFERENCES RB_SCIM_USER (ID)
)${rb_table_options};

CREATE INDEX RB_SCIM_MEMBER_USER_IX ON RB_SCIM_GROUP_MEMBER (SCIM_USER_ID);

-- SCIM lists filter by these in SQL
CREATE INDEX RB_SCIM_USER_EXTERNAL_IX ON RB_SCIM_USER (EXTERNAL_ID);
CREATE INDEX RB_SCIM_GROUP_EXTERNAL_IX ON RB_SCIM_GROUP (EXTERNAL_ID);
