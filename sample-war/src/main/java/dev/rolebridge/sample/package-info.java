/**
 * The Expense Tracker, a legacy servlet application that adopted Rolebridge through {@code web.xml} alone: its
 * pages check roles with {@code request.isUserInRole(...)} as they always did, and
 * {@link dev.rolebridge.sample.EmployeeRoleSyncHook} wraps Rolebridge's default sync hook to record each
 * sign-in in the application's own {@code EMPLOYEE} table.
 */
package dev.rolebridge.sample;
