/**
 * Configuring Rolebridge in code: {@link dev.rolebridge.config.RolebridgeConfig} carries the same parameters as
 * the filter's {@code web.xml} init-params (which override it one by one), and a configuration Rolebridge cannot
 * run with stops the application with a {@link dev.rolebridge.config.RolebridgeConfigurationException} naming
 * every problem.
 */
package dev.rolebridge.config;
