package dev.rolebridge.internal.store;

import static dev.rolebridge.internal.store.MembershipSource.MANUAL;
import static dev.rolebridge.internal.store.MembershipSource.OIDC;
import static dev.rolebridge.internal.store.MembershipSource.SCIM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rolebridge.internal.mapping.AppGroup;
import dev.rolebridge.sync.LoginIdentity;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The per-user membership version that signed-in sessions compare: every change of a user's memberships (any
 * source), primary role or active flag adds one to it in the change's transaction, and nothing else does; a
 * deactivated user's logins are refused.
 */
class MembershipStoreVersionTest extends StoreTestBase {

    private long version(LoginIdentity login) {
        return store.userVersion(login.issuer(), login.subject()).orElseThrow().version();
    }

    @Test
    void theSyncRecordCarriesTheVersionTheStoreHoldsAfterTheLogin() {
        LoginIdentity login = login("uma", List.of("admin"));

        MembershipStore.SyncRecord record = sync(login);

        assertThat(record.membershipVersion()).isEqualTo(version(login)).isEqualTo(1);
        MembershipStore.UserVersion stored =
                store.userVersion(login.issuer(), login.subject()).orElseThrow();
        assertThat(stored.active()).isTrue();
        assertThat(stored.primaryRole()).isEqualTo("admin");
        assertThat(store.userVersion(login.issuer(), name("nobody"))).isEmpty();
    }

    @Test
    void aLoginThatChangesNothingLeavesTheVersionAlone() {
        LoginIdentity login = login("vic", List.of("admin"));
        sync(login);
        long before = version(login);

        MembershipStore.SyncRecord again = sync(login);

        assertThat(again.outcome().changed()).isFalse();
        assertThat(version(login)).isEqualTo(before).isEqualTo(again.membershipVersion());
    }

    @Test
    void everyLoginThatChangesGroupsOrTheRoleAddsOne() {
        LoginIdentity asAdmin = login("wes", List.of("admin"));
        sync(asAdmin);
        long before = version(asAdmin);

        sync(login("wes", List.of())); // leaves admin, joins end-users, role admin -> end-user

        assertThat(version(asAdmin)).isEqualTo(before + 1);
        sync(asAdmin);
        assertThat(version(asAdmin)).isEqualTo(before + 2);
    }

    @Test
    void anAdministratorsChangeOfAnySourceAddsOneAndARepeatedChangeDoesNot() {
        LoginIdentity login = login("xia", List.of());
        sync(login);
        long before = version(login);

        store.changeMemberships(login.issuer(), login.subject(), MANUAL, "admin", List.of("builder"), List.of());
        store.changeMemberships(login.issuer(), login.subject(), MANUAL, "admin", List.of("builder"), List.of());
        assertThat(version(login)).as("the repeated change was a no-op").isEqualTo(before + 1);

        store.changeMemberships(login.issuer(), login.subject(), SCIM, "scim", List.of("admin"), List.of());
        store.changeMemberships(login.issuer(), login.subject(), OIDC, "admin", List.of(), List.of("end-users"));
        store.changeMemberships(login.issuer(), login.subject(), OIDC, "admin", List.of(), List.of("end-users"));
        assertThat(version(login)).isEqualTo(before + 3);

        store.changeMemberships(login.issuer(), login.subject(), MANUAL, "admin", List.of(), List.of());
        assertThat(version(login)).as("an empty change").isEqualTo(before + 3);
    }

