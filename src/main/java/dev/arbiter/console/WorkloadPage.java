// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.console;

import static dev.arbiter.console.Html.esc;
import static dev.arbiter.console.Html.url;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.internal.Json;
import dev.arbiter.policy.PolicyRevision;
import dev.arbiter.policy.PolicyService;
import dev.arbiter.policy.Version;
import dev.arbiter.policy.Workload;
import dev.arbiter.rollout.Rollout;
import dev.arbiter.rollout.RolloutService;
import dev.arbiter.supplychain.SupplyChainService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One workload: its policy revision history with a diff between any two revisions (who, what, why);
 * its versions with reference values, provenance, SBOM and findings (OSV ids linked to osv.dev,
 * fixed versions shown); its rollouts with their timelines.
 */
public final class WorkloadPage {
  private final PolicyService policies;
  private final RolloutService rollouts;
  private final SupplyChainService supplyChain;

  public WorkloadPage(
      PolicyService policies, RolloutService rollouts, SupplyChainService supplyChain) {
    this.policies = policies;
    this.rollouts = rollouts;
    this.supplyChain = supplyChain;
  }

  /** The page's main content, with the diff between revisions {@code from} and {@code to}. */
  public String render(String name, Optional<Long> from, Optional<Long> to) {
    Workload workload = policies.workload(name);
    StringBuilder out = new StringBuilder();
    out.append("<h1>Workload ").append(esc(name)).append("</h1>\n<dl class=\"facts\">");
    out.append("<dt>Owner</dt><dd>").append(esc(workload.owner())).append("</dd>");
    out.append("<dt>Created</dt><dd>")
        .append(Html.time(workload.createdAt().toString()))
        .append(" by ")
        .append(esc(workload.createdBy()))
        .append("</dd><dt>Control objectives</dt><dd>");
    if (workload.objectives() == null
        || workload.objectives().isNull()
        || workload.objectives().isEmpty()) {
      out.append("none");
    } else {
      out.append("<code>").append(esc(Json.write(workload.objectives()))).append("</code>");
    }
    out.append("</dd></dl>\n<p><a href=\"/ui/workloads/")
        .append(esc(url(name)))
        .append("/rollout\">Latest rollout</a> · <a href=\"/ui/decisions?workload=")
        .append(esc(url(name)))
        .append("\">Decisions</a></p>\n");
    List<PolicyRevision> revisions = policies.revisions(name);
    revisions(out, name, revisions, from, to);
    versions(out, name, revisions);
    rollouts(out, name);
    return out.toString();
  }

