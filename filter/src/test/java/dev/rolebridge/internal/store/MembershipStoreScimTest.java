package dev.rolebridge.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rolebridge.internal.config.ScimSettings.UserMatch;
import dev.rolebridge.sync.LoginIdentity;
import dev.rolebridge.sync.MembershipSyncException;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The users a SCIM client provisions, and the logins that sign in as them, on every selected database. */
class MembershipStoreScimTest extends StoreTestBase {

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
        assertThat(store.deleteScimUser(created.id())).isTrue();
        assertThatThrownBy(() -> sync(login)).isInstanceOf(MembershipSyncException.class);
        assertThat(store.scimUser(created.id())).isEmpty();
    }

    @Test
    void aDeletedUserWhoNeverSignedInIsRemoved() {
        ScimUser created =
                store.createScimUser(StoreFixtures.ISSUER, UserMatch.USER_NAME, write(name("never"), null, true));

        assertThat(store.deleteScimUser(created.id())).isTrue();

        assertThat(database.count("SELECT COUNT(*) FROM RB_USER WHERE ID = ?", created.userId()))
                .isZero();
        assertThat(store.deleteScimUser(created.id())).isFalse();
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
}
