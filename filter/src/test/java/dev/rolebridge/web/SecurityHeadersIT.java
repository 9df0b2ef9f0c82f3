package dev.rolebridge.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rolebridge.testing.Browser;
import dev.rolebridge.testing.RolebridgeTestApp;
import dev.rolebridge.testing.ScriptedProvider;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code securityHeaders}: a signed-in request, which takes the fast path without pac4j's logic, carries the
 * same headers as a request that runs pac4j's {@code securityHeaders} matchers; a static file stays cacheable.
 */
class SecurityHeadersIT {

    @RegisterExtension
    static final RolebridgeTestApp<ScriptedProvider> app =
            RolebridgeTestApp.with(ScriptedProvider::new).param("securityHeaders", "true");

    @Test
    void aSignedInRequestCarriesTheSecurityHeadersAsTheFirstOneDid() {
        Browser browser = new Browser();
        HttpResponse<String> redirect = browser.get(app.url("/me"));
        assertThat(redirect.statusCode()).isEqualTo(302);
        assertThat(redirect.headers().firstValue("X-Frame-Options"))
                .as("pac4j's matchers")
                .hasValue("DENY");

        assertThat(browser.open(app.url("/me")).body()).contains("remoteUser=");
        HttpResponse<String> signedIn = browser.get(app.url("/me"));
        assertThat(signedIn.statusCode()).isEqualTo(200);
        assertThat(signedIn.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(signedIn.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(signedIn.headers().firstValue("X-XSS-Protection")).hasValue("1; mode=block");
        assertThat(signedIn.headers().firstValue("Cache-Control"))
                .hasValue("no-cache, no-store, max-age=0, must-revalidate");
        assertThat(signedIn.headers().firstValue("Pragma")).hasValue("no-cache");
        assertThat(signedIn.headers().firstValue("Strict-Transport-Security"))
                .as("only over https")
                .isEmpty();

        HttpResponse<String> stylesheet = browser.get(app.url("/me/site.css"));
        assertThat(stylesheet.headers().firstValue("Cache-Control"))
                .as("static files stay cacheable")
                .isEmpty();
        assertThat(stylesheet.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    }
}
