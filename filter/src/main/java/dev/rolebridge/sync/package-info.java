/**
 * The membership sync hook, Rolebridge's extension point: what the filter hands over after a verified login
 * ({@link dev.rolebridge.sync.LoginIdentity}), the hook that turns it into the groups and roles a session
 * carries ({@link dev.rolebridge.sync.MembershipSyncHook}), its answer ({@link dev.rolebridge.sync.SyncResult}),
 * and what a custom hook gets when it is created ({@link dev.rolebridge.sync.HookContext}). Nothing here depends
 * on pac4j, JPA or the servlet API.
 */
package dev.rolebridge.sync;
