/**
 * The administration page and its JSON API under {@code adminPath}: the mapping rules, role order and group
 * grants an administrator runs, the dry run, users and their memberships, the audit trail, unmapped IdP groups
 * and SCIM provisioning. Internal: no compatibility promise.
 */
package dev.rolebridge.internal.admin;
