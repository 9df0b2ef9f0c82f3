/**
 * The one configuration model: {@link dev.rolebridge.config.RolebridgeSettings}, built from a filter's
 * {@code web.xml} init-params or from {@link dev.rolebridge.config.RolebridgeConfig} annotation attributes
 * (the same names in both), with {@code ${env:NAME}} and {@code ${sys:name}} placeholders resolved and
 * every value validated once at start-up.
 */
package dev.rolebridge.config;
