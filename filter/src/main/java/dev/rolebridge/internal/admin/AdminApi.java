package dev.rolebridge.internal.admin;

import dev.rolebridge.internal.mapping.AppGroup;
import dev.rolebridge.internal.mapping.MappingOutcome;
import dev.rolebridge.internal.store.AuditCsv;
import dev.rolebridge.internal.store.AuditEvent;
import dev.rolebridge.internal.store.AuditQuery;
import dev.rolebridge.internal.store.MappingRule;
import dev.rolebridge.internal.store.MembershipDetail;
import dev.rolebridge.internal.store.MembershipStore;
import dev.rolebridge.internal.store.Page;
import dev.rolebridge.internal.store.ScimToken;
import dev.rolebridge.internal.store.StoredRule;
import dev.rolebridge.internal.store.StoredUser;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import net.minidev.json.JSONObject;
import net.minidev.json.JSONValue;
import net.minidev.json.parser.JSONParser;
import net.minidev.json.parser.ParseException;

/**
 * The JSON API under {@code adminPath + "/api"}: one method per operation of {@link AdminService}, answering
 * {@code application/json}; a refusal is {@code {"status": 400, "field": "text", "error": "..."}} with the
 * status of the {@link AdminException}. Who may call it is decided before (see {@code AdminEndpoint}).
 *
 * <table>
 *   <caption>Endpoints (paths below {@code adminPath})</caption>
 *   <tr><td>GET /api/rules</td><td>every rule row, configured first, with whether it is in force</td></tr>
 *   <tr><td>POST /api/rules</td><td>{@code {"kind": "groupMapping", "text": "contractors = end-users"}}</td></tr>
 *   <tr><td>PUT /api/rules/{id}</td><td>{@code {"text": ...}}: change an administrator's rule</td></tr>
 *   <tr><td>DELETE /api/rules/{id}</td><td>delete an administrator's rule or switching off</td></tr>
 *   <tr><td>POST /api/rules/{id}/disable</td><td>switch a configured rule off</td></tr>
 *   <tr><td>GET, PUT /api/roles</td><td>{@code {"rolePriority": [...]}} ({@code null} for the configured order)</td></tr>
 *   <tr><td>GET /api/groups?offset=&amp;limit=, POST /api/groups</td><td>{@code {"name": ..., "roles": [...]}}: a group's grants</td></tr>
 *   <tr><td>POST /api/dry-run</td><td>{@code {"claims": {...}, "userId": 12}}: what a login would get</td></tr>
 *   <tr><td>GET /api/users?q=&amp;offset=&amp;limit=</td><td>users whose name, e-mail or subject contains q</td></tr>
 *   <tr><td>GET /api/users/{id}</td><td>a user with their memberships, when and by what each came</td></tr>
 *   <tr><td>POST /api/users/{id}/memberships</td><td>{@code {"group": ...}}: add a MANUAL membership</td></tr>
 *   <tr><td>DELETE /api/users/{id}/memberships?group=...</td><td>remove a MANUAL membership</td></tr>
 *   <tr><td>GET /api/audit?subject=&amp;group=&amp;actor=&amp;from=&amp;to=&amp;offset=&amp;limit=</td><td>the audit trail, newest first</td></tr>
 *   <tr><td>GET /api/audit.csv?...</td><td>the same, as CSV</td></tr>
 *   <tr><td>GET /api/unmapped-groups</td><td>IdP groups of the last 30 days' logins that mapped to nothing</td></tr>
 *   <tr><td>GET, PUT /api/provisioning</td><td>the SCIM endpoint; {@code {"enabled": false}} switches it off</td></tr>
 *   <tr><td>POST /api/provisioning/tokens, DELETE /api/provisioning/tokens/{id}</td><td>create (shown once) and revoke SCIM tokens</td></tr>
 * </table>
 */
final class AdminApi {

    /** The largest request body accepted. */
    static final int MAX_BODY_BYTES = 256 * 1024;

    private final AdminService service;

    AdminApi(AdminService service) {
        this.service = Objects.requireNonNull(service, "service");
    }

