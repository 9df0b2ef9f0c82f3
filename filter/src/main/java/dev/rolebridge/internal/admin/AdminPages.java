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
        page.withoutNavigation();
        page.raw("<p>The form was not sent from this page, or it has expired. Go back, reload the page and send it"
                + " again.</p>");
        page.send(response, 403);
    }

    void forbidden(HttpServletRequest request, HttpServletResponse response, RolebridgePrincipal principal)
            throws IOException {
        Html page = new Html(request, "Not an administrator");
        page.withoutNavigation();
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
            if (path.equals("/users")) {
                users(request, response);
                return;
            }
            if (path.equals("/audit")) {
                audit(request, response);
                return;
            }
            if (path.equals("/audit.csv")) {
                AdminApi.csv(response, service, AdminApi.auditQuery(request));
                return;
            }
            if (path.equals("/unmapped")) {
                unmapped(request, response);
                return;
            }
            if (path.equals("/provisioning")) {
                if (post) {
                    service.setScimEnabled("on".equals(request.getParameter("enabled")), actedBy);
                    redirect(
                            request,
                            response,
                            "/provisioning",
                            "Provisioning switched " + ("on".equals(request.getParameter("enabled")) ? "on." : "off."));
                } else {
                    provisioning(request, response, null, null);
                }
                return;
            }
            if (post && path.equals("/provisioning/tokens")) {
                Map.Entry<String, dev.rolebridge.internal.store.ScimToken> created =
                        service.createScimToken(request.getParameter("name"), actedBy);
                provisioning(request, response, created.getKey(), null);
                return;
            }
            if (post && path.matches("/provisioning/tokens/[0-9a-f-]+/revoke")) {
                service.revokeScimToken(path.split("/", 0)[3], actedBy);
                redirect(request, response, "/provisioning", "Token revoked.");
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
            } else if (path.startsWith("/provisioning")) {
                provisioning(request, response, null, e);
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
        page.raw("<li><a href=\"" + page.href("/users") + "\">Users</a>: who is in what, and why; manual"
                + " memberships</li>");
        page.raw("<li><a href=\"" + page.href("/audit") + "\">Audit trail</a>: every change by a login, SCIM or an"
                + " administrator</li>");
        page.raw("<li><a href=\"" + page.href("/unmapped") + "\">Unmapped groups</a>: IdP groups that mapped to"
                + " nothing</li>");
        page.raw("<li><a href=\"" + page.href("/provisioning") + "\">Provisioning</a>: the SCIM endpoint and its"
                + " tokens</li>");
        page.raw("</ul>");
        page.send(response, 200);
    }

    private void rules(HttpServletRequest request, HttpServletResponse response, AdminException error)
            throws IOException {
        Html page = new Html(request, "Mapping rules");
        page.notice();
        page.error(error);
        page.raw(
                "<div class=\"scroll\"><table><caption>Rules, in the order they apply</caption><thead><tr><th scope=\"col\">Kind</th>"
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
        page.raw("</tbody></table></div>");
        page.raw("<h2>Add a rule</h2><form method=\"post\" action=\"" + page.href("/rules") + "\">"
                + page.csrfField()
                + "<label for=\"kind\">Kind</label><select id=\"kind\" name=\"kind\">"
                + "<option value=\"groupMapping\">IdP group mapping</option>"
                + "<option value=\"claimRule\">Claim rule</option>"
                + "<option value=\"hardcodedGroup\">Hardcoded group</option>"
                + "</select><label for=\"text\">Rule: <code>IdP group = app group, app group</code>, a claim rule"
                + " <code>department~eng.* &amp; country=NO -&gt; engineers</code>, or the name of an app group every"
                + " user joins</label><input id=\"text\" name=\"text\" required"
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
        page.raw(
                "<h2>App groups</h2><div class=\"scroll\"><table><thead><tr><th scope=\"col\">Group</th><th scope=\"col\">Grants</th>"
                        + "</tr></thead><tbody>");
        List<AppGroup> groups = service.groups();
        int offset = Math.max(0, AdminApi.integer(request, "offset", 0));
        for (AppGroup group :
                groups.subList(Math.min(offset, groups.size()), Math.min(groups.size(), offset + PAGE_SIZE))) {
            page.raw("<tr><td>" + Encode.forHtml(group.name()) + "</td><td>"
                    + Encode.forHtml(String.join(", ", group.grantedRoles())) + "</td></tr>");
        }
        page.raw("</tbody></table></div>");
        page.pager("/roles", Map.of(), offset, groups.size());
        page.raw("<h2>Give a group its roles</h2><form method=\"post\" action=\""
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
            page.raw("<dt>Would be added</dt><dd>" + Encode.forHtml(listOrNone(outcome.toAdd())) + "</dd>");
            page.raw("<dt>Would be removed</dt><dd>" + Encode.forHtml(listOrNone(outcome.toRemove()))
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
        page.raw("<div class=\"scroll\"><table><caption>Memberships</caption><thead><tr><th scope=\"col\">Group</th>"
                + "<th scope=\"col\">Source</th><th scope=\"col\">Change</th></tr></thead><tbody>");
        for (StoredUser.Membership m : user.memberships()) {
            page.raw("<tr><td>" + Encode.forHtml(m.group()) + "</td><td>"
                    + m.source().name() + "</td><td>");
            if (m.source() == dev.rolebridge.internal.store.MembershipSource.MANUAL) {
                page.button("/users/" + id + "/memberships", "Remove", Map.of("group", m.group(), "action", "remove"));
            }
            page.raw("</td></tr>");
        }
        page.raw("</tbody></table></div><h2>Add a manual membership</h2><form method=\"post\" action=\""
                + page.href("/users/" + id + "/memberships") + "\">" + page.csrfField()
                + "<label for=\"group\">App group</label><input id=\"group\" name=\"group\" required>"
                + "<button type=\"submit\">Add</button></form>");
        page.send(response, error == null ? 200 : error.status());
    }

    private static final int PAGE_SIZE = 50;

    private void users(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String query = request.getParameter("q");
        int offset = Math.max(0, AdminApi.integer(request, "offset", 0));
        dev.rolebridge.internal.store.Page<StoredUser> found = service.searchUsers(query, offset, PAGE_SIZE);
        Html page = new Html(request, "Users");
        page.raw("<form method=\"get\" action=\"" + page.href("/users") + "\" role=\"search\">"
                + "<label for=\"q\">Name, e-mail or subject contains</label><input id=\"q\" name=\"q\" value=\""
                + Encode.forHtmlAttribute(query == null ? "" : query) + "\"><button type=\"submit\">Search</button>"
                + "</form>");
        page.raw("<div class=\"scroll\"><table><caption>" + found.total()
                + " users</caption><thead><tr><th scope=\"col\">User</th>"
                + "<th scope=\"col\">E-mail</th><th scope=\"col\">Primary role</th><th scope=\"col\">Groups</th>"
                + "<th scope=\"col\">Active</th></tr></thead><tbody>");
        for (StoredUser user : found.items()) {
            page.raw("<tr><td><a href=\"" + page.href("/users/" + user.id()) + "\">"
                    + Encode.forHtml(user.username() == null ? user.subject() : user.username()) + "</a></td><td>"
                    + Encode.forHtml(String.valueOf(user.email())) + "</td><td>"
                    + Encode.forHtml(String.valueOf(user.primaryRole())) + "</td><td>"
                    + Encode.forHtml(String.join(", ", user.groups())) + "</td><td>" + (user.active() ? "yes" : "no")
                    + "</td></tr>");
        }
        page.raw("</tbody></table></div>");
        page.pager("/users", Map.of("q", query == null ? "" : query), offset, found.total());
        page.send(response, 200);
    }

    private void audit(HttpServletRequest request, HttpServletResponse response) throws IOException {
        int offset = Math.max(0, AdminApi.integer(request, "offset", 0));
        dev.rolebridge.internal.store.AuditQuery query = AdminApi.auditQuery(request);
        dev.rolebridge.internal.store.Page<dev.rolebridge.internal.store.AuditEvent> events =
                service.auditTrail(query, offset, PAGE_SIZE);
        Html page = new Html(request, "Audit trail");
        Map<String, String> filter = new java.util.LinkedHashMap<>();
        for (String name : List.of("subject", "group", "actor", "from", "to")) {
            String value = request.getParameter(name);
            filter.put(name, value == null ? "" : value);
        }
        StringBuilder form =
                new StringBuilder("<form method=\"get\" class=\"filters\" action=\"" + page.href("/audit") + "\">");
        Map<String, String> labels = Map.of(
                "subject", "User (subject or name)",
                "group", "Group",
                "actor", "Actor (login, scim, admin)",
                "from", "From (2026-12-01)",
                "to", "Before");
        filter.forEach((name, value) -> form.append("<label for=\"")
                .append(name)
                .append("\">")
                .append(Encode.forHtml(labels.get(name)))
                .append("</label><input id=\"")
                .append(name)
                .append("\" name=\"")
                .append(name)
                .append("\" value=\"")
                .append(Encode.forHtmlAttribute(value))
                .append("\">"));
        form.append("<button type=\"submit\">Filter</button></form>");
        page.raw(form.toString());
        StringBuilder csv = new StringBuilder(base(request) + "/audit.csv?");
        filter.forEach((name, value) -> csv.append(Encode.forUriComponent(name))
                .append('=')
                .append(Encode.forUriComponent(value))
                .append('&'));
        page.raw("<p><a href=\"" + Encode.forHtmlAttribute(csv.toString()) + "\">Export these events as CSV</a></p>");
        page.raw(
                "<div class=\"scroll\"><table><caption>" + events.total() + " events, newest first</caption><thead><tr>"
                        + "<th scope=\"col\">Time (UTC)</th><th scope=\"col\">Actor</th><th scope=\"col\">By</th>"
                        + "<th scope=\"col\">User</th><th scope=\"col\">Added</th><th scope=\"col\">Removed</th>"
                        + "<th scope=\"col\">Role</th><th scope=\"col\">Rules and changes</th></tr></thead><tbody>");
        for (dev.rolebridge.internal.store.AuditEvent event : events.items()) {
            String role = java.util.Objects.equals(event.roleBefore(), event.roleAfter())
                    ? String.valueOf(event.roleAfter() == null ? "" : event.roleAfter())
                    : (event.roleBefore() == null ? "(none)" : event.roleBefore()) + " -> " + event.roleAfter();
            page.raw("<tr><td class=\"time\">" + Encode.forHtml(when(event.time())) + "</td><td>"
                    + Encode.forHtml(event.actor()) + "</td><td>"
                    + Encode.forHtml(event.actedBy() == null ? "" : event.actedBy()) + "</td><td>"
                    + Encode.forHtml(event.subject()) + "</td><td>" + Encode.forHtml(String.join(", ", event.added()))
                    + "</td><td>" + Encode.forHtml(String.join(", ", event.removed())) + "</td><td>"
                    + Encode.forHtml(role) + "</td><td>" + Encode.forHtml(String.join("; ", event.rulesFired()))
                    + (event.activeAfter() == null ? "" : event.activeAfter() ? " (reactivated)" : " (deactivated)")
                    + "</td></tr>");
        }
        page.raw("</tbody></table></div>");
        page.pager("/audit", filter, offset, events.total());
        page.send(response, 200);
    }

    private void unmapped(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Html page = new Html(request, "Unmapped groups");
        page.text(
                "p",
                "IdP groups that logins of the last " + AdminService.UNMAPPED_WINDOW.toDays()
                        + " days carried but that mapped to no app group: the list to write the next mapping from.");
        page.raw("<div class=\"scroll\"><table><thead><tr><th scope=\"col\">IdP group</th><th scope=\"col\">Users</th>"
                + "<th scope=\"col\">Last seen (UTC)</th><th scope=\"col\">Map it</th></tr></thead><tbody>");
        for (dev.rolebridge.internal.store.UnmappedGroup group : service.unmappedGroups(200)) {
            page.raw("<tr><td>" + Encode.forHtml(group.name()) + "</td><td>" + group.users() + "</td><td>"
                    + Encode.forHtml(when(group.lastSeen())) + "</td><td>");
            page.raw("<form method=\"post\" action=\"" + page.href("/rules") + "\" class=\"inline\">"
                    + page.csrfField() + "<input type=\"hidden\" name=\"kind\" value=\"groupMapping\">"
                    + "<label>Rule <input name=\"text\" required value=\""
                    + Encode.forHtmlAttribute(
                            dev.rolebridge.internal.mapping.MappingConfig.escapeName(group.name()) + " = ")
                    + "\"></label><button type=\"submit\">Add mapping</button></form>");
            page.raw("</td></tr>");
        }
        page.raw("</tbody></table></div>");
        page.send(response, 200);
    }

    private void provisioning(
            HttpServletRequest request, HttpServletResponse response, String newToken, AdminException error)
            throws IOException {
        AdminService.Provisioning state = service.provisioning();
        Html page = new Html(request, "Provisioning");
        page.notice();
        page.error(error);
        if (state.url() == null) {
            page.text("p", "There is no SCIM endpoint: scimPath is not a usable path.");
            page.send(response, error == null ? 200 : error.status());
            return;
        }
        page.raw("<dl><dt>SCIM base URL</dt><dd><code>" + Encode.forHtml(state.url()) + "</code></dd><dt>State</dt><dd>"
                + (state.enabled() ? "on" : "off") + "</dd><dt>scimToken in the configuration</dt><dd>"
                + (state.configuredToken() ? "set" : "not set") + "</dd></dl>");
        page.raw("<form method=\"post\" action=\"" + page.href("/provisioning") + "\">" + page.csrfField()
                + "<input type=\"hidden\" name=\"enabled\" value=\"" + (state.enabled() ? "off" : "on") + "\">"
                + "<button type=\"submit\">" + (state.enabled() ? "Switch provisioning off" : "Switch provisioning on")
                + "</button></form>");
        if (newToken != null) {
            page.raw("<p class=\"notice\" role=\"status\">The new token, shown this once: <code>"
                    + Encode.forHtml(newToken) + "</code> &mdash; give it to the provider now; only its digest is"
                    + " kept.</p>");
        }
        page.raw(
                "<div class=\"scroll\"><table><caption>Tokens created here</caption><thead><tr><th scope=\"col\">Name</th>"
                        + "<th scope=\"col\">Created</th><th scope=\"col\">By</th><th scope=\"col\">State</th>"
                        + "<th scope=\"col\">Change</th></tr></thead><tbody>");
        for (dev.rolebridge.internal.store.ScimToken token : state.tokens()) {
            page.raw("<tr><td>" + Encode.forHtml(token.name()) + "</td><td>"
                    + Encode.forHtml(when(token.created()))
                    + "</td><td>" + Encode.forHtml(String.valueOf(token.createdBy())) + "</td><td>"
                    + (token.revoked() == null ? "valid" : "revoked " + Encode.forHtml(when(token.revoked())))
                    + "</td><td>");
            if (token.revoked() == null) {
                page.button("/provisioning/tokens/" + token.id() + "/revoke", "Revoke", Map.of());
            }
            page.raw("</td></tr>");
        }
        page.raw("</tbody></table></div><h2>Create a token</h2><form method=\"post\" action=\""
                + page.href("/provisioning/tokens") + "\">" + page.csrfField()
                + "<label for=\"name\">Name (the provider that will use it)</label><input id=\"name\" name=\"name\""
                + " required maxlength=\"255\"><button type=\"submit\">Create token</button></form>");
        page.send(response, error == null ? 200 : error.status());
    }

    private static String listOrNone(List<String> values) {
        return values.isEmpty() ? "none" : String.join(", ", values);
    }

    /** An instant to the second, as people read it: {@code 2026-12-02 04:33:34Z}. */
    private static String when(java.time.Instant instant) {
        return instant == null
                ? ""
                : java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'")
                        .withZone(java.time.ZoneOffset.UTC)
                        .format(instant);
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
            .scroll{overflow-x:auto;margin:1rem 0}table{border-collapse:collapse;width:100%}
            th,td{border-bottom:1px solid #8884;padding:.4rem .6rem;text-align:left;vertical-align:top}
            td.time{white-space:nowrap}caption{text-align:left;font-weight:600;padding:.4rem 0}
            form{margin:.5rem 0;display:flex;flex-wrap:wrap;gap:.5rem;align-items:end}
            form.inline{display:inline-flex;margin:0 .5rem .25rem 0}
            label{display:block;font-weight:600;width:100%}form.inline label,form.filters label{width:auto}
            form.filters label input{display:block}
            input,select,textarea{font:inherit;font-weight:normal;padding:.35rem;min-width:12rem;max-width:100%}
            textarea{width:100%}button{font:inherit;padding:.35rem .9rem;cursor:pointer}
            dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dt{font-weight:600}dd{margin:0}
            .notice{background:#1a73e822;padding:.5rem .75rem}.error{background:#d9302522;padding:.5rem .75rem}
            code{overflow-wrap:break-word}.trace li{font-family:ui-monospace,monospace;font-size:.9em}
            .pager{display:flex;gap:1rem;align-items:center}
            @media (max-width:40rem){input,select{min-width:0;width:100%}dl{grid-template-columns:1fr}
            table,tbody,tr,td{display:block}thead{position:absolute;left:-100vw}tr{border-bottom:1px solid #8886;padding:.5rem 0}
            td{border:0;padding:.1rem 0}caption{display:block}}
            """;

    /** One page being written: the layout around it, and helpers that encode what they write. */
    private final class Html {

        private final HttpServletRequest request;
        private final StringBuilder body = new StringBuilder();
        private final String title;
        private boolean navigation = true;

        Html(HttpServletRequest request, String title) {
            this.request = request;
            this.title = title;
        }

        /** For someone who may not use the page: a link back to the application instead of the page's own. */
        void withoutNavigation() {
            navigation = false;
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

        /** Previous and next links for a list of {@code total} items shown {@value #PAGE_SIZE} at a time. */
        void pager(String path, Map<String, String> query, int offset, long total) {
            StringBuilder links = new StringBuilder("<nav aria-label=\"Pages\" class=\"pager\">");
            if (offset > 0) {
                links.append("<a href=\"")
                        .append(pageHref(path, query, Math.max(0, offset - PAGE_SIZE)))
                        .append("\">Previous</a> ");
            }
            links.append("<span>")
                    .append(total == 0 ? 0 : offset + 1)
                    .append("&ndash;")
                    .append(Math.min(total, offset + PAGE_SIZE))
                    .append(" of ")
                    .append(total)
                    .append("</span>");
            if (offset + PAGE_SIZE < total) {
                links.append(" <a href=\"")
                        .append(pageHref(path, query, offset + PAGE_SIZE))
                        .append("\">Next</a>");
            }
            body.append(links).append("</nav>\n");
        }

        private String pageHref(String path, Map<String, String> query, int offset) {
            StringBuilder href = new StringBuilder(base(request) + path + "?");
            query.forEach((name, value) -> href.append(Encode.forUriComponent(name))
                    .append('=')
                    .append(Encode.forUriComponent(value))
                    .append('&'));
            href.append("offset=").append(offset);
            return Encode.forHtmlAttribute(href.toString());
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
            String nav = !navigation
                    ? "<header><nav aria-label=\"Application\"><a href=\""
                            + Encode.forHtmlAttribute(request.getContextPath() + "/") + "\">Back to the application</a>"
                            + "</nav></header>"
                    : "<header><nav aria-label=\"Administration\"><a href=\"" + href("/") + "\">Administration</a>"
                            + "<a href=\"" + href("/rules") + "\">Mapping rules</a>"
                            + "<a href=\"" + href("/roles") + "\">Roles and groups</a>"
                            + "<a href=\"" + href("/dry-run") + "\">Dry run</a>"
                            + "<a href=\"" + href("/users") + "\">Users</a>"
                            + "<a href=\"" + href("/audit") + "\">Audit trail</a>"
                            + "<a href=\"" + href("/unmapped") + "\">Unmapped groups</a>"
                            + "<a href=\"" + href("/provisioning") + "\">Provisioning</a></nav></header>";
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
