package dev.rolebridge.sample.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;

/**
 * The embedded OpenID provider of the run command and of the tests: mock-oauth2-server with the demo login page
 * ({@code demo-login.html}), plus a directory of users and their groups that tests may change, as an
 * administrator would at a real provider. Its issuer is {@code http://localhost:PORT/default}.
 */
public final class DemoProvider implements AutoCloseable {

    /** The client the sample registers as; the demo provider accepts any client id and secret. */
    public static final String CLIENT_ID = "expense-tracker";

    public static final String CLIENT_SECRET = "sample-secret";

    /** The demo users of the login page and their groups. */
    public static final Map<String, List<String>> DEMO_USERS = Map.of(
            "alice",
            List.of("admin"),
            "bob",
            List.of("engineers"),
            "carol",
            List.of(),
            "erin",
            List.of("approver", "auditor"),
            "carl",
            List.of("contractors"));

    private final MockOAuth2Server server;
    private final Map<String, List<String>> directory = new ConcurrentHashMap<>(DEMO_USERS);

    private DemoProvider(MockOAuth2Server server) {
        this.server = server;
    }

    /** Starts the provider on {@code localhost:port}. */
    public static DemoProvider start(int port) {
        try {
            Path loginPage = Files.createTempFile("rolebridge-demo-login", ".html");
            loginPage.toFile().deleteOnExit();
            try (InputStream in = DemoProvider.class.getResourceAsStream("/demo-login.html")) {
                Files.copy(in, loginPage, StandardCopyOption.REPLACE_EXISTING);
            }
            String json = "{\"interactiveLogin\":true,\"loginPagePath\":\""
                    + loginPage.toString().replace("\\", "/") + "\"}";
            MockOAuth2Server server = new MockOAuth2Server(OAuth2Config.Companion.fromJson(json));
            server.start(port);
            return new DemoProvider(server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String discoveryUri() {
        return server.wellKnownUrl("default").toString();
    }

    public String issuer() {
        return server.issuerUrl("default").toString();
    }

    /** Changes a user's groups at the provider; the application sees them at the user's next sign-in. */
    public void setGroups(String user, List<String> groups) {
        directory.put(user, List.copyOf(groups));
    }

    public List<String> groupsOf(String user) {
        return directory.getOrDefault(user, List.of());
    }

    /** The claims the login form posts for {@code user}: name, e-mail and the groups the directory holds. */
    public String claimsOf(String user) {
        String groups = groupsOf(user).stream().map(DemoProvider::json).collect(Collectors.joining(",", "[", "]"));
        return "{\"preferred_username\":" + json(user) + ",\"email\":" + json(user + "@example.com") + ",\"groups\":"
                + groups + "}";
    }

    private static String json(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Override
    public void close() {
        server.shutdown();
    }
}
