// SPDX-License-Identifier: Apache-2.0
/**
 * The collateral HTTP routes ({@code CollateralRoutes}): import (files as base64, decoded by {@code
 * internal.Encodings}) and listing with next-update times and expiry. Allowed dependencies: {@code
 * collateral}, {@code evidence.EvidenceInput}, {@code http}, {@code internal}, {@code problem}; no
 * SQL.
 */
package dev.arbiter.collateral.http;
