package dev.rolebridge.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rolebridge.internal.config.ScimSettings.UserMatch;
import dev.rolebridge.internal.mapping.AppGroup;
import dev.rolebridge.internal.mapping.GroupMapper;
import dev.rolebridge.internal.mapping.MappingConfig;
import dev.rolebridge.sync.LoginIdentity;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Upgrading a database that an earlier release created keeps every row: from schema version 2 (one role per
 * group, every role ranked) to several roles per group, and from version 3 (times as UTC date-time columns)
 * to times in UTC microseconds. The upgraded tables then hold what the new model needs. Runs on every
 * selected database, each in a schema of its own.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.rolebridge.internal.store.TestDatabase#selected")
class MembershipStoreUpgradeTest {

    private static final String SCHEMA = "rolebridge_upgrade";
    private static final LocalDateTime THEN = LocalDateTime.of(2026, 5, 4, 3, 2, 1);

    /** In the hour that does not exist in Central Europe that day, with microseconds. */
    private static final Instant GAP = Instant.parse("2026-03-29T02:30:00.123456Z");

    @Parameter
    TestDatabase database;

    @Test
    void upgradeFromVersion2KeepsEveryRowAndAllowsSeveralRolesPerGroup() throws SQLException {
        StoreSettings settings = schemaAtVersion("2");
        fillAsVersion2();

        MappingConfig config =
                MappingConfig.parse(Map.of("groupRoles", "all apps = builder, approver"), List.of("approver"));
        try (MembershipStore store = MembershipStore.open(settings)) {
            store.seed(config);

            StoredUser alice = store.findUser(StoreFixtures.ISSUER, "alice-sub").orElseThrow();
            assertThat(alice.username()).isEqualTo("alice");
            assertThat(alice.primaryRole()).isEqualTo("admin");
            assertThat(alice.memberships())
                    .containsExactly(
                            new StoredUser.Membership("admin", MembershipSource.OIDC),
                            new StoredUser.Membership("all apps", MembershipSource.MANUAL));
            assertThat(store.auditEvents(StoreFixtures.ISSUER, "alice-sub"))
                    .singleElement()
                    .satisfies(event -> assertThat(event.added()).containsExactly("admin"));
            assertThat(store.appGroups())
                    .contains(
                            AppGroup.granting("admin", "admin"),
                            AppGroup.granting("end-users", "end-user"),
                            // the one grant of version 2 is kept, the configured unranked role is added beside it
                            AppGroup.granting("all apps", "builder", "approver"),
                            AppGroup.granting("approver", "approver"));
            assertThat(store.mappingRules()).isNotEmpty();

            // the new model: several roles per group, unranked roles
            store.createGroupGranting("ops", List.of("approver", "builder"));
            assertThat(store.appGroups()).contains(AppGroup.granting("ops", "builder", "approver"));
            LoginIdentity login = StoreFixtures.login("alice-sub", List.of("admin", "ops"));
            GroupMapper mapper = new GroupMapper(config);
            MembershipStore.SyncRecord record = store.sync(login, s -> mapper.map(login, s.appGroups(), s.user()));
            assertThat(record.outcome().effectiveRoles()).containsExactly("admin", "builder", "end-user", "approver");
        }

        assertThat(count("SELECT COUNT(*) FROM RB_USER")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM RB_LOGOUT_EVENT")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM RB_AUDIT_EVENT")).isEqualTo(2); // the old event and the login's
        assertThat(count("SELECT ROLE_RANK FROM RB_ROLE WHERE NAME = 'builder'"))
                .isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM RB_ROLE WHERE NAME = 'approver' AND ROLE_RANK IS NULL"))
                .isEqualTo(1);
    }

    /**
     * Version 3 kept times as UTC dates and times ({@code TIMESTAMP(6)}, MariaDB {@code DATETIME(6)}); V4
     * turns each into microseconds since 1970 UTC in the database, so every value stays exact, even one in a
     * daylight-saving gap of the JVM's zone.
     */
    @Test
    void upgradeFromVersion3KeepsEveryTimeExactToTheMicrosecond() throws SQLException {
        StoreSettings settings = schemaAtVersion("3");
        try (Connection c = database.connect(SCHEMA)) {
            String gap = "TIMESTAMP '2026-03-29 02:30:00.123456'";
            String old = "TIMESTAMP '1999-12-31 23:59:59.999999'";
            execute(
                    c,
                    "INSERT INTO RB_GROUP (ID, NAME, ORIGIN, CREATED_AT) VALUES (900011, 'ops', 'ADMIN', " + old + ")");
            execute(
                    c,
                    "INSERT INTO RB_USER (ID, ISSUER, SUBJECT, USERNAME, ACTIVE, CREATED_AT, LAST_LOGIN) VALUES"
                            + " (900021, '" + StoreFixtures.ISSUER + "', 'alice-sub', 'alice', TRUE, " + old + ", "
                            + gap + ")");
            execute(
                    c,
                    "INSERT INTO RB_USER (ID, ISSUER, SUBJECT, USERNAME, ACTIVE, CREATED_AT) VALUES" + " (900022, '"
                            + StoreFixtures.ISSUER + "', 'bob-sub', 'bob', TRUE, " + gap + ")");
            execute(
                    c,
                    "INSERT INTO RB_MEMBERSHIP (USER_ID, GROUP_ID, SOURCE, CREATED_AT) VALUES (900021, 900011,"
                            + " 'MANUAL', " + gap + ")");
            execute(
                    c,
                    "INSERT INTO RB_AUDIT_EVENT (ID, EVENT_TIME, ACTOR, USER_ID, ISSUER, SUBJECT, ADDED_GROUPS,"
                            + " REMOVED_GROUPS, CREATED_GROUPS, RULES_FIRED) VALUES (900041, " + gap
                            + ", 'admin', 900021, '"
                            + StoreFixtures.ISSUER + "', 'alice-sub', 'ops', '', '', '')");
            execute(
                    c,
                    "INSERT INTO RB_LOGOUT_EVENT (ID, ISSUER, SUBJECT, JTI, LOGGED_OUT_AT) VALUES (900051, '"
                            + StoreFixtures.ISSUER + "', 'alice-sub', 'jti-1', " + gap + ")");
        }

        TimeZone jvm = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("Europe/Berlin"));
        try (MembershipStore store = MembershipStore.open(settings)) {
            StoredUser alice = store.findUser(StoreFixtures.ISSUER, "alice-sub").orElseThrow();
            assertThat(alice.lastLogin()).isEqualTo(GAP);
            assertThat(alice.memberships()).containsExactly(new StoredUser.Membership("ops", MembershipSource.MANUAL));
            assertThat(store.findUser(StoreFixtures.ISSUER, "bob-sub")
                            .orElseThrow()
                            .lastLogin())
                    .isNull();
            assertThat(store.auditEvents(StoreFixtures.ISSUER, "alice-sub"))
                    .extracting(AuditEvent::time)
                    .containsExactly(GAP);
            assertThat(store.logoutsSince(GAP.minus(1, ChronoUnit.MICROS), 10))
                    .extracting(LogoutEvent::at)
                    .containsExactly(GAP);
            assertThat(store.logoutsSince(GAP, 10)).isEmpty();
        } finally {
            TimeZone.setDefault(jvm);
        }

        assertThat(count("SELECT LOGGED_OUT_AT FROM RB_LOGOUT_EVENT")).isEqualTo(1774751400123456L);
        assertThat(count("SELECT CREATED_AT FROM RB_GROUP WHERE ID = 900011")).isEqualTo(946684799999999L);
        assertThat(count("SELECT LAST_LOGIN FROM RB_USER WHERE ID = 900021")).isEqualTo(1774751400123456L);
        assertThat(count("SELECT COUNT(*) FROM RB_USER WHERE LAST_LOGIN IS NULL"))
                .isEqualTo(1);
        assertThat(count("SELECT EVENT_TIME FROM RB_AUDIT_EVENT")).isEqualTo(1774751400123456L);
        assertThat(count("SELECT CREATED_AT FROM RB_MEMBERSHIP")).isEqualTo(1774751400123456L);
    }

    /** Version 4 had no membership version: V5 gives every user version 0, and the old audit events no flag. */
    @Test
    void upgradeFromVersion4StartsEveryUserAtVersionZeroAndKeepsTheirFlag() throws SQLException {
        StoreSettings settings = schemaAtVersion("4");
        try (Connection c = database.connect(SCHEMA)) {
            execute(
                    c,
                    "INSERT INTO RB_USER (ID, ISSUER, SUBJECT, USERNAME, ACTIVE, CREATED_AT) VALUES (900021, '"
                            + StoreFixtures.ISSUER + "', 'alice-sub', 'alice', TRUE, 0)");
            execute(
                    c,
                    "INSERT INTO RB_USER (ID, ISSUER, SUBJECT, USERNAME, ACTIVE, CREATED_AT) VALUES (900022, '"
                            + StoreFixtures.ISSUER + "', 'bob-sub', 'bob', FALSE, 0)");
            execute(
                    c,
                    "INSERT INTO RB_AUDIT_EVENT (ID, EVENT_TIME, ACTOR, USER_ID, ISSUER, SUBJECT, ADDED_GROUPS,"
                            + " REMOVED_GROUPS, CREATED_GROUPS, RULES_FIRED) VALUES (900041, 0, 'admin', 900021, '"
                            + StoreFixtures.ISSUER + "', 'alice-sub', 'ops', '', '', '')");
        }

        try (MembershipStore store = MembershipStore.open(settings)) {
            assertThat(store.userVersion(StoreFixtures.ISSUER, "alice-sub"))
                    .contains(new MembershipStore.UserVersion(900021, 0, true, null));
            assertThat(store.userVersion(StoreFixtures.ISSUER, "bob-sub"))
                    .contains(new MembershipStore.UserVersion(900022, 0, false, null));
            assertThat(store.auditEvents(StoreFixtures.ISSUER, "alice-sub"))
                    .singleElement()
                    .satisfies(event -> assertThat(event.activeAfter()).isNull());

            store.setActive(StoreFixtures.ISSUER, "bob-sub", true, "admin");
            assertThat(store.userVersion(StoreFixtures.ISSUER, "bob-sub").orElseThrow())
                    .satisfies(bob -> {
                        assertThat(bob.active()).isTrue();
                        assertThat(bob.version()).isEqualTo(1);
                    });
        }
    }

    /**
     * Version 7 had no table of unmapped groups: V8 adds it empty, and the next login of a user of version 7
     * records the groups of its claim that map to nothing.
     */
    @Test
    void upgradeFromVersion7KeepsTheUsersAndRecordsTheUnmappedGroupsOfTheirNextLogin() throws SQLException {
        StoreSettings settings = schemaAtVersion("7");
        try (Connection c = database.connect(SCHEMA)) {
            execute(
                    c,
                    "INSERT INTO RB_USER (ID, ISSUER, SUBJECT, USERNAME, ACTIVE, CREATED_AT, MEMBERSHIP_VERSION)"
                            + " VALUES (900021, '" + StoreFixtures.ISSUER + "', 'alice-sub', 'alice', TRUE, 0, 0)");
            execute(
                    c,
                    "INSERT INTO RB_AUDIT_EVENT (ID, EVENT_TIME, ACTOR, USER_ID, ISSUER, SUBJECT, ADDED_GROUPS,"
                            + " REMOVED_GROUPS, CREATED_GROUPS, RULES_FIRED) VALUES (900041, 0, 'admin', 900021, '"
                            + StoreFixtures.ISSUER + "', 'alice-sub', 'ops', '', '', '')");
        }

        try (MembershipStore store = MembershipStore.open(settings)) {
            assertThat(store.unmappedGroups(Instant.EPOCH, 10)).isEmpty();
            assertThat(store.auditTrail(new AuditQuery("alice-sub", "ops", null, null, null), 0, 10)
                            .total())
                    .isEqualTo(1);

            store.seed(StoreFixtures.CONFIG);
            LoginIdentity login = StoreFixtures.login("alice-sub", List.of("admin", "strangers"));
            GroupMapper mapper = new GroupMapper(StoreFixtures.CONFIG);
            MembershipStore.SyncRecord record = store.sync(login, s -> mapper.map(login, s.appGroups(), s.user()));

            assertThat(record.userId()).isEqualTo(900021);
            assertThat(store.unmappedGroups(Instant.EPOCH, 10)).singleElement().satisfies(group -> {
                assertThat(group.name()).isEqualTo("strangers");
                assertThat(group.users()).isEqualTo(1);
            });
        }
        assertThat(count("SELECT COUNT(*) FROM RB_UNMAPPED_GROUP WHERE USER_ID = 900021"))
                .isEqualTo(1);
    }

    /**
     * Version 9 had no folded user name: V10 folds the names already stored, so SCIM still ties a pushed user to
     * the user of an earlier login, and the audit trail's user filter still finds its events, by a name in another
     * case.
     */
    @Test
    void upgradeFromVersion9FindsTheUsersOfEarlierLoginsByNameInAnyCase() throws SQLException {
        StoreSettings settings = schemaAtVersion("9");
        try (Connection c = database.connect(SCHEMA)) {
            execute(
                    c,
                    "INSERT INTO RB_USER (ID, ISSUER, SUBJECT, USERNAME, ACTIVE, CREATED_AT, MEMBERSHIP_VERSION)"
                            + " VALUES (900031, '" + StoreFixtures.ISSUER + "', 'erin-sub', 'Erin', TRUE, 0, 0)");
            execute(
                    c,
                    "INSERT INTO RB_AUDIT_EVENT (ID, EVENT_TIME, ACTOR, USER_ID, ISSUER, SUBJECT, ADDED_GROUPS,"
                            + " REMOVED_GROUPS, CREATED_GROUPS, RULES_FIRED) VALUES (900051, 0, 'login', 900031, '"
                            + StoreFixtures.ISSUER + "', 'erin-sub', 'ops', '', '', '')");
        }

        try (MembershipStore store = MembershipStore.open(settings)) {
            assertThat(store.auditTrail(new AuditQuery("eRIN", null, null, null, null), 0, 10)
                            .total())
                    .isEqualTo(1);
            ScimUser created = store.createScimUser(
                    StoreFixtures.ISSUER,
                    UserMatch.USER_NAME,
                    new ScimUser.Write("scim-erin", "ERIN", null, null, true, "{}"));
            assertThat(created.userId()).isEqualTo(900031);
        }
    }

    /** A new schema of its own, created by the migrations up to {@code version}. */
    private StoreSettings schemaAtVersion(String version) throws SQLException {
        StoreSettings settings = database.emptySchema(SCHEMA);
        try (Database previous = Database.of(settings)) {
            Database.Vendor vendor;
            try (Connection connection = previous.dataSource().getConnection()) {
                vendor = Database.Vendor.of(connection.getMetaData().getDatabaseProductName());
            }
            assertThat(StoreUnit.migrate(previous.dataSource(), vendor, previous, version))
                    .isEqualTo(version);
        }
        return settings;
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.executeUpdate();
        }
    }

    /** The rows a version-2 store holds after one login, written as version 2 wrote them. */
    private void fillAsVersion2() throws SQLException {
        try (Connection c = database.connect(SCHEMA)) {
            insert(
                    c,
                    "INSERT INTO RB_ROLE (ID, NAME, ROLE_RANK, ORIGIN) VALUES (?, ?, ?, 'CONFIG')",
                    new Object[] {900001L, "admin", 0},
                    new Object[] {900002L, "builder", 1},
                    new Object[] {900003L, "end-user", 2});
            insert(
                    c,
                    "INSERT INTO RB_GROUP (ID, NAME, ORIGIN, CREATED_AT) VALUES (?, ?, ?, ?)",
                    new Object[] {900011L, "admin", "CONFIG", THEN},
                    new Object[] {900012L, "builder", "CONFIG", THEN},
                    new Object[] {900013L, "end-users", "CONFIG", THEN},
                    new Object[] {900014L, "all apps", "ADMIN", THEN});
            insert(
                    c,
                    "INSERT INTO RB_GROUP_ROLE (GROUP_ID, ROLE_ID, ORIGIN) VALUES (?, ?, ?)",
                    new Object[] {900011L, 900001L, "CONFIG"},
                    new Object[] {900012L, 900002L, "CONFIG"},
                    new Object[] {900013L, 900003L, "CONFIG"},
                    new Object[] {900014L, 900002L, "ADMIN"});
            insert(
                    c,
                    "INSERT INTO RB_USER (ID, ISSUER, SUBJECT, USERNAME, EMAIL, PRIMARY_ROLE, ACTIVE, CREATED_AT,"
                            + " LAST_LOGIN) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    new Object[] {
                        900021L,
                        StoreFixtures.ISSUER,
                        "alice-sub",
                        "alice",
                        "alice@example.com",
                        "admin",
                        true,
                        THEN,
                        THEN
                    });
            insert(
                    c,
                    "INSERT INTO RB_MEMBERSHIP (USER_ID, GROUP_ID, SOURCE, CREATED_AT) VALUES (?, ?, ?, ?)",
                    new Object[] {900021L, 900011L, "OIDC", THEN},
                    new Object[] {900021L, 900014L, "MANUAL", THEN});
            insert(
                    c,
                    "INSERT INTO RB_MAPPING_RULE (ID, KIND, RULE_TEXT, TARGET_GROUP, SYNC_MODE, ORIGIN, RULE_POSITION)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    new Object[] {900031L, "GROUP_MAPPING", "engineers = all apps", "all apps", null, "ADMIN", 0});
            insert(
                    c,
                    "INSERT INTO RB_AUDIT_EVENT (ID, EVENT_TIME, ACTOR, USER_ID, ISSUER, SUBJECT, ADDED_GROUPS,"
                            + " REMOVED_GROUPS, CREATED_GROUPS, ROLE_BEFORE, ROLE_AFTER, RULES_FIRED)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    new Object[] {
                        900041L,
                        THEN,
                        "login",
                        900021L,
                        StoreFixtures.ISSUER,
                        "alice-sub",
                        "admin",
                        "",
                        "",
                        null,
                        "admin",
                        "fired: by name: IdP group 'admin' -> app group 'admin'"
                    });
            insert(
                    c,
                    "INSERT INTO RB_LOGOUT_EVENT (ID, ISSUER, SUBJECT, SID, JTI, LOGGED_OUT_AT) VALUES (?, ?, ?, ?, ?, ?)",
                    new Object[] {900051L, StoreFixtures.ISSUER, "alice-sub", null, "jti-1", THEN});
        }
    }

    private static void insert(Connection connection, String sql, Object[]... rows) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (Object[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    statement.setObject(i + 1, row[i]);
                }
                statement.executeUpdate();
            }
        }
    }

    private long count(String sql) throws SQLException {
        try (Connection c = database.connect(SCHEMA);
                PreparedStatement statement = c.prepareStatement(sql);
                ResultSet result = statement.executeQuery()) {
            result.next();
            return result.getLong(1);
        }
    }
}