    @Test
    void deactivationAddsOneIsAuditedAndRefusesEveryLoginUntilReactivation() {
        LoginIdentity login = login("yan", List.of("admin"));
        sync(login);
        long before = version(login);
        StoredUser beforeDeactivation = user(login);

        store.setActive(login.issuer(), login.subject(), false, "scim");
        store.setActive(login.issuer(), login.subject(), false, "scim");

        MembershipStore.UserVersion deactivated =
                store.userVersion(login.issuer(), login.subject()).orElseThrow();
        assertThat(deactivated.active()).isFalse();
        assertThat(deactivated.version())
                .as("the repeated deactivation was a no-op")
                .isEqualTo(before + 1);
        List<AuditEvent> events = store.auditEvents(login.issuer(), login.subject());
        assertThat(events).hasSize(2);
        assertThat(events.get(0).activeAfter()).isNull();
        assertThat(events.get(1).actor()).isEqualTo("scim");
        assertThat(events.get(1).activeAfter()).isFalse();
        assertThat(events.get(1).added()).isEmpty();
        assertThat(events.get(1).removed()).isEmpty();

        assertThatThrownBy(() -> sync(login("yan", List.of("builder"))))
                .isInstanceOf(UserDeactivatedException.class)
                .hasMessageContaining("deactivated");
        StoredUser refused = user(login);
        assertThat(refused.memberships()).isEqualTo(beforeDeactivation.memberships());
        assertThat(refused.lastLogin()).isEqualTo(beforeDeactivation.lastLogin());
        assertThat(version(login)).isEqualTo(before + 1);

        store.setActive(login.issuer(), login.subject(), true, "admin");
        assertThat(version(login)).isEqualTo(before + 2);
        assertThat(store.auditEvents(login.issuer(), login.subject()).get(2).activeAfter())
                .isTrue();
        assertThat(sync(login).outcome().primaryRole()).isEqualTo("admin");
    }

    @Test
    void deactivatingAUserWhoNeverLoggedInFails() {
        assertThatThrownBy(() -> store.setActive(StoreFixtures.ISSUER, name("ghost"), false, "scim"))
                .isInstanceOf(MembershipStoreException.class)
                .hasMessageContaining("No user");
    }

    @Test
    void groupsOfListsEveryGroupOfEverySourceWithItsStoredGrantsInNameOrder() {
        String ops = name("ops");
        store.createGroupGranting(ops, List.of("builder"));
        LoginIdentity login = login("zed", List.of("admin"));
        sync(login);
        store.changeMemberships(login.issuer(), login.subject(), MANUAL, "admin", List.of(ops, "admin"), List.of());

        List<AppGroup> groups = store.groupsOf(
                store.userVersion(login.issuer(), login.subject()).orElseThrow());

        assertThat(groups).containsExactly(AppGroup.granting("admin", "admin"), AppGroup.granting(ops, "builder"));
    }

    @Test
    void listenersHearOfEveryCommittedChangeOnceAndOfNoNoOp() {
        List<String> heard = new ArrayList<>();
        LoginIdentity login = login("abe", List.of());
        store.addChangeListener((issuer, subject, active) -> {
            if (subject.equals(login.subject())) {
                heard.add(issuer + " " + active);
            }
        });

        sync(login);
        sync(login);
        store.changeMemberships(login.issuer(), login.subject(), MANUAL, "admin", List.of("builder"), List.of());
        store.setActive(login.issuer(), login.subject(), false, "scim");
        store.setActive(login.issuer(), login.subject(), false, "scim");

        assertThat(heard)
                .containsExactly(login.issuer() + " true", login.issuer() + " true", login.issuer() + " false");
    }

    @Test
    void aChangeOfAGroupsGrantsAddsOneForEveryMemberAndNoOneElse() {
        String ops = name("ops");
        store.createGroup(ops, null);
        LoginIdentity member = login("bea", List.of(ops));
        LoginIdentity other = login("cal", List.of());
        sync(member);
        sync(other);
        long memberBefore = version(member);
        long otherBefore = version(other);

        store.createGroupGranting(ops, List.of("builder"));
        store.createGroupGranting(ops, List.of("builder"));

        assertThat(version(member)).as("one change of the grants").isEqualTo(memberBefore + 1);
        assertThat(version(other)).isEqualTo(otherBefore);
    }
}
