/**
 * Group mapping and role resolution: the pure function at the heart of a login sync. Given the
 * provider's groups and claims, the application groups that exist and the user's current memberships,
 * {@link dev.rolebridge.internal.mapping.GroupMapper} decides which application groups the user should be in,
 * which memberships to add, remove or create, and which roles the request grants, and explains every
 * decision in a trace. The tables and policies it applies come from
 * {@link dev.rolebridge.internal.mapping.MappingConfig}. Nothing here touches the database, the servlet API or
 * pac4j, so every rule is unit-testable and a dry run is just another call.
 */
package dev.rolebridge.internal.mapping;
