// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbiter.internal.Json;
import dev.arbiter.supplychain.SupplyChainReadStore;
import dev.arbiter.tlog.LogEntry;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Computes the report rows from {@link Records}, and nothing else: no clock, no database. The same
 * function runs on the server (building a report) and in {@code arbiter governance verify}
 * (re-deriving every status from the records a bundle carries). The semantics of each row are in
 * the package README.
 */
public final class Evaluator {
  private final Records records;
  private final Instant from;
  private final Instant to;
  private final List<Records.Revision> revisions;
  private final Map<String, Records.Revision> revisionsByHash = new LinkedHashMap<>();
  private final Map<String, Decided> firstDecision = new LinkedHashMap<>();
  private final Map<String, Records.VersionRecord> versions = new LinkedHashMap<>();

  /** A decision leaf, parsed. */
  private record Decided(Records.DecisionLeaf leaf, JsonNode body, Instant at) {
    String version() {
      return body.path("matched_version").asText();
    }
  }

  private Evaluator(Records records) {
    this.records = records;
    this.from = Instant.parse(records.from());
    this.to = Instant.parse(records.to());
    this.revisions =
        records.revisions().stream()
            .sorted(Comparator.comparingLong(Records.Revision::seq))
            .toList();
    revisions.forEach(r -> revisionsByHash.put(r.hash(), r));
    for (Records.DecisionLeaf leaf : records.decisions()) {
      LogEntry entry = LogEntry.parse(leaf.leaf());
      JsonNode body = entry.body();
      Decided decided = new Decided(leaf, body, entry.time());
      if (!entry.time().isAfter(to)) {
        firstDecision.merge(
            decided.version(),
            decided,
            (a, b) -> a.leaf().leafIndex() <= b.leaf().leafIndex() ? a : b);
      }
    }
    records.versions().forEach(v -> versions.put(v.label(), v));
  }

  /**
   * The rows, keyed and ordered as {@link Expectation}.
   *
   * @throws IllegalArgumentException when a record is malformed (a leaf not canonical, a time not
   *     ISO-8601)
   */
  public static Map<String, Row> evaluate(Records records) {
    Evaluator e = new Evaluator(records);
    Map<String, Row> rows = new LinkedHashMap<>();
    rows.put(Expectation.UPGRADE_7.key(), e.upgrade7());
    rows.put(Expectation.WG_7.key(), e.wg7());
    rows.put(Expectation.WG_12.key(), e.wg12());
    rows.put(Expectation.WG_9.key(), e.wg9());
    rows.put(Expectation.WG_14.key(), e.wg14());
    rows.put(Expectation.WG_15.key(), e.wg15());
    rows.put(Expectation.WG_1.key(), e.wg1());
    return rows;
  }

  /** The charts' data. */
  public static Timelines timelines(Records records) {
    Evaluator e = new Evaluator(records);
    List<Timelines.RevisionPoint> revisionPoints =
        e.revisions.stream()
            .map(r -> new Timelines.RevisionPoint(createdAt(r).toString(), r.seq(), accepted(r)))
            .toList();
    List<Timelines.VersionPoint> first =
        e.firstDecision.values().stream()
            .sorted(Comparator.comparing(Decided::at))
            .map(d -> new Timelines.VersionPoint(d.at().toString(), d.version()))
            .toList();
    List<Timelines.RolloutShares> rollouts = new ArrayList<>();
    for (Records.FleetSamples fleet : records.fleet()) {
      Records.RolloutRecord rollout =
          records.rollouts().stream()
              .filter(r -> r.id() == fleet.rollout())
              .findFirst()
              .orElse(null);
      Map<String, Long> totals = new TreeMap<>();
      fleet.samples().forEach(s -> totals.merge(s.at(), s.instances(), Long::sum));
      List<Timelines.Share> shares =
          fleet.samples().stream()
              .map(s ->
                  new Timelines.Share(
                      s.at(), s.version(), s.instances() / (double) totals.get(s.at())))
              .toList();
      rollouts.add(
          new Timelines.RolloutShares(
              fleet.rollout(),
              rollout == null ? null : rollout.to(),
              rollout == null ? null : rollout.state(),
              fleet.from(),
              fleet.until(),
              shares));
    }
    return new Timelines(revisionPoints, first, rollouts);
  }

