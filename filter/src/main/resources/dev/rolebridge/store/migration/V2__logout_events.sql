-- Rolebridge membership store: back-channel logouts shared by every node on the database. Same placeholders
-- as V1 (rb_timestamp, rb_table_options); LOGGED_OUT_AT is UTC, to the microsecond.

-- Ids: a block of 50 per call, as in V1.
CREATE SEQUENCE RB_LOGOUT_EVENT_SEQ START WITH 50 INCREMENT BY 50;

-- One row per accepted logout token. The issuer and the token's jti identify it: a second token with the
-- same pair is a replay, wherever it arrives. A token names a subject, a session (SID) or both.
CREATE TABLE RB_LOGOUT_EVENT (
    ID BIGINT NOT NULL,
    ISSUER VARCHAR(512) NOT NULL,
    SUBJECT VARCHAR(255),
    SID VARCHAR(255),
    JTI VARCHAR(255) NOT NULL,
    LOGGED_OUT_AT ${rb_timestamp} NOT NULL,
    PRIMARY KEY (ID),
    CONSTRAINT RB_LOGOUT_EVENT_TOKEN_UK UNIQUE (ISSUER, JTI)
)${rb_table_options};

-- The nodes read the logouts after a time, and housekeeping deletes those before one.
CREATE INDEX RB_LOGOUT_EVENT_TIME_IX ON RB_LOGOUT_EVENT (LOGGED_OUT_AT);
