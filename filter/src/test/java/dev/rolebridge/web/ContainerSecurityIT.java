package dev.rolebridge.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rolebridge.RolebridgePrincipal;
import dev.rolebridge.testing.Browser;
import dev.rolebridge.testing.Provider;
import dev.rolebridge.testing.RolebridgeTestApp;
import dev.rolebridge.testing.TestApp;
import dev.rolebridge.testing.WhoAmIServlet;
import jakarta.security.auth.message.config.AuthConfigFactory;
import jakarta.servlet.annotation.HttpConstraint;
import jakarta.servlet.annotation.ServletSecurity;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.Security;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Declarative security in a real embedded Tomcat, deployed from its {@code web.xml} as a WAR is: with
 * {@code containerSecurity} on (or {@code auto} with constraints), the container's own {@code <security-constraint>}
 * and {@code @ServletSecurity} run on Rolebridge's sign-in and roles, a {@code <login-config>} FORM is superseded,
 * and the container answers {@code isUserInRole}; with {@code off}, the container is left alone.
 */
class ContainerSecurityIT {

    /** A servlet the container protects by annotation: administrators only. */
    @ServletSecurity(@HttpConstraint(rolesAllowed = "admin"))
    public static class AdminOnlyServlet extends WhoAmIServlet {
        private static final long serialVersionUID = 1L;
    }

    /** The application most tests use: {@code containerSecurity} at its default, a constraint, the admin servlet. */
    @RegisterExtension
    static final RolebridgeTestApp<Provider> auto = RolebridgeTestApp.with(Provider::new)
            .param("excludedPaths", "/public/*")
            .deployedAs(
                    "/auto",
                    (port, params) ->
                            TestApp.webapp(port, "/auto", Map.of("WEB-INF/web.xml", webXml(params, true, true))));

    private static Provider provider() {
        return auto.provider();
    }

    /** A legacy web.xml: the filter, a constraint on /approvals/* for approver, its old FORM login-config. */
    private static byte[] webXml(Map<String, String> params, boolean constraint, boolean adminServlet) {
        String initParams = params.entrySet().stream()
                .map(e -> "<init-param><param-name>" + e.getKey() + "</param-name><param-value>" + e.getValue()
                        + "</param-value></init-param>")
                .collect(Collectors.joining("\n"));
        String xml = """
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
                  <filter><filter-name>rolebridge</filter-name>
                    <filter-class>dev.rolebridge.web.RolebridgeFilter</filter-class>
                    %s
                  </filter>
                  <filter-mapping><filter-name>rolebridge</filter-name><url-pattern>/*</url-pattern></filter-mapping>
                  <servlet><servlet-name>whoami</servlet-name><servlet-class>%s</servlet-class>
                    <security-role-ref><role-name>approvers</role-name><role-link>approver</role-link></security-role-ref>
                  </servlet>
                  <servlet-mapping><servlet-name>whoami</servlet-name><url-pattern>/</url-pattern></servlet-mapping>
                  %s
                  %s
                  <security-role><role-name>approver</role-name></security-role>
                  <security-role><role-name>admin</role-name></security-role>
                  <login-config>
                    <auth-method>FORM</auth-method>
                    <form-login-config><form-login-page>/old-login.html</form-login-page>
                      <form-error-page>/old-error.html</form-error-page></form-login-config>
                  </login-config>
                </web-app>
                """.formatted(
                        initParams,
                        WhoAmIServlet.class.getName(),
                        adminServlet
                                ? "<servlet><servlet-name>admin</servlet-name><servlet-class>"
                                        + AdminOnlyServlet.class.getName()
                                        + "</servlet-class></servlet><servlet-mapping><servlet-name>admin</servlet-name>"
                                        + "<url-pattern>/admin/*</url-pattern></servlet-mapping>"
                                : "",
                        constraint ? """
                        <security-constraint>
                          <web-resource-collection><web-resource-name>approvals</web-resource-name>
                            <url-pattern>/approvals/*</url-pattern></web-resource-collection>
                          <auth-constraint><role-name>approver</role-name></auth-constraint>
                        </security-constraint>""" : "");
        return xml.getBytes(StandardCharsets.UTF_8);
    }

    /** The filter's parameters for an application at {@code contextPath} (each test app has its own, as the
     *  container keeps one authentication registration per application). */
    private static Map<String, String> parameters(int port, String contextPath) {
        Map<String, String> params = provider().filterParameters(port);
        params.put("callbackUrl", TestApp.callbackUrl(port, contextPath));
        return params;
    }

