package dev.rolebridge.internal.scim;

import de.captaingoldfish.scim.sdk.common.constants.HttpHeader;
import de.captaingoldfish.scim.sdk.common.constants.ResourceTypeNames;
import de.captaingoldfish.scim.sdk.common.constants.enums.HttpMethod;
import de.captaingoldfish.scim.sdk.common.exceptions.ScimException;
import de.captaingoldfish.scim.sdk.common.resources.ServiceProvider;
import de.captaingoldfish.scim.sdk.common.resources.complex.BulkConfig;
import de.captaingoldfish.scim.sdk.common.resources.complex.ChangePasswordConfig;
import de.captaingoldfish.scim.sdk.common.resources.complex.ETagConfig;
import de.captaingoldfish.scim.sdk.common.resources.complex.FilterConfig;
import de.captaingoldfish.scim.sdk.common.resources.complex.PatchConfig;
import de.captaingoldfish.scim.sdk.common.resources.complex.SortConfig;
import de.captaingoldfish.scim.sdk.common.resources.multicomplex.AuthenticationScheme;
import de.captaingoldfish.scim.sdk.common.response.ErrorResponse;
import de.captaingoldfish.scim.sdk.common.response.ScimResponse;
import de.captaingoldfish.scim.sdk.server.endpoints.Context;
import de.captaingoldfish.scim.sdk.server.endpoints.ResourceEndpoint;
import de.captaingoldfish.scim.sdk.server.endpoints.authorize.Authorization;
import de.captaingoldfish.scim.sdk.server.endpoints.base.GroupEndpointDefinition;
import de.captaingoldfish.scim.sdk.server.endpoints.base.UserEndpointDefinition;
import de.captaingoldfish.scim.sdk.server.schemas.ResourceType;
import dev.rolebridge.internal.Logs;
import dev.rolebridge.internal.config.ScimSettings;
import dev.rolebridge.internal.mapping.GroupMapper;
import dev.rolebridge.internal.store.MembershipStore;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SCIM 2.0 service provider under {@code scimPath}, answered by the filter before any sign-in: a SCIM
 * client has no session, and its requests are not a browser's, so neither the redirect to the provider nor the
 * cross-site refusal applies. Every request needs {@code Authorization: Bearer <scimToken>} (compared in
 * constant time); without it the answer is 401 with a SCIM error. Bodies are bounded ({@value #MAX_BODY_BYTES}
 * bytes: larger is 413). Answers are {@code application/scim+json}; errors are RFC 7644 §3.12 documents and
 * never carry a stack trace.
 *
 * <pre>{@code
 * ScimEndpoint scim = new ScimEndpoint(gate, store, hook.mapping()::mapper, settings.issuer(), publicBaseUrl);
 * if (settings.scim().covers(path)) {
 *     scim.serve(request, response, path);
 * }
 * }</pre>
 *
 * <p>What it serves: {@code /Users} and {@code /Groups} (create, get, list with filter and paging, replace,
 * PATCH, delete) and the discovery endpoints {@code /ServiceProviderConfig}, {@code /ResourceTypes}, {@code /Schemas}. Bulk, ETags,
 * sorting, password changes and {@code /Me} are off (the service provider configuration says so).
 */
public final class ScimEndpoint {

    /** The largest request body accepted. */
    public static final int MAX_BODY_BYTES = 1024 * 1024;

    /** The most resources one list answers with. */
    static final int MAX_RESULTS = 200;

    static final String CONTENT_TYPE = HttpHeader.SCIM_CONTENT_TYPE + ";charset=UTF-8";

    private static final Logger LOG = Logs.escaping(LoggerFactory.getLogger(ScimEndpoint.class));

    /** Request headers the SDK may see (it reads the content type, and the ETag preconditions if enabled). */
    private static final Set<String> PASSED_HEADERS = Set.of("content-type", "if-match", "if-none-match");

    private final ScimSettings settings;
    private final ScimGate gate;
    private final String baseUrl;
    private final ResourceEndpoint endpoint;

    /**
     * @param gate whether the endpoint answers, and the tokens it takes
     * @param mapper the mapping in force, asked at each change (pushed groups map as it says then)
     * @param issuer the provider's issuer, which the users' logins carry
     * @param baseUrl the endpoint's public URL (scheme, host, context path and {@code scimPath}), for
     *     {@code Location} and {@code meta.location}
     */
    public ScimEndpoint(
            ScimGate gate, MembershipStore store, Supplier<GroupMapper> mapper, String issuer, URI baseUrl) {
        this.gate = Objects.requireNonNull(gate, "gate");
        this.settings = gate.settings();
        String base = Objects.requireNonNull(baseUrl, "baseUrl").toString();
        this.baseUrl = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.endpoint = new ResourceEndpoint(
                serviceProvider(),
                new UserEndpointDefinition(new UserHandler(store, issuer, settings.userMatch(), mapper)),
                new GroupEndpointDefinition(new GroupHandler(store, mapper, this.baseUrl)));
        for (String name : List.of(ResourceTypeNames.USER, ResourceTypeNames.GROUPS)) {
            ResourceType type = endpoint.getResourceTypeByName(name)
                    .orElseThrow(() -> new IllegalStateException("the SDK registered no " + name + " resource type"));
            type.getFeatures().setAutoFiltering(true);
            type.getFeatures().setAutoSorting(true);
            type.getFeatures().getAuthorization().setAuthenticated(false); // checked before the SDK runs
        }
    }

    private static ServiceProvider serviceProvider() {
        return ServiceProvider.builder()
                .filterConfig(FilterConfig.builder()
                        .supported(true)
                        .maxResults(MAX_RESULTS)
                        .build())
                .patchConfig(PatchConfig.builder().supported(true).build())
                .sortConfig(SortConfig.builder().supported(false).build())
                .eTagConfig(ETagConfig.builder().supported(false).build())
                .changePasswordConfig(
                        ChangePasswordConfig.builder().supported(false).build())
                .bulkConfig(BulkConfig.builder()
                        .supported(false)
                        .maxOperations(0)
                        .maxPayloadSize((long) MAX_BODY_BYTES)
                        .build())
                .authenticationSchemes(List.of(AuthenticationScheme.builder()
                        .name("OAuth Bearer Token")
                        .description("The bearer token configured as scimToken")
                        .type("oauthbearertoken")
                        .build()))
                .lenientContentTypeChecking(true) // some clients send application/json
                .build();
    }

    /** Answers one SCIM request; {@code path} is the request's path inside the application. */
    public void serve(HttpServletRequest request, HttpServletResponse response, String path) throws IOException {
        if (!authorized(request)) {
            LOG.warn("SCIM request {} {} refused: no valid bearer token", request.getMethod(), path);
            response.setHeader("WWW-Authenticate", "Bearer realm=\"SCIM\"");
            sendError(response, 401, null, "A valid bearer token is required");
            return;
        }
        if (!gate.enabled()) {
            sendError(response, 503, null, "SCIM provisioning is switched off on the administration page");
            return;
        }
        HttpMethod method = method(request.getMethod());
        if (method == null) {
            response.setHeader("Allow", "GET, POST, PUT, PATCH, DELETE");
            sendError(response, 405, null, "Method " + request.getMethod() + " is not supported");
            return;
        }
        String body = null;
        if (method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH) {
            if (request.getContentLengthLong() > MAX_BODY_BYTES) {
                sendError(response, 413, "tooLarge", "The request body is larger than " + MAX_BODY_BYTES + " bytes");
                return;
            }
            byte[] bytes = readAtMost(request.getInputStream(), MAX_BODY_BYTES);
            if (bytes == null) {
                sendError(response, 413, "tooLarge", "The request body is larger than " + MAX_BODY_BYTES + " bytes");
                return;
            }
            try {
                body = StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes))
                        .toString();
            } catch (CharacterCodingException e) {
                sendError(response, 400, "invalidSyntax", "The request body is not UTF-8");
                return;
            }
        }
        String rest = path.substring(settings.path().length());
        String url = baseUrl
                + (rest.isEmpty() ? "/" : rest)
                + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
        ScimResponse answer;
        try {
            answer = endpoint.handleRequest(url, method, body, headers(request), new Context(new Trusted()));
        } catch (ScimException e) {
            answer = new ErrorResponse(e);
        } catch (RuntimeException e) {
            LOG.error(
                    "SCIM request {} {} failed: {}",
                    request.getMethod(),
                    path,
                    e.getClass().getName());
            sendError(response, 500, null, "An internal error has occurred.");
            return;
        }
        if (answer.getHttpStatus() >= 500) {
            LOG.error("SCIM request {} {} failed with status {}", request.getMethod(), path, answer.getHttpStatus());
        } else {
            LOG.debug("SCIM request {} {}: {}", request.getMethod(), path, answer.getHttpStatus());
        }
        send(response, answer);
    }

    private boolean authorized(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header == null || header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return gate.accepts(header.substring(7).strip());
    }

    private static HttpMethod method(String name) {
        return switch (name) {
            case "GET" -> HttpMethod.GET;
            case "POST" -> HttpMethod.POST;
            case "PUT" -> HttpMethod.PUT;
            case "PATCH" -> HttpMethod.PATCH;
            case "DELETE" -> HttpMethod.DELETE;
            default -> null;
        };
    }

    /** The headers the SDK needs, never the bearer token or cookies; names as the SDK spells them. */
    private static Map<String, String> headers(HttpServletRequest request) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : Collections.list(request.getHeaderNames())) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (PASSED_HEADERS.contains(lower)) {
                headers.put(
                        switch (lower) {
                            case "content-type" -> HttpHeader.CONTENT_TYPE_HEADER;
                            case "if-match" -> HttpHeader.IF_MATCH_HEADER;
                            default -> HttpHeader.IF_NONE_MATCH_HEADER;
                        },
                        request.getHeader(name));
            }
        }
        return headers;
    }

    /** The body, or {@code null} when it is longer than {@code max} bytes. */
    private static byte[] readAtMost(InputStream in, int max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int total = 0;
        for (int n; (n = in.read(buffer)) >= 0; ) {
            total += n;
            if (total > max) {
                return null;
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private static void send(HttpServletResponse response, ScimResponse answer) throws IOException {
        if (answer instanceof ErrorResponse error
                && "unparseableRequest".equals(error.getScimType().orElse(null))) {
            // RFC 7644 3.12 names it invalidSyntax; the SDK's detail may quote the body back
            error.setScimType("invalidSyntax");
            error.setDetail("The request body is not valid JSON");
        }
        response.setStatus(answer.getHttpStatus());
        answer.getHttpHeaders().forEach((name, value) -> {
            if (!name.equalsIgnoreCase(HttpHeader.CONTENT_TYPE_HEADER)) {
                response.setHeader(name, value);
            }
        });
        String body = answer.toString();
        response.setHeader("Cache-Control", "no-store");
        if (body == null || body.isEmpty() || answer.getHttpStatus() == 204) {
            return;
        }
        write(response, body);
    }

    private static void sendError(HttpServletResponse response, int status, String scimType, String detail)
            throws IOException {
        response.setStatus(status);
        response.setHeader("Cache-Control", "no-store");
        StringBuilder json = new StringBuilder("{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:Error\"]");
        json.append(",\"status\":\"").append(status).append('"');
        if (scimType != null) {
            json.append(",\"scimType\":\"").append(scimType).append('"');
        }
        json.append(",\"detail\":")
                .append(net.minidev.json.JSONValue.toJSONString(detail))
                .append('}');
        write(response, json.toString());
    }

    private static void write(HttpServletResponse response, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setContentType(CONTENT_TYPE);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    /** The client is authenticated before the SDK runs; the SDK's own check then has nothing to do. */
    private static final class Trusted implements Authorization {
        @Override
        public Set<String> getClientRoles() {
            return Set.of();
        }

        @Override
        public boolean authenticate(Map<String, String> httpHeaders, Map<String, String> queryParams) {
            return true;
        }
    }
}
