package dev.rolebridge.testing;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real HTTP client with a cookie jar that follows redirects one hop at a time, so tests can see every hop of
 * the authorization-code flow.
 */
public final class Browser {

    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private final HttpClient http = HttpClient.newBuilder()
            .cookieHandler(cookies)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    public HttpResponse<String> get(URI uri, String... headers) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("GET " + uri + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<String> get(String uri, String... headers) {
        return get(URI.create(uri), headers);
    }

    /** POSTs a form. */
    public HttpResponse<String> postForm(String uri, Map<String, String> form) {
        return postForm(uri, form, new String[0]);
    }

    /** POSTs a form with these headers (name, value, name, value...), e.g. {@code Origin}. */
    public HttpResponse<String> postForm(String uri, Map<String, String> form, String... headers) {
        String body = form.entrySet().stream()
                .map(e -> java.net.URLEncoder.encode(e.getKey(), java.nio.charset.StandardCharsets.UTF_8) + "="
                        + java.net.URLEncoder.encode(e.getValue(), java.nio.charset.StandardCharsets.UTF_8))
                .collect(java.util.stream.Collectors.joining("&"));
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(uri))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            builder.headers(headers);
        }
        HttpRequest request = builder.build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("POST " + uri + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Sends a request with this browser's cookies: {@code body} (may be {@code null}) as {@code contentType},
     * with these headers (name, value, name, value...).
     */
    public HttpResponse<String> send(String method, String uri, String contentType, String body, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(uri))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            builder.header("Content-Type", contentType);
        }
        if (headers.length > 0) {
            builder.headers(headers);
        }
        try {
            return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + uri + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Follows redirects (at most 10) from {@code uri}; returns every response, the last one final. */
    public List<HttpResponse<String>> follow(URI uri) {
        List<HttpResponse<String>> hops = new ArrayList<>();
        URI next = uri;
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> response = get(next);
            hops.add(response);
            var location = response.headers().firstValue("Location");
            if (response.statusCode() / 100 != 3 || location.isEmpty()) {
                return hops;
            }
            next = next.resolve(location.get());
        }
        throw new AssertionError("more than 10 redirects from " + uri + ": "
                + hops.stream().map(HttpResponse::uri).toList());
    }

    public List<HttpResponse<String>> follow(String uri) {
        return follow(URI.create(uri));
    }

    /** The final response of {@link #follow(URI)}. */
    public HttpResponse<String> open(String uri) {
        List<HttpResponse<String>> hops = follow(uri);
        return hops.get(hops.size() - 1);
    }

    public void clearCookies() {
        cookies.getCookieStore().removeAll();
    }

    /** Signs out as the application's own sign-out button does: a POST from the application's origin. */
    public HttpResponse<String> signOut(String logoutUrl) {
        URI uri = URI.create(logoutUrl);
        String origin = uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        return postForm(logoutUrl, Map.of(), "Origin", origin);
    }

    /** The value of a cookie this browser holds, if any. */
    public java.util.Optional<String> cookie(String name) {
        return cookies.getCookieStore().getCookies().stream()
                .filter(c -> c.getName().equals(name))
                .map(java.net.HttpCookie::getValue)
                .findFirst();
    }

    /** Plants a cookie, as an attacker who controls a sibling host name can. */
    public void plantCookie(String url, String name, String value, String path) {
        java.net.HttpCookie cookie = new java.net.HttpCookie(name, value);
        cookie.setPath(path);
        cookie.setVersion(0);
        cookies.getCookieStore().add(URI.create(url), cookie);
    }
}
