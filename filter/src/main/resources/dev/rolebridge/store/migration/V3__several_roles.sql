-- Rolebridge membership store: several roles per group, and unranked roles. Same placeholders as V1, plus
-- rb_role_rank_nullable (the ALTER TABLE clause that drops NOT NULL, which differs by database).
-- Every row of V1's tables is kept: ranks stay, each group's one grant becomes its first grant.

-- Roles outside rolePriority (the application's declared roles, roles groupRoles names) have no rank.
ALTER TABLE RB_ROLE ${rb_role_rank_nullable};

-- RB_GROUP_ROLE had one row per group (primary key GROUP_ID); now one row per group and role. The table is
-- rebuilt, as dropping a primary key is spelled differently by each database.
CREATE TABLE RB_GROUP_ROLE_V3 (
    GROUP_ID BIGINT NOT NULL,
    ROLE_ID BIGINT NOT NULL,
    ORIGIN VARCHAR(16) NOT NULL,
    PRIMARY KEY (GROUP_ID, ROLE_ID),
    CONSTRAINT RB_GRANT_GROUP_FK FOREIGN KEY (GROUP_ID) REFERENCES RB_GROUP (ID),
    CONSTRAINT RB_GRANT_ROLE_FK FOREIGN KEY (ROLE_ID) REFERENCES RB_ROLE (ID)
)${rb_table_options};

INSERT INTO RB_GROUP_ROLE_V3 (GROUP_ID, ROLE_ID, ORIGIN) SELECT GROUP_ID, ROLE_ID, ORIGIN FROM RB_GROUP_ROLE;

DROP TABLE RB_GROUP_ROLE;

ALTER TABLE RB_GROUP_ROLE_V3 RENAME TO RB_GROUP_ROLE;

CREATE INDEX RB_GROUP_ROLE_ROLE_IX ON RB_GROUP_ROLE (ROLE_ID);
