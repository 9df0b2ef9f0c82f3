/**
 * The Expense Tracker's own persistence: its entities ({@code APP_ROLE}, {@code EMPLOYEE}, {@code EXPENSE}) in an
 * embedded H2 database, reached through a persistence unit the application opens itself
 * ({@link dev.rolebridge.sample.data.ExpenseDatabase}).
 */
package dev.rolebridge.sample.data;