  private void revisions(
      StringBuilder out,
      String name,
      List<PolicyRevision> revisions,
      Optional<Long> from,
      Optional<Long> to) {
    out.append(
        "<section aria-labelledby=\"revisions\"><h2 id=\"revisions\">Policy revisions</h2>\n");
    if (revisions.isEmpty()) {
      out.append("<p>No revisions yet.</p></section>\n");
      return;
    }
    out.append(
        "<div class=\"scroll\"><table><thead><tr><th scope=\"col\">#</th><th"
            + " scope=\"col\">When</th><th scope=\"col\">Who</th><th scope=\"col\">Why</th><th"
            + " scope=\"col\">Accepted</th><th scope=\"col\">Hash</th></tr></thead><tbody>\n");
    List<PolicyRevision> newestFirst = new ArrayList<>(revisions);
    java.util.Collections.reverse(newestFirst);
    for (PolicyRevision revision : newestFirst) {
      out.append("<tr><th scope=\"row\">")
          .append(revision.seq())
          .append("</th><td>")
          .append(Html.time(revision.createdAt()))
          .append("</td><td>")
          .append(esc(revision.body().path("principal").asText()))
          .append("</td><td>")
          .append(esc(revision.body().path("reason").asText()))
          .append("</td><td>")
          .append(esc(String.join(", ", revision.acceptedLabels())))
          .append("</td><td>")
          .append(Html.shortHash(revision.hash()))
          .append("</td></tr>\n");
    }
    out.append("</tbody></table></div>\n");
    if (revisions.size() < 2) {
      out.append("</section>\n");
      return;
    }
    long last = revisions.get(revisions.size() - 1).seq();
    long toSeq = to.orElse(last);
    long fromSeq = from.orElse(toSeq - 1 >= revisions.get(0).seq() ? toSeq - 1 : toSeq);
    out.append("<form method=\"get\" class=\"inline\" action=\"/ui/workloads/")
        .append(esc(url(name)))
        .append("\"><fieldset><legend>Compare revisions</legend>");
    select(out, "from", "From", revisions, fromSeq);
    select(out, "to", "To", revisions, toSeq);
    out.append("<button type=\"submit\">Show diff</button></fieldset></form>\n");
    PolicyService.Diff diff = policies.diff(name, fromSeq, toSeq);
    PolicyRevision target = policies.revision(name, toSeq);
    out.append("<div class=\"diff\" id=\"diff\"><h3>Revision #")
        .append(fromSeq)
        .append(" → #")
        .append(toSeq)
        .append("</h3>\n<p>Revision #")
        .append(toSeq)
        .append(" by <strong>")
        .append(esc(target.body().path("principal").asText()))
        .append("</strong>: ")
        .append(esc(target.body().path("reason").asText()))
        .append("</p>\n<ul>");
    boolean changed = false;
    for (String label : diff.acceptedAdded()) {
      out.append("<li class=\"added\">accepted <strong>")
          .append(esc(label))
          .append("</strong></li>");
      changed = true;
    }
    for (String label : diff.acceptedRemoved()) {
      out.append("<li class=\"removed\">removed <strong>")
          .append(esc(label))
          .append("</strong></li>");
      changed = true;
    }
    if (diff.appraisal() != null) {
      out.append("<li>appraisal policy: <del>")
          .append(esc(Optional.ofNullable(diff.appraisal().from()).orElse("(none)")))
          .append("</del> → <ins>")
          .append(esc(Optional.ofNullable(diff.appraisal().to()).orElse("(none)")))
          .append("</ins></li>");
      changed = true;
    }
    if (diff.endorsements() != null) {
      out.append("<li>endorsements: <del>")
          .append(esc(Json.write(diff.endorsements().from())))
          .append("</del> → <ins>")
          .append(esc(Json.write(diff.endorsements().to())))
          .append("</ins></li>");
      changed = true;
    }
    if (!changed) {
      out.append("<li>no change in accepted versions, appraisal or endorsements</li>");
    }
    out.append("</ul></div>\n</section>\n");
  }

  private static void select(
      StringBuilder out, String field, String label, List<PolicyRevision> revisions, long chosen) {
    out.append("<label for=\"diff-")
        .append(field)
        .append("\">")
        .append(label)
        .append("</label> <select id=\"diff-")
        .append(field)
        .append("\" name=\"")
        .append(field)
        .append("\">");
    for (PolicyRevision revision : revisions) {
      out.append("<option value=\"")
          .append(revision.seq())
          .append('"')
          .append(revision.seq() == chosen ? " selected" : "")
          .append(">#")
          .append(revision.seq())
          .append("</option>");
    }
    out.append("</select> ");
  }

  private void versions(StringBuilder out, String name, List<PolicyRevision> revisions) {
    out.append("<section aria-labelledby=\"versions\"><h2 id=\"versions\">Versions</h2>\n");
    List<Version> versions = policies.versions(name);
    if (versions.isEmpty()) {
      out.append("<p>No versions registered.</p></section>\n");
      return;
    }
    List<String> accepted =
        revisions.isEmpty() ? List.of() : revisions.get(revisions.size() - 1).acceptedLabels();
    JsonNode findings = Json.mapper().valueToTree(supplyChain.status(name)).path("findings");
    List<String> ids = new ArrayList<>();
    findings.forEach(list -> list.forEach(f -> ids.add(f.path("osv_id").asText())));
    Map<String, List<String>> fixed = supplyChain.fixedVersions(ids);
    for (Version version : versions) {
      String label = version.label();
      out.append("<details class=\"version\"")
          .append(accepted.contains(label) ? " open" : "")
          .append("><summary><strong>")
          .append(esc(label))
          .append("</strong>")
          .append(accepted.contains(label) ? " · accepted" : "")
          .append(version.revoked() ? " · <span class=\"bad\">revoked</span>" : "")
          .append(" · registered ")
          .append(Html.time(version.createdAt().toString()))
          .append(" by ")
          .append(esc(version.createdBy()))
          .append("</summary>\n<h3>Reference values</h3>\n<pre>")
          .append(esc(Json.writePretty(version.content().path("reference_values"))))
          .append("</pre>\n");
      JsonNode check = Json.mapper().valueToTree(supplyChain.check(name, label));
      supplyChainSummary(out, check);
      findingsTable(out, findings.path(label), fixed);
      out.append("</details>\n");
    }
    out.append("</section>\n");
  }