  // ---------------------------------------------------------------- Upgrade Governance 7

  private Row upgrade7() {
    List<EvidenceItem> items = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    int completed = 0;
    int rolledBack = 0;
    int considered = 0;
    for (Records.RolloutRecord rollout : records.rollouts()) {
      Instant created = Instant.parse(rollout.createdAt());
      if (!inRange(created)) {
        continue;
      }
      considered++;
      String name = "rollout #" + rollout.id() + " to " + rollout.to();
      items.add(
          item(
              "rollout",
              Long.toString(rollout.id()),
              rollout.createdAt(),
              name
                  + " from "
                  + rollout.from()
                  + ": "
                  + rollout.state()
                  + " (by "
                  + rollout.createdBy()
                  + ": "
                  + rollout.reason()
                  + ")",
              Json.mapper().valueToTree(rollout)));
      if (rollout.stagedRevision() == null) {
        continue; // never staged (PLANNED or REJECTED): the policy was not changed
      }
      Records.Revision staged = revisionsByHash.get(rollout.stagedRevision());
      if (staged == null) {
        failures.add(name + ": its staged revision " + rollout.stagedRevision() + " is missing");
        continue;
      }
      items.add(revisionItem(staged, "staged revision of " + name));
      if (!accepted(staged).contains(rollout.to())) {
        failures.add(
            name + ": staged revision #" + staged.seq() + " does not accept " + rollout.to());
      }
      Decided first = firstDecision.get(rollout.to());
      if (first != null && !first.at().isBefore(created)) {
        items.add(decisionItem(first, "first attestation as " + rollout.to()));
        Instant live =
            rollout.stagedLiveAt() == null ? null : Instant.parse(rollout.stagedLiveAt());
        if (createdAt(staged).isAfter(first.at())) {
          failures.add(
              name
                  + ": "
                  + rollout.to()
                  + " attested at "
                  + first.at()
                  + " before its reference values' revision #"
                  + staged.seq()
                  + " was committed ("
                  + createdAt(staged)
                  + ")");
        } else if (live == null || live.isAfter(first.at())) {
          failures.add(
              name
                  + ": "
                  + rollout.to()
                  + " attested at "
                  + first.at()
                  + " before revision #"
                  + staged.seq()
                  + " was live on every replica ("
                  + (live == null ? "never confirmed" : "live at " + live)
                  + ")");
        }
      }
      switch (rollout.state()) {
        case "COMPLETED" -> {
          completed++;
          Records.Revision fin = revisionsByHash.get(rollout.finalRevision());
          if (fin == null) {
            failures.add(name + ": completed without a final revision in the records");
          } else {
            items.add(revisionItem(fin, "final revision of " + name + " (old versions removed)"));
            List<String> still = new ArrayList<>(rollout.from());
            still.retainAll(accepted(fin));
            if (!still.isEmpty()) {
              failures.add(name + ": completed but still accepts " + still);
            }
          }
        }
        case "ROLLED_BACK" -> {
          rolledBack++;
          Records.Revision fin = revisionsByHash.get(rollout.finalRevision());
          if (fin == null) {
            failures.add(name + ": rolled back without a final revision in the records");
          } else {
            items.add(revisionItem(fin, "rollback revision of " + name + " (new version removed)"));
            if (accepted(fin).contains(rollout.to())) {
              failures.add(name + ": rolled back but still accepts " + rollout.to());
            }
          }
        }
        default -> {
          // in progress: only the order of policy and first attestation applies so far
        }
      }
      for (Records.Audit audit : records.audit()) {
        JsonNode body = audit.body();
        if (body.path("action").asText().startsWith("rollout.")
            && body.path("details").path("rollout").asLong(-1) == rollout.id()) {
          items.add(auditItem(audit));
        }
      }
    }
    if (considered == 0) {
      return row(
          Expectation.UPGRADE_7, Status.NOT_APPLICABLE, "no rollout in the period", null, items);
    }
    if (!failures.isEmpty()) {
      return row(
          Expectation.UPGRADE_7,
          Status.NOT_MET,
          failures.size() + " of " + considered + " rollouts break the upgrade order",
          String.join("; ", failures),
          items);
    }
    return row(
        Expectation.UPGRADE_7,
        Status.MET,
        considered
            + " rollouts: reference values live on every replica before the first new attestation;"
            + " "
            + completed
            + " completed (old removed), "
            + rolledBack
            + " rolled back (new removed)",
        null,
        items);
  }

