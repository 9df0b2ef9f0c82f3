package dev.rolebridge.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rolebridge.internal.config.ScimSettings.UserMatch;
import dev.rolebridge.internal.mapping.GroupMapper;
import dev.rolebridge.internal.mapping.MappingConfig;
import dev.rolebridge.sync.LoginIdentity;
import dev.rolebridge.sync.MembershipSyncException;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The users a SCIM client provisions, and the logins that sign in as them, on every selected database. */
class MembershipStoreScimTest extends StoreTestBase {

    private static final GroupMapper MAPPER = new GroupMapper(StoreFixtures.CONFIG);

    private ScimUser.Write write(String userName, String externalId, boolean active) {
        return new ScimUser.Write(
                UUID.randomUUID().toString(),
                userName,
                externalId,
                null,
                active,
                "{\"userName\":\"" + userName + "\"}");
    }

    @Test
    void firstLoginAfterScimCreatedTheUserByUserNameSignsInAsThatUser() {
        LoginIdentity login = login("carol", List.of());
        ScimUser created = store.createScimUser(
                StoreFixtures.ISSUER,
                UserMatch.USER_NAME,
                write(login.username().toUpperCase(java.util.Locale.ROOT), null, true));

        MembershipStore.SyncRecord stored = sync(login);

        assertThat(stored.userId()).isEqualTo(created.userId());
        assertThat(user(login).id()).isEqualTo(created.userId());
        assertThat(database.count("SELECT COUNT(*) FROM RB_USER WHERE ID = ?", created.userId()))
                .isEqualTo(1);
    }

    @Test
    void firstLoginAfterScimCreatedTheUserByExternalIdSignsInAsThatUser() {
        LoginIdentity login = login("erin", List.of());
        ScimUser created = store.createScimUser(
                StoreFixtures.ISSUER, UserMatch.EXTERNAL_ID, write(name("erin-scim"), login.subject(), true));

        assertThat(sync(login).userId()).isEqualTo(created.userId());
    }

    @Test
    void aFirstLoginFromAnotherIssuerDoesNotClaimTheScimUserOfTheSameNameAndTheIssuersOwnLoginDoes() {
        LoginIdentity login = login("fiona", List.of());
        ScimUser created =
                store.createScimUser(StoreFixtures.ISSUER, UserMatch.USER_NAME, write(login.username(), null, true));
        LoginIdentity elsewhere = LoginIdentity.builder(
                        "https://other-idp.example.com", login.subject(), login.username())
                .groups(dev.rolebridge.sync.ClaimGroups.of(List.of()))
                .build();

        long otherUser = sync(elsewhere).userId();
        long ownUser = sync(login).userId();

        assertThat(otherUser).isNotEqualTo(created.userId());
        assertThat(ownUser).isEqualTo(created.userId());
    }

    @Test
    void aFirstLoginLooksForAwaitingScimUsersByLoginKeyAloneWithoutReadingOtherUsers() {
        RecordingDataSource recorder = new RecordingDataSource();
        try (MembershipStore counted = MembershipStore.open(database.settings(), recorder::wrap)) {
            recorder.reset();
            StoreFixtures.sync(counted, StoreFixtures.CONFIG, login("gary", List.of()));

            // joined with RB_USER on the issuer, PostgreSQL's cached plan walked every user of the issuer
            assertThat(recorder.sql())
                    .filteredOn(sql -> sql.toUpperCase(java.util.Locale.ROOT).contains("FROM RB_SCIM_USER"))
                    .singleElement()
                    .satisfies(sql -> assertThat(sql.toUpperCase(java.util.Locale.ROOT))
                            .doesNotContain("RB_USER ")
                            .doesNotContain("RB_USER,")
                            .contains("LOGIN_KEY"));
        }
    }

    @Test
    void aScimUserForAPersonWhoSignedInBeforeIsThatPersonsUser() {
        LoginIdentity login = login("dave", List.of());
        long userId = sync(login).userId();

        ScimUser created =
                store.createScimUser(StoreFixtures.ISSUER, UserMatch.USER_NAME, write(login.username(), null, true));

        assertThat(created.userId()).isEqualTo(userId);
    }

