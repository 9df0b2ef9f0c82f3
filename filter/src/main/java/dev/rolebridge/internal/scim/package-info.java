/**
 * SCIM 2.0 (RFC 7643, RFC 7644): the service provider a provider's SCIM client (Entra ID, Okta, a Keycloak
 * extension) pushes users to. {@link dev.rolebridge.internal.scim.ScimEndpoint} answers every request under
 * {@code scimPath}, after checking the bearer token and bounding the request, through the SCIM SDK's
 * framework-free {@code ResourceEndpoint} (schemas, validation, filters, PATCH, discovery endpoints);
 * {@code UserHandler} keeps the users in the membership store, so that a SCIM user and the person's logins are
 * one user.
 */
package dev.rolebridge.internal.scim;