    private static Browser signedIn(TestApp app, String path, String subject, List<String> groups) {
        provider().nextLogin(subject, Map.of("groups", groups, "preferred_username", subject));
        Browser browser = new Browser();
        HttpResponse<String> landed = browser.open(app.url(path));
        assertThat(landed.uri().getPath()).endsWith(path.replaceFirst("\\?.*", ""));
        return browser;
    }

    @Test
    void autoWithConstraintsRegistersTheModuleAndSupersedesTheFormLogin() {
        assertThat(auto.app().contextAttribute(ContainerSecurity.REGISTERED_ATTRIBUTE))
                .isEqualTo(true);

        HttpResponse<String> first = new Browser().get(auto.url("/approvals/"));

        assertThat(first.statusCode()).isEqualTo(302);
        assertThat(first.headers().firstValue("Location").orElseThrow())
                .as("to the provider, not the old FORM page")
                .startsWith(provider().issuer())
                .doesNotContain("old-login");
    }

    @Test
    void userWhoseGroupsGrantTheConstraintsRoleIsLetInAndTheContainerAnswersIsUserInRole() {
        Browser erin = signedIn(auto.app(), "/approvals/", "erin", List.of("approver"));

        String page = erin.get(auto.url("/approvals/?role=approver&role=admin&role=end-user"))
                .body();

        assertThat(page)
                .contains(
                        "remoteUser=erin",
                        "authType=",
                        "role.approver=true",
                        "role.admin=false",
                        "role.end-user=true",
                        "principalRoles=[approver, end-user, end-users]");
    }

    @Test
    void userWhoseGroupsDoNotGrantTheRoleGets403FromTheContainer() {
        Browser sam = signedIn(auto.app(), "/me", "sam", List.of("sales"));

        assertThat(sam.get(auto.url("/approvals/")).statusCode()).isEqualTo(403);
    }

    @Test
    void servletSecurityAnnotationIsEnforcedWithTheMappedRoles() {
        Browser admin = signedIn(auto.app(), "/admin/", "ada", List.of("admin"));
        Browser erin = signedIn(auto.app(), "/me", "erin", List.of("approver"));

        assertThat(admin.get(auto.url("/admin/")).statusCode()).isEqualTo(200);
        assertThat(erin.get(auto.url("/admin/")).statusCode()).isEqualTo(403);
    }

    @Test
    void apiRequestWithoutASessionGets401FromAConstrainedPath() {
        HttpResponse<String> api = new Browser().get(auto.url("/approvals/"), "Accept", "application/json");

        assertThat(api.statusCode()).isEqualTo(401);
    }

    @Test
    void signOutEndsTheContainersAuthenticationToo() {
        Browser erin = signedIn(auto.app(), "/approvals/", "erin", List.of("approver"));

        erin.signOut(auto.url("/logout"));

        assertThat(erin.get(auto.url("/approvals/")).statusCode()).isEqualTo(302);
    }

    @Test
    void requestLogoutThroughTheContainerForgetsTheSignIn() {
        Browser erin = signedIn(auto.app(), "/approvals/", "erin", List.of("approver"));

        String page = erin.get(auto.url("/approvals/?containerLogout=1")).body();

        assertThat(page).contains("remoteUser=null");
        assertThat(erin.get(auto.url("/approvals/")).statusCode()).isEqualTo(302);
    }

    @Test
    void pagesWithoutConstraintsStillNeedASignInAndAnswerRolesThroughTheFilter() {
        HttpResponse<String> anonymous = new Browser().get(auto.url("/me"));
        Browser erin = signedIn(auto.app(), "/me", "erin", List.of("approver"));

        assertThat(anonymous.statusCode()).isEqualTo(302);
        assertThat(erin.get(auto.url("/me?role=approver&role=admin")).body())
                .contains("remoteUser=erin", "role.approver=true", "role.admin=false");
    }

    @Test
    void crossSitePostToAConstrainedPathIsRefusedBeforeAnySignIn() {
        HttpResponse<String> post = new Browser()
                .postForm(
                        auto.url("/approvals/"),
                        Map.of("id", "1"),
                        "Origin",
                        "http://attacker.example",
                        "Sec-Fetch-Site",
                        "cross-site");

        assertThat(post.statusCode()).isEqualTo(403);
        assertThat(post.body()).contains("Request refused");
    }

