/**
 * The one configuration model: {@link dev.rolebridge.internal.config.ParameterReader} reads a filter's
 * {@code web.xml} init-params or {@link dev.rolebridge.config.RolebridgeConfig} annotation attributes (the same
 * names, listed once in {@link dev.rolebridge.internal.config.Parameter}) with {@code ${env:NAME}} and
 * {@code ${sys:name}} placeholders resolved, and {@link dev.rolebridge.internal.config.RolebridgeSettings} holds
 * every part of it (sign-in, group mapping, storage), validated once at start-up.
 */
package dev.rolebridge.internal.config;
