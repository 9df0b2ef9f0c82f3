package dev.rolebridge.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rolebridge.sample.testing.DemoProvider;
import org.jsoup.Connection;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sample WAR as Maven built it, in a real Tomcat with the embedded provider and its demo login page:
 * each demo user signs in through the page a person would click.
 */
class SampleAppIT {

    private static SampleServer server;

    @BeforeAll
    static void start() throws Exception {
        server = SampleServer.start(SampleServer.freePort(), SampleServer.freePort());
        assertThat(server.started()).isTrue();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /** Opens a page, lands on the demo login page, and submits the form of {@code user}. */
    private static Document signIn(Connection session, String page, String user) throws Exception {
        Document login = session.newRequest(server.url(page)).get();
        assertThat(login.title()).isEqualTo("Demo identity provider");
        Element form = login.getElementById(user).parent();
        Connection submit = session.newRequest(login.location()).method(Connection.Method.POST);
        for (Element input : form.select("input[type=hidden]")) {
            submit.data(input.attr("name"), input.attr("value"));
        }
        return submit.execute().parse();
    }

    /** The demo login page and the provider's directory name the same users with the same groups. */
    @Test
    void loginPageOffersEveryDemoUserWithTheGroupsOfTheDirectory() throws Exception {
        Document login = Jsoup.newSession().newRequest(server.url("/home")).get();

        assertThat(login.select("form button").eachAttr("id"))
                .containsExactlyInAnyOrderElementsOf(DemoProvider.DEMO_USERS.keySet());
        for (String user : DemoProvider.DEMO_USERS.keySet()) {
            Element form = login.getElementById(user).parent();
            assertThat(form.select("input[name=username]").val()).isEqualTo(user);
            assertThat(form.select("input[name=claims]").val())
                    .as("the claims of %s's button", user)
                    .isEqualTo(server.demoProvider().claimsOf(user));
        }
    }

    @Test
    void adminSignsInLandsOnTheAskedPageAndReachesAdministration() throws Exception {
        Connection session = Jsoup.newSession().ignoreHttpErrors(true);

        Document home = signIn(session, "/home", "alice");

        assertThat(home.location()).isEqualTo(server.url("/home"));
        assertThat(home.getElementById("user").text()).isEqualTo("alice");
        assertThat(home.select("#roles li").eachText()).containsExactly("admin", "builder", "end-user");
        Connection.Response admin = session.newRequest(server.url("/admin/")).execute();
        assertThat(admin.statusCode()).isEqualTo(200);
        assertThat(admin.parse().getElementById("admin").text()).contains("alice");
    }

    @Test
    void userWithoutTheAdminRoleIsRefusedAdministration() throws Exception {
        Connection session = Jsoup.newSession().ignoreHttpErrors(true);

        Document home = signIn(session, "/home", "carol");

        assertThat(home.getElementById("user").text()).isEqualTo("carol");
        assertThat(session.newRequest(server.url("/admin/")).execute().statusCode())
                .isEqualTo(403);
    }

    @Test
    void publicPageNeedsNoSignIn() throws Exception {
        Document about =
                Jsoup.newSession().newRequest(server.url("/public/about")).get();

        assertThat(about.getElementById("about").text()).contains("needs no sign-in");
    }

    @Test
    void signOutEndsTheSession() throws Exception {
        Connection session = Jsoup.newSession().ignoreHttpErrors(true);
        signIn(session, "/home", "bob");

        java.net.URI home = java.net.URI.create(server.url("/home"));
        session.newRequest(server.url("/logout"))
                .method(Connection.Method.POST)
                .header("Origin", home.getScheme() + "://" + home.getAuthority())
                .execute();
        Document after = session.newRequest(server.url("/home")).get();

        assertThat(after.title()).as("back at the provider's login page").isEqualTo("Demo identity provider");
    }
}