  // ---------------------------------------------------------------- Workload Governance 7, 12

  /** Versions accepted at some time in [from, to]. */
  private Set<String> versionsInScope() {
    Set<String> out = new LinkedHashSet<>();
    Records.Revision atFrom = null;
    for (Records.Revision r : revisions) {
      Instant at = createdAt(r);
      if (!at.isAfter(from)) {
        atFrom = r;
      } else if (!at.isAfter(to)) {
        out.addAll(accepted(r));
      }
    }
    Set<String> result = new LinkedHashSet<>();
    if (atFrom != null) {
      result.addAll(accepted(atFrom));
    }
    result.addAll(out);
    return result;
  }

  private Row wg7() {
    List<EvidenceItem> items = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    int reached = 0;
    for (String version : versionsInScope()) {
      Decided first = firstDecision.get(version);
      if (first == null) {
        continue;
      }
      reached++;
      Optional<Records.Revision> entered = firstAccepting(version);
      if (entered.isEmpty()) {
        failures.add(version + " attested but no revision in the records accepts it");
        items.add(decisionItem(first, "first attestation as " + version));
        continue;
      }
      Records.Revision revision = entered.get();
      items.add(revisionItem(revision, "reference values of " + version + " entered the policy"));
      items.add(decisionItem(first, "first attestation as " + version));
      if (createdAt(revision).isAfter(first.at())) {
        failures.add(
            version
                + " attested at "
                + first.at()
                + " before its reference values entered the policy ("
                + createdAt(revision)
                + ")");
      }
      Records.Revision used = revisionsByHash.get(first.body().path("policy_revision").asText());
      if (used == null || !accepted(used).contains(version)) {
        failures.add(
            version + "'s first attestation used a revision that does not accept it or is unknown");
      }
    }
    if (reached == 0) {
      return row(
          Expectation.WG_7,
          Status.NOT_APPLICABLE,
          "no version reached the fleet in the period",
          null,
          items);
    }
    if (!failures.isEmpty()) {
      return row(
          Expectation.WG_7,
          Status.NOT_MET,
          failures.size() + " of " + reached + " deployed versions break the order",
          String.join("; ", failures),
          items);
    }
    return row(
        Expectation.WG_7,
        Status.MET,
        reached
            + " deployed versions: reference values entered the policy before first attestation",
        null,
        items);
  }

  private Row wg12() {
    List<EvidenceItem> items = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    int recognized = 0;
    for (String version : versionsInScope()) {
      Decided first = firstDecision.get(version);
      if (first == null) {
        items.add(
            item(
                "version",
                version,
                versions.containsKey(version) ? versions.get(version).createdAt() : null,
                version + ": accepted, no instance attested as it yet",
                null));
        continue;
      }
      recognized++;
      items.add(
          decisionItem(
              first,
              "first "
                  + first.body().path("verdict").asText()
                  + " decision for "
                  + version
                  + " (instance "
                  + first.body().path("instance_id").asText()
                  + ")"));
      if (first.leaf().proof() == null) {
        failures.add(
            version
                + "'s first decision (leaf "
                + first.leaf().leafIndex()
                + ") is not covered by a signed checkpoint yet");
      }
    }
    String pruned = prunedNote(items);
    if (recognized == 0) {
      return row(
          Expectation.WG_12,
          Status.NOT_APPLICABLE,
          "no version was attested in the period" + pruned,
          null,
          items);
    }
    if (!failures.isEmpty()) {
      return row(
          Expectation.WG_12,
          Status.NOT_MET,
          "first decisions without inclusion proof" + pruned,
          String.join("; ", failures),
          items);
    }
    return row(
        Expectation.WG_12,
        Status.MET,
        recognized
            + " versions recognized as valid, each first decision proven in the log"
            + pruned,
        null,
        items);
  }