    /** Answers one API request; {@code rest} is the path below {@code /api}, {@code actedBy} the caller's name. */
    void serve(HttpServletRequest request, HttpServletResponse response, String rest, String actedBy)
            throws IOException {
        try {
            Object answer = route(request, response, rest, actedBy);
            if (answer != null) {
                send(response, response.getStatus(), answer);
            }
        } catch (AdminException e) {
            sendError(response, e.status(), e.field(), e.getMessage());
        }
    }

    private Object route(HttpServletRequest request, HttpServletResponse response, String rest, String actedBy)
            throws IOException {
        String method = request.getMethod();
        List<String> parts = parts(rest);
        String first = parts.isEmpty() ? "" : parts.get(0);
        switch (first) {
            case "rules" -> {
                if (parts.size() == 1 && method.equals("GET")) {
                    return Map.of("rules", rules());
                }
                if (parts.size() == 1 && method.equals("POST")) {
                    Map<String, Object> body = body(request);
                    List<StoredRule> added = service.addRule(text(body, "kind"), text(body, "text"), actedBy);
                    response.setStatus(201);
                    return Map.of(
                            "rules", added.stream().map(r -> rule(r, true)).toList());
                }
                long id = id(parts, 1);
                if (parts.size() == 2 && method.equals("PUT")) {
                    return rule(service.changeRule(id, text(body(request), "text"), actedBy), true);
                }
                if (parts.size() == 2 && method.equals("DELETE")) {
                    service.deleteRule(id, actedBy);
                    response.setStatus(204);
                    return null;
                }
                if (parts.size() == 3 && parts.get(2).equals("disable") && method.equals("POST")) {
                    return rule(service.disableRule(id, actedBy), true);
                }
            }
            case "roles" -> {
                if (parts.size() == 1 && method.equals("GET")) {
                    return Map.of(
                            "rolePriority", service.rolePriority(),
                            "configuredRolePriority",
                                    service.mapping().configured().rolePriority(),
                            "roles", service.mapping().config().roles());
                }
                if (parts.size() == 1 && method.equals("PUT")) {
                    Map<String, Object> body = body(request);
                    service.setRolePriority(
                            body.get("rolePriority") == null ? null : strings(body, "rolePriority"), actedBy);
                    return Map.of("rolePriority", service.rolePriority());
                }
            }
            case "groups" -> {
                if (parts.size() == 1 && method.equals("GET")) {
                    List<AppGroup> all = service.groups();
                    int offset = integer(request, "offset", 0);
                    int limit = integer(request, "limit", 100);
                    if (offset < 0 || limit < 1 || limit > MembershipStore.MAX_PAGE_SIZE) {
                        throw AdminException.invalid(
                                offset < 0 ? "offset" : "limit",
                                "expected an offset of 0 or more and a limit of 1 to " + MembershipStore.MAX_PAGE_SIZE);
                    }
                    Map<String, Object> json = new LinkedHashMap<>();
                    json.put("total", all.size());
                    json.put("offset", offset);
                    json.put("limit", limit);
                    json.put(
                            "groups",
                            all.subList(Math.min(offset, all.size()), Math.min(all.size(), offset + limit)).stream()
                                    .map(AdminApi::group)
                                    .toList());
                    return json;
                }
                if (parts.size() == 1 && method.equals("POST")) {
                    Map<String, Object> body = body(request);
                    String name = text(body, "name");
                    service.setGrants(name, strings(body, "roles"), actedBy);
                    return service.groups().stream()
                            .filter(g -> g.name().equals(name.strip()))
                            .findFirst()
                            .map(AdminApi::group)
                            .orElseThrow(() -> AdminException.notFound("No app group '" + name + "'"));
                }
            }
            case "dry-run" -> {
                if (parts.size() == 1 && method.equals("POST")) {
                    Map<String, Object> body = body(request);
                    Object claims = body.getOrDefault("claims", Map.of());
                    if (!(claims instanceof Map<?, ?> map)) {
                        throw AdminException.invalid("claims", "expected a JSON object of claims");
                    }
                    Long userId = body.get("userId") == null ? null : number(body, "userId");
                    return dryRun(service.dryRun(claimsOf(map), userId));
                }
            }
            case "users" -> {
                if (parts.size() == 1 && method.equals("GET")) {
                    Page<StoredUser> page = service.searchUsers(
                            request.getParameter("q"), integer(request, "offset", 0), integer(request, "limit", 50));
                    return page(page, page.items().stream().map(AdminApi::user).toList());
                }
                long id = id(parts, 1);
                if (parts.size() == 2 && method.equals("GET")) {
                    StoredUser user = service.user(id);
                    Map<String, Object> json = user(user);
                    json.put(
                            "membershipDetails",
                            service.membershipDetails(user).stream()
                                    .map(AdminApi::detail)
                                    .toList());
                    return json;
                }
                if (parts.size() == 3 && parts.get(2).equals("memberships")) {
                    if (method.equals("POST")) {
                        return user(service.changeManual(id, text(body(request), "group"), true, actedBy));
                    }
                    if (method.equals("DELETE")) {
                        return user(service.changeManual(id, request.getParameter("group"), false, actedBy));
                    }
                }
            }
            case "audit" -> {
                if (parts.size() == 1 && method.equals("GET")) {
                    Page<AuditEvent> page = service.auditTrail(
                            auditQuery(request), integer(request, "offset", 0), integer(request, "limit", 50));
                    return page(page, page.items().stream().map(AdminApi::event).toList());
                }
            }
            case "audit.csv" -> {
                if (parts.size() == 1 && method.equals("GET")) {
                    csv(response, service, auditQuery(request));
                    return null;
                }
            }
            case "unmapped-groups" -> {
                if (parts.size() == 1 && method.equals("GET")) {
                    return Map.of(
                            "days",
                            AdminService.UNMAPPED_WINDOW.toDays(),
                            "groups",
                            service.unmappedGroups(integer(request, "limit", 100)).stream()
                                    .map(g -> {
                                        Map<String, Object> json = new LinkedHashMap<>();
                                        json.put("name", g.name());
                                        json.put("users", g.users());
                                        json.put("lastSeen", time(g.lastSeen()));
                                        return json;
                                    })
                                    .toList());
                }
            }
            case "provisioning" -> {
                if (parts.size() == 1 && method.equals("GET")) {
                    return provisioning(service.provisioning());
                }
                if (parts.size() == 1 && method.equals("PUT")) {
                    Object enabled = body(request).get("enabled");
                    if (!(enabled instanceof Boolean on)) {
                        throw AdminException.invalid("enabled", "expected true or false");
                    }
                    service.setScimEnabled(on, actedBy);
                    return provisioning(service.provisioning());
                }
                if (parts.size() == 2 && parts.get(1).equals("tokens") && method.equals("POST")) {
                    Map.Entry<String, ScimToken> created =
                            service.createScimToken(text(body(request), "name"), actedBy);
                    Map<String, Object> json = token(created.getValue());
                    json.put("token", created.getKey());
                    response.setStatus(201);
                    return json;
                }
                if (parts.size() == 3 && parts.get(1).equals("tokens") && method.equals("DELETE")) {
                    service.revokeScimToken(parts.get(2), actedBy);
                    response.setStatus(204);
                    return null;
                }
            }
            default -> {}
        }
        throw new AdminException(404, null, "No API operation " + method + " " + rest);
    }

