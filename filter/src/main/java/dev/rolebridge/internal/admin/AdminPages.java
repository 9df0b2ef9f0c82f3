package dev.rolebridge.internal.admin;

import dev.rolebridge.RolebridgePrincipal;
import dev.rolebridge.internal.mapping.AppGroup;
import dev.rolebridge.internal.mapping.MappingOutcome;
import dev.rolebridge.internal.store.Origin;
import dev.rolebridge.internal.store.StoredRule;
import dev.rolebridge.internal.store.StoredUser;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import net.minidev.json.JSONObject;
import net.minidev.json.parser.JSONParser;
import net.minidev.json.parser.ParseException;
import org.owasp.encoder.Encode;

/**
 * The administration pages: server-rendered HTML that works without JavaScript (there is none, and the
 * Content-Security-Policy allows none), one stylesheet of its own, forms that carry the session's CSRF token,
 * and every value encoded for where it is written. A form's POST answers with a redirect to the page it came
 * from (with a one-line notice), or with the page again and the refusal next to the field (status 400).
 */
final class AdminPages {

    static final String CSRF_ATTRIBUTE = AdminPages.class.getName() + ".csrf";
    private static final String NOTICE_ATTRIBUTE = AdminPages.class.getName() + ".notice";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AdminService service;

    AdminPages(AdminService service) {
        this.service = Objects.requireNonNull(service, "service");
    }

    // --- CSRF

