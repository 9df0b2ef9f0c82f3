package dev.rolebridge.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.rolebridge.internal.mapping.AppGroup;
import dev.rolebridge.internal.mapping.GroupMapper;
import dev.rolebridge.internal.mapping.MappingConfig;
import dev.rolebridge.internal.mapping.SyncMode;
import dev.rolebridge.sync.LoginIdentity;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Seeding writes the configuration at start without ever undoing what an administrator did. */
class MembershipStoreSeedTest extends StoreTestBase {

    private MappingConfig config() {
        return MappingConfig.builder()
                .rolePriority(name("owner"), name("editor"), name("viewer"))
                .defaultGroup(name("viewers"))
                .groupRole(name("all apps"), name("editor"))
                .groupRole(name("reports"), name("editor"))
                .groupMapping(name("engineers"), name("all apps"), name("ops"))
                .claimRule("department~eng.* -> " + name("engineers") + " [ADD_ONLY]")
                .hardcodedGroups(name("everyone"))
                .build();
    }

    @Test
    void seedWritesRolesRoleGroupsTheDefaultGroupGrantsAndRules() {
        store.seed(config());

        assertThat(rows("SELECT NAME, ROLE_RANK, ORIGIN FROM RB_ROLE WHERE NAME LIKE ? ORDER BY ROLE_RANK"))
                .containsExactly(
                        name("owner") + "|0|CONFIG", name("editor") + "|1|CONFIG", name("viewer") + "|2|CONFIG");
        assertThat(grants())
                .containsExactlyInAnyOrder(
                        name("owner") + "|" + name("owner") + "|CONFIG",
                        name("editor") + "|" + name("editor") + "|CONFIG",
                        name("viewers") + "|" + name("viewer") + "|CONFIG",
                        name("all apps") + "|" + name("editor") + "|CONFIG",
                        name("reports") + "|" + name("editor") + "|CONFIG");
        assertThat(store.mappingRules())
                .filteredOn(rule -> rule.origin() == Origin.CONFIG)
                .containsExactly(
                        new MappingRule(
                                MappingRule.Kind.GROUP_MAPPING,
                                name("engineers") + " = " + name("all apps"),
                                name("all apps"),
                                null,
                                Origin.CONFIG),
                        new MappingRule(
                                MappingRule.Kind.GROUP_MAPPING,
                                name("engineers") + " = " + name("ops"),
                                name("ops"),
                                null,
                                Origin.CONFIG),
                        new MappingRule(
                                MappingRule.Kind.CLAIM_RULE,
                                "department~eng.* -> " + name("engineers") + " [ADD_ONLY]",
                                name("engineers"),
                                SyncMode.ADD_ONLY,
                                Origin.CONFIG),
                        new MappingRule(
                                MappingRule.Kind.HARDCODED_GROUP,
                                name("everyone"),
                                name("everyone"),
                                null,
                                Origin.CONFIG),
                        new MappingRule(
                                MappingRule.Kind.DEFAULT_GROUP, name("viewers"), name("viewers"), null, Origin.CONFIG));
        assertThat(appGroups())
                .contains(
                        AppGroup.granting(name("all apps"), name("editor")),
                        AppGroup.granting(name("viewers"), name("viewer")));
    }

    @Test
    void seedTwiceChangesNothing() {
        store.seed(config());
        List<String> before = everything();

        store.seed(config());

        assertThat(everything()).isEqualTo(before);
    }

