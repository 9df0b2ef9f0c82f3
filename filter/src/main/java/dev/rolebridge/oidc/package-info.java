/**
 * The OpenID Connect wiring: the only package that talks to pac4j. {@link dev.rolebridge.oidc.OidcLogin}
 * builds the pac4j client with every security-relevant default set explicitly (PKCE S256, state, nonce,
 * signed ID tokens, client authentication, no CSRF matcher), and runs pac4j's security, callback and logout
 * logic for the filter, calling the membership sync hook once per successful callback.
 */
package dev.rolebridge.oidc;
