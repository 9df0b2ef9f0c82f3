package dev.rolebridge.internal.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiRequestsTest {

    @Test
    void xhrIsAnApiRequestButGetsTheHtmlErrorPage() {
        var xhr = new FakeHttp.Request()
                .header("X-Requested-With", "XMLHttpRequest")
                .header("Accept", "*/*")
                .proxy();
        assertThat(ApiRequests.isApi(xhr)).isTrue();
        assertThat(ApiRequests.wantsJson(xhr)).isFalse();
    }

    @Test
    void askingForJsonIsAnApiRequestAndGetsJsonErrors() {
        var json = new FakeHttp.Request().header("Accept", "application/json").proxy();
        assertThat(ApiRequests.isApi(json)).isTrue();
        assertThat(ApiRequests.wantsJson(json)).isTrue();
    }

    @Test
    void browserNavigationIsNotAnApiRequest() {
        var page = new FakeHttp.Request()
                .header("Accept", "text/html,application/json;q=0.9,*/*;q=0.8")
                .proxy();
        assertThat(ApiRequests.isApi(page)).isFalse();
        assertThat(ApiRequests.wantsJson(page)).isFalse();
        assertThat(ApiRequests.isApi(new FakeHttp.Request().proxy())).isFalse();
    }

    @Test
    void pac4jsAjaxMarkerIsAnApiRequest() {
        assertThat(ApiRequests.isApi(new FakeHttp.Request()
                        .parameter("is_ajax_request", "true")
                        .proxy()))
                .isTrue();
    }
}