    @Test
    void seedKeepsGrantsRolesAndRulesAnAdministratorChanged() {
        store.seed(config());
        store.createGroup(name("all apps"), name("owner")); // through the API
        database.execute(
                "UPDATE RB_GROUP_ROLE SET ROLE_ID = (SELECT ID FROM RB_ROLE WHERE NAME = ?)"
                        + " WHERE GROUP_ID = (SELECT ID FROM RB_GROUP WHERE NAME = ?)",
                name("viewer"),
                name("reports")); // by hand
        database.execute(
                "INSERT INTO RB_ROLE (ID, NAME, ROLE_RANK, ORIGIN) VALUES (?, ?, 7, 'ADMIN')",
                uniqueId(),
                name("auditor"));
        database.execute(
                "INSERT INTO RB_MAPPING_RULE (ID, KIND, RULE_TEXT, TARGET_GROUP, SYNC_MODE, ORIGIN, RULE_POSITION)"
                        + " VALUES (?, 'GROUP_MAPPING', ?, ?, NULL, 'ADMIN', ?)",
                uniqueId(),
                "contractors = " + name("ops"),
                name("ops"),
                (int) (uniqueId() % 1_000_000_000L));

        store.seed(MappingConfig.builder()
                .rolePriority(name("owner"), name("editor"), name("auditor"), name("viewer"))
                .defaultGroup(name("viewers"))
                .groupRole(name("all apps"), name("editor"))
                .groupRole(name("reports"), name("editor"))
                .build());

        assertThat(grants())
                .contains(
                        name("all apps") + "|" + name("owner") + "|ADMIN",
                        name("reports") + "|" + name("viewer") + "|CONFIG");
        assertThat(rows("SELECT NAME, ROLE_RANK, ORIGIN FROM RB_ROLE WHERE NAME LIKE ? ORDER BY NAME"))
                .containsExactly(
                        name("auditor") + "|7|ADMIN",
                        name("editor") + "|1|CONFIG",
                        name("owner") + "|0|CONFIG",
                        name("viewer") + "|3|CONFIG");
        assertThat(store.mappingRules())
                .extracting(MappingRule::text, MappingRule::origin)
                .contains(tuple("contractors = " + name("ops"), Origin.ADMIN))
                .doesNotContain(tuple(name("everyone"), Origin.CONFIG));
        assertThat(appGroups())
                .contains(
                        AppGroup.granting(name("all apps"), name("owner")),
                        AppGroup.granting(name("reports"), name("viewer")));
    }

    @Test
    void seedWritesRuleTextThatReadsBackAsTheSameRule() {
        String awkward = name("a=b, c; d\\e #f");
        MappingConfig config =
                MappingConfig.builder().groupMapping(awkward, awkward).build();

        store.seed(config);

        String text = store.mappingRules().stream()
                .filter(rule -> rule.targetGroup().equals(awkward))
                .findFirst()
                .orElseThrow()
                .text();
        MappingConfig reparsed = MappingConfig.parse(Map.of("groupMappings", text));
        assertThat(reparsed.groupMappings()).containsEntry(awkward, List.of(awkward));
    }

    /** The app groups as a login sees them. */
    private List<AppGroup> appGroups() {
        AtomicReference<List<AppGroup>> seen = new AtomicReference<>();
        LoginIdentity login = login("seed-reader", List.of());
        GroupMapper mapper = new GroupMapper(StoreFixtures.CONFIG);
        store.sync(login, snapshot -> {
            seen.set(snapshot.appGroups());
            return mapper.map(login, snapshot.appGroups(), snapshot.user());
        });
        return seen.get();
    }

    private List<String> grants() {
        return rows("SELECT g.NAME, r.NAME, gr.ORIGIN FROM RB_GROUP_ROLE gr JOIN RB_GROUP g ON g.ID = gr.GROUP_ID"
                + " JOIN RB_ROLE r ON r.ID = gr.ROLE_ID WHERE g.NAME LIKE ?");
    }

    /** Every row this test's names appear in, and every configured rule, with ids. */
    private List<String> everything() {
        List<String> all = new ArrayList<>();
        all.addAll(rows("SELECT ID, NAME, ROLE_RANK, ORIGIN FROM RB_ROLE WHERE NAME LIKE ? ORDER BY ID"));
        all.addAll(rows("SELECT ID, NAME, ORIGIN, CREATED_AT FROM RB_GROUP WHERE NAME LIKE ? ORDER BY ID"));
        all.addAll(rows("SELECT gr.GROUP_ID, gr.ROLE_ID, gr.ORIGIN FROM RB_GROUP_ROLE gr JOIN RB_GROUP g"
                + " ON g.ID = gr.GROUP_ID WHERE g.NAME LIKE ? ORDER BY gr.GROUP_ID"));
        all.addAll(rows("SELECT ID, KIND, RULE_TEXT, TARGET_GROUP, SYNC_MODE, RULE_POSITION FROM RB_MAPPING_RULE"
                + " WHERE ORIGIN = 'CONFIG' AND TARGET_GROUP LIKE ? ORDER BY ID"));
        return all;
    }

    private long uniqueId() {
        return 9_000_000_000L + System.nanoTime() % 1_000_000_000L;
    }

    /** The rows of a query whose one parameter is this test's name prefix followed by {@code %}, as {@code a|b|c}. */
    private List<String> rows(String sql) {
        List<String> rows = new ArrayList<>();
        try (Connection connection = database.connect();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, name("%"));
            try (ResultSet result = statement.executeQuery()) {
                int columns = result.getMetaData().getColumnCount();
                while (result.next()) {
                    List<String> values = new ArrayList<>();
                    for (int i = 1; i <= columns; i++) {
                        values.add(String.valueOf(result.getObject(i)));
                    }
                    rows.add(String.join("|", values));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }
}
