// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.store.Tx;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Read-only views of the supply-chain tables for governance reports: stored documents, advisory
 * records, findings and obligations (with when they were resolved). No writes.
 */
public final class SupplyChainReadStore {
  private SupplyChainReadStore() {}

  /** One stored finding of a version. */
  public record Finding(
      @JsonProperty("version") String version,
      @JsonProperty("osv_id") String osvId,
      @JsonProperty("purl") String purl,
      @JsonProperty("component_version") String componentVersion,
      @JsonProperty("severity") String severity,
      @JsonProperty("found_at") String foundAt) {}

  /** One obligation (rollout deadline or vulnerability phase-out) of a workload. */
  public record Obligation(
      @JsonProperty("id") long id,
      @JsonProperty("version") String version,
      @JsonProperty("kind") String kind,
      @JsonProperty("class") String objectiveClass,
      @JsonProperty("due_at") String dueAt,
      @JsonProperty("action") String action,
      @JsonProperty("state") String state,
      @JsonProperty("rollout") Long rollout,
      @JsonProperty("created_at") String createdAt,
      @JsonProperty("resolved_at") String resolvedAt,
      @JsonProperty("details") JsonNode details) {}

  /** The raw bytes of a stored provenance document or SBOM ({@code sha256:<hex>}). */
  public static Optional<byte[]> document(Tx tx, String digest) {
    return SupplyChainStore.document(tx, digest);
  }

  /** The stored OSV record of {@code id} (JSON text), withdrawn or not. */
  public static Optional<String> advisory(Tx tx, String id) {
    return tx.handle()
        .createQuery("select body from advisory where id = :id")
        .bind("id", id)
        .mapTo(String.class)
        .findOne();
  }

  /** Every finding of the workload's versions, by version, OSV id and package. */
  public static List<Finding> findings(Tx tx, String workload) {
    return tx.handle()
        .createQuery(
            "select version, osv_id, purl, component_version, severity, found_at from"
                + " version_finding where workload = :w order by version, osv_id, purl,"
                + " component_version")
        .bind("w", workload)
        .map((rs, ctx) ->
            new Finding(
                rs.getString("version"),
                rs.getString("osv_id"),
                rs.getString("purl"),
                rs.getString("component_version"),
                rs.getString("severity"),
                rs.getTimestamp("found_at").toInstant().toString()))
        .list();
  }

  /** Every obligation of the workload created at or before {@code until}, oldest first. */
  public static List<Obligation> obligations(Tx tx, String workload, Instant until) {
    return tx.handle()
        .createQuery(
            "select * from obligation where workload = :w and created_at <= :u order by id")
        .bind("w", workload)
        .bind("u", until)
        .map((rs, ctx) -> {
          java.sql.Timestamp resolved = rs.getTimestamp("resolved_at");
          return new Obligation(
              rs.getLong("id"),
              rs.getString("version"),
              rs.getString("kind"),
              rs.getString("class"),
              rs.getTimestamp("due_at").toInstant().toString(),
              rs.getString("action"),
              rs.getString("state"),
              (Long) rs.getObject("rollout_id"),
              rs.getTimestamp("created_at").toInstant().toString(),
              resolved == null ? null : resolved.toInstant().toString(),
              SupplyChainStore.json(rs.getString("details")));
        })
        .list();
  }
}