    @Test
    void aDeactivatedOrDeletedUsersLoginIsRefusedUntilActiveAgain() {
        LoginIdentity login = login("frank", List.of());
        sync(login);
        ScimUser.Write active = write(login.username(), null, true);
        ScimUser created = store.createScimUser(StoreFixtures.ISSUER, UserMatch.USER_NAME, active);

        store.replaceScimUser(
                UserMatch.USER_NAME,
                new ScimUser.Write(created.id(), active.userName(), null, null, false, active.resource()));
        assertThatThrownBy(() -> sync(login))
                .isInstanceOf(MembershipSyncException.class)
                .hasMessageContaining("deactivated");
        assertThat(user(login).active()).isFalse();

        store.replaceScimUser(UserMatch.USER_NAME, active.withId(created.id()));
        sync(login);
        assertThat(store.deleteScimUser(created.id(), MAPPER)).isTrue();
        assertThatThrownBy(() -> sync(login)).isInstanceOf(MembershipSyncException.class);
        assertThat(store.scimUser(created.id())).isEmpty();
    }

    @Test
    void aDeletedUserWhoNeverSignedInIsRemoved() {
        ScimUser created =
                store.createScimUser(StoreFixtures.ISSUER, UserMatch.USER_NAME, write(name("never"), null, true));

        assertThat(store.deleteScimUser(created.id(), MAPPER)).isTrue();

        assertThat(database.count("SELECT COUNT(*) FROM RB_USER WHERE ID = ?", created.userId()))
                .isZero();
        assertThat(store.deleteScimUser(created.id(), MAPPER)).isFalse();
    }

    @Test
    void aUserNameTakenInAnyCaseIsAConflict() {
        String userName = name("Taken");
        store.createScimUser(StoreFixtures.ISSUER, UserMatch.USER_NAME, write(userName, null, true));

        assertThatThrownBy(() -> store.createScimUser(
                        StoreFixtures.ISSUER,
                        UserMatch.USER_NAME,
                        write(userName.toLowerCase(java.util.Locale.ROOT), null, true)))
                .isInstanceOf(ScimUser.ConflictException.class);
        assertThat(store.scimUsers())
                .filteredOn(u -> u.resource().contains(userName))
                .hasSize(1);
    }

    // --- pushed groups

    /** A mapper that maps this test's provider group {@code Admins} onto the app group {@code admin}. */
    private GroupMapper adminsMapper() {
        return new GroupMapper(MappingConfig.parse(java.util.Map.of("groupMappings", name("Admins") + " = admin")));
    }

    private ScimGroup.Write group(String id, String displayName, String... members) {
        return new ScimGroup.Write(id, displayName, null, "{\"displayName\":\"x\"}", List.of(members));
    }

    @Test
    void aPushedGroupGivesItsMembersScimMembershipsThatALoginKeeps() {
        GroupMapper mapper = adminsMapper();
        LoginIdentity login = login("gina", List.of("builder"));
        sync(login);
        ScimUser gina =
                store.createScimUser(StoreFixtures.ISSUER, UserMatch.USER_NAME, write(login.username(), null, true));

        ScimGroup created =
                store.createScimGroup(group(UUID.randomUUID().toString(), name("Admins"), gina.id()), mapper);

        assertThat(created.members()).containsExactly(new ScimGroup.Member(gina.id(), login.username()));
        assertThat(user(login).memberships())
                .containsExactlyInAnyOrder(
                        new StoredUser.Membership("admin", MembershipSource.SCIM),
                        new StoredUser.Membership("builder", MembershipSource.OIDC));
        assertThat(user(login).primaryRole()).isEqualTo("admin");
        assertThat(store.auditEvents(login.issuer(), login.subject())).last().satisfies(event -> {
            assertThat(event.actor()).isEqualTo(MembershipStore.ACTOR_SCIM);
            assertThat(event.added()).containsExactly("admin");
            assertThat(event.roleAfter()).isEqualTo("admin");
        });

        // a login with other groups, then one with none, takes only the login's own memberships
        sync(StoreFixtures.login(login.subject(), List.of("end-users")));
        assertThat(user(login).memberships())
                .containsExactlyInAnyOrder(
                        new StoredUser.Membership("admin", MembershipSource.SCIM),
                        new StoredUser.Membership("end-users", MembershipSource.OIDC));
        sync(StoreFixtures.login(login.subject(), List.of()));
        assertThat(user(login).memberships())
                .containsExactly(new StoredUser.Membership("admin", MembershipSource.SCIM));
    }

