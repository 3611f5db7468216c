// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.governance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.arbiter.crypto.Digests;
import dev.arbiter.internal.Hex;
import dev.arbiter.internal.Jcs;
import dev.arbiter.internal.Json;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The commitments signed audit records make to verdict-changing rows outside the policy revisions,
 * and their digests (one implementation for the writers, the policy cache and {@code audit
 * verify}): {@code details.findings_state} ({@code workload@version} to {@link #findingsDigest}),
 * {@code details.policy_state} (workload to {@link #policyDigest} of the supply-chain policy body)
 * and the {@code stored} files of {@code collateral.import} records ({@code {format, kind, key,
 * sha256}}). {@link #check} compares the stored rows with the newest verified commitments.
 */
public final class StateCommitments {
  /** Details key: {@code workload@version} to the digest of the version's findings. */
  public static final String FINDINGS = "findings_state";

  /** Details key: workload to the digest of its supply-chain policy body. */
  public static final String POLICY = "policy_state";

  private StateCommitments() {}

  /** One stored finding as its digest covers it. */
  public record FindingRow(
      String osvId, String purl, String componentVersion, String severity, Double score) {}

  /**
   * Hex SHA-256 of the RFC 8785 form of the findings sorted by (osv_id, purl, component_version),
   * each {@code [osv_id, purl, component_version, severity, score]}; no findings hash as {@code
   * []}.
   */
  public static String findingsDigest(List<FindingRow> findings) {
    ArrayNode rows = Json.mapper().createArrayNode();
    findings.stream()
        .sorted(
            Comparator.comparing(FindingRow::osvId)
                .thenComparing(FindingRow::purl)
                .thenComparing(FindingRow::componentVersion))
        .forEach(f -> {
          ArrayNode row = rows.addArray();
          row.add(f.osvId()).add(f.purl()).add(f.componentVersion()).add(f.severity());
          if (f.score() == null) {
            row.addNull();
          } else {
            row.add(f.score());
          }
        });
    return Hex.encode(Digests.sha256(Jcs.canonicalize(rows)));
  }

  /** Hex SHA-256 of a stored supply-chain policy body (already RFC 8785). */
  public static String policyDigest(String body) {
    return Hex.encode(Digests.sha256(body.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * The {@code audit verify} part: every version's findings, every supply-chain policy and every
   * collateral file against the newest commitments of the audit records that verified ({@code
   * verified}, oldest first). Stores without any commitment at all (a database from before them,
   * not adopted yet) are not checked.
   */
  static void check(
      List<JsonNode> verified,
      Map<String, List<FindingRow>> findingRows,
      Map<String, String> policies,
      List<AuditStore.CollateralRow> collateral,
      List<IntegrityCheck.Finding> findings) {
    Map<String, String> committedFindings = new TreeMap<>();
    Map<String, String> committedPolicies = new TreeMap<>();
    Map<String, Set<String>> committedFiles = new TreeMap<>();
    for (JsonNode body : verified) {
      JsonNode details = body.path("details");
      details
          .path(FINDINGS)
          .properties()
          .forEach(e -> committedFindings.put(e.getKey(), e.getValue().asText()));
      details
          .path(POLICY)
          .properties()
          .forEach(e -> committedPolicies.put(e.getKey(), e.getValue().asText()));
      if ("collateral.import".equals(body.path("action").asText())) {
        for (JsonNode file : details.path("stored")) {
          committedFiles
              .computeIfAbsent(
                  slot(
                      file.path("format").asText(),
                      file.path("kind").asText(),
                      file.path("key").asText()),
                  k -> new TreeSet<>())
              .add(file.path("sha256").asText());
        }
      }
    }
    if (!committedFindings.isEmpty() || !committedPolicies.isEmpty()) {
      Set<String> versions = new TreeSet<>(committedFindings.keySet());
      versions.addAll(findingRows.keySet());
      for (String version : versions) {
        String committed = committedFindings.get(version);
        String actual = findingsDigest(findingRows.getOrDefault(version, List.of()));
        if (committed == null) {
          findings.add(
              new IntegrityCheck.Finding(
                  "version_finding", version, "findings no signed audit record commits to"));
        } else if (!committed.equals(actual)) {
          findings.add(
              new IntegrityCheck.Finding(
                  "version_finding",
                  version,
                  "findings differ from what the newest audit record committed to (rows edited,"
                      + " inserted or deleted)"));
        }
      }
      Set<String> workloads = new TreeSet<>(committedPolicies.keySet());
      workloads.addAll(policies.keySet());
      for (String workload : workloads) {
        String committed = committedPolicies.get(workload);
        String body = policies.get(workload);
        if (committed == null || body == null || !committed.equals(policyDigest(body))) {
          findings.add(
              new IntegrityCheck.Finding(
                  "supply_chain_policy",
                  workload,
                  committed == null
                      ? "policy no signed audit record commits to"
                      : "policy differs from what the newest audit record committed to"));
        }
      }
    }
    Map<String, Set<String>> present = new HashMap<>();
    for (AuditStore.CollateralRow row : collateral) {
      String slot = slot(row.format(), row.kind(), row.key());
      String actual = Hex.encode(Digests.sha256(row.content()));
      String problem = null;
      if (!actual.equals(row.sha256())) {
        problem = "its bytes do not hash to its sha256 column (content swapped)";
      } else if (!committedFiles.getOrDefault(slot, Set.of()).contains(actual)) {
        problem = "no verified collateral.import audit record names it";
      } else {
        present.computeIfAbsent(slot, k -> new HashSet<>()).add(actual);
      }
      if (problem != null) {
        findings.add(
            new IntegrityCheck.Finding("collateral", "#" + row.id() + " " + slot, problem));
      }
    }
    committedFiles.forEach((slot, shas) -> {
      for (String sha : shas) {
        if (!present.getOrDefault(slot, Set.of()).contains(sha)) {
          findings.add(
              new IntegrityCheck.Finding(
                  "collateral",
                  slot + " " + sha,
                  "imported (audited) but no longer stored intact (row deleted or edited)"));
        }
      }
    });
  }

  private static String slot(String format, String kind, String key) {
    return format + "|" + kind + "|" + key;
  }
}