    @Test
    void securityRoleRefLinksAreAppliedByTheContainer() {
        Browser erin = signedIn(auto.app(), "/approvals/", "erin", List.of("approver"));

        assertThat(erin.get(auto.url("/approvals/?role=approvers")).body()).contains("role.approvers=true");
    }

    @Test
    void requestAuthenticateOnAnExcludedPageSendsTheBrowserToTheProvider() {
        HttpResponse<String> response = new Browser().get(auto.url("/public/page?authenticate=1"));

        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location").orElseThrow())
                .startsWith(provider().issuer());
    }

    @Test
    void aScimClientIsAnsweredByTheEndpointOnAPathTheContainerConstrains() throws Exception {
        int port = TestApp.freePort();
        Map<String, String> params = parameters(port, "/scimsec");
        params.put("scimToken", "sha256:" + ScimIT.sha256(ScimIT.TOKEN));
        byte[] everythingConstrained = new String(webXml(params, true, false), StandardCharsets.UTF_8)
                .replace("<url-pattern>/approvals/*</url-pattern>", "<url-pattern>/*</url-pattern>")
                .getBytes(StandardCharsets.UTF_8);
        try (TestApp app = TestApp.webapp(port, "/scimsec", Map.of("WEB-INF/web.xml", everythingConstrained))) {
            assertThat(app.contextAttribute(ContainerSecurity.REGISTERED_ATTRIBUTE))
                    .isEqualTo(true);

            HttpResponse<String> created = ScimIT.send(
                    app, "POST", "/Users", ScimIT.user("olga.container", "olga-ext"), "Bearer " + ScimIT.TOKEN);
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            HttpResponse<String> listed = ScimIT.send(app, "GET", "/Users", null, "Bearer " + ScimIT.TOKEN);
            assertThat(listed.statusCode()).isEqualTo(200);
            assertThat(listed.body()).contains("olga.container");

            HttpResponse<String> refused = ScimIT.send(app, "GET", "/Users", null, "Bearer wrong-token");
            assertThat(refused.statusCode())
                    .as("a SCIM error, not the container's login")
                    .isEqualTo(401);
            assertThat(refused.body()).contains("urn:ietf:params:scim:api:messages:2.0:Error");
            assertThat(refused.headers().firstValue("Location")).isEmpty();
        }
    }

    /** An application filter ahead of Rolebridge that puts a principal where the module hands over its own. */
    public static class ForgingFilter implements jakarta.servlet.Filter {
        @Override
        public void doFilter(
                jakarta.servlet.ServletRequest request,
                jakarta.servlet.ServletResponse response,
                jakarta.servlet.FilterChain chain)
                throws java.io.IOException, jakarta.servlet.ServletException {
            request.setAttribute(
                    RolebridgeAuthModule.AUTHENTICATED_ATTRIBUTE,
                    new RolebridgePrincipal(
                            "mallory", "https://elsewhere", "mallory", Set.of(), Set.of("admin"), null));
            chain.doFilter(request, response);
        }
    }

    @Test
    void inFilterModeAPrincipalInTheRequestSignsNobodyIn() {
        int port = TestApp.freePort();
        String initParams = parameters(port, "/forged").entrySet().stream()
                .map(e -> "<init-param><param-name>" + e.getKey() + "</param-name><param-value>" + e.getValue()
                        + "</param-value></init-param>")
                .collect(Collectors.joining("\n"));
        String xml = """
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
                  <filter><filter-name>forger</filter-name><filter-class>%s</filter-class></filter>
                  <filter-mapping><filter-name>forger</filter-name><url-pattern>/*</url-pattern></filter-mapping>
                  <filter><filter-name>rolebridge</filter-name>
                    <filter-class>dev.rolebridge.web.RolebridgeFilter</filter-class>
                    %s
                  </filter>
                  <filter-mapping><filter-name>rolebridge</filter-name><url-pattern>/*</url-pattern></filter-mapping>
                  <servlet><servlet-name>whoami</servlet-name><servlet-class>%s</servlet-class></servlet>
                  <servlet-mapping><servlet-name>whoami</servlet-name><url-pattern>/</url-pattern></servlet-mapping>
                </web-app>
                """.formatted(ForgingFilter.class.getName(), initParams, WhoAmIServlet.class.getName());
        try (TestApp forged =
                TestApp.webapp(port, "/forged", Map.of("WEB-INF/web.xml", xml.getBytes(StandardCharsets.UTF_8)))) {
            assertThat(forged.started()).isTrue();
            assertThat(forged.contextAttribute(ContainerSecurity.REGISTERED_ATTRIBUTE))
                    .as("no constraints: filter mode, no module")
                    .isNull();

            HttpResponse<String> first = new Browser().get(forged.url("/me"));

            assertThat(first.statusCode())
                    .as("only Rolebridge's module hands a principal over, and it is not registered")
                    .isEqualTo(302);
            assertThat(first.headers().firstValue("Location").orElse(""))
                    .startsWith(provider().issuer());
            assertThat(first.body()).doesNotContain("mallory");
        }
    }

