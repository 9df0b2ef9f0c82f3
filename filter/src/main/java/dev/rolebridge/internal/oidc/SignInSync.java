package dev.rolebridge.internal.oidc;

import dev.rolebridge.RolebridgePrincipal;
import dev.rolebridge.internal.config.RolebridgeSettings;
import dev.rolebridge.internal.oidc.LoginFailedException.Reason;
import dev.rolebridge.internal.sync.DefaultSyncHook;
import dev.rolebridge.internal.sync.GroupsExtractor;
import dev.rolebridge.sync.LoginIdentity;
import dev.rolebridge.sync.MembershipSyncException;
import dev.rolebridge.sync.MembershipSyncHook;
import dev.rolebridge.sync.SyncResult;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.pac4j.core.authorization.generator.AuthorizationGenerator;
import org.pac4j.core.context.CallContext;
import org.pac4j.core.profile.UserProfile;
import org.pac4j.oidc.profile.OidcProfile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last step of a callback, which pac4j runs after the code exchange and the ID token's validation: the
 * ID token checks pac4j leaves out, the {@link MembershipSyncHook}, and the profile decorated with the
 * {@link RolebridgePrincipal} the session then carries. A failure here fails the login; no session is made.
 */
final class SignInSync implements AuthorizationGenerator, AutoCloseable {

    /** The profile attribute holding the signed-in {@link RolebridgePrincipal}. */
    static final String PRINCIPAL_ATTRIBUTE = "rolebridge.principal";

    private static final Logger LOG = dev.rolebridge.internal.Logs.escaping(LoggerFactory.getLogger(SignInSync.class));

    private final RolebridgeSettings settings;
    private final MembershipSyncHook hook;
    private final GroupsExtractor groupsExtractor;

    SignInSync(RolebridgeSettings settings, MembershipSyncHook hook) {
        this.settings = settings;
        this.hook = hook;
        this.groupsExtractor = new GroupsExtractor(settings.groupsClaims());
    }

    /** The principal a profile of a completed sign-in carries, or {@code null}. */
    static RolebridgePrincipal principalOf(Object profile) {
        return profile instanceof UserProfile p
                        && p.getAttribute(PRINCIPAL_ATTRIBUTE) instanceof RolebridgePrincipal who
                ? who
                : null;
    }

    @Override
    public Optional<UserProfile> generate(CallContext ctx, UserProfile profile) {
        if (!(profile instanceof OidcProfile oidcProfile)) {
            throw new MembershipSyncException(
                    "unexpected profile type " + profile.getClass().getName());
        }
        Map<String, Object> idClaims = idTokenClaims(oidcProfile);
        checkIdTokenClaims(idClaims);
        Map<String, Object> claims = new LinkedHashMap<>(idClaims);
        oidcProfile.getAttributes().forEach(claims::putIfAbsent);
        // the ID token's own sub: pac4j strips a leading "org.pac4j...#" from profile ids
        String subject = (String) idClaims.get("sub");
        Object issuer = claims.get("iss");
        Object username = GroupsExtractor.resolve(claims, settings.usernameClaim());
        Object email = claims.get("email");
        LoginIdentity login = LoginIdentity.builder(
                        issuer == null ? "" : issuer.toString(),
                        subject,
                        username instanceof String s && !s.isBlank() ? s : subject)
                .email(email instanceof String e ? e : null)
                .groups(groupsExtractor.extract(idClaims, oidcProfile.getAttributes()))
                .claims(claims)
                .build();
        SyncResult result;
        try {
            if (hook instanceof DefaultSyncHook builtIn) {
                DefaultSyncHook.SyncedLogin synced = builtIn.syncLogin(login);
                result = synced.result();
                // for the session, which the callback logic makes after this step (RoleRefresh)
                ctx.webContext().setRequestAttribute(RoleRefresh.VERSION_ATTRIBUTE, synced.membershipVersion());
            } else {
                result = hook.sync(login);
            }
        } catch (MembershipSyncException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new MembershipSyncException("membership sync hook failed for subject " + subject + ": " + e, e);
        }
        if (result == null) {
            throw new MembershipSyncException("membership sync hook returned no result for subject " + subject);
        }
        Set<String> roles = settings.mapping().requestRoles(result.roles(), result.groups());
        RolebridgePrincipal principal = new RolebridgePrincipal(
                login.username(), login.issuer(), subject, result.groups(), roles, result.primaryRole());
        oidcProfile.addAttribute(PRINCIPAL_ATTRIBUTE, principal);
        oidcProfile.setRoles(roles);
        // the session keeps the mapped groups (the principal), not the provider's list beside them: with a
        // thousand provider groups that list is a quarter of what a container writes for the session
        settings.groupsClaims().forEach(oidcProfile::removeAttribute);
        LOG.info(
                "signed in {} (subject {}): {} group(s), roles {}",
                principal.getName(),
                subject,
                result.groups().size(),
                result.roles());
        return Optional.of(oidcProfile);
    }

    /**
     * What pac4j's validation (signature, issuer, audience contains us, expiry, nonce) leaves out of OIDC Core
     * 3.1.3.7: every audience must be trusted (only this client is), {@code azp}, when present, must be this
     * client, and {@code sub} and {@code iat} must be present.
     */
    private void checkIdTokenClaims(Map<String, Object> claims) {
        String problem = null;
        Object aud = claims.get("aud");
        List<?> audiences = aud instanceof List<?> list ? list : aud == null ? List.of() : List.of(aud);
        if (audiences.isEmpty() || !audiences.stream().allMatch(settings.clientId()::equals)) {
            problem = "the ID token's audience is not only this client";
        } else if (claims.containsKey("azp") && !settings.clientId().equals(claims.get("azp"))) {
            problem = "the ID token was issued to another party (azp)";
        } else if (!(claims.get("sub") instanceof String sub) || sub.isBlank()) {
            problem = "the ID token has no subject";
        } else if (claims.get("iat") == null) {
            problem = "the ID token has no issue time (iat)";
        }
        if (problem != null) {
            throw new LoginFailedException(Reason.RESPONSE_REJECTED, problem, null);
        }
    }

    private static Map<String, Object> idTokenClaims(OidcProfile profile) {
        try {
            var idToken = profile.getIdToken();
            return idToken == null
                    ? Map.of()
                    : new HashMap<>(idToken.getJWTClaimsSet().getClaims());
        } catch (java.text.ParseException e) {
            throw new MembershipSyncException("the ID token's claims cannot be read", e);
        }
    }

    @Override
    public void close() {
        try {
            hook.close();
        } catch (Exception e) {
            LOG.warn("membership sync hook did not close cleanly: {}", e.toString());
        }
    }
}
