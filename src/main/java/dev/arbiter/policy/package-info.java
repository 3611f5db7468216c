// SPDX-License-Identifier: Apache-2.0
/**
 * Workloads, their immutable versions (reference values, artifact digest, supply-chain facts) and
 * each workload's Verifier policy as a hash-chained, signed sequence of revisions.
 *
 * <p>Owns the tables {@code workload}, {@code version}, {@code version_status} and {@code
 * policy_revision}, whose SQL lives only in {@code PolicyStore}; {@link
 * dev.arbiter.policy.PolicyService} is the API. Invariants: a version's content never changes once
 * registered (same label, other content is refused); every policy change is one transaction that
 * locks the workload row, checks the base revision, appends the next revision (its {@code prev} is
 * the head's hash) and writes the audit record, or nothing; a change announces itself on {@link
 * dev.arbiter.policy.PolicyService#CHANNEL} at commit. Other domains (rollouts, supply chain)
 * compose policy changes with their own rows through the static {@code Tx}-taking methods of {@code
 * PolicyService} inside {@link dev.arbiter.store.Database#inTransaction}. An appraisal policy may
 * read only claims the schemes of the workload's versions produce, and can be tried first on a
 * bounded in-memory sample of recent appraisals ({@link dev.arbiter.policy.RecentAppraisals}; see
 * README.md).
 *
 * <p>May depend on {@code governance} (audit, chained records), {@code auth} (principals), {@code
 * evidence} (scheme registry for reference values), {@code store}, {@code crypto}, {@code
 * internal}, {@code problem}. Never on transports or on the domains built on it.
 */
package dev.arbiter.policy;
