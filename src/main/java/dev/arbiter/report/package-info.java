// SPDX-License-Identifier: Apache-2.0
/**
 * Governance evidence for auditors: one row per expectation of the seeds' Governance Expectations
 * Summary, computed by a pure function ({@link dev.arbiter.report.Evaluator}) from signed, logged
 * records ({@link dev.arbiter.report.Records}); signed evidence bundles ({@link
 * dev.arbiter.report.EvidenceBundle}) that {@link dev.arbiter.report.BundleVerifier} re-checks
 * offline; HTML and PDF renderings. Reads the domains (policy, rollout, supplychain, governance,
 * tlog) through their public read APIs; writes nothing but export schedules.
 */
package dev.arbiter.report;
