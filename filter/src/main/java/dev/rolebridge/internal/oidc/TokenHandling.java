package dev.rolebridge.internal.oidc;

import com.nimbusds.jose.Algorithm;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.UserInfoErrorResponse;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.UserInfoSuccessResponse;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import dev.rolebridge.internal.oidc.LoginFailedException.Reason;
import java.io.IOException;
import java.io.ObjectInput;
import java.io.ObjectOutput;
import java.io.Serial;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.pac4j.core.context.CallContext;
import org.pac4j.core.credentials.Credentials;
import org.pac4j.core.credentials.authenticator.Authenticator;
import org.pac4j.core.credentials.extractor.CredentialsExtractor;
import org.pac4j.core.profile.AttributeLocation;
import org.pac4j.core.profile.UserProfile;
import org.pac4j.core.profile.converter.AttributeConverter;
import org.pac4j.oidc.client.OidcClient;
import org.pac4j.oidc.config.OidcConfiguration;
import org.pac4j.oidc.credentials.OidcCredentials;
import org.pac4j.oidc.credentials.extractor.OidcCredentialsExtractor;
import org.pac4j.oidc.exceptions.OidcException;
import org.pac4j.oidc.metadata.StaticOidcOpMetadataResolver;
import org.pac4j.oidc.profile.OidcProfile;
import org.pac4j.oidc.profile.OidcProfileDefinition;
import org.pac4j.oidc.profile.creator.OidcProfileCreator;
import org.pac4j.oidc.profile.creator.TokenValidator;

/**
 * The pac4j pieces Rolebridge replaces on the token path, through pac4j's own extension points only: the
 * client's credentials extractor, authenticator and profile creator (set on the client), the profile
 * definition's and the profile's public methods (overridden), and the metadata resolver's token validator.
 * pac4j logs the token and UserInfo responses and prints credentials and profiles (codes, tokens, every
 * claim) at {@code DEBUG}; these replacements keep the same behaviour without that, and add the checks pac4j
 * leaves out: the code exchange needs its PKCE verifier and must return an ID token, and a UserInfo response
 * about another subject is refused. Nothing here reaches into pac4j's private state.
 */
final class TokenHandling {

    private TokenHandling() {}

    static void install(OidcClient client, OidcConfiguration configuration) {
        client.setCredentialsExtractor(new Extractor(new OidcCredentialsExtractor(configuration, client)));
        client.setAuthenticator(new CodeExchange(configuration, client));
        client.setProfileCreator(new ProfileCreator(configuration, client));
    }

    /** The provider metadata Rolebridge fetched, validating ID tokens with {@link ByAlgorithm}. */
    static final class Metadata extends StaticOidcOpMetadataResolver {
        private final ProviderKeys keys;

        Metadata(OidcConfiguration configuration, OIDCProviderMetadata metadata, ProviderKeys keys) {
            super(configuration, metadata);
            this.keys = keys;
        }

        @Override
        protected TokenValidator createTokenValidator() {
            return new ByAlgorithm(configuration, loaded, keys);
        }
    }

    /**
     * pac4j's ID token validation, run by the validator of the token's own algorithm: pac4j tries every
     * accepted algorithm in turn and reports the last failure, which hides the real reason (an issuer or
     * audience mismatch reads as "no matching key"). A token signed with an algorithm not accepted (including
     * {@code none}) is refused as such.
     */
    static final class ByAlgorithm extends TokenValidator {
        private final Map<Algorithm, IDTokenValidator> validators = new HashMap<>();

        ByAlgorithm(OidcConfiguration configuration, OIDCProviderMetadata metadata, ProviderKeys keys) {
            super(configuration, metadata);
            ClientID clientId = new ClientID(configuration.getClientId());
            for (JWSAlgorithm alg : metadata.getIDTokenJWSAlgs()) {
                IDTokenValidator validator;
                if (JWSAlgorithm.Family.HMAC_SHA.contains(alg)) {
                    if (configuration.getSecret() == null) {
                        continue;
                    }
                    validator = new IDTokenValidator(
                            metadata.getIssuer(), clientId, alg, new Secret(configuration.getSecret()));
                } else {
                    validator = new IDTokenValidator(
                            metadata.getIssuer(),
                            clientId,
                            new com.nimbusds.jose.proc.JWSVerificationKeySelector<>(alg, keys),
                            null);
                }
                validator.setMaxClockSkew(configuration.getMaxClockSkew());
                validators.put(alg, validator);
            }
        }

