// SPDX-License-Identifier: Apache-2.0
/**
 * The supply-chain HTTP routes ({@code SupplyChainRoutes}): workload supply-chain policies, status,
 * version checks and advisory imports, as {@code dev.arbiter.http.Route}s registered by the server.
 * Thin: each route parses its body, calls {@code SupplyChainService} and replies with its typed
 * report. Allowed dependencies: {@code supplychain}, {@code http}, {@code problem}; no SQL.
 */
package dev.arbiter.supplychain.http;
