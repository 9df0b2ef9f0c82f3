package dev.rolebridge.internal.oidc;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.openid.connect.sdk.claims.LogoutTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.LogoutTokenValidator;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import net.minidev.json.JSONObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OpenID Connect Back-Channel Logout 1.0: the provider POSTs a signed logout token and the sessions it names
 * end. The token is validated by Nimbus (signature with the provider's keys, issuer, audience, issue time,
 * the back-channel logout event, no nonce, a {@code sid} or {@code sub}); its {@code jti} is required and
 * accepted once.
 */
final class BackChannelLogout {

    private static final Logger LOG =
            dev.rolebridge.internal.Logs.escaping(LoggerFactory.getLogger(BackChannelLogout.class));
    private static final int MAX_REMEMBERED = 10_000;
    static final long REMEMBER_MILLIS = 10 * 60 * 1000L;

    private final Map<JWSAlgorithm, LogoutTokenValidator> validators = new HashMap<>();
    private final SessionRegistry sessions;
    private final Map<String, Long> seenTokenIds = new ConcurrentHashMap<>();
    private final SharedLogouts shared;
    private final String issuer;
    private final Clock clock;

    BackChannelLogout(
            OIDCProviderMetadata metadata,
            String clientId,
            ProviderKeys keys,
            int clockSkewSeconds,
            SessionRegistry sessions,
            SharedLogouts shared,
            Clock clock) {
        this.clock = clock;
        this.sessions = sessions;
        this.shared = shared;
        this.issuer = metadata.getIssuer().getValue();
        for (JWSAlgorithm alg : metadata.getIDTokenJWSAlgs()) {
            if (JWSAlgorithm.Family.HMAC_SHA.contains(alg)) {
                continue;
            }
            // sid not required: a token may name the subject only (OpenID Back-Channel Logout 1.0, 2.4)
            var validator = new LogoutTokenValidator(
                    metadata.getIssuer(),
                    new ClientID(clientId),
                    false,
                    new com.nimbusds.jose.proc.JWSVerificationKeySelector<>(alg, keys),
                    null);
            validator.setMaxClockSkew(clockSkewSeconds);
            validators.put(alg, validator);
        }
    }

    String issuer() {
        return issuer;
    }

    void handle(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("Cache-Control", "no-store");
        if (!"POST".equals(request.getMethod())) {
            response.setHeader("Allow", "POST");
            refuse(response, 405, "back-channel logout takes a POST");
            return;
        }
        String[] tokens = request.getParameterValues("logout_token");
        if (tokens == null || tokens.length != 1) {
            refuse(response, 400, "expected one logout_token");
            return;
        }
        LogoutTokenClaimsSet claims;
        try {
            JWT jwt = JWTParser.parse(tokens[0]);
            LogoutTokenValidator validator =
                    jwt.getHeader().getAlgorithm() instanceof JWSAlgorithm alg ? validators.get(alg) : null;
            if (validator == null) {
                refuse(response, 400, "logout token signed with an algorithm not accepted");
                return;
            }
            claims = validator.validate(jwt);
        } catch (java.text.ParseException | BadJOSEException | com.nimbusds.jose.JOSEException e) {
            // the library's message may quote a claim value: only its wording up to the value is logged
            String message = String.valueOf(e.getMessage());
            int colon = message.indexOf(": ");
            refuse(
                    response,
                    400,
                    "invalid logout token: "
                            + AuthorizationResponse.printable(colon < 0 ? message : message.substring(0, colon), 160));
            return;
        }
        if (claims.getIssueTime() == null
                || claims.getIssueTime().toInstant().toEpochMilli() < clock.millis() - REMEMBER_MILLIS) {
            refuse(response, 400, "logout token too old to be checked for replay");
            return;
        }
        String jti = claims.getJWTID() == null ? null : claims.getJWTID().getValue();
        if (jti == null) {
            refuse(response, 400, "logout token without jti");
            return;
        }
        if (seenBefore(jti)) {
            refuse(response, 400, "logout token replayed (jti seen before)");
            return;
        }
        String subject =
                claims.getSubject() == null ? null : claims.getSubject().getValue();
        String sid =
                claims.getSessionID() == null ? null : claims.getSessionID().getValue();
        boolean first;
        try {
            first = shared.record(issuer, subject, sid, jti, clock.instant());
        } catch (RuntimeException e) {
            // the jti is not remembered: the provider's retry of this token must be accepted
            LOG.error("back-channel logout could not be shared with the other nodes: {}", e.getMessage());
            response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE); // the provider may retry
            sessions.end(subject, sid);
            return;
        }
        remember(jti);
        if (!first) {
            refuse(response, 400, "logout token replayed (jti seen before by another node)");
            return;
        }
        int ended = sessions.end(subject, sid);
        LOG.info("back-channel logout from the provider: subject {}, sid {}: {} session(s) ended", subject, sid, ended);
        response.setStatus(200);
    }

    /** Whether this node stored a logout with this token id (within the remembering window). */
    private boolean seenBefore(String jti) {
        Long expiry = seenTokenIds.get(jti);
        return expiry != null && expiry >= clock.millis();
    }

    /** Remembers a token id once its logout is stored (a failed write leaves it free for a retry). */
    private void remember(String jti) {
        long now = clock.millis();
        if (seenTokenIds.size() > MAX_REMEMBERED) {
            seenTokenIds.values().removeIf(expiry -> expiry < now);
        }
        seenTokenIds.put(jti, now + REMEMBER_MILLIS);
    }

    private static void refuse(HttpServletResponse response, int status, String why) throws IOException {
        LOG.warn("back-channel logout refused: {}", why);
        response.setStatus(status);
        response.setContentType("application/json;charset=UTF-8");
        JSONObject body = new JSONObject();
        body.put("error", "invalid_request");
        response.getWriter().write(body.toJSONString());
    }
}
