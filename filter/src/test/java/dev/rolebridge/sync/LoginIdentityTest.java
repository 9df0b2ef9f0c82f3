package dev.rolebridge.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rolebridge.internal.sync.GroupsExtractor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoginIdentityTest {

    private static LoginIdentity login(Map<String, Object> claims) {
        return LoginIdentity.builder("https://idp.example.com", "sub-1", "alice")
                .groups(new GroupsExtractor(List.of("groups")).extract(claims, Map.of()))
                .claims(claims)
                .build();
    }

    @Test
    void claimWithJsonNullValueIsKeptAsNull() {
        Map<String, Object> claims = new HashMap<>();
        claims.put("sub", "sub-1");
        claims.put("middle_name", null);

        LoginIdentity login = login(claims);

        assertThat(login.claims()).containsEntry("middle_name", null).containsEntry("sub", "sub-1");
    }

    @Test
    void nestedClaimMapsAndArraysAreUnmodifiable() {
        Map<String, Object> realm = new HashMap<>();
        realm.put("roles", new ArrayList<>(List.of("admin")));
        Map<String, Object> claims = new HashMap<>();
        claims.put("realm_access", realm);

        LoginIdentity login = login(claims);
        @SuppressWarnings("unchecked")
        Map<String, Object> nested = (Map<String, Object>) login.claims().get("realm_access");
        @SuppressWarnings("unchecked")
        List<Object> roles = (List<Object>) nested.get("roles");

        assertThatThrownBy(() -> login.claims().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> nested.put("roles", List.of())).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> roles.add("builder")).isInstanceOf(UnsupportedOperationException.class);
        realm.put("roles", List.of("changed-by-caller"));
        assertThat(roles).containsExactly("admin");
    }
}
