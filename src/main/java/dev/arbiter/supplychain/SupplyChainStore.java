// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.internal.Jcs;
import dev.arbiter.internal.Json;
import dev.arbiter.store.Tx;
import dev.arbiter.supplychain.osv.Finding;
import dev.arbiter.supplychain.osv.Severity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rows of V6: supply-chain policies, content-addressed documents and findings (in the caller's
 * transaction).
 */
final class SupplyChainStore {
  private static final Map<String, SupplyChainPolicy> PARSED = new ConcurrentHashMap<>();

  private SupplyChainStore() {}

  /** A finding as stored for a version. */
  record StoredFinding(
      String osvId,
      String purl,
      String componentVersion,
      Severity severity,
      List<String> aliases,
      Instant foundAt) {}

  static Optional<String> policyBody(Tx tx, String workload) {
    return tx.handle()
        .createQuery("select body from supply_chain_policy where workload = :w")
        .bind("w", workload)
        .mapTo(String.class)
        .findOne();
  }

  /**
   * The workload's policy, or {@link SupplyChainPolicy#none()}. Parsed copies are cached by their
   * text.
   */
  static SupplyChainPolicy policy(Tx tx, String workload) {
    return policyBody(tx, workload)
        .map(SupplyChainStore::parsed)
        .orElseGet(SupplyChainPolicy::none);
  }

  private static SupplyChainPolicy parsed(String body) {
    SupplyChainPolicy cached = PARSED.get(body);
    if (cached == null) {
      if (PARSED.size() > 256) {
        PARSED.clear();
      }
      cached = SupplyChainPolicy.parse(json(body));
      PARSED.put(body, cached);
    }
    return cached;
  }

  static void savePolicy(
      Tx tx, String workload, SupplyChainPolicy policy, String principal, Instant now) {
    String body = new String(Jcs.canonicalize(policy.normalized()), StandardCharsets.UTF_8);
    tx.handle()
        .createUpdate(
            "insert into supply_chain_policy(workload, body, updated_at, updated_by) values (:w,"
                + " :b, :at, :by) on conflict (workload) do update set body = excluded.body,"
                + " updated_at = excluded.updated_at, updated_by = excluded.updated_by")
        .bind("w", workload)
        .bind("b", body)
        .bind("at", now)
        .bind("by", principal)
        .execute();
  }

  static void saveDocument(Tx tx, String digest, String kind, byte[] body, Instant now) {
    tx.handle()
        .createUpdate(
            "insert into supply_chain_document(digest, kind, body, created_at) values (:d, :k, :b,"
                + " :at) on conflict (digest) do nothing")
        .bind("d", digest)
        .bind("k", kind)
        .bind("b", body)
        .bind("at", now)
        .execute();
  }

  static Optional<byte[]> document(Tx tx, String digest) {
    return tx.handle()
        .createQuery("select body from supply_chain_document where digest = :d")
        .bind("d", digest)
        .mapTo(byte[].class)
        .findOne();
  }

  static void saveFindings(
      Tx tx, String workload, String version, List<Finding> findings, Instant now) {
    for (Finding finding : findings) {
      tx.handle()
          .createUpdate(
              "insert into version_finding(workload, version, osv_id, purl, component_version,"
                  + " severity, score, aliases, found_at) values (:w, :v, :id, :purl, :cv, :sev,"
                  + " :score, :aliases, :at) on conflict do nothing")
          .bind("w", workload)
          .bind("v", version)
          .bind("id", finding.osvId())
          .bind("purl", finding.purl() == null ? "" : finding.purl())
          .bind("cv", finding.version() == null ? "" : finding.version())
          .bind("sev", finding.severity().label().name())
          .bind("score", finding.severity().score())
          .bind("aliases", Json.write(finding.aliases()))
          .bind("at", now)
          .execute();
    }
  }

  static List<StoredFinding> findings(Tx tx, String workload, String version) {
    return tx.handle()
        .createQuery(
            "select * from version_finding where workload = :w and version = :v order by osv_id,"
                + " purl")
        .bind("w", workload)
        .bind("v", version)
        .map((rs, ctx) -> {
          List<String> aliases = new ArrayList<>();
          json(rs.getString("aliases")).forEach(a -> aliases.add(a.asText()));
          Double score = rs.getObject("score") == null ? null : rs.getDouble("score");
          Severity severity =
              new Severity(Severity.Label.valueOf(rs.getString("severity")), score, null, "stored");
          return new StoredFinding(
              rs.getString("osv_id"),
              rs.getString("purl"),
              rs.getString("component_version"),
              severity,
              List.copyOf(aliases),
              rs.getTimestamp("found_at").toInstant());
        })
        .list();
  }

  /** OSV ids of the version's findings that its workload's vulnerability policy blocks (sorted). */
  static List<String> blockingIds(Tx tx, String workload, String version) {
    SupplyChainPolicy policy = policy(tx, workload);
    TreeSet<String> ids = new TreeSet<>();
    for (StoredFinding finding : findings(tx, workload, version)) {
      if (policy.vulnerabilities().blocks(finding.severity())) {
        ids.add(finding.osvId());
      }
    }
    return List.copyOf(ids);
  }

  /** A version, by workload and label. */
  record VersionKey(String workload, String version) {}

  /** Deletes every finding of a withdrawn advisory; returns the versions that had one. */
  static List<VersionKey> deleteFindings(Tx tx, String osvId) {
    return tx
        .handle()
        .createQuery("delete from version_finding where osv_id = :id returning workload, version")
        .bind("id", osvId)
        .map((rs, ctx) -> new VersionKey(rs.getString("workload"), rs.getString("version")))
        .list()
        .stream()
        .distinct()
        .toList();
  }

  /** Every version with at least one finding. */
  static List<VersionKey> versionsWithFindings(Tx tx) {
    return tx.handle()
        .createQuery(
            "select distinct workload, version from version_finding order by workload, version")
        .map((rs, ctx) -> new VersionKey(rs.getString("workload"), rs.getString("version")))
        .list();
  }

  /** Every stored supply-chain policy: workload to body. */
  static Map<String, String> policyBodies(Tx tx) {
    Map<String, String> out = new java.util.TreeMap<>();
    tx.handle()
        .createQuery("select workload, body from supply_chain_policy")
        .map((rs, ctx) -> out.put(rs.getString("workload"), rs.getString("body")))
        .list();
    return out;
  }

  /** A stored finding as reports list it. */
  record FindingView(
      @JsonProperty("osv_id") String osvId,
      @JsonProperty("purl") String purl,
      @JsonProperty("version") String version,
      @JsonProperty("severity") String severity,
      @JsonProperty("score") Double score,
      @JsonProperty("aliases") List<String> aliases,
      @JsonProperty("blocking") boolean blocking,
      @JsonProperty("found_at") String foundAt) {}

  static FindingView findingJson(StoredFinding finding, boolean blocking) {
    return new FindingView(
        finding.osvId(),
        finding.purl(),
        finding.componentVersion(),
        finding.severity().label().name(),
        finding.severity().score(),
        finding.aliases(),
        blocking,
        finding.foundAt().toString());
  }

  static JsonNode json(String text) {
    try {
      return Json.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