    @Test
    void offLeavesTheContainersConstraintsToTheContainer() {
        int port = TestApp.freePort();
        Map<String, String> params = parameters(port, "/off");
        params.put("containerSecurity", "off");
        try (TestApp off = TestApp.webapp(port, "/off", Map.of("WEB-INF/web.xml", webXml(params, true, false)))) {
            assertThat(off.started()).isTrue();
            assertThat(off.contextAttribute(ContainerSecurity.REGISTERED_ATTRIBUTE))
                    .isNull();

            HttpResponse<String> first = new Browser().get(off.url("/approvals/"));

            assertThat(first.headers().firstValue("Location").orElse(""))
                    .as("the container's own FORM login, before any filter runs")
                    .doesNotStartWith(provider().issuer());
        }
    }

    @Test
    void autoWithoutConstraintsIsFilterModeAndOnRegistersTheModuleAnyway() {
        int autoPort = TestApp.freePort();
        int onPort = TestApp.freePort();
        Map<String, String> on = parameters(onPort, "/on");
        on.put("containerSecurity", "ON");
        try (TestApp plain = TestApp.webapp(
                        autoPort,
                        "/plain",
                        Map.of("WEB-INF/web.xml", webXml(parameters(autoPort, "/plain"), false, false)));
                TestApp forced = TestApp.webapp(onPort, "/on", Map.of("WEB-INF/web.xml", webXml(on, false, false)))) {
            assertThat(plain.contextAttribute(ContainerSecurity.REGISTERED_ATTRIBUTE))
                    .isNull();
            assertThat(forced.contextAttribute(ContainerSecurity.REGISTERED_ATTRIBUTE))
                    .isEqualTo(true);
            Browser erin = signedIn(forced, "/me", "erin", List.of("approver"));
            assertThat(erin.get(forced.url("/me?role=approver")).body()).contains("role.approver=true");
        }
    }

    @Test
    void autoWithOnlyAnAnnotatedConstraintRegistersTheModule() {
        int port = TestApp.freePort();
        try (TestApp annotated = TestApp.withDeployment(
                port,
                provider().filterParameters(port),
                Map.of(),
                new RolebridgeInitializer(),
                Set.of(AdminOnlyServlet.class))) {
            assertThat(annotated.started()).isTrue();
            assertThat(annotated.contextAttribute(ContainerSecurity.REGISTERED_ATTRIBUTE))
                    .isEqualTo(true);
        }
    }

    @Test
    void withoutJakartaAuthenticationOnOrAutoWithConstraintsStopsStartUpNamingContainerSecurity() {
        AuthConfigFactory working = AuthConfigFactory.getFactory();
        String property = Security.getProperty(AuthConfigFactory.DEFAULT_FACTORY_SECURITY_PROPERTY);
        Security.setProperty(AuthConfigFactory.DEFAULT_FACTORY_SECURITY_PROPERTY, "no.such.AuthConfigFactory");
        AuthConfigFactory.setFactory(null);
        int port = TestApp.freePort();
        Map<String, String> on = provider().filterParameters(port);
        on.put("containerSecurity", "on");
        int autoPort = TestApp.freePort();
        try (TestApp forced = TestApp.webapp(port, Map.of("WEB-INF/web.xml", webXml(on, false, false)));
                TestApp constrained = TestApp.webapp(
                        autoPort,
                        Map.of("WEB-INF/web.xml", webXml(provider().filterParameters(autoPort), true, false)))) {
            assertThat(forced.started()).isFalse();
            assertThat(forced.containerLog()).contains("containerSecurity: 'on'", "need Jakarta Authentication 3.0");
            assertThat(constrained.started()).isFalse();
            assertThat(constrained.containerLog())
                    .contains(
                            "containerSecurity: 'auto' and the"
                                    + " application declares security constraints (web.xml <security-constraint> [/approvals/*])");
        } finally {
            Security.setProperty(AuthConfigFactory.DEFAULT_FACTORY_SECURITY_PROPERTY, property == null ? "" : property);
            AuthConfigFactory.setFactory(working);
        }
    }
}