    // --- what the answers hold

    private List<Map<String, Object>> rules() {
        return service.rules().stream().map(v -> rule(v.row(), v.inForce())).toList();
    }

    static Map<String, Object> rule(StoredRule row, boolean inForce) {
        MappingRule rule = row.rule();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", row.id());
        json.put("kind", AdminService.RuleKind.of(rule.kind()));
        json.put("text", rule.text());
        json.put("targetGroup", rule.targetGroup());
        json.put("syncMode", rule.syncMode() == null ? null : rule.syncMode().name());
        json.put("origin", rule.origin().name());
        json.put("action", row.action().name());
        json.put("inForce", inForce);
        return json;
    }

    static Map<String, Object> group(AppGroup group) {
        return pair("name", group.name(), "roles", List.copyOf(group.grantedRoles()));
    }

    /** A JSON object of two members, in this order. */
    private static Map<String, Object> pair(String name, Object value, String otherName, Object otherValue) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put(name, value);
        json.put(otherName, otherValue);
        return json;
    }

    static Map<String, Object> user(StoredUser user) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", user.id());
        json.put("subject", user.subject());
        json.put("username", user.username());
        json.put("email", user.email());
        json.put("primaryRole", user.primaryRole());
        json.put("active", user.active());
        json.put("lastLogin", time(user.lastLogin()));
        json.put(
                "memberships",
                user.memberships().stream()
                        .map(m ->
                                Map.of("group", m.group(), "source", m.source().name()))
                        .toList());
        return json;
    }

    private static Map<String, Object> dryRun(AdminService.DryRun run) {
        MappingOutcome outcome = run.outcome();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("groups", outcome.desiredGroups());
        json.put("added", outcome.toAdd());
        json.put("removed", outcome.toRemove());
        json.put("created", outcome.toCreate().stream().map(AppGroup::name).toList());
        json.put("primaryRole", outcome.primaryRole());
        json.put("previousRole", outcome.previousRole());
        json.put("roles", outcome.effectiveRoles());
        json.put("trace", outcome.traceLines());
        if (run.user() != null) {
            json.put("user", user(run.user()));
        }
        return json;
    }

    static Map<String, Object> detail(MembershipDetail detail) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("group", detail.group());
        json.put("source", detail.source().name());
        json.put("since", time(detail.since()));
        json.put("actor", detail.actor());
        json.put("rules", detail.rules());
        return json;
    }

    static Map<String, Object> event(AuditEvent event) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("time", time(event.time()));
        json.put("actor", event.actor());
        json.put("actedBy", event.actedBy());
        json.put("subject", event.subject().isEmpty() ? null : event.subject());
        json.put("added", event.added());
        json.put("removed", event.removed());
        json.put("created", event.createdGroups());
        json.put("roleBefore", event.roleBefore());
        json.put("roleAfter", event.roleAfter());
        json.put("activeAfter", event.activeAfter());
        json.put("rules", event.rulesFired());
        return json;
    }

    private static Map<String, Object> page(Page<?> page, List<?> items) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("total", page.total());
        json.put("offset", page.offset());
        json.put("limit", page.limit());
        json.put("items", items);
        return json;
    }

    private static Map<String, Object> provisioning(AdminService.Provisioning provisioning) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("url", provisioning.url());
        json.put("enabled", provisioning.enabled());
        json.put("configuredToken", provisioning.configuredToken());
        json.put("tokens", provisioning.tokens().stream().map(AdminApi::token).toList());
        return json;
    }

    static Map<String, Object> token(ScimToken token) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", token.id());
        json.put("name", token.name());
        json.put("created", time(token.created()));
        json.put("createdBy", token.createdBy());
        json.put("revoked", time(token.revoked()));
        return json;
    }

    /** The audit filter of a request's parameters {@code subject}, {@code group}, {@code actor}, {@code from}, {@code to}. */
    static AuditQuery auditQuery(HttpServletRequest request) {
        return new AuditQuery(
                request.getParameter("subject"),
                request.getParameter("group"),
                request.getParameter("actor"),
                instant(request, "from"),
                instant(request, "to"));
    }

    private static Instant instant(HttpServletRequest request, String name) {
        String value = request.getParameter(name);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (java.time.format.DateTimeParseException e) {
            try {
                return java.time.LocalDate.parse(value.strip())
                        .atStartOfDay(java.time.ZoneOffset.UTC)
                        .toInstant();
            } catch (java.time.format.DateTimeParseException again) {
                throw AdminException.invalid(name, "expected a date (2026-12-01) or an instant (2026-12-01T10:00:00Z)");
            }
        }
    }

    static int integer(HttpServletRequest request, String name, int otherwise) {
        String value = request.getParameter(name);
        if (value == null || value.isBlank()) {
            return otherwise;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw AdminException.invalid(name, "expected a whole number");
        }
    }

    /** The whole filtered audit trail as CSV, read a page at a time. */
    static void csv(HttpServletResponse response, AdminService service, AuditQuery query) throws IOException {
        response.setStatus(200);
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("text/csv;charset=UTF-8");
        response.setHeader("Content-Disposition", "attachment; filename=\"rolebridge-audit.csv\"");
        java.io.Writer out = new java.io.OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8);
        List<AuditEvent> events = new ArrayList<>();
        int limit = MembershipStore.MAX_PAGE_SIZE;
        for (int offset = 0; ; offset += limit) {
            Page<AuditEvent> page = service.auditTrail(query, offset, limit);
            events.addAll(page.items());
            if (page.items().size() < limit || events.size() >= CSV_MAX_EVENTS) {
                break;
            }
        }
        AuditCsv.write(events, out);
        out.flush();
    }

    /** The most events one CSV export holds. */
    static final int CSV_MAX_EVENTS = 100_000;

    static String time(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    // --- reading requests

    private static List<String> parts(String rest) {
        List<String> parts = new ArrayList<>();
        for (String part : rest.split("/", 0)) {
            if (!part.isEmpty()) {
                parts.add(part);
            }
        }
        return parts;
    }

    private static long id(List<String> parts, int index) {
        if (parts.size() <= index) {
            throw new AdminException(404, null, "An id is missing from the path");
        }
        try {
            return Long.parseLong(parts.get(index));
        } catch (NumberFormatException e) {
            throw new AdminException(404, null, "'" + parts.get(index) + "' is no id");
        }
    }

    /** The request's JSON object; refuses another content type, a body over the bound and malformed JSON. */
    static Map<String, Object> body(HttpServletRequest request) throws IOException {
        String type = request.getContentType();
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new AdminException(415, null, "Send the request as application/json");
        }
        if (request.getContentLengthLong() > MAX_BODY_BYTES) {
            throw new AdminException(413, null, "The request body is larger than " + MAX_BODY_BYTES + " bytes");
        }
        byte[] bytes;
        try (InputStream in = request.getInputStream()) {
            bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (bytes.length > MAX_BODY_BYTES) {
            throw new AdminException(413, null, "The request body is larger than " + MAX_BODY_BYTES + " bytes");
        }
        Object parsed;
        try {
            parsed = new JSONParser(JSONParser.MODE_RFC4627).parse(new String(bytes, StandardCharsets.UTF_8));
        } catch (ParseException e) {
            throw AdminException.invalid(null, "The request body is not valid JSON");
        }
        if (!(parsed instanceof JSONObject object)) {
            throw AdminException.invalid(null, "The request body is not a JSON object");
        }
        return object;
    }

    private static String text(Map<String, Object> body, String field) {
        Object value = body.get(field);
        if (!(value instanceof String text)) {
            throw AdminException.invalid(field, value == null ? "is required" : "expected a string");
        }
        return text;
    }

    private static long number(Map<String, Object> body, String field) {
        if (!(body.get(field) instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
            throw AdminException.invalid(field, "expected a whole number");
        }
        return n.longValue();
    }

    private static List<String> strings(Map<String, Object> body, String field) {
        Object value = body.get(field);
        if (!(value instanceof List<?> list) || list.stream().anyMatch(v -> !(v instanceof String))) {
            throw AdminException.invalid(field, "expected a list of strings");
        }
        return list.stream().map(String.class::cast).toList();
    }

    private static Map<String, Object> claimsOf(Map<?, ?> map) {
        Map<String, Object> claims = new LinkedHashMap<>();
        map.forEach((k, v) -> claims.put(String.valueOf(k), v));
        return claims;
    }

    // --- writing answers

    static void send(HttpServletResponse response, int status, Object answer) throws IOException {
        byte[] bytes = JSONValue.toJSONString(answer).getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("application/json;charset=UTF-8");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    static void sendError(HttpServletResponse response, int status, String field, String message) throws IOException {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("status", status);
        if (field != null) {
            error.put("field", field);
        }
        error.put("error", message);
        send(response, status, error);
    }
}