  private static void supplyChainSummary(StringBuilder out, JsonNode check) {
    out.append("<h3>Supply chain</h3>\n<dl class=\"facts\"><dt>Admissible</dt><dd>")
        .append(check.path("admissible").asBoolean() ? "yes" : "<span class=\"bad\">no</span>");
    for (JsonNode reason : check.path("reasons")) {
      out.append("<br>").append(esc(reason.path("detail").asText()));
    }
    out.append("</dd><dt>Artifact</dt><dd>")
        .append(
            check.path("artifact_digest").isNull()
                ? "not recorded"
                : Html.shortHash(check.path("artifact_digest").asText()))
        .append("</dd><dt>Provenance</dt><dd>");
    if (check.path("provenance").isEmpty()) {
      out.append("none");
    }
    for (JsonNode p : check.path("provenance")) {
      out.append(esc(p.path("verdict").asText()))
          .append(", ")
          .append(esc(p.path("predicate_type").asText()))
          .append(", builder ")
          .append(esc(p.path("builder_id").asText("(none)")))
          .append(p.path("counted").asBoolean() ? " (counted)" : "")
          .append("<br>");
    }
    JsonNode sbom = check.path("sbom");
    out.append("</dd><dt>SBOM</dt><dd>");
    if (sbom.path("present").asBoolean()) {
      out.append(esc(sbom.path("format").asText()))
          .append(", ")
          .append(sbom.path("components").asInt())
          .append(" components")
          .append(sbom.path("bound").asBoolean() ? ", bound to the artifact" : "");
    } else {
      out.append("none");
    }
    out.append("</dd></dl>\n");
  }

  private static void findingsTable(
      StringBuilder out, JsonNode findings, Map<String, List<String>> fixed) {
    out.append("<h3>Findings</h3>\n");
    if (findings.isMissingNode() || findings.isEmpty()) {
      out.append("<p>No findings.</p>\n");
      return;
    }
    out.append(
        "<div class=\"scroll\"><table><thead><tr><th scope=\"col\">Advisory</th><th scope=\"col\">"
            + "Severity</th><th scope=\"col\">Package</th><th scope=\"col\">Fixed in</th>"
            + "<th scope=\"col\">Blocking</th></tr></thead><tbody>\n");
    for (JsonNode finding : findings) {
      String id = finding.path("osv_id").asText();
      out.append("<tr><td><a href=\"https://osv.dev/vulnerability/")
          .append(esc(url(id)))
          .append("\" rel=\"noreferrer noopener\">")
          .append(esc(id))
          .append("</a></td><td class=\"sev sev-")
          .append(esc(finding.path("severity").asText().toLowerCase(java.util.Locale.ROOT)))
          .append("\">")
          .append(esc(finding.path("severity").asText()))
          .append("</td><td>")
          .append(esc(finding.path("purl").asText()))
          .append("</td><td>")
          .append(esc(String.join(", ", fixed.getOrDefault(id, List.of()))))
          .append("</td><td>")
          .append(finding.path("blocking").asBoolean() ? "yes" : "no")
          .append("</td></tr>\n");
    }
    out.append("</tbody></table></div>\n");
  }

  private void rollouts(StringBuilder out, String name) {
    out.append("<section aria-labelledby=\"rollouts\"><h2 id=\"rollouts\">Rollouts</h2>\n");
    List<Rollout> all = rollouts.list(name);
    if (all.isEmpty()) {
      out.append("<p>No rollouts yet.</p></section>\n");
      return;
    }
    for (Rollout rollout : all) {
      out.append("<details class=\"rollout\"")
          .append(rollout.state().active() ? " open" : "")
          .append("><summary>#")
          .append(rollout.id())
          .append(" ")
          .append(esc(String.join(", ", rollout.fromVersions())))
          .append(" → <strong>")
          .append(esc(rollout.toVersion()))
          .append("</strong>: ")
          .append(esc(rollout.state().name()))
          .append(", started ")
          .append(Html.time(rollout.createdAt().toString()))
          .append("</summary>\n");
      StringBuilder timeline = new StringBuilder();
      RolloutPage.timeline(timeline, rollouts.events(rollout.id()));
      out.append(timeline.toString().replace("<h2>Timeline</h2>", "")).append("</details>\n");
    }
    out.append("</section>\n");
  }
}