  /**
   * When decisions in the range were pruned by retention: adds the prune audit records whose pruned
   * decisions overlap the range to {@code items} and returns the summary's note (else "").
   */
  private String prunedNote(List<EvidenceItem> items) {
    long pruned = records.prunedDecisions() == null ? 0 : records.prunedDecisions();
    if (pruned == 0) {
      return "";
    }
    for (Records.Audit a : records.audit()) {
      JsonNode body = a.body();
      JsonNode details = body.path("details");
      if (!"decisions.prune".equals(body.path("action").asText())
          || details.path("decisions_pruned").asLong() == 0
          || Instant.parse(details.path("oldest_pruned").asText()).isAfter(to)
          || Instant.parse(details.path("newest_pruned").asText()).isBefore(from)) {
        continue;
      }
      items.add(
          auditItem(
              a,
              "retention pruned "
                  + details.path("decisions_pruned").asLong()
                  + " decisions appended before "
                  + details.path("cutoff").asText()));
    }
    return "; "
        + pruned
        + " decisions in the period were pruned by retention (each version's first decision is"
        + " kept)";
  }

  // ---------------------------------------------------------------- Workload Governance 9, 14

  private List<String> acceptedAtTo() {
    Records.Revision last = null;
    for (Records.Revision r : revisions) {
      if (!createdAt(r).isAfter(to)) {
        last = r;
      }
    }
    return last == null ? List.of() : accepted(last);
  }

  private Row wg9() {
    List<EvidenceItem> items = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    List<String> accepted = acceptedAtTo();
    for (String label : accepted) {
      Records.VersionRecord version = versions.get(label);
      if (version == null) {
        failures.add(label + ": version record missing");
        continue;
      }
      JsonNode content = version.content();
      JsonNode provenance = content.path("provenance");
      Set<String> builders = new LinkedHashSet<>();
      for (JsonNode doc : provenance) {
        builders.add(doc.path("builder_id").asText());
        JsonNode signer = doc.path("signer");
        items.add(
            item(
                "document",
                doc.path("digest").asText(),
                version.createdAt(),
                label
                    + " provenance verified at admission: builder "
                    + doc.path("builder_id").asText()
                    + ", "
                    + doc.path("predicate_type").asText()
                    + ", signer "
                    + signerText(signer),
                doc));
      }
      int quorum = policyAt(registration(label)).map(p -> p.path("quorum").asInt(1)).orElse(0);
      if (provenance.isEmpty()) {
        failures.add(label + " has no verified provenance");
      } else if (builders.size() < quorum) {
        failures.add(label + ": " + builders.size() + " builders, quorum " + quorum);
      }
      JsonNode sbom = content.path("sbom");
      Map<String, Integer> bySeverity = openFindings(label);
      ObjectNode details = Json.mapper().createObjectNode();
      details.put("builders", builders.size());
      details.put("quorum_required", quorum);
      details.set("open_findings", Json.mapper().valueToTree(bySeverity));
      details.put(
          "last_scan",
          lastAdvisorySync().map(Records.Audit::body).map(b -> b.path("at").asText()).orElse(null));
      if (sbom.isNull() || sbom.isMissingNode() || sbom.path("bound_to").asText().isEmpty()) {
        failures.add(label + " has no SBOM bound to its artifact");
        items.add(item("version", label, version.createdAt(), label + ": no SBOM", details));
      } else {
        details.set("sbom", sbom);
        items.add(
            item(
                "document",
                sbom.path("digest").asText(),
                version.createdAt(),
                label
                    + " SBOM "
                    + sbom.path("format").asText()
                    + ", "
                    + sbom.path("components").asInt()
                    + " components, bound to "
                    + sbom.path("bound_to").asText()
                    + "; open findings "
                    + bySeverity,
                details));
      }
    }
    if (accepted.isEmpty()) {
      return row(Expectation.WG_9, Status.NOT_APPLICABLE, "no accepted version", null, items);
    }
    if (!failures.isEmpty()) {
      return row(
          Expectation.WG_9,
          Status.NOT_MET,
          "build or dependency evidence missing for an accepted version",
          String.join("; ", failures),
          items);
    }
    return row(
        Expectation.WG_9,
        Status.MET,
        accepted.size() + " accepted versions: verified provenance (quorum met) and bound SBOMs",
        null,
        items);
  }