    @Test
    void replacingAGroupChangesOnlyTheMembersItTouchesAndOnlyTheirScimMemberships() {
        GroupMapper mapper = adminsMapper();
        LoginIdentity hank = login("hank", List.of("admin"));
        LoginIdentity ivy = login("ivy", List.of());
        sync(hank);
        sync(ivy);
        ScimUser scimHank =
                store.createScimUser(StoreFixtures.ISSUER, UserMatch.USER_NAME, write(hank.username(), null, true));
        ScimUser scimIvy =
                store.createScimUser(StoreFixtures.ISSUER, UserMatch.USER_NAME, write(ivy.username(), null, true));
        String id = UUID.randomUUID().toString();
        store.createScimGroup(group(id, name("Admins"), scimHank.id()), mapper);
        long ivyVersion =
                store.userVersion(ivy.issuer(), ivy.subject()).orElseThrow().version();

        store.replaceScimGroup(group(id, name("Admins"), scimIvy.id()), mapper);

        assertThat(user(hank).memberships()).containsExactly(new StoredUser.Membership("admin", MembershipSource.OIDC));
        assertThat(user(ivy).memberships()).contains(new StoredUser.Membership("admin", MembershipSource.SCIM));
        assertThat(store.userVersion(ivy.issuer(), ivy.subject()).orElseThrow().version())
                .isGreaterThan(ivyVersion);

        // a rename to a name that maps nowhere takes the membership away; deleting the group changes nothing more
        store.replaceScimGroup(group(id, name("Nobody"), scimIvy.id()), mapper);
        assertThat(user(ivy).memberships()).doesNotContain(new StoredUser.Membership("admin", MembershipSource.SCIM));
        assertThat(store.deleteScimGroup(id, mapper)).isTrue();
        assertThat(store.scimGroup(id, true)).isEmpty();
        assertThat(store.deleteScimGroup(id, mapper)).isFalse();
    }

    @Test
    void aGroupWithAnUnknownMemberOrATakenNameStoresNothing() {
        GroupMapper mapper = adminsMapper();
        ScimUser user = store.createScimUser(StoreFixtures.ISSUER, UserMatch.USER_NAME, write(name("jo"), null, true));
        String id = UUID.randomUUID().toString();

        assertThatThrownBy(() -> store.createScimGroup(group(id, name("Admins"), user.id(), "no-such-user"), mapper))
                .isInstanceOf(ScimUser.InvalidValueException.class);
        assertThat(store.scimGroup(id, true)).isEmpty();
        assertThat(database.count(
                        "SELECT COUNT(*) FROM RB_MEMBERSHIP WHERE USER_ID = ? AND SOURCE = 'SCIM'", user.userId()))
                .isZero();

        store.createScimGroup(group(id, name("Admins"), user.id()), mapper);
        assertThatThrownBy(() ->
                        store.createScimGroup(group(UUID.randomUUID().toString(), name("ADMINS"), user.id()), mapper))
                .isInstanceOf(ScimUser.ConflictException.class);
        assertThat(store.scimGroups(ScimLookup.NAME, name("admins"), false))
                .extracting(ScimGroup::id)
                .containsExactly(id);
    }

    @Test
    void aDeletedMemberLosesTheScimMembershipsOfTheGroupsTheyWereIn() {
        GroupMapper mapper = adminsMapper();
        LoginIdentity kim = login("kim", List.of());
        sync(kim);
        ScimUser scimKim =
                store.createScimUser(StoreFixtures.ISSUER, UserMatch.USER_NAME, write(kim.username(), null, true));
        String id = UUID.randomUUID().toString();
        store.createScimGroup(group(id, name("Admins"), scimKim.id()), mapper);
        assertThat(user(kim).memberships()).contains(new StoredUser.Membership("admin", MembershipSource.SCIM));

        assertThat(store.deleteScimUser(scimKim.id(), mapper)).isTrue();

        assertThat(user(kim).memberships()).doesNotContain(new StoredUser.Membership("admin", MembershipSource.SCIM));
        assertThat(user(kim).active()).isFalse();
        assertThat(store.scimGroup(id, true).orElseThrow().members()).isEmpty();
    }
}
