/**
 * The built-in membership sync hook, where the parts of a login's sync meet: the groups read out of the claims
 * ({@link dev.rolebridge.internal.sync.GroupsExtractor}), mapped by the mapping tables
 * ({@code dev.rolebridge.internal.mapping}) and stored in one transaction ({@code dev.rolebridge.internal.store}),
 * composed by {@link dev.rolebridge.internal.sync.DefaultSyncHook}.
 */
package dev.rolebridge.internal.sync;