  private Row wg14() {
    List<EvidenceItem> items = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    List<String> accepted = acceptedAtTo();
    for (String label : accepted) {
      Records.VersionRecord version = versions.get(label);
      if (version == null) {
        failures.add(label + ": version record missing");
        continue;
      }
      JsonNode values = version.content().path("reference_values");
      List<String> configs = new ArrayList<>();
      values.path("configuration").fieldNames().forEachRemaining(configs::add);
      List<String> schemes = new ArrayList<>();
      List<String> minimums = new ArrayList<>();
      values
          .fieldNames()
          .forEachRemaining(name -> {
            if (!name.equals("configuration")) {
              schemes.add(name);
              values
                  .path(name)
                  .path("min")
                  .fieldNames()
                  .forEachRemaining(m -> minimums.add(name + ":" + m));
            }
          });
      ObjectNode details = Json.mapper().createObjectNode();
      details.set("configuration", values.path("configuration"));
      details.set("schemes", Json.mapper().valueToTree(schemes));
      details.set("tcb_minimums", Json.mapper().valueToTree(minimums));
      details.put("accelerators_attested", schemes.contains("nvidia-gpu"));
      details.put("development_scheme", schemes.contains("sample"));
      items.add(
          item(
              "version",
              label,
              version.createdAt(),
              label
                  + ": schemes "
                  + schemes
                  + ", configuration digests "
                  + (configs.isEmpty() ? "none" : configs)
                  + ", TCB minimums "
                  + (minimums.isEmpty() ? "none" : minimums),
              details));
      if (configs.isEmpty()) {
        failures.add(label + " has no configuration digest covered by attestation");
      }
    }
    for (Records.RolloutRecord rollout : records.rollouts()) {
      if ("COMPLETED".equals(rollout.state()) && inRange(Instant.parse(rollout.updatedAt()))) {
        items.add(
            item(
                "rollout",
                Long.toString(rollout.id()),
                rollout.updatedAt(),
                "old versions "
                    + rollout.from()
                    + " phased out when "
                    + rollout.to()
                    + " completed",
                null));
      }
    }
    for (SupplyChainReadStore.Obligation o : records.obligations()) {
      if (!"vulnerability".equals(o.kind())) {
        continue;
      }
      Instant due = Instant.parse(o.dueAt());
      String text =
          "phase-out of "
              + o.version()
              + " ("
              + o.details().path("osv_ids")
              + ") due "
              + o.dueAt()
              + ": "
              + o.state()
              + (o.resolvedAt() == null ? "" : " at " + o.resolvedAt());
      items.add(
          item(
              "obligation",
              Long.toString(o.id()),
              o.createdAt(),
              text,
              Json.mapper().valueToTree(o)));
      if ("breached".equals(o.state())) {
        failures.add("vulnerable version " + o.version() + " not removed before " + o.dueAt());
      } else if ("open".equals(o.state()) && due.isBefore(to)) {
        failures.add("vulnerable version " + o.version() + " still accepted past " + o.dueAt());
      }
    }
    if (accepted.isEmpty() && items.isEmpty()) {
      return row(Expectation.WG_14, Status.NOT_APPLICABLE, "no accepted version", null, items);
    }
    if (!failures.isEmpty()) {
      return row(
          Expectation.WG_14,
          Status.NOT_MET,
          "configuration or hygiene evidence contradicts the expectation",
          String.join("; ", failures),
          items);
    }
    return row(
        Expectation.WG_14,
        Status.MET,
        "configuration digests attested for every accepted version; vulnerable and old versions"
            + " phased out in time",
        null,
        items);
  }

  // ---------------------------------------------------------------- Workload Governance 15

