/**
 * Benchmarks: programs run by hand with the commands in the README's Performance section, never by the test
 * suite; nothing here asserts a timing.
 */
package dev.rolebridge.bench;
