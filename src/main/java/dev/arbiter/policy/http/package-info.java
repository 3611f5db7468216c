// SPDX-License-Identifier: Apache-2.0
/**
 * The HTTP routes of workloads, versions and policy revisions ({@code PolicyRoutes}) and their JSON
 * views. A transport: parses requests, checks nothing a service does not check again, calls {@link
 * dev.arbiter.policy.PolicyService} and maps results to view records. No SQL, no state. May depend
 * on {@code policy}, {@code http}, {@code auth}, {@code problem}, {@code internal} (and the
 * supply-chain service for admission-checked registration); nothing depends on it but the server.
 */
package dev.arbiter.policy.http;
