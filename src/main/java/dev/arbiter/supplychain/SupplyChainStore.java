// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.internal.Jcs;
import dev.arbiter.internal.Json;
import dev.arbiter.supplychain.osv.Finding;
import dev.arbiter.supplychain.osv.Severity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;

/** Rows of V6: supply-chain policies, content-addressed documents and findings (in the caller's transaction). */
final class SupplyChainStore {
  private static final Map<String, SupplyChainPolicy> PARSED = new ConcurrentHashMap<>();

  private SupplyChainStore() {}

  /** A finding as stored for a version. */
  record StoredFinding(String osvId, String purl, String componentVersion, Severity severity, List<String> aliases, Instant foundAt) {}

  static Optional<String> policyBody(Handle handle, String workload) {
    return handle.createQuery("select body from supply_chain_policy where workload = :w").bind("w", workload).mapTo(String.class).findOne();
  }

  /** The workload's policy, or {@link SupplyChainPolicy#none()}. Parsed copies are cached by their text. */
  static SupplyChainPolicy policy(Handle handle, String workload) {
    return policyBody(handle, workload).map(SupplyChainStore::parsed).orElseGet(SupplyChainPolicy::none);
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

  static void savePolicy(Handle handle, String workload, SupplyChainPolicy policy, String principal, Instant now) {
    String body = new String(Jcs.canonicalize(policy.normalized()), StandardCharsets.UTF_8);
    handle.createUpdate("insert into supply_chain_policy(workload, body, updated_at, updated_by) values (:w, :b, :at, :by) "
            + "on conflict (workload) do update set body = excluded.body, updated_at = excluded.updated_at, updated_by = excluded.updated_by")
        .bind("w", workload).bind("b", body).bind("at", now).bind("by", principal).execute();
  }

  static void saveDocument(Handle handle, String digest, String kind, byte[] body, Instant now) {
    handle.createUpdate("insert into supply_chain_document(digest, kind, body, created_at) values (:d, :k, :b, :at) on conflict (digest) do nothing")
        .bind("d", digest).bind("k", kind).bind("b", body).bind("at", now).execute();
  }

  static Optional<byte[]> document(Handle handle, String digest) {
    return handle.createQuery("select body from supply_chain_document where digest = :d").bind("d", digest).mapTo(byte[].class).findOne();
  }

  static void saveFindings(Handle handle, String workload, String version, List<Finding> findings, Instant now) {
    for (Finding finding : findings) {
      handle.createUpdate("insert into version_finding(workload, version, osv_id, purl, component_version, severity, score, aliases, found_at) "
              + "values (:w, :v, :id, :purl, :cv, :sev, :score, :aliases, :at) on conflict do nothing")
          .bind("w", workload).bind("v", version).bind("id", finding.osvId()).bind("purl", finding.purl() == null ? "" : finding.purl())
          .bind("cv", finding.version() == null ? "" : finding.version()).bind("sev", finding.severity().label().name())
          .bind("score", finding.severity().score()).bind("aliases", Json.write(finding.aliases())).bind("at", now).execute();
    }
  }

  static List<StoredFinding> findings(Handle handle, String workload, String version) {
    return handle.createQuery("select * from version_finding where workload = :w and version = :v order by osv_id, purl")
        .bind("w", workload).bind("v", version)
        .map((rs, ctx) -> {
          List<String> aliases = new ArrayList<>();
          json(rs.getString("aliases")).forEach(a -> aliases.add(a.asText()));
          Double score = rs.getObject("score") == null ? null : rs.getDouble("score");
          Severity severity = new Severity(Severity.Label.valueOf(rs.getString("severity")), score, null, "stored");
          return new StoredFinding(rs.getString("osv_id"), rs.getString("purl"), rs.getString("component_version"), severity,
              List.copyOf(aliases), rs.getTimestamp("found_at").toInstant());
        }).list();
  }

  /** OSV ids of the version's findings that its workload's vulnerability policy blocks (sorted). */
  static List<String> blockingIds(Handle handle, String workload, String version) {
    SupplyChainPolicy policy = policy(handle, workload);
    TreeSet<String> ids = new TreeSet<>();
    for (StoredFinding finding : findings(handle, workload, version)) {
      if (policy.vulnerabilities().blocks(finding.severity())) {
        ids.add(finding.osvId());
      }
    }
    return List.copyOf(ids);
  }

  static Map<String, Object> findingJson(StoredFinding finding, boolean blocking) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("osv_id", finding.osvId());
    out.put("purl", finding.purl());
    out.put("version", finding.componentVersion());
    out.put("severity", finding.severity().label().name());
    out.put("score", finding.severity().score());
    out.put("aliases", finding.aliases());
    out.put("blocking", blocking);
    out.put("found_at", finding.foundAt().toString());
    return out;
  }

  static JsonNode json(String text) {
    try {
      return Json.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
