/**
 * Test support for Rolebridge's integration tests, published as the filter's test-jar and used by the sample's
 * tests too: OpenID providers to sign in at ({@link dev.rolebridge.testing.Provider} on mock-oauth2-server,
 * {@link dev.rolebridge.testing.ScriptedProvider} for answers a real provider never gives), a web application with
 * the filter in a real embedded Tomcat ({@link dev.rolebridge.testing.TestApp}), both started for a test class by
 * {@link dev.rolebridge.testing.RolebridgeTestApp}, an HTTP client that follows the sign-in hop by hop
 * ({@link dev.rolebridge.testing.Browser}) and a real browser ({@link dev.rolebridge.testing.Chromium}).
 */
package dev.rolebridge.testing;
