package dev.rolebridge.sample.containers;

import static dev.rolebridge.sample.testing.WebUser.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rolebridge.sample.testing.DemoProvider;
import dev.rolebridge.sample.testing.DemoProviderExtension;
import dev.rolebridge.sample.testing.TestPorts;
import dev.rolebridge.sample.testing.WebUser;
import java.io.File;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The sample WAR exactly as Maven built it, deployed into the container named by {@code arquillian.launch}
 * (Tomcat, Jetty, GlassFish, WildFly or Open Liberty; see {@code arquillian.xml}), and used the way people use
 * it: through the provider's login form, with cookies, following every redirect of the authorization-code flow.
 */
@ExtendWith(DemoProviderExtension.class)
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ExpenseTrackerContainerIT {

    @Deployment(testable = false)
    static WebArchive expenseTracker() {
        File war = new File(System.getProperty("rolebridge.sample.warFile", "target/rolebridge-sample.war"));
        return ShrinkWrap.create(ZipImporter.class, "expenses.war")
                .importFrom(war)
                .as(WebArchive.class);
    }

    @ArquillianResource
    private URL deployment;

    private static String url(String path) {
        return TestPorts.applicationUrl(path);
    }

    private static String newUser(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void signInFollowsTheCodeFlowAndLandsOnTheAskedPageWithTheRecordedRoleAndTrace(DemoProvider provider) {
        assertThat(deployment.getPort())
                .as("deployed where the registered callback points")
                .isEqualTo(TestPorts.http());
        assertThat(deployment.getPath()).isEqualTo(TestPorts.CONTEXT_PATH + "/");
        WebUser alice = new WebUser();

        Document me = alice.signIn(url("/me"), "alice", provider);

        assertThat(me.location()).isEqualTo(url("/me"));
        assertThat(text(me, "user")).isEqualTo("alice");
        assertThat(text(me, "issuer")).isEqualTo(provider.issuer());
        assertThat(text(me, "provider-groups")).isEqualTo("admin");
        assertThat(text(me, "employee-role")).isEqualTo("admin");
        assertThat(me.select("#roles li").eachText()).contains("admin");
        assertThat(me.select("#trace li").eachText())
                .isNotEmpty()
                .last()
                .asString()
                .contains("EMPLOYEE.ROLE_CODE = 'admin'");
    }

    @Test
    void theToolJetMappingCasesShowOnTheWhoAmIPage(DemoProvider provider) {
        // by name: the provider's group "admin" is the application's group "admin", which grants the top role
        Document alice = new WebUser().signIn(url("/me"), "alice", provider);
        assertThat(text(alice, "groups")).isEqualTo("admin");
        assertThat(text(alice, "primary-role")).isEqualTo("admin");
        assertThat(alice.select("#roles li").eachText())
                .as("role hierarchy")
                .containsExactly("admin", "builder", "end-user");

        // exact mapping: engineers = all apps, and the custom group "all apps" grants builder
        WebUser bobsBrowser = new WebUser();
        Document bob = bobsBrowser.signIn(url("/me"), "bob", provider);
        assertThat(text(bob, "provider-groups")).isEqualTo("engineers");
        assertThat(text(bob, "groups")).isEqualTo("all apps");
        assertThat(text(bob, "primary-role")).isEqualTo("builder");
        assertThat(text(bob, "employee-role")).isEqualTo("builder");
        assertThat(bob.select("#trace li").eachText())
                .anySatisfy(line -> assertThat(line).contains("engineers"));
        assertThat(bobsBrowser.get(url("/reports")).statusCode()).isEqualTo(200);
        assertThat(bobsBrowser.get(url("/admin/")).statusCode()).isEqualTo(403);

        // default: no group at all lands in the default group, which grants the lowest role
        WebUser carolsBrowser = new WebUser();
        Document carol = carolsBrowser.signIn(url("/me"), "carol", provider);
        assertThat(text(carol, "groups")).isEqualTo("end-users");
        assertThat(text(carol, "primary-role")).isEqualTo("end-user");
        assertThat(carolsBrowser.get(url("/reports")).statusCode()).isEqualTo(403);
    }

    @Test
    void independentRolesTheApplicationDeclaresComeFromTheProvidersGroups(DemoProvider provider) {
        // bob: engineers -> all apps, which grants builder and the declared, independent role approver
        WebUser bobsBrowser = new WebUser();
        Document bob = bobsBrowser.signIn(url("/me"), "bob", provider);
        assertThat(bob.select("#roles li").eachText()).containsExactly("builder", "end-user", "approver");
        assertThat(text(bob, "all-roles"))
                .as("the app group answers isUserInRole too")
                .isEqualTo("all apps, approver, builder, end-user");
        assertThat(bobsBrowser.get(url("/approvals/")).statusCode()).isEqualTo(200);

        // erin: the provider's groups approver and auditor are roles the application declares (web.xml and
        // @DeclareRoles on ReportsServlet), mapped by name with no mapping line
        WebUser erinsBrowser = new WebUser();
        Document erin = erinsBrowser.signIn(url("/me"), "erin", provider);
        assertThat(erin.select("#roles li").eachText()).containsExactly("end-user", "approver", "auditor");
        assertThat(text(erin, "primary-role")).isEqualTo("end-user");
        assertThat(erinsBrowser.get(url("/approvals/")).statusCode()).isEqualTo(200);
        assertThat(erinsBrowser.get(url("/reports")).statusCode()).isEqualTo(200);
        assertThat(erinsBrowser.get(url("/admin/")).statusCode()).isEqualTo(403);

        WebUser carolsBrowser = new WebUser();
        carolsBrowser.signIn(url("/home"), "carol", provider);
        assertThat(carolsBrowser.get(url("/approvals/")).statusCode()).isEqualTo(403);
    }

    @Test
    void theContainersOwnConstraintsRunOnRolebridgesSignInAndRoles(DemoProvider provider) {
        // /approvals/* is under a <security-constraint> for approver; ApprovalsServlet checks nothing itself
        Document firstVisit = new WebUser().open(url("/approvals/"));
        assertThat(firstVisit.title())
                .as("the provider's login, not the superseded FORM page")
                .isEqualTo("Demo identity provider");

        WebUser bobsBrowser = new WebUser();
        Document approvals = bobsBrowser.signIn(url("/approvals/"), "bob", provider);
        assertThat(approvals.location()).isEqualTo(url("/approvals/"));
        assertThat(text(approvals, "approver")).contains("bob");

        // alice is an administrator but not an approver: the container refuses her; @ServletSecurity lets her in
        WebUser alicesBrowser = new WebUser();
        alicesBrowser.signIn(url("/home"), "alice", provider);
        assertThat(alicesBrowser.get(url("/approvals/")).statusCode()).isEqualTo(403);
        assertThat(alicesBrowser.get(url("/admin/")).statusCode()).isEqualTo(200);
        assertThat(bobsBrowser.get(url("/admin/")).statusCode()).isEqualTo(403);

        // signing out ends the container's authentication too
        bobsBrowser.signOut(url("/home"));
        assertThat(bobsBrowser.open(url("/approvals/")).title()).isEqualTo("Demo identity provider");
    }

    @Test
    void administrationIsRefusedToANonAdminAndShownToAnAdmin(DemoProvider provider) {
        WebUser carol = new WebUser();
        carol.signIn(url("/home"), "carol", provider);

        assertThat(carol.get(url("/admin/")).statusCode()).isEqualTo(403);

        WebUser alice = new WebUser();
        Document admin = alice.signIn(url("/admin/"), "alice", provider);
        assertThat(admin.location()).isEqualTo(url("/admin/"));
        assertThat(text(admin, "admin")).contains("alice");
        assertThat(admin.select("#employees tr[data-username=carol] td.role").text())
                .as("the role the sync hook wrote into the application's EMPLOYEE table")
                .isEqualTo("end-user");
    }

    @Test
    void signOutEndsTheSessionAndTheNextPageAsksToSignInAgain(DemoProvider provider) {
        WebUser bob = new WebUser();
        assertThat(text(bob.signIn(url("/home"), "bob", provider), "user")).isEqualTo("bob");

        Document afterLogout = bob.signOut(url("/home"));

        assertThat(afterLogout.title()).as("back at the provider's login page").isEqualTo("Demo identity provider");
        assertThat(bob.open(url("/home")).title()).isEqualTo("Demo identity provider");
    }

    @Test
    void groupsAddedAndRemovedAtTheProviderTakeEffectAtTheNextSignIn(DemoProvider provider) {
        String dana = newUser("dana");
        WebUser browser = new WebUser();
        provider.setGroups(dana, List.of());
        Document me = browser.signIn(url("/me"), dana, provider);
        assertThat(text(me, "employee-role")).isEqualTo("end-user");
        assertThat(browser.get(url("/admin/")).statusCode()).isEqualTo(403);

        provider.setGroups(dana, List.of("admin"));
        browser.signOut(url("/home"));
        me = browser.signIn(url("/me"), dana, provider);

        assertThat(text(me, "provider-groups")).isEqualTo("admin");
        assertThat(text(me, "employee-role")).isEqualTo("admin");
        assertThat(browser.get(url("/admin/")).statusCode()).isEqualTo(200);

        provider.setGroups(dana, List.of());
        browser.signOut(url("/home"));
        me = browser.signIn(url("/me"), dana, provider);

        assertThat(text(me, "provider-groups")).isEqualTo("(none)");
        assertThat(text(me, "employee-role")).isEqualTo("end-user");
        assertThat(browser.get(url("/admin/")).statusCode()).isEqualTo(403);
    }

    @Test
    void anExpenseFiledWithALegacyFormIsApprovedByAnAdministrator(DemoProvider provider) {
        String erin = newUser("erin");
        provider.setGroups(erin, List.of());
        WebUser employee = new WebUser();
        employee.signIn(url("/home"), erin, provider);

        int status = employee.post(
                        url("/home"),
                        Map.of(
                                "spentOn",
                                "2026-03-14",
                                "description",
                                "Train to the client " + erin,
                                "amount",
                                "42.50"))
                .statusCode();

        assertThat(status).as("posted without any token, redirected back home").isEqualTo(200);
        Document home = employee.open(url("/home"));
        assertThat(home.select("#expenses td").eachText())
                .contains("Train to the client " + erin, "42.50", "SUBMITTED");

        WebUser alice = new WebUser();
        Document admin = alice.signIn(url("/admin/"), "alice", provider);
        Element row = admin.select("#pending tr:contains(Train to the client " + erin + ")")
                .first();
        assertThat(row).isNotNull();
        String id = row.select("input[name=id]").val();
        assertThat(alice.post(url("/admin/approve"), Map.of("id", id)).statusCode())
                .isEqualTo(200);

        assertThat(employee.open(url("/home")).select("#expenses td.status").eachText())
                .containsExactly("APPROVED");
    }

    @Test
    void thePublicPageNeedsNoSignInAndNamesTheContainer() {
        Document about = new WebUser().open(url("/public/about"));

        String expected = System.getProperty("rolebridge.it.serverInfo");
        assertThat(expected)
                .as("rolebridge.it.serverInfo, set by this container's Failsafe execution")
                .isNotBlank();

        assertThat(text(about, "about")).contains("needs no sign-in");
        assertThat(text(about, "server"))
                .as("the container this execution is meant to test")
                .containsIgnoringCase(expected);
        System.out.printf(
                "%s: %s, %s%n",
                System.getProperty("arquillian.launch"), text(about, "server"), text(about, "jpa-provider"));
    }
}
