/**
 * Persistence: the memberships, groups, roles, grants, mapping rules and audit trail that login syncs
 * write, in the application's database (a JNDI {@code DataSource} or a JDBC URL) or an embedded H2 file
 * database. {@link dev.rolebridge.store.MembershipStore} is the one entry point: it bootstraps its own JPA
 * unit on EclipseLink (no {@code persistence.xml}, so a Jakarta EE server never deploys it), creates and
 * upgrades its {@code RB_*} tables with Flyway, seeds them from the configuration, and records each login
 * in one transaction. {@link dev.rolebridge.store.StoreSettings} reads where the database is. Only this
 * package talks to JPA; the entity classes are package-private.
 */
package dev.rolebridge.store;