  private Row wg15() {
    List<EvidenceItem> items = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    List<String> accepted = acceptedAtTo();
    for (String label : accepted) {
      Optional<Records.Audit> registered = registration(label);
      if (registered.isEmpty()) {
        failures.add(label + ": no admission record");
        continue;
      }
      Optional<Records.Audit> policy = policyRecordBefore(registered.get().seq());
      if (policy.isEmpty()) {
        failures.add(label + " was admitted with no supply-chain policy in force");
      } else {
        items.add(
            auditItem(
                policy.get(), "supply-chain policy in force when " + label + " was admitted"));
      }
      items.add(auditItem(registered.get(), "admission of " + label));
    }
    Optional<Records.Audit> lastSync = lastAdvisorySync();
    List<Records.Audit> syncs =
        records.audit().stream()
            .filter(a -> a.body().path("action").asText().equals("advisories.import"))
            .filter(a -> inRange(Instant.parse(a.body().path("at").asText())))
            .toList();
    syncs.forEach(a -> items.add(auditItem(a, "advisory sync")));
    if (lastSync.isEmpty() && !accepted.isEmpty()) {
      failures.add("no advisory sync recorded: monitoring not shown");
    }
    for (SupplyChainReadStore.Obligation o : records.obligations()) {
      Instant due = Instant.parse(o.dueAt());
      String text =
          o.kind()
              + " obligation "
              + o.id()
              + " of "
              + o.version()
              + " due "
              + o.dueAt()
              + ": "
              + o.state();
      items.add(item("obligation", Long.toString(o.id()), o.createdAt(), text, null));
      if ("breached".equals(o.state())) {
        failures.add(
            o.kind()
                + " obligation "
                + o.id()
                + " ("
                + o.version()
                + ") missed its deadline "
                + o.dueAt());
      } else if ("open".equals(o.state()) && due.isBefore(to)) {
        failures.add(
            o.kind() + " obligation " + o.id() + " (" + o.version() + ") open past " + o.dueAt());
      }
    }
    if (accepted.isEmpty() && records.obligations().isEmpty()) {
      return row(Expectation.WG_15, Status.NOT_APPLICABLE, "no accepted version", null, items);
    }
    if (!failures.isEmpty()) {
      return row(
          Expectation.WG_15,
          Status.NOT_MET,
          "requirements not enforced or monitoring obligations missed",
          String.join("; ", failures),
          items);
    }
    return row(
        Expectation.WG_15,
        Status.MET,
        "supply-chain policy in force at every admission; advisories synced ("
            + syncs.size()
            + " in the period); every obligation met in time",
        null,
        items);
  }

  // ---------------------------------------------------------------- Workload Governance 1

  private Row wg1() {
    List<EvidenceItem> items = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    List<String> accepted = acceptedAtTo();
    Map<String, JsonNode> advisories = new LinkedHashMap<>();
    records.advisories().forEach(a -> advisories.put(a.id(), a.body()));
    boolean anySbom = false;
    for (String label : accepted) {
      Records.VersionRecord version = versions.get(label);
      if (version != null
          && !version.content().path("sbom").isNull()
          && !version.content().path("sbom").isMissingNode()) {
        anySbom = true;
      }
    }
    int findings = 0;
    for (SupplyChainReadStore.Finding finding : records.findings()) {
      if (!accepted.contains(finding.version())) {
        continue;
      }
      findings++;
      JsonNode advisory = advisories.get(finding.osvId());
      if (advisory == null) {
        failures.add(finding.osvId() + " on " + finding.version() + ": advisory record missing");
        continue;
      }
      List<String> fixed = fixedVersions(advisory, finding.purl());
      String guidance =
          fixed.isEmpty()
              ? "no fixed version published: remove or mitigate " + packageName(finding.purl())
              : "upgrade "
                  + packageName(finding.purl())
                  + " from "
                  + finding.componentVersion()
                  + " to "
                  + recommended(fixed, finding.componentVersion());
      ObjectNode details = Json.mapper().createObjectNode();
      details.put("purl", finding.purl());
      details.put("component_version", finding.componentVersion());
      details.put("severity", finding.severity());
      details.set("fixed", Json.mapper().valueToTree(fixed));
      details.put("guidance", guidance);
      items.add(
          item(
              "finding",
              finding.osvId(),
              finding.foundAt(),
              finding.version()
                  + ": "
                  + finding.osvId()
                  + " ("
                  + finding.severity()
                  + ") in "
                  + finding.purl()
                  + " — "
                  + guidance,
              details));
    }
    Optional<JsonNode> policy = currentPolicy();
    for (String weak : weakSettings(policy)) {
      items.add(item("setting", "supply-chain-policy", null, weak, null));
    }
    Optional<Records.Audit> sync = lastAdvisorySync();
    if (anySbom && sync.isEmpty()) {
      failures.add("no advisory data was ever synced: guidance cannot be current");
    }
    sync.ifPresent(a -> items.add(auditItem(a, "latest advisory sync (currency of the guidance)")));
    if (!anySbom && findings == 0) {
      return row(
          Expectation.WG_1,
          Status.NOT_APPLICABLE,
          "no accepted version with a bill of materials",
          null,
          items);
    }
    if (!failures.isEmpty()) {
      return row(
          Expectation.WG_1,
          Status.NOT_MET,
          "component guidance cannot be given",
          String.join("; ", failures),
          items);
    }
    return row(
        Expectation.WG_1,
        Status.MET,
        findings
            + " open findings with component guidance; advisories as of "
            + sync.map(a -> a.body().path("at").asText()).orElse("-"),
        null,
        items);
  }