        @Override
        public IDTokenClaimsSet validateIdToken(JWT idToken, Nonce expectedNonce)
                throws BadJOSEException, JOSEException {
            Algorithm alg = idToken.getHeader().getAlgorithm();
            IDTokenValidator validator = alg == null ? null : validators.get(alg);
            if (validator == null) {
                throw new BadJOSEException(
                        "the ID token is signed with '" + alg + "', which is not an accepted algorithm");
            }
            return validator.validate(idToken, expectedNonce);
        }
    }

    /**
     * A profile that prints no claim and no token. pac4j's profile logs every attribute it is given, tokens
     * included, at {@code DEBUG} ({@code BasicUserProfile.addAttribute} and {@code addAuthenticationAttribute});
     * this one overrides every method that reads or writes the attributes and keeps them in maps of its own,
     * so pac4j's logging code is never reached. Serialized as pac4j serializes a profile (same fields, same
     * order), so a session written before keeps reading.
     */
    static final class Profile extends OidcProfile {
        @Serial
        private static final long serialVersionUID = 1L;

        private Map<String, Object> attributes = new HashMap<>();
        private Map<String, Object> authenticationAttributes = new HashMap<>();

        public Profile() {
            // for Externalizable
        }

        @Override
        public void addAttribute(String key, Object value) {
            add(attributes, key, value);
        }

        @Override
        public void addAuthenticationAttribute(String key, Object value) {
            add(authenticationAttributes, key, value);
        }

        /** As pac4j adds: {@code null} ignored, collections under one name merged without duplicates. */
        private static void add(Map<String, Object> map, String key, Object value) {
            if (value == null) {
                return;
            }
            if (value instanceof Collection<?> added && map.get(key) instanceof Collection<?> existing) {
                map.put(
                        key,
                        java.util.stream.Stream.concat(existing.stream(), added.stream())
                                .distinct()
                                .collect(java.util.stream.Collectors.toList()));
            } else {
                map.put(key, value);
            }
        }

        @Override
        public void removeAttribute(String key) {
            attributes.remove(Objects.requireNonNull(key, "key"));
        }

        @Override
        public void removeAuthenticationAttribute(String key) {
            authenticationAttributes.remove(Objects.requireNonNull(key, "key"));
        }

        @Override
        public Map<String, Object> getAttributes() {
            return new HashMap<>(attributes);
        }

        @Override
        public Map<String, Object> getAuthenticationAttributes() {
            return new HashMap<>(authenticationAttributes);
        }

        @Override
        public Object getAttribute(String name) {
            return attributes.get(name);
        }

        @Override
        public Object getAuthenticationAttribute(String name) {
            return authenticationAttributes.get(name);
        }

        @Override
        public boolean containsAttribute(String name) {
            return attributes.containsKey(Objects.requireNonNull(name, "name"));
        }

        @Override
        public boolean containsAuthenticationAttribute(String name) {
            return authenticationAttributes.containsKey(Objects.requireNonNull(name, "name"));
        }

        @Override
        public void writeExternal(ObjectOutput out) throws IOException {
            out.writeObject(getId());
            out.writeObject(attributes);
            out.writeObject(authenticationAttributes);
            out.writeBoolean(isRemembered());
            out.writeObject(getRoles());
            out.writeObject(getClientName());
            out.writeObject(getLinkedId());
        }

        @Override
        @SuppressWarnings("unchecked")
        public void readExternal(ObjectInput in) throws IOException, ClassNotFoundException {
            String id = (String) in.readObject();
            if (id != null) {
                setId(id);
            }
            Map<String, Object> read = (Map<String, Object>) in.readObject();
            attributes = read == null ? new HashMap<>() : new HashMap<>(read);
            read = (Map<String, Object>) in.readObject();
            authenticationAttributes = read == null ? new HashMap<>() : new HashMap<>(read);
            setRemembered(in.readBoolean());
            Set<String> roles = (Set<String>) in.readObject();
            setRoles(roles == null ? new HashSet<>() : new HashSet<>(roles));
            setClientName((String) in.readObject());
            setLinkedId((String) in.readObject());
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Profile p
                    && Objects.equals(getId(), p.getId())
                    && attributes.equals(p.attributes)
                    && authenticationAttributes.equals(p.authenticationAttributes)
                    && getRoles().equals(p.getRoles())
                    && Objects.equals(getClientName(), p.getClientName());
        }

