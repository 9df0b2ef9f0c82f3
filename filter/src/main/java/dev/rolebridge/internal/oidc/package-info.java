/**
 * The OpenID Connect wiring: the only package that talks to pac4j. {@link dev.rolebridge.internal.oidc.OidcLogin}
 * runs pac4j's security, callback and logout logic for the filter on a client that {@code ProviderConnection}
 * builds with every security-relevant default set explicitly (PKCE S256, state, nonce, signed ID tokens,
 * client authentication, no CSRF matcher), calling the membership sync hook once per successful callback
 * ({@code SignInSync}). {@link dev.rolebridge.internal.oidc.ApiRequests} says which requests are API calls.
 */
package dev.rolebridge.internal.oidc;