  private static List<String> weakSettings(Optional<JsonNode> policy) {
    List<String> out = new ArrayList<>();
    if (policy.isEmpty()) {
      out.add("no supply-chain policy: nothing is required at admission");
      return out;
    }
    JsonNode p = policy.get();
    if (p.path("quorum").asInt(1) < 1) {
      out.add("quorum 0: provenance is not required");
    }
    if (!p.path("require_sbom").asBoolean(true)) {
      out.add("require_sbom false: versions may be admitted without a bill of materials");
    }
    if (p.path("builder_ids").isEmpty()) {
      out.add("builder_ids empty: any builder is trusted");
    }
    return out;
  }

  // ---------------------------------------------------------------- helpers

  private Map<String, Integer> openFindings(String label) {
    Map<String, Integer> out = new TreeMap<>();
    for (SupplyChainReadStore.Finding f : records.findings()) {
      if (f.version().equals(label)) {
        out.merge(f.severity(), 1, Integer::sum);
      }
    }
    return out;
  }

  private Optional<Records.Revision> firstAccepting(String version) {
    Records.VersionRecord record = versions.get(version);
    for (Records.Revision r : revisions) {
      for (JsonNode entry : r.body().path("accepted")) {
        if (entry.path("version").asText().equals(version)
            && (record == null
                || entry.path("content_hash").asText().equals(record.contentHash()))) {
          return Optional.of(r);
        }
      }
    }
    return Optional.empty();
  }

  private Optional<Records.Audit> registration(String label) {
    return records.audit().stream()
        .filter(a -> a.body().path("action").asText().equals("version.register"))
        .filter(a -> a.body().path("target").asText().equals(records.workload() + "@" + label))
        .findFirst();
  }

  private Optional<JsonNode> policyAt(Optional<Records.Audit> registration) {
    return registration
        .flatMap(r -> policyRecordBefore(r.seq()))
        .map(a -> a.body().path("details").path("policy"));
  }

  private Optional<Records.Audit> policyRecordBefore(long seq) {
    Records.Audit found = null;
    for (Records.Audit a : records.audit()) {
      if (a.seq() < seq && a.body().path("action").asText().equals("workload.set-supply-chain")) {
        found = a;
      }
    }
    return Optional.ofNullable(found);
  }

  private Optional<JsonNode> currentPolicy() {
    return policyRecordBefore(Long.MAX_VALUE).map(a -> a.body().path("details").path("policy"));
  }

  private Optional<Records.Audit> lastAdvisorySync() {
    Records.Audit found = null;
    for (Records.Audit a : records.audit()) {
      if (a.body().path("action").asText().equals("advisories.import")
          && !Instant.parse(a.body().path("at").asText()).isAfter(to)) {
        found = a;
      }
    }
    return Optional.ofNullable(found);
  }

  private boolean inRange(Instant at) {
    return !at.isBefore(from) && !at.isAfter(to);
  }

  static List<String> accepted(Records.Revision revision) {
    List<String> out = new ArrayList<>();
    revision.body().path("accepted").forEach(e -> out.add(e.path("version").asText()));
    return out;
  }

  static Instant createdAt(Records.Revision revision) {
    return Instant.parse(revision.body().path("created_at").asText());
  }

  private static String signerText(JsonNode signer) {
    if (signer.path("kind").asText().equals("certificate")) {
      return signer.path("identity").asText() + " (issuer " + signer.path("issuer").asText() + ")";
    }
    return "key " + signer.path("key_id").asText();
  }