    /** The session's CSRF token, made at its first use. */
    static String csrfToken(HttpSession session) {
        Object token = session.getAttribute(CSRF_ATTRIBUTE);
        if (token instanceof String text) {
            return text;
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String created = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        session.setAttribute(CSRF_ATTRIBUTE, created);
        return created;
    }

    /** Whether the form's {@code csrf} field is the session's token (compared in constant time). */
    boolean csrfValid(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        String sent = request.getParameter("csrf");
        if (session == null || sent == null || !(session.getAttribute(CSRF_ATTRIBUTE) instanceof String token)) {
            return false;
        }
        return MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8));
    }

    void csrfRefused(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Html page = new Html(request, "Refused");
        page.raw("<p>The form was not sent from this page, or it has expired. Go back, reload the page and send it"
                + " again.</p>");
        page.send(response, 403);
    }

    void forbidden(HttpServletRequest request, HttpServletResponse response, RolebridgePrincipal principal)
            throws IOException {
        Html page = new Html(request, "Not an administrator");
        page.text(
                "p",
                "You are signed in as " + principal.getName() + ", who does not hold the role '"
                        + service.settings().role() + "' that the administration page needs.");
        page.send(response, 403);
    }

    // --- routing

    void serve(HttpServletRequest request, HttpServletResponse response, String rest, RolebridgePrincipal principal)
            throws IOException {
        String path = rest.isEmpty() ? "/" : rest;
        boolean post = request.getMethod().equals("POST");
        String actedBy = principal.getName();
        try {
            if (path.equals("/admin.css")) {
                css(response);
                return;
            }
            if (path.equals("/")) {
                home(request, response);
                return;
            }
            if (path.equals("/rules")) {
                if (post) {
                    service.addRule(request.getParameter("kind"), request.getParameter("text"), actedBy);
                    redirect(request, response, "/rules", "Rule added; it applies from the next login.");
                } else {
                    rules(request, response, null);
                }
                return;
            }
            if (post && path.matches("/rules/\\d+/(disable|delete|change)")) {
                String[] parts = path.split("/", 0);
                long id = Long.parseLong(parts[2]);
                switch (parts[3]) {
                    case "disable" -> service.disableRule(id, actedBy);
                    case "delete" -> service.deleteRule(id, actedBy);
                    default -> service.changeRule(id, request.getParameter("text"), actedBy);
                }
                redirect(request, response, "/rules", "Saved; it applies from the next login.");
                return;
            }
            if (path.equals("/roles")) {
                if (post) {
                    String order = request.getParameter("rolePriority");
                    service.setRolePriority(order == null || order.isBlank() ? null : list(order), actedBy);
                    redirect(request, response, "/roles", "Role order saved.");
                } else {
                    roles(request, response, null);
                }
                return;
            }
            if (post && path.equals("/groups")) {
                String roles = request.getParameter("roles");
                service.setGrants(request.getParameter("name"), roles == null ? List.of() : list(roles), actedBy);
                redirect(request, response, "/roles", "Group saved.");
                return;
            }
            if (path.equals("/dry-run")) {
                dryRun(request, response, post);
                return;
            }
            if (path.matches("/users/\\d+")) {
                user(request, response, Long.parseLong(path.substring("/users/".length())), null);
                return;
            }
            if (post && path.matches("/users/\\d+/memberships")) {
                long id = Long.parseLong(path.split("/", 0)[2]);
                boolean add = !"remove".equals(request.getParameter("action"));
                service.changeManual(id, request.getParameter("group"), add, actedBy);
                redirect(request, response, "/users/" + id, add ? "Membership added." : "Membership removed.");
                return;
            }
            Html page = new Html(request, "Not found");
            page.text("p", "There is no administration page at " + path + ".");
            page.send(response, 404);
        } catch (AdminException e) {
            if (!post) {
                Html page = new Html(request, "Refused");
                page.text("p", e.getMessage());
                page.send(response, e.status());
            } else if (path.startsWith("/rules")) {
                rules(request, response, e);
            } else if (path.equals("/roles") || path.equals("/groups")) {
                roles(request, response, e);
            } else if (path.startsWith("/users/")) {
                user(request, response, Long.parseLong(path.split("/", 0)[2]), e);
            } else {
                Html page = new Html(request, "Refused");
                page.text("p", e.getMessage());
                page.send(response, e.status());
            }
        }
    }

    // --- pages

    private void home(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Html page = new Html(request, "Administration");
        page.text(
                "p",
                "Signed-in users holding the role '" + service.settings().role() + "' run the mapping here."
                        + " Changes apply from each user's next login, and reach live sessions as their roles are"
                        + " refreshed.");
        page.raw("<ul class=\"cards\">");
        page.raw("<li><a href=\"" + page.href("/rules") + "\">Mapping rules</a>: IdP groups, claim rules and"
                + " hardcoded groups</li>");
        page.raw("<li><a href=\"" + page.href("/roles") + "\">Roles and groups</a>: the role order and what each"
                + " app group grants</li>");
        page.raw("<li><a href=\"" + page.href("/dry-run") + "\">Dry run</a>: what a login would get</li>");
        page.raw("</ul>");
        page.send(response, 200);
    }

    private void rules(HttpServletRequest request, HttpServletResponse response, AdminException error)
            throws IOException {
        Html page = new Html(request, "Mapping rules");
        page.notice();
        page.error(error);
        page.raw("<table><caption>Rules, in the order they apply</caption><thead><tr><th scope=\"col\">Kind</th>"
                + "<th scope=\"col\">Rule</th><th scope=\"col\">Source</th><th scope=\"col\">State</th>"
                + "<th scope=\"col\">Change</th></tr></thead><tbody>");
        for (AdminService.RuleView view : service.rules()) {
            StoredRule row = view.row();
            boolean configured = row.rule().origin() == Origin.CONFIG;
            boolean switchOff = row.action() == StoredRule.Action.DISABLE;
            page.raw("<tr><td>"
                    + Encode.forHtml(AdminService.RuleKind.of(row.rule().kind())) + "</td><td><code>"
                    + Encode.forHtml(row.rule().text()) + "</code></td><td>"
                    + (configured ? "configuration" : "administrator") + "</td><td>"
                    + (switchOff ? "switches the configured rule off" : view.inForce() ? "in force" : "switched off")
                    + "</td><td>");
            if (configured
                    && view.inForce()
                    && row.rule().kind() != dev.rolebridge.internal.store.MappingRule.Kind.DEFAULT_GROUP) {
                page.button("/rules/" + row.id() + "/disable", "Switch off", Map.of());
            } else if (!configured) {
                if (!switchOff) {
                    page.raw("<form method=\"post\" action=\"" + page.href("/rules/" + row.id() + "/change")
                            + "\" class=\"inline\">" + page.csrfField()
                            + "<label>New text <input name=\"text\" required value=\""
                            + Encode.forHtmlAttribute(row.rule().text()) + "\"></label>"
                            + "<button type=\"submit\">Change</button></form>");
                }
                page.button("/rules/" + row.id() + "/delete", switchOff ? "Switch on again" : "Delete", Map.of());
            }
            page.raw("</td></tr>");
        }
        page.raw("</tbody></table>");
        page.raw("<h2>Add a rule</h2><form method=\"post\" action=\"" + page.href("/rules") + "\">"
                + page.csrfField()
                + "<label for=\"kind\">Kind</label><select id=\"kind\" name=\"kind\">"
                + "<option value=\"groupMapping\">IdP group mapping (IdP group = app group, app group)</option>"
                + "<option value=\"claimRule\">Claim rule (department~eng.* &amp; country=NO -&gt; engineers)</option>"
                + "<option value=\"hardcodedGroup\">Hardcoded group (an app group every user joins)</option>"
                + "</select><label for=\"text\">Rule</label><input id=\"text\" name=\"text\" required"
                + " placeholder=\"contractors = end-users\""
                + (error != null && "text".equals(error.field())
                        ? " aria-invalid=\"true\" aria-describedby=\"error\""
                        : "")
                + "><button type=\"submit\">Add rule</button></form>");
        page.send(response, error == null ? 200 : error.status());
    }

    private void roles(HttpServletRequest request, HttpServletResponse response, AdminException error)
            throws IOException {
        Html page = new Html(request, "Roles and groups");
        page.notice();
        page.error(error);
        page.raw("<h2>Role order</h2><form method=\"post\" action=\"" + page.href("/roles") + "\">"
                + page.csrfField()
                + "<label for=\"rolePriority\">Ranked roles, highest first (the configuration says "
                + Encode.forHtml(
                        String.join(", ", service.mapping().configured().rolePriority()))
                + "; empty returns to it)</label><input id=\"rolePriority\" name=\"rolePriority\" value=\""
                + Encode.forHtmlAttribute(String.join(", ", service.rolePriority()))
                + "\"><button type=\"submit\">Save order</button></form>");
        page.raw("<h2>App groups</h2><table><thead><tr><th scope=\"col\">Group</th><th scope=\"col\">Grants</th>"
                + "</tr></thead><tbody>");
        for (AppGroup group : service.groups()) {
            page.raw("<tr><td>" + Encode.forHtml(group.name()) + "</td><td>"
                    + Encode.forHtml(String.join(", ", group.grantedRoles())) + "</td></tr>");
        }
        page.raw("</tbody></table><h2>Give a group its roles</h2><form method=\"post\" action=\""
                + page.href("/groups") + "\">" + page.csrfField()
                + "<label for=\"name\">App group (created when missing)</label><input id=\"name\" name=\"name\""
                + " required><label for=\"roles\">Roles, separated by commas</label><input id=\"roles\""
                + " name=\"roles\"><button type=\"submit\">Save group</button></form>");
        page.send(response, error == null ? 200 : error.status());
    }

    private void dryRun(HttpServletRequest request, HttpServletResponse response, boolean post) throws IOException {
        Html page = new Html(request, "Dry run");
        String claims = post ? request.getParameter("claims") : null;
        String userId = request.getParameter("userId");
        AdminException error = null;
        AdminService.DryRun run = null;
        if (post) {
            try {
                Object parsed = new JSONParser(JSONParser.MODE_RFC4627).parse(claims == null ? "" : claims);
                if (!(parsed instanceof JSONObject object)) {
                    throw AdminException.invalid("claims", "expected a JSON object of claims");
                }
                Long id = userId == null || userId.isBlank() ? null : parseId(userId);
                run = service.dryRun(object, id);
            } catch (ParseException e) {
                error = AdminException.invalid("claims", "The claims are not valid JSON");
            } catch (AdminException e) {
                error = e;
            }
        }
        page.error(error);
        page.raw("<form method=\"post\" action=\"" + page.href("/dry-run") + "\">" + page.csrfField()
                + "<label for=\"claims\">Claims of a login, as JSON</label><textarea id=\"claims\" name=\"claims\""
                + " rows=\"6\" required>"
                + Encode.forHtmlContent(
                        claims == null ? "{\"preferred_username\": \"carl\", \"groups\": [\"contractors\"]}" : claims)
                + "</textarea><label for=\"userId\">For the user (store id; empty for a new user)</label>"
                + "<input id=\"userId\" name=\"userId\" inputmode=\"numeric\" value=\""
                + Encode.forHtmlAttribute(userId == null ? "" : userId) + "\">"
                + "<button type=\"submit\">Run</button></form>");
        if (run != null) {
            MappingOutcome outcome = run.outcome();
            page.raw("<h2>Result</h2><p class=\"notice\">Nothing was written.</p><dl>");
            page.raw("<dt>Groups</dt><dd>" + Encode.forHtml(String.join(", ", outcome.desiredGroups())) + "</dd>");
            page.raw("<dt>Primary role</dt><dd>" + Encode.forHtml(String.valueOf(outcome.primaryRole())) + "</dd>");
            page.raw("<dt>Roles</dt><dd>" + Encode.forHtml(String.join(", ", outcome.effectiveRoles())) + "</dd>");
            page.raw("<dt>Would be added</dt><dd>" + Encode.forHtml(String.join(", ", outcome.toAdd())) + "</dd>");
            page.raw("<dt>Would be removed</dt><dd>" + Encode.forHtml(String.join(", ", outcome.toRemove()))
                    + "</dd></dl><h3>Why</h3><ol class=\"trace\">");
            outcome.traceLines().forEach(line -> page.text("li", line));
            page.raw("</ol>");
        }
        page.send(response, error == null ? 200 : error.status());
    }

    private void user(HttpServletRequest request, HttpServletResponse response, long id, AdminException error)
            throws IOException {
        StoredUser user = service.user(id);
        Html page = new Html(request, "User " + (user.username() == null ? user.subject() : user.username()));
        page.notice();
        page.error(error);
        page.raw("<dl><dt>Subject</dt><dd><code>" + Encode.forHtml(user.subject()) + "</code></dd><dt>E-mail</dt><dd>"
                + Encode.forHtml(String.valueOf(user.email())) + "</dd><dt>Primary role</dt><dd>"
                + Encode.forHtml(String.valueOf(user.primaryRole())) + "</dd><dt>Active</dt><dd>"
                + (user.active() ? "yes" : "no") + "</dd></dl>");
        page.raw("<table><caption>Memberships</caption><thead><tr><th scope=\"col\">Group</th>"
                + "<th scope=\"col\">Source</th><th scope=\"col\">Change</th></tr></thead><tbody>");
        for (StoredUser.Membership m : user.memberships()) {
            page.raw("<tr><td>" + Encode.forHtml(m.group()) + "</td><td>"
                    + m.source().name() + "</td><td>");
            if (m.source() == dev.rolebridge.internal.store.MembershipSource.MANUAL) {
                page.button("/users/" + id + "/memberships", "Remove", Map.of("group", m.group(), "action", "remove"));
            }
            page.raw("</td></tr>");
        }
        page.raw("</tbody></table><h2>Add a manual membership</h2><form method=\"post\" action=\""
                + page.href("/users/" + id + "/memberships") + "\">" + page.csrfField()
                + "<label for=\"group\">App group</label><input id=\"group\" name=\"group\" required>"
                + "<button type=\"submit\">Add</button></form>");
        page.send(response, error == null ? 200 : error.status());
    }

    private static long parseId(String text) {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw AdminException.invalid("userId", "expected a user's store id, a whole number");
        }
    }

    private static List<String> list(String text) {
        return Arrays.stream(text.split(",", 0))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    private void redirect(HttpServletRequest request, HttpServletResponse response, String to, String notice)
            throws IOException {
        request.getSession().setAttribute(NOTICE_ATTRIBUTE, notice);
        response.setStatus(303);
        response.setHeader("Location", base(request) + to);
    }

    private String base(HttpServletRequest request) {
        return request.getContextPath() + service.settings().path();
    }

    private static void css(HttpServletResponse response) throws IOException {
        byte[] bytes = CSS.getBytes(StandardCharsets.UTF_8);
        response.setContentType("text/css;charset=UTF-8");
        response.setHeader("Cache-Control", "max-age=300");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    private static final String CSS = """
            :root{color-scheme:light dark;font-family:system-ui,sans-serif;line-height:1.45}
            body{max-width:72rem;margin:0 auto;padding:0 1rem 3rem}
            header nav{display:flex;flex-wrap:wrap;gap:.25rem 1rem;padding:.75rem 0;border-bottom:1px solid #8886}
            a{color:inherit}a:focus,button:focus,input:focus,select:focus,textarea:focus{outline:3px solid #1a73e8;outline-offset:2px}
            table{border-collapse:collapse;width:100%;margin:1rem 0;display:block;overflow-x:auto}
            th,td{border-bottom:1px solid #8884;padding:.4rem .6rem;text-align:left;vertical-align:top}
            caption{text-align:left;font-weight:600;padding:.4rem 0}
            form{margin:.5rem 0;display:flex;flex-wrap:wrap;gap:.5rem;align-items:end}
            form.inline{display:inline-flex;margin:0 .5rem 0 0}
            label{display:block;font-weight:600;width:100%}form.inline label{width:auto}
            input,select,textarea{font:inherit;padding:.35rem;min-width:12rem;max-width:100%}
            textarea{width:100%}button{font:inherit;padding:.35rem .9rem;cursor:pointer}
            .notice{background:#1a73e822;padding:.5rem .75rem}.error{background:#d9302522;padding:.5rem .75rem}
            code{overflow-wrap:anywhere}.trace li{font-family:ui-monospace,monospace;font-size:.9em}
            @media (max-width:40rem){input,select{min-width:0;width:100%}}
            """;

    /** One page being written: the layout around it, and helpers that encode what they write. */
    private final class Html {

        private final HttpServletRequest request;
        private final StringBuilder body = new StringBuilder();
        private final String title;

        Html(HttpServletRequest request, String title) {
            this.request = request;
            this.title = title;
        }

        String href(String path) {
            return Encode.forHtmlAttribute(base(request) + path);
        }

        String csrfField() {
            return "<input type=\"hidden\" name=\"csrf\" value=\""
                    + Encode.forHtmlAttribute(csrfToken(request.getSession())) + "\">";
        }

        void raw(String html) {
            body.append(html).append('\n');
        }

        void text(String element, String text) {
            body.append('<')
                    .append(element)
                    .append('>')
                    .append(Encode.forHtml(text))
                    .append("</")
                    .append(element)
                    .append(">\n");
        }

        void notice() {
            HttpSession session = request.getSession(false);
            if (session != null && session.getAttribute(NOTICE_ATTRIBUTE) instanceof String notice) {
                session.removeAttribute(NOTICE_ATTRIBUTE);
                body.append("<p class=\"notice\" role=\"status\">")
                        .append(Encode.forHtml(notice))
                        .append("</p>\n");
            }
        }

        void error(AdminException error) {
            if (error != null) {
                body.append("<p class=\"error\" role=\"alert\" id=\"error\">")
                        .append(error.field() == null ? "" : Encode.forHtml(error.field()) + ": ")
                        .append(Encode.forHtml(error.getMessage()))
                        .append("</p>\n");
            }
        }

        /** A one-button form posting {@code fields} to {@code path}. */
        void button(String path, String label, Map<String, String> fields) {
            body.append("<form method=\"post\" action=\"")
                    .append(href(path))
                    .append("\" class=\"inline\">")
                    .append(csrfField());
            fields.forEach((name, value) -> body.append("<input type=\"hidden\" name=\"")
                    .append(Encode.forHtmlAttribute(name))
                    .append("\" value=\"")
                    .append(Encode.forHtmlAttribute(value))
                    .append("\">"));
            body.append("<button type=\"submit\">")
                    .append(Encode.forHtml(label))
                    .append("</button></form>");
        }

        void send(HttpServletResponse response, int status) throws IOException {
            String nav = "<header><nav aria-label=\"Administration\"><a href=\"" + href("/") + "\">Administration</a>"
                    + "<a href=\"" + href("/rules") + "\">Mapping rules</a>"
                    + "<a href=\"" + href("/roles") + "\">Roles and groups</a>"
                    + "<a href=\"" + href("/dry-run") + "\">Dry run</a></nav></header>";
            String html = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                    + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>"
                    + Encode.forHtml(title) + " - Rolebridge</title><link rel=\"stylesheet\" href=\""
                    + href("/admin.css") + "\"></head><body>" + nav + "<main><h1>" + Encode.forHtml(title)
                    + "</h1>\n" + body + "</main></body></html>\n";
            byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
            response.setStatus(status);
            response.setHeader("Cache-Control", "no-store");
            response.setHeader("X-Content-Type-Options", "nosniff");
            response.setHeader("Referrer-Policy", "same-origin");
            response.setHeader(
                    "Content-Security-Policy",
                    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none';"
                            + " base-uri 'none'");
            response.setContentType("text/html;charset=UTF-8");
            response.setContentLength(bytes.length);
            response.getOutputStream().write(bytes);
        }
    }
}
