// SPDX-License-Identifier: Apache-2.0
/**
 * The web console's pages: server-rendered HTML over the domain services (overview, workload,
 * rollout, decisions, audit), with {@link dev.arbiter.console.Html#esc} as the only way data enters
 * the markup, and the CSRF tokens ({@link dev.arbiter.console.Csrf}) of its forms. No SQL here: the
 * pages read through the services and stores of their domains. Routes: {@code console.http}. See
 * README.md in this directory.
 */
package dev.arbiter.console;
