package dev.rolebridge.internal.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * The SCIM endpoint's configuration, present only when {@code scimToken} is set: where it is served, the
 * SHA-256 digest of the bearer token a client must send (the token itself is not kept), and how a SCIM user
 * and a signing-in user are matched.
 *
 */
public final class ScimSettings {

    /** The prefix of a {@code scimToken} given as the SHA-256 digest of the token, in hexadecimal. */
    public static final String SHA256_PREFIX = "sha256:";

    /** The shortest bearer token accepted. */
    static final int MIN_TOKEN_LENGTH = 16;

    /** How a SCIM user and a signing-in user are found to be the same person. */
    public enum UserMatch {
        /** SCIM {@code userName} equals the login's {@code usernameClaim} value, ignoring case. */
        USER_NAME("userName"),
        /** SCIM {@code externalId} equals the ID token's {@code sub}. */
        EXTERNAL_ID("externalId");

        private final String value;

        UserMatch(String value) {
            this.value = value;
        }

        /** The name written in {@code scimUserMatch}. */
        public String value() {
            return value;
        }

        static UserMatch parse(String text) {
            for (UserMatch match : values()) {
                if (match.value.equalsIgnoreCase(text)) {
                    return match;
                }
            }
            return null;
        }
    }

    private final String path;
    private final byte[] tokenDigest;
    private final UserMatch userMatch;

    ScimSettings(String path, byte[] tokenDigest, UserMatch userMatch) {
        this.path = Objects.requireNonNull(path, "path");
        this.tokenDigest = tokenDigest == null ? null : tokenDigest.clone();
        this.userMatch = Objects.requireNonNull(userMatch, "userMatch");
    }

    /** The path inside the application the endpoint is served under ({@code scimPath}). */
    public String path() {
        return path;
    }

    /** How a SCIM user and a login are the same person ({@code scimUserMatch}). */
    public UserMatch userMatch() {
        return userMatch;
    }

    /** Whether {@code presented} is the configured token, compared in constant time through the digests. */
    public boolean accepts(String presented) {
        return tokenDigest != null && presented != null && MessageDigest.isEqual(sha256(presented), tokenDigest);
    }

    /**
     * Whether {@code scimToken} is configured; without it the endpoint exists only for the administration page,
     * switched off until an administrator switches it on and creates a token.
     */
    public boolean hasConfiguredToken() {
        return tokenDigest != null;
    }

    /** The SHA-256 digest of a token, in lower-case hexadecimal, as tokens created on the administration page are kept. */
    public static String digestHex(String token) {
        return HexFormat.of().formatHex(sha256(token));
    }

    /** Whether a request's path inside the application is the endpoint's or lies below it. */
    public boolean covers(String pathInApplication) {
        return pathInApplication.equals(path) || pathInApplication.startsWith(path + "/");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScimSettings s
                && path.equals(s.path)
                && java.util.Arrays.equals(tokenDigest, s.tokenDigest)
                && userMatch == s.userMatch;
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, userMatch);
    }

    /** Never shows the digest. */
    @Override
    public String toString() {
        return "ScimSettings[path=" + path + ", userMatch=" + userMatch.value() + "]";
    }

    /**
     * Reads {@code scimPath}, {@code scimToken} and {@code scimUserMatch}; {@code null} (SCIM off) when
     * {@code scimToken} is not set, unless {@code adminPath} is (the administration page may then switch the
     * endpoint on with tokens of its own). Problems go to {@code params}.
     *
     * @param reservedPaths the filter's own paths (callback, logout, back-channel logout), which SCIM may not take
     */
    static ScimSettings read(ParameterReader params, java.util.Collection<String> reservedPaths) {
        String path = params.textOrDefault(Parameter.SCIM_PATH);
        boolean pathOk = isPathInApplication(path);
        if (!pathOk) {
            params.problem(
                    Parameter.SCIM_PATH, "expected a path inside the application starting with '/', e.g. '/scim/v2'");
        } else {
            for (String reserved : reservedPaths) {
                if (reserved != null && (reserved.equals(path) || reserved.startsWith(path + "/"))) {
                    params.problem(
                            Parameter.SCIM_PATH,
                            "must not contain the callback, logout or back-channel logout path ('" + reserved + "')");
                }
            }
        }
        String match = params.textOrDefault(Parameter.SCIM_USER_MATCH);
        UserMatch userMatch = UserMatch.parse(match);
        if (userMatch == null) {
            params.problem(Parameter.SCIM_USER_MATCH, "expected userName or externalId");
            userMatch = UserMatch.USER_NAME;
        }
        if (!params.isWritten(Parameter.SCIM_TOKEN)) {
            // without scimToken the endpoint exists only when the administration page may switch it on
            return pathOk && params.isWritten(Parameter.ADMIN_PATH) ? new ScimSettings(path, null, userMatch) : null;
        }
        byte[] digest = tokenDigest(params, Parameter.SCIM_TOKEN);
        if (digest == null) {
            return null;
        }
        return pathOk ? new ScimSettings(path, digest, userMatch) : null;
    }

    /**
     * The SHA-256 digest of the bearer token a parameter gives, as a {@code ${env:…}} or {@code ${sys:…}}
     * reference to the token or as {@code sha256:<64 hex digits>} of it; {@code null}, with a problem for
     * {@code params} unless the parameter is simply not set, when there is none. A literal token, a malformed
     * digest and a token under {@value #MIN_TOKEN_LENGTH} characters are refused; no message shows the value.
     */
    static byte[] tokenDigest(ParameterReader params, Parameter parameter) {
        String token = params.text(parameter).orElse(null);
        if (token == null) {
            return null; // not set, or its placeholder did not resolve, which is reported already
        }
        if (token.regionMatches(true, 0, SHA256_PREFIX, 0, SHA256_PREFIX.length())) {
            String hex = token.substring(SHA256_PREFIX.length());
            if (!hex.matches("[0-9a-fA-F]{64}")) {
                params.problem(
                        parameter,
                        "expected sha256: followed by the 64 hexadecimal digits of the token's SHA-256 digest");
                return null;
            }
            return HexFormat.of().parseHex(hex.toLowerCase(Locale.ROOT));
        }
        if (!params.isReference(parameter)) {
            params.problem(
                    parameter,
                    "expected a reference such as ${env:TOKEN}, or sha256:<64 hex digits> of the token,"
                            + " so that the token itself is not written in the configuration");
            return null;
        }
        if (token.length() < MIN_TOKEN_LENGTH) {
            params.problem(parameter, "resolves to a token shorter than " + MIN_TOKEN_LENGTH + " characters");
            return null;
        }
        return sha256(token);
    }

    /**
     * Whether {@code path} names one fixed path inside the application: it starts with {@code /}, is not just
     * {@code /}, does not end with {@code /} and holds no wildcard, query, empty or parent segment.
     */
    static boolean isPathInApplication(String path) {
        return path.startsWith("/")
                && path.length() > 1
                && !path.endsWith("/")
                && !path.contains("*")
                && !path.contains("?")
                && !path.contains("//")
                && !path.contains("..");
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
