// SPDX-License-Identifier: Apache-2.0
/**
 * The console's routes under {@code /ui/} ({@link dev.arbiter.console.http.ConsoleRoutes}) over
 * {@code dev.arbiter.http}: authentication and roles as for the API, security headers on every
 * answer, static assets from the classpath, and the checked form POSTs of rollout actions.
 */
package dev.arbiter.console.http;
