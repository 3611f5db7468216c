// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain;

import dev.arbiter.appraisal.PolicyCache;
import dev.arbiter.governance.AuditLog;
import dev.arbiter.governance.AuditRecord;
import dev.arbiter.governance.KeyRing;
import dev.arbiter.governance.StateCommitments;
import dev.arbiter.store.Database;
import dev.arbiter.store.Tx;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Commitments to the supply-chain state a verdict depends on. Every transaction that changes a
 * version's findings records, in its (signed) audit record's details, {@code findings_state}:
 * {@code workload@version} to the hex SHA-256 of the RFC 8785 form of the version's findings as
 * stored (sorted {@code [osv_id, purl, component_version, severity, score]}); every change of a
 * workload's supply-chain policy records {@code policy_state}: workload to the hex SHA-256 of the
 * stored (canonical) policy body. {@link #verify} recomputes both from the rows and compares them
 * with the newest commitment whose seal verifies under the pinned {@link KeyRing}; a row edited,
 * inserted or deleted outside Arbiter no longer matches.
 */
final class FindingsState {
  static final String FINDINGS = StateCommitments.FINDINGS;
  static final String POLICY = StateCommitments.POLICY;

  private FindingsState() {}

  static String key(String workload, String version) {
    return workload + "@" + version;
  }

  /** The digest of a version's findings as stored ({@link StateCommitments#findingsDigest}). */
  static String findingsDigest(List<SupplyChainStore.StoredFinding> findings) {
    return StateCommitments.findingsDigest(
        findings.stream()
            .map(f ->
                new StateCommitments.FindingRow(
                    f.osvId(),
                    f.purl(),
                    f.componentVersion(),
                    f.severity().label().name(),
                    f.severity().score()))
            .toList());
  }

  /** The digest of a stored supply-chain policy body ({@link StateCommitments#policyDigest}). */
  static String policyDigest(String body) {
    return StateCommitments.policyDigest(body);
  }

  /** {@code workload@version} to the digest of its current findings, for each version named. */
  static Map<String, String> findings(Tx tx, Collection<SupplyChainStore.VersionKey> versions) {
    Map<String, String> out = new TreeMap<>();
    for (SupplyChainStore.VersionKey v : versions) {
      out.put(
          key(v.workload(), v.version()),
          findingsDigest(SupplyChainStore.findings(tx, v.workload(), v.version())));
    }
    return out;
  }

  /** {@code workload} to the digest of its stored supply-chain policy. */
  static Map<String, String> policy(Tx tx, String workload) {
    return Map.of(workload, policyDigest(SupplyChainStore.policyBody(tx, workload).orElseThrow()));
  }

  /**
   * The blocking OSV ids of a version, when its findings and its workload's policy match their
   * newest verified commitments; otherwise why not.
   */
  static PolicyCache.Vulnerabilities verify(Tx tx, KeyRing ring, String workload, String version) {
    Optional<String> body = SupplyChainStore.policyBody(tx, workload);
    Optional<String> problem =
        check(
            tx,
            ring,
            POLICY,
            workload,
            body.map(FindingsState::policyDigest),
            "the supply-chain policy of " + workload);
    if (problem.isEmpty()) {
      List<SupplyChainStore.StoredFinding> rows = SupplyChainStore.findings(tx, workload, version);
      problem =
          check(
              tx,
              ring,
              FINDINGS,
              key(workload, version),
              rows.isEmpty() ? Optional.empty() : Optional.of(findingsDigest(rows)),
              "its findings");
    }
    return problem
        .map(PolicyCache.Vulnerabilities::unverified)
        .orElseGet(() ->
            PolicyCache.Vulnerabilities.verified(
                SupplyChainStore.blockingIds(tx, workload, version)));
  }

  /**
   * Compares the current digest (empty: no rows; no findings count as {@code []}) with the newest
   * commitment naming {@code key} under {@code object}; empty when they agree.
   */
  private static Optional<String> check(
      Tx tx, KeyRing ring, String object, String key, Optional<String> current, String what) {
    Optional<AuditRecord> record = AuditLog.latestNaming(tx, object, key);
    if (record.isEmpty()) {
      return current.isEmpty()
          ? Optional.empty()
          : Optional.of("(" + what + ") has rows no signed audit record commits to");
    }
    AuditRecord r = record.get();
    List<String> problems = ring.problemsOf(r.body(), r.hash(), r.keyId(), r.signature());
    if (!problems.isEmpty()) {
      return Optional.of(
          "("
              + what
              + ") is committed to by audit record #"
              + r.seq()
              + ", which does not verify: "
              + String.join("; ", problems));
    }
    String committed = r.body().path("details").path(object).path(key).asText();
    String now =
        current.orElseGet(() -> FINDINGS.equals(object) ? findingsDigest(List.of()) : "(none)");
    if (!committed.equals(now)) {
      return Optional.of(
          "("
              + what
              + ") differs from what audit record #"
              + r.seq()
              + " committed to (rows edited, inserted or deleted outside Arbiter)");
    }
    return Optional.empty();
  }

  /**
   * Adopts the findings and supply-chain policies of a database written before these commitments
   * existed: once, only while no commitment exists at all, with one audited {@code
   * supplychain.findings-adopted} record. Returns how many states it committed to (0 when there was
   * nothing to do).
   */
  static int adopt(Database database, AuditLog audit) {
    return database.inTransaction(tx -> {
      if (AuditLog.anyWithDetail(tx, FINDINGS) || AuditLog.anyWithDetail(tx, POLICY)) {
        return 0;
      }
      Map<String, String> findings = findings(tx, SupplyChainStore.versionsWithFindings(tx));
      Map<String, String> policies = new TreeMap<>();
      SupplyChainStore.policyBodies(tx)
          .forEach((workload, body) -> policies.put(workload, policyDigest(body)));
      if (findings.isEmpty() && policies.isEmpty()) {
        return 0;
      }
      audit.append(
          tx,
          "system:arbiter",
          "supplychain.findings-adopted",
          "supply-chain",
          "findings and supply-chain policies stored before they were committed to by audit"
              + " records",
          Optional.empty(),
          Map.of(FINDINGS, findings, POLICY, policies));
      return findings.size() + policies.size();
    });
  }
}
