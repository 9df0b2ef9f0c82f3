/**
 * The membership sync hook: what the filter hands over after a verified login
 * ({@link dev.rolebridge.sync.LoginIdentity}), the extension point that turns it into the groups and
 * roles a session carries ({@link dev.rolebridge.sync.MembershipSyncHook}), and its answer
 * ({@link dev.rolebridge.sync.SyncResult}). Nothing here depends on pac4j or the servlet API.
 */
package dev.rolebridge.sync;