        @Override
        public int hashCode() {
            return Objects.hash(getId(), attributes);
        }

        @Override
        public String toString() {
            return "OidcProfile[id=" + getId() + ", client=" + getClientName() + ", roles=" + getRoles() + "]";
        }
    }

    /**
     * pac4j's OIDC profile definition (its attribute converters) making {@link Profile}s. pac4j's
     * {@code ProfileDefinition.convertAndAdd} logs every converted value at {@code DEBUG}; this override
     * converts with the same converters and logs nothing.
     */
    static final class QuietDefinition extends OidcProfileDefinition {
        QuietDefinition() {
            super(x -> new Profile());
        }

        @Override
        public void convertAndAdd(UserProfile profile, AttributeLocation location, String name, Object value) {
            if (value == null) {
                return;
            }
            AttributeConverter converter = getConverters().get(name);
            Object converted = converter == null ? value : converter.convert(value);
            if (location == AttributeLocation.AUTHENTICATION_ATTRIBUTE) {
                profile.addAuthenticationAttribute(name, converted);
            } else {
                profile.addAttribute(name, converted);
            }
        }
    }

    /** pac4j's client, printing its name only: pac4j's own printout includes the client secret. */
    static final class Client extends OidcClient {
        Client(OidcConfiguration configuration) {
            super(configuration);
        }

        @Override
        public String toString() {
            return "OidcClient[" + getName() + "]";
        }

        /**
         * Never: the HTTP session's lifetime governs a login (profiles carry no expiry), and pac4j's renewal
         * would use its own code exchange, which logs the token response.
         */
        @Override
        public Optional<UserProfile> renewUserProfile(CallContext ctx, UserProfile profile) {
            return Optional.empty();
        }
    }

    /** Credentials that print no code and no token. */
    static final class QuietCredentials extends OidcCredentials {
        @Serial
        private static final long serialVersionUID = 1L;

        @Override
        public String toString() {
            return "OidcCredentials[code=" + (getCode() != null ? "(present)" : "none") + ", idToken="
                    + (getIdToken() != null ? "(present)" : "none") + "]";
        }
    }

    /** pac4j's extraction (state check, back-channel logout tokens), with credentials that print nothing secret. */
    private record Extractor(OidcCredentialsExtractor delegate) implements CredentialsExtractor {
        @Override
        public Optional<Credentials> extract(CallContext ctx) {
            return delegate.extract(ctx).map(c -> {
                if (c instanceof OidcCredentials oidc && !(c instanceof QuietCredentials)) {
                    QuietCredentials quiet = new QuietCredentials();
                    quiet.setCode(oidc.getCode());
                    quiet.setIdToken(oidc.getIdToken());
                    quiet.setAccessToken(oidc.getAccessToken());
                    quiet.setRefreshToken(oidc.getRefreshToken());
                    return quiet;
                }
                return c;
            });
        }
    }

    /**
     * The authorization code exchange, as the client's {@link Authenticator}: the PKCE verifier of this sign-in
     * is required, the token response must carry an ID token, a refusal is reported by its error code only,
     * and nothing is logged. (pac4j's {@code OidcAuthenticator} logs the whole token response at
     * {@code DEBUG}, so it is not used.) Client authentication is the one pac4j's metadata resolver prepared.
     */
    private record CodeExchange(OidcConfiguration configuration, OidcClient client) implements Authenticator {

