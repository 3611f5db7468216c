// SPDX-License-Identifier: Apache-2.0
/**
 * The governance evidence routes ({@code GovernanceRoutes}): reports and signed evidence bundles
 * for auditors. A transport over {@link dev.arbiter.report}; no SQL.
 */
package dev.arbiter.report.http;
