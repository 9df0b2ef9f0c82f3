package dev.rolebridge.internal.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.pac4j.core.context.CallContext;
import org.pac4j.core.matching.matcher.CacheControlMatcher;
import org.pac4j.jee.context.JEEContext;

/** The headers of the fast path are those pac4j's own matcher writes, for the same request. */
class SecurityHeadersTest {

    @ParameterizedTest
    @CsvSource(
            nullValues = "-",
            value = {
                "/app/page, -",
                "/app/style.css, -",
                "/app/STYLE.CSS, -",
                "/app/logo.Png, -",
                "/app/a.js, v=1",
                "/app/page, file=x.css",
                "/app/style.css, v=2",
                "/app/page, s",
                "/app/x.jpeg, -",
                "/app/x.jpg.html, -",
                "/, -",
                "/app/.ico, -",
                "/app/favicon.ico, -",
                "/app/cssfile, -",
                "/app/x.gif, a=B.GIF",
            })
    void cacheHeadersAreWrittenExactlyWhenPac4jWritesThem(String uri, String query) {
        Map<String, String> ours = new HashMap<>();
        SecurityHeaders.add(request(uri, query), response(ours));
        Map<String, String> pac4js = new HashMap<>();
        new CacheControlMatcher().matches(new CallContext(new JEEContext(request(uri, query), response(pac4js)), null));

        assertThat(pac4js).as("pac4j's matcher for %s?%s", uri, query).isNotNull();
        assertThat(ours.get("Cache-Control")).isEqualTo(pac4js.get("Cache-Control"));
        assertThat(ours.get("Pragma")).isEqualTo(pac4js.get("Pragma"));
        assertThat(ours.get("Expires")).isEqualTo(pac4js.get("Expires"));
        assertThat(ours).containsEntry("X-Frame-Options", "DENY").containsEntry("X-Content-Type-Options", "nosniff");
    }

    private static HttpServletRequest request(String uri, String query) {
        return (HttpServletRequest) Proxy.newProxyInstance(
                SecurityHeadersTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class},
                (p, m, args) -> switch (m.getName()) {
                    case "getRequestURI" -> uri;
                    case "getQueryString" -> query;
                    case "getRequestURL" -> requestUrl(uri); // the Servlet API's type
                    case "getScheme" -> "http";
                    case "isSecure" -> false;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    @SuppressWarnings("JdkObsolete")
    private static StringBuffer requestUrl(String uri) {
        return new StringBuffer("http://app.example.com:8080" + uri);
    }

    private static HttpServletResponse response(Map<String, String> headers) {
        return (HttpServletResponse) Proxy.newProxyInstance(
                SecurityHeadersTest.class.getClassLoader(),
                new Class<?>[] {HttpServletResponse.class},
                (p, m, args) -> switch (m.getName()) {
                    case "setHeader", "addHeader" -> {
                        headers.put((String) args[0], (String) args[1]);
                        yield null;
                    }
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }
}
