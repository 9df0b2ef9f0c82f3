/**
 * Rolebridge's implementation. Nothing under {@code dev.rolebridge.internal} is API: its types are public only
 * so that Rolebridge's own packages can use each other, and may change in any release. Applications use the
 * filter ({@code dev.rolebridge.web}), the annotation ({@code dev.rolebridge.config}), the hook SPI
 * ({@code dev.rolebridge.sync}) and {@link dev.rolebridge.RolebridgePrincipal}. This package holds the escaping
 * loggers and the throttle every part shares.
 */
package dev.rolebridge.internal;
