// SPDX-License-Identifier: Apache-2.0
/**
 * The server side of the supply chain: per-workload supply-chain policies, version admission at
 * registration (provenance, quorum, SBOM binding, blocking vulnerabilities), the rollout gate,
 * advisory imports with continuous re-scans and vulnerability phase-out obligations. See README.md.
 *
 * <p>Owns the tables {@code supply_chain_policy}, {@code supply_chain_document}, {@code
 * version_finding}, {@code advisory}, {@code advisory_import} and the {@code vulnerability} rows of
 * {@code obligation}; its SQL lives only in {@code SupplyChainStore}, {@code AdvisoryStore} and
 * {@code ObligationStore}, in the caller's {@code store.Tx}.
 *
 * <p>Invariants: a refused version stores nothing; admission, {@code version check} and the rollout
 * gate run the same evaluation ({@code Admission}); every provenance item must verify (fail
 * closed); a change that touches policy rows (revocation) is one transaction with its audit record;
 * every change of findings or of a supply-chain policy commits to the new state in its signed audit
 * record, and the policy cache's vulnerability source verifies the rows against it.
 *
 * <p>Allowed dependencies: {@code supplychain.provenance}, {@code .sbom}, {@code .osv}, {@code
 * policy} (through its Tx-taking API), {@code governance} (audit), {@code rollout.VersionGate},
 * {@code store}, {@code crypto}, {@code internal}, {@code problem}, {@code auth.Principal}. Never
 * {@code http} or {@code server}; routes are in {@code supplychain.http}.
 */
package dev.arbiter.supplychain;
