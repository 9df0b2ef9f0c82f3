/**
 * The servlet side: {@link dev.rolebridge.web.RolebridgeFilter}, the one filter a web application declares;
 * the request wrapper through which legacy code sees the user and roles; the error pages; and the
 * initializer that registers the filter from a {@link dev.rolebridge.config.RolebridgeConfig} annotation.
 */
package dev.rolebridge.web;
