package dev.rolebridge.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rolebridge.testing.Browser;
import dev.rolebridge.testing.Provider;
import dev.rolebridge.testing.RolebridgeTestApp;
import dev.rolebridge.testing.TestApp;
import jakarta.annotation.security.DeclareRoles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.servlet.annotation.HttpConstraint;
import jakarta.servlet.annotation.HttpMethodConstraint;
import jakarta.servlet.annotation.ServletSecurity;
import jakarta.servlet.http.HttpServlet;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Roles the way Jakarta EE code asks for them, in a real embedded Tomcat: the application declares roles in
 * {@code web.xml}, in a web fragment of a jar in {@code WEB-INF/lib} and by annotation; with no mapping
 * parameter for them, IdP groups of the same names grant them, a user holds several at once, and the app
 * groups answer {@code isUserInRole} too.
 */
class DeclaredRolesIT {

    private static final String WEB_XML = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE web-app PUBLIC "-//Example//DTD Legacy//EN" "http://127.0.0.1:1/never-fetched.dtd">
            <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
              <security-role><role-name>billing</role-name></security-role>
              <security-role><description>sales staff</description><role-name> sales </role-name></security-role>
              <security-constraint>
                <web-resource-collection><url-pattern>/audit/*</url-pattern></web-resource-collection>
                <auth-constraint><role-name>auditor</role-name><role-name>*</role-name></auth-constraint>
              </security-constraint>
            </web-app>
            """;

    private static final String FRAGMENT = """
            <web-fragment xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
              <security-role><role-name>reports</role-name></security-role>
            </web-fragment>
            """;

    private static final String ROLES = "?role=billing&role=sales&role=audit&role=approver&role=reports&role=ops-admin"
            + "&role=auditor&role=admin&role=end-user&role=ops&role=end-users&role=contractors&role=nope&role=**";

    /** The application with the declarations above and no mapping for them. */
    @RegisterExtension
    static final RolebridgeTestApp<Provider> app = RolebridgeTestApp.with(Provider::new)
            .param("groupRoles", "ops = billing, audit")
            .deployedAs(DeclaredRolesIT::deployment);

    /** The same, with declared roles and groups-as-roles off. */
    @RegisterExtension
    static final RolebridgeTestApp<Provider> plainApp = RolebridgeTestApp.with(Provider::new)
            .param("groupRoles", "ops = billing, audit")
            .param("declaredRoles", "false")
            .param("groupsAsRoles", "false")
            .deployedAs(DeclaredRolesIT::deployment);

    @DeclareRoles({"audit"})
    static class AuditService {}

    static class ApprovalService {
        @RolesAllowed({"approver"})
        public void approve() {}
    }

    @ServletSecurity(
            value = @HttpConstraint(rolesAllowed = "ops-admin"),
            httpMethodConstraints = @HttpMethodConstraint(value = "POST", rolesAllowed = "ops-admin"))
    static class OpsServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;
    }

    /** The WAR: web.xml, a jar with a web fragment, and the annotated classes a container's scan finds. */
    private static TestApp deployment(int port, Map<String, String> params) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("WEB-INF/web.xml", WEB_XML.strip().getBytes(StandardCharsets.UTF_8));
        files.put("WEB-INF/lib/reports.jar", jarWith("META-INF/web-fragment.xml", FRAGMENT));
        Set<Class<?>> scanned = Set.of(AuditService.class, ApprovalService.class, OpsServlet.class);
        return TestApp.withDeployment(port, params, files, new RolebridgeInitializer(), scanned);
    }

    private static String signIn(RolebridgeTestApp<Provider> into, String subject, List<String> groups) {
        into.provider().nextLogin(subject, Map.of("groups", groups, "preferred_username", subject));
        return new Browser().open(into.url("/me" + ROLES)).body();
    }

    @Test
    void userInBillingAndSalesHoldsBothDeclaredRolesWithNoMappingParameters() {
        String me = signIn(app, "erin", List.of("billing", "sales"));

        assertThat(me)
                .contains("role.billing=true", "role.sales=true", "role.end-user=true", "role.**=true")
                .contains("role.audit=false", "role.admin=false", "role.nope=false");
    }

    @Test
    void userInSalesOnlyDoesNotHoldBilling() {
        String me = signIn(app, "sam", List.of("sales"));

        assertThat(me).contains("role.sales=true", "role.billing=false");
    }

    @Test
    void rolesDeclaredByAnnotationFragmentAndAuthConstraintAreLearned() {
        String me = signIn(app, "ann", List.of("audit", "approver", "reports", "ops-admin", "auditor"));

        assertThat(me)
                .contains(
                        "role.audit=true",
                        "role.approver=true",
                        "role.reports=true",
                        "role.ops-admin=true",
                        "role.auditor=true",
                        "role.billing=false");
    }

    @Test
    void groupGrantingTwoRolesGivesBothAndAppGroupsAnswerIsUserInRole() {
        String me = signIn(app, "oscar", List.of("ops", "contractors"));

        assertThat(me)
                .contains("role.billing=true", "role.audit=true", "role.ops=true", "role.end-users=true")
                // an IdP group that maps to no app group stays invisible
                .contains("role.contractors=false")
                .contains("principalRoles=[audit, billing, end-user, end-users, ops]");
    }

    @Test
    void declaredRolesAndGroupsAsRolesOffGiveTheOldBehaviour() {
        String billing = signIn(plainApp, "erin", List.of("billing", "sales"));
        String ops = signIn(plainApp, "oscar", List.of("ops"));

        assertThat(billing)
                .contains("role.billing=false", "role.sales=false", "role.end-user=true", "principalRoles=[end-user]");
        // groupRoles may still name a declared role; only the role groups and the groups-as-roles are gone
        assertThat(ops).contains("role.billing=true", "role.audit=true", "role.ops=false", "role.end-users=false");
    }

    private static byte[] jarWith(String entry, String content) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes)) {
            jar.putNextEntry(new JarEntry(entry));
            jar.write(content.getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