  /** The package name of a purl ({@code pkg:type/namespace/name@version}), percent-decoded. */
  static String packageName(String purl) {
    String rest = purl.startsWith("pkg:") ? purl.substring(4) : purl;
    int slash = rest.indexOf('/');
    String path = slash < 0 ? rest : rest.substring(slash + 1);
    int at = path.lastIndexOf('@');
    if (at > 0) {
      path = path.substring(0, at);
    }
    int q = path.indexOf('?');
    if (q >= 0) {
      path = path.substring(0, q);
    }
    return URLDecoder.decode(path, StandardCharsets.UTF_8);
  }

  /** The {@code fixed} events of the advisory's entries for the purl's package. */
  static List<String> fixedVersions(JsonNode advisory, String purl) {
    String name = packageName(purl);
    Set<String> out = new LinkedHashSet<>();
    for (JsonNode affected : advisory.path("affected")) {
      if (!affected.path("package").path("name").asText().equals(name)) {
        continue;
      }
      for (JsonNode range : affected.path("ranges")) {
        for (JsonNode event : range.path("events")) {
          if (event.has("fixed")) {
            out.add(event.path("fixed").asText());
          }
        }
      }
    }
    return List.copyOf(out);
  }

  /** The lowest fixed version above {@code current} (dotted numeric order), else the highest. */
  static String recommended(List<String> fixed, String current) {
    List<String> sorted = fixed.stream().sorted(Evaluator::compareVersions).toList();
    for (String f : sorted) {
      if (compareVersions(f, current) > 0) {
        return f;
      }
    }
    return sorted.get(sorted.size() - 1);
  }

  static int compareVersions(String a, String b) {
    String[] x = a.split("[^0-9]+");
    String[] y = b.split("[^0-9]+");
    for (int i = 0; i < Math.max(x.length, y.length); i++) {
      long p = i < x.length && !x[i].isEmpty() ? parse(x[i]) : 0;
      long q = i < y.length && !y[i].isEmpty() ? parse(y[i]) : 0;
      if (p != q) {
        return Long.compare(p, q);
      }
    }
    return a.compareTo(b);
  }

  private static long parse(String digits) {
    return digits.length() > 18 ? Long.MAX_VALUE : Long.parseLong(digits);
  }

  private static Row row(
      Expectation e, Status status, String summary, String reason, List<EvidenceItem> items) {
    return new Row(e.title(), e.wording(), status, summary, reason, items);
  }

  private static EvidenceItem item(
      String kind, String ref, String at, String summary, JsonNode details) {
    return new EvidenceItem(kind, ref, at, summary, null, null, details);
  }

  private static EvidenceItem revisionItem(Records.Revision r, String what) {
    JsonNode body = r.body();
    return new EvidenceItem(
        "policy_revision",
        r.hash(),
        body.path("created_at").asText(),
        what
            + ": revision #"
            + r.seq()
            + " accepts "
            + accepted(r)
            + " (by "
            + body.path("principal").asText()
            + ": "
            + body.path("reason").asText()
            + ")",
        r.leafIndex(),
        r.proof(),
        null);
  }

  private static EvidenceItem decisionItem(Decided d, String what) {
    JsonNode body = d.body();
    ObjectNode details = Json.mapper().createObjectNode();
    details.put("instance_id", body.path("instance_id").asText());
    details.put("verdict", body.path("verdict").asText());
    details.put("policy_revision", body.path("policy_revision").asText());
    details.put("jti", body.path("jti").asText());
    return new EvidenceItem(
        "decision",
        body.path("jti").asText(),
        d.at().toString(),
        what + " at " + d.at(),
        d.leaf().leafIndex(),
        d.leaf().proof(),
        details);
  }

  private static EvidenceItem auditItem(Records.Audit a) {
    JsonNode body = a.body();
    return auditItem(a, body.path("action").asText());
  }

  private static EvidenceItem auditItem(Records.Audit a, String what) {
    JsonNode body = a.body();
    return new EvidenceItem(
        "audit_record",
        Long.toString(a.seq()),
        body.path("at").asText(),
        what
            + ": "
            + body.path("action").asText()
            + " "
            + body.path("target").asText()
            + " by "
            + body.path("principal").asText()
            + " ("
            + body.path("reason").asText()
            + ")",
        a.leafIndex(),
        a.proof(),
        null);
  }
}
