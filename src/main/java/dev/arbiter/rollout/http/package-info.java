// SPDX-License-Identifier: Apache-2.0
/**
 * The HTTP routes of rollouts and obligations ({@code RolloutRoutes}): the pipeline role drives
 * rollouts, {@code abort --force} is the operator's. A transport over {@link
 * dev.arbiter.rollout.RolloutService} and {@link dev.arbiter.rollout.RolloutReports}; bodies are
 * the typed report records. No SQL, no state. May depend on {@code rollout}, {@code http}, {@code
 * auth}, {@code problem}; nothing depends on it but the server.
 */
package dev.arbiter.rollout.http;