        @Override
        public Optional<Credentials> validate(CallContext ctx, Credentials cred) {
            if (!(cred instanceof OidcCredentials credentials) || credentials.getCode() == null) {
                throw new LoginFailedException(Reason.RESPONSE_REJECTED, "no authorization code", null);
            }
            CodeVerifier verifier = (CodeVerifier) configuration
                    .getValueRetriever()
                    .retrieve(ctx, client.getCodeVerifierSessionAttributeName(), client)
                    .orElse(null);
            if (verifier == null) {
                throw new LoginFailedException(Reason.SESSION_STATE, "no PKCE verifier for this sign-in", null);
            }
            try {
                URI callback = new URI(client.computeFinalCallbackUrl(ctx.webContext()));
                var grant = new AuthorizationCodeGrant(credentials.toAuthorizationCode(), callback, verifier);
                var metadata = configuration.getOpMetadataResolver();
                var authentication = metadata.getClientAuthentication();
                URI endpoint = metadata.load().getTokenEndpointURI();
                Scope scope = Scope.parse(configuration.getScope());
                var request = (authentication != null
                                ? new TokenRequest(endpoint, authentication, grant, scope)
                                : new TokenRequest(endpoint, new ClientID(configuration.getClientId()), grant, scope))
                        .toHTTPRequest();
                configuration.configureHttpRequest(request);
                HTTPResponse response = request.send();
                var parsed = OIDCTokenResponseParser.parse(response);
                if (parsed instanceof TokenErrorResponse error) {
                    throw new LoginFailedException(
                            Reason.PROVIDER_ERROR,
                            "token endpoint answered "
                                    + AuthorizationResponse.printable(
                                            String.valueOf(
                                                    error.getErrorObject().getCode()),
                                            64)
                                    + " (HTTP " + response.getStatusCode() + ")",
                            null);
                }
                var tokens = ((OIDCTokenResponse) parsed).getOIDCTokens();
                if (tokens.getIDToken() == null) {
                    throw new LoginFailedException(
                            Reason.RESPONSE_REJECTED, "the token response has no ID token", null);
                }
                credentials.setAccessToken(tokens.getAccessToken().toJSONObject());
                if (tokens.getRefreshToken() != null) {
                    credentials.setRefreshToken(tokens.getRefreshToken().toJSONObject());
                }
                credentials.setIdToken(tokens.getIDToken().serialize());
                return Optional.of(credentials);
            } catch (URISyntaxException | IOException | ParseException e) {
                throw new OidcException(e);
            }
        }
    }

    /**
     * pac4j's profile creation (ID token validation: signature, issuer, audience, expiry, nonce), making
     * {@link Profile}s, and a UserInfo call that refuses a response about another subject.
     */
    private static final class ProfileCreator extends OidcProfileCreator {

        ProfileCreator(OidcConfiguration configuration, OidcClient client) {
            super(configuration, client);
            setProfileDefinition(new QuietDefinition());
        }

        @Override
        public void callUserInfoEndpoint(URI endpoint, AccessToken accessToken, UserProfile profile)
                throws IOException, ParseException, java.text.ParseException {
            var metadata = configuration.getOpMetadataResolver().load();
            if (metadata.getUserInfoEndpointURI() == null || accessToken == null) {
                return;
            }
            var request = new UserInfoRequest(metadata.getUserInfoEndpointURI(), accessToken).toHTTPRequest();
            configuration.configureHttpRequest(request);
            UserInfoResponse response = UserInfoResponse.parse(request.send());
            if (response instanceof UserInfoErrorResponse error) {
                throw new LoginFailedException(
                        Reason.PROVIDER_ERROR,
                        "UserInfo endpoint answered "
                                + AuthorizationResponse.printable(
                                        String.valueOf(error.getErrorObject().getCode()), 64),
                        null);
            }
            var success = (UserInfoSuccessResponse) response;
            JWTClaimsSet claims = success.getUserInfo() != null
                    ? success.getUserInfo().toJWTClaimsSet()
                    : success.getUserInfoJWT().getJWTClaimsSet();
            if (claims == null) {
                return;
            }
            String subject = claims.getSubject();
            String idTokenSubject = idTokenSubject(profile);
            boolean same = subject != null
                    && (idTokenSubject != null ? idTokenSubject.equals(subject) : subject.equals(profile.getId()));
            if (!same) {
                throw new LoginFailedException(
                        Reason.RESPONSE_REJECTED,
                        "the UserInfo response is about another subject than the ID token",
                        null);
            }
            getProfileDefinition().convertAndAdd(profile, claims.getClaims(), null);
        }

        /** The raw {@code sub} of the profile's ID token (pac4j's profile id has a class-name prefix stripped). */
        private static String idTokenSubject(UserProfile profile) {
            try {
                return profile instanceof OidcProfile oidc && oidc.getIdToken() != null
                        ? oidc.getIdToken().getJWTClaimsSet().getSubject()
                        : null;
            } catch (java.text.ParseException e) {
                return null;
            }
        }
    }
}
