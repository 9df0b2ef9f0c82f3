package dev.rolebridge.sample.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.CookieStore;
import java.net.HttpCookie;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.jsoup.Connection;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * A person with a browser, as far as the authorization-code flow goes: follows redirects across the
 * application and the provider, keeps each site's cookies, and submits the provider's login form.
 *
 * <p>Like a browser on {@code localhost}, it keeps cookies marked {@code Secure} for plain-http loopback sites:
 * browsers treat {@code http://localhost} as a secure context, and Keycloak marks its login cookies
 * {@code Secure; SameSite=None} even over http. Java's {@link CookieManager} would never send them back, and
 * Keycloak's login form would then fail with "Cookie not found".
 */
public final class WebUser {

    private final Connection session = Jsoup.newSession()
            .ignoreHttpErrors(true)
            .followRedirects(true)
            .timeout(60_000)
            .cookieStore(new LoopbackCookieStore());

    /** Fetches a page, following redirects. */
    public Connection.Response get(String url) {
        return execute(session.newRequest(url));
    }

    /** Fetches and parses a page, following redirects. */
    public Document open(String url) {
        return parse(get(url));
    }

    /** Posts a form, following redirects. */
    public Connection.Response post(String url, Map<String, String> form) {
        return execute(session.newRequest(url).method(Connection.Method.POST).data(form));
    }

    /**
     * Opens {@code pageUrl}, a page of the application, and presses its "Sign out" button as a browser does: a
     * POST of the button's form from the application's origin; returns the page the flow ends on.
     */
    public Document signOut(String pageUrl) {
        Document page = open(pageUrl);
        Element button = page.getElementById("sign-out");
        assertThat(button).as("the sign-out button on %s", pageUrl).isNotNull();
        Element form = button.closest("form");
        assertThat(form).as("the sign-out button's form").isNotNull();
        assertThat(form.attr("method")).isEqualToIgnoringCase("post");
        URI uri = URI.create(page.location());
        String origin = uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        return parse(execute(session.newRequest(form.absUrl("action"))
                .method(Connection.Method.POST)
                .header("Origin", origin)));
    }

    /**
     * Opens {@code url}, expects the demo provider's login page, signs in as {@code user} with the groups the
     * provider's directory holds for them now, and returns the page the flow ends on.
     */
    public Document signIn(String url, String user, DemoProvider provider) {
        Document login = open(url);
        assertThat(login.title()).as("the provider's login page for %s", url).isEqualTo("Demo identity provider");
        return parse(post(login.location(), Map.of("username", user, "claims", provider.claimsOf(user))));
    }

    /**
     * Opens {@code url}, expects Keycloak's login form, and signs in with a user name and password; returns the
     * page the flow ends on.
     */
    public Document signInAtKeycloak(String url, String user, String password) {
        Document login = open(url);
        Element form = login.getElementById("kc-form-login");
        assertThat(form)
                .as("Keycloak's login form for %s, got %s: %s", url, login.location(), login.title())
                .isNotNull();
        return parse(post(form.absUrl("action"), Map.of("username", user, "password", password, "credentialId", "")));
    }

    /** The text of the element {@code id} of {@code page}, which must be there. */
    public static String text(Document page, String id) {
        Element element = page.getElementById(id);
        assertThat(element).as("#%s on %s", id, page.location()).isNotNull();
        return element.text();
    }

    private static Connection.Response execute(Connection request) {
        try {
            return request.execute();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Document parse(Connection.Response response) {
        try {
            return response.parse();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stores loopback sites' cookies as not {@code Secure}, so that they go back to the http site that set them. */
    private static final class LoopbackCookieStore implements CookieStore {

        private final CookieStore delegate = new CookieManager().getCookieStore();

        @Override
        public void add(URI uri, HttpCookie cookie) {
            if ("localhost".equals(uri.getHost()) || "127.0.0.1".equals(uri.getHost())) {
                cookie.setSecure(false);
            }
            delegate.add(uri, cookie);
        }

        @Override
        public List<HttpCookie> get(URI uri) {
            return delegate.get(uri);
        }

        @Override
        public List<HttpCookie> getCookies() {
            return delegate.getCookies();
        }

        @Override
        public List<URI> getURIs() {
            return delegate.getURIs();
        }

        @Override
        public boolean remove(URI uri, HttpCookie cookie) {
            return delegate.remove(uri, cookie);
        }

        @Override
        public boolean removeAll() {
            return delegate.removeAll();
        }
    }
}
