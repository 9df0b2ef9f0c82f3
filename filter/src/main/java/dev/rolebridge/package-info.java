/**
 * Rolebridge: OpenID Connect single sign-on and identity-provider-driven roles for Jakarta EE web
 * applications, as one servlet filter ({@link dev.rolebridge.web.RolebridgeFilter}).
 */
package dev.rolebridge;
