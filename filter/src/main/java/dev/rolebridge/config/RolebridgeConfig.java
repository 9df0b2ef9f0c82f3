package dev.rolebridge.config;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Configures Rolebridge in code instead of {@code web.xml}. Put it on any one class of the web application;
 * the filter then registers itself on {@code /*} with no {@code <filter>} block needed:
 *
 * <pre>{@code
 * @RolebridgeConfig(
 *         discoveryUri = "https://idp.example.com/realms/acme/.well-known/openid-configuration",
 *         clientId = "legacy-app",
 *         clientSecret = "${env:OIDC_CLIENT_SECRET}",
 *         callbackUrl = "https://app.example.com/legacy/callback",
 *         excludedPaths = "/public/*, *.css")
 * public class SecurityConfiguration {
 * }
 * }</pre>
 *
 * <p>Attribute names are the {@code web.xml} parameter names, with the same meaning and defaults; an empty
 * attribute counts as absent. If {@code web.xml} also declares the filter, its init-params override the
 * annotation's attributes one by one (so a deployment can change one value without a rebuild).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface RolebridgeConfig {

    String discoveryUri() default "";

    String issuer() default "";

    String clientId() default "";

    String clientSecret() default "";

    String clientAuthMethod() default "";

    String callbackUrl() default "";

    String scope() default "";

    String groupsClaim() default "";

    String usernameClaim() default "";

    String excludedPaths() default "";

    String crossSiteAllowedPaths() default "";

    String logoutPath() default "";

    String backChannelLogoutPath() default "";

    String backChannelLogoutPollSeconds() default "";

    String roleRefreshSeconds() default "";

    String postLogoutRedirectUrl() default "";

    String providerLogout() default "";

    String clockSkewSeconds() default "";

    String providerTimeoutMillis() default "";

    String idTokenSigningAlg() default "";

    String securityHeaders() default "";

    String allowInsecureHttp() default "";

    String keepSessionAttributes() default "";

    String configureSessionCookie() default "";

    String syncHook() default "";

    String rolePriority() default "";

    String defaultGroup() default "";

    String groupRoles() default "";

    String groupMappings() default "";

    String claimRules() default "";

    String hardcodedGroups() default "";

    String syncMode() default "";

    String caseInsensitive() default "";

    String autoCreateGroups() default "";

    String promoteOnly() default "";

    String maxGroups() default "";

    String maxGroupNameLength() default "";

    String maxCreatedGroupsPerLogin() default "";

    String maxCreatedGroups() default "";

    String roleHierarchy() default "";

    String containerSecurity() default "";

    String scimPath() default "";

    String scimToken() default "";

    String scimUserMatch() default "";

    String adminPath() default "";

    String adminRole() default "";

    String adminToken() default "";

    String lockSyncedGroups() default "";

    String declaredRoles() default "";

    String groupsAsRoles() default "";

    String dataSource() default "";

    String jdbcUrl() default "";

    String jdbcUser() default "";

    String jdbcPassword() default "";

    String jdbcPoolSize() default "";
}
