/**
 * Persistence: the memberships, groups, roles, grants, mapping rules and audit trail that login syncs
 * write, and the back-channel logouts the application's nodes share, in the application's database (a JNDI
 * {@code DataSource} or a JDBC URL) or an embedded H2 file database.
 * {@link dev.rolebridge.internal.store.MembershipStore} is the one entry point: it bootstraps its own JPA unit on
 * EclipseLink (no {@code persistence.xml}, so a Jakarta EE server never deploys it), creates and upgrades
 * its {@code RB_*} tables with Flyway, seeds them from the configuration, records each login in one
 * transaction, and records and lists the logouts ({@link dev.rolebridge.internal.store.LogoutEvent}). Behind it,
 * one package-private class per job: {@code StoreUnit} starts the database, the migrations and the
 * persistence unit; {@code Transactions} runs each write in one retried transaction; {@code LoginSync}
 * records a login; {@code Directory} serves the administration reads and changes; {@code LogoutEvents} keeps
 * the shared logouts; {@code ScimUsers} keeps the users a SCIM client provisions; {@code AdminReads} pages
 * the users and the audit trail for an administration page ({@link dev.rolebridge.internal.store.AuditCsv}
 * writes the trail as CSV); {@code UnmappedGroups} records and sums up the provider's groups that mapped to
 * nothing. Every change of a user's memberships is one {@code MembershipChange}: one source, one
 * actor, one transaction, one audit event.
 * {@link dev.rolebridge.internal.store.StoreSettings} reads where the database is. Only this package talks to JPA;
 * the entity classes are package-private.
 */
package dev.rolebridge.internal.store;
