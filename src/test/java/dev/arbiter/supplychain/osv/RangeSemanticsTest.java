// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.osv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbiter.problem.Problem;
import dev.arbiter.supplychain.sbom.Component;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** OSV range semantics on small synthetic records (the project's own fixtures). */
class RangeSemanticsTest {
  private final List<Problem> notes = new ArrayList<>();

  private Advisory record(String id, String affected) {
    String json =
        "{\"id\":\""
            + id
            + "\",\"modified\":\"2024-01-01T00:00:00Z\",\"affected\":["
            + affected
            + "]}";
    return OsvParser.parse(json.getBytes(StandardCharsets.UTF_8), id, notes).get(0);
  }

  private static String pkg(String ecosystem, String name, String rangeType, String events) {
    return "{\"package\":{\"ecosystem\":\""
        + ecosystem
        + "\",\"name\":\""
        + name
        + "\"},\"ranges\":[{\"type\":\""
        + rangeType
        + "\",\"events\":["
        + events
        + "]}]}";
  }

  private static List<String> hits(Advisory advisory, String... purls) {
    AdvisoryIndex index = new AdvisoryIndex();
    index.add(advisory);
    return new Scanner(index)
        .scan(List.of(purls).stream().map(Component::ofPurl).toList()).findings().stream()
            .map(Finding::purl)
            .toList();
  }

  @Test
  void introducedZero_fixed_exclusiveUpperBound() {
    Advisory a =
        record(
            "A", pkg("npm", "lodash", "SEMVER", "{\"introduced\":\"0\"},{\"fixed\":\"4.17.21\"}"));
    assertThat(
            hits(
                a,
                "pkg:npm/lodash@0.0.1",
                "pkg:npm/lodash@4.17.20",
                "pkg:npm/lodash@4.17.21-rc.1",
                "pkg:npm/lodash@4.17.21",
                "pkg:npm/lodash@5.0.0"))
        .containsExactly(
            "pkg:npm/lodash@0.0.1", "pkg:npm/lodash@4.17.20", "pkg:npm/lodash@4.17.21-rc.1");
  }

  @Test
  void lastAffected_inclusiveUpperBound() {
    Advisory a =
        record(
            "A",
            pkg(
                "PyPI",
                "Django_Thing",
                "ECOSYSTEM",
                "{\"introduced\":\"1.0\"},{\"last_affected\":\"2.1.214\"}"));
    assertThat(
            hits(
                a,
                "pkg:pypi/django-thing@0.9",
                "pkg:pypi/django-thing@1.0",
                "pkg:pypi/django.thing@2.1.214",
                "pkg:pypi/django-thing@2.1.214.post1"))
        .containsExactly("pkg:pypi/django-thing@1.0", "pkg:pypi/django.thing@2.1.214");
  }

  @Test
  void multipleIntervals_unsortedEvents_inOneRange() {
    Advisory a =
        record(
            "A",
            pkg(
                "crates.io",
                "tokio",
                "ECOSYSTEM",
                "{\"fixed\":\"1.20.3\"},{\"introduced\":\"1.7.0\"},{\"introduced\":\"1.19.0\"},{\"fixed\":\"1.18.4\"}"));
    assertThat(
            hits(
                a,
                "pkg:cargo/tokio@1.6.9",
                "pkg:cargo/tokio@1.7.0",
                "pkg:cargo/tokio@1.18.4",
                "pkg:cargo/tokio@1.19.2",
                "pkg:cargo/tokio@1.20.3"))
        .containsExactlyInAnyOrder("pkg:cargo/tokio@1.7.0", "pkg:cargo/tokio@1.19.2");
  }

  @Test
  void limit_bindsNonGitRangesToo() {
    Advisory a =
        record(
            "A",
            pkg("RubyGems", "rack", "ECOSYSTEM", "{\"introduced\":\"0\"},{\"limit\":\"2.0\"}"));
    assertThat(hits(a, "pkg:gem/rack@1.9", "pkg:gem/rack@2.0", "pkg:gem/rack@2.0.a"))
        .containsExactly("pkg:gem/rack@1.9", "pkg:gem/rack@2.0.a");
  }

  @Test
  void versionsList_exactMatch_goWithoutV() {
    Advisory a =
        record(
            "A",
            "{\"package\":{\"ecosystem\":\"Go\",\"name\":\"example.com/m\"},\"versions\":[\"1.2.3\"]}");
    assertThat(hits(a, "pkg:golang/example.com/m@v1.2.3", "pkg:golang/example.com/m@v1.2.4"))
        .containsExactly("pkg:golang/example.com/m@v1.2.3");
  }

  @Test
  void goModulePath_mixedCase_matchesLowercasedPurl() {
    Advisory a =
        record(
            "A",
            pkg(
                "Go",
                "github.com/BurntSushi/toml",
                "SEMVER",
                "{\"introduced\":\"0\"},{\"fixed\":\"1.0.0\"}"));
    assertThat(
            hits(
                a,
                "pkg:golang/github.com/BurntSushi/toml@v0.3.1",
                "pkg:golang/github.com/burntsushi/toml@v0.4.0"))
        .containsExactlyInAnyOrder(
            "pkg:golang/github.com/BurntSushi/toml@v0.3.1",
            "pkg:golang/github.com/burntsushi/toml@v0.4.0");
  }

  @Test
  void multipleRanges_anyContains_andMultipleEntriesSamePackage() {
    String first =
        pkg("Maven", "g:a", "ECOSYSTEM", "{\"introduced\":\"2.13.0\"},{\"fixed\":\"2.13.2.1\"}");
    String second =
        pkg("Maven", "g:a", "ECOSYSTEM", "{\"introduced\":\"0\"},{\"fixed\":\"2.12.6.1\"}");
    Advisory a = record("A", first + "," + second);
    assertThat(hits(a, "pkg:maven/g/a@2.9.10", "pkg:maven/g/a@2.12.6.1", "pkg:maven/g/a@2.13.1"))
        .containsExactly("pkg:maven/g/a@2.13.1", "pkg:maven/g/a@2.9.10");
  }

  @Test
  void withdrawn_neverMatches_andRemovesEarlierCopy() {
    AdvisoryIndex index = new AdvisoryIndex();
    index.add(record("W", pkg("npm", "x", "SEMVER", "{\"introduced\":\"0\"}")));
    String json =
        "{\"id\":\"W\",\"modified\":\"2024-02-01T00:00:00Z\",\"withdrawn\":\"2024-02-01T00:00:00Z\",\"affected\":["
            + pkg("npm", "x", "SEMVER", "{\"introduced\":\"0\"}")
            + "]}";
    index.add(OsvParser.parse(json.getBytes(StandardCharsets.UTF_8), "W", notes).get(0));
    assertThat(index.size()).isZero();
    assertThat(new Scanner(index).scan(List.of(Component.ofPurl("pkg:npm/x@1.0.0"))).findings())
        .isEmpty();
  }

  @Test
  void unknownEcosystem_ecosystemRangeSkippedWithNote_versionsStillMatch() {
    Advisory a =
        record(
            "A",
            "{\"package\":{\"ecosystem\":\"NuGet\",\"name\":\"N\"},\"versions\":[\"1.0.0\"],\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"}]}]}");
    assertThat(notes)
        .singleElement()
        .satisfies(p -> assertThat(p.type()).isEqualTo(AdvisoryProblem.ADVISORY_UNKNOWN_ECOSYSTEM));
    assertThat(hits(a, "pkg:nuget/N@1.0.0", "pkg:nuget/N@2.0.0"))
        .containsExactly("pkg:nuget/N@1.0.0");
  }

  @Test
  void debian_releaseScopedEcosystem_dpkgOrdering_epochFromPurl() {
    Advisory a =
        record(
            "DSA",
            pkg(
                "Debian:10",
                "curl",
                "ECOSYSTEM",
                "{\"introduced\":\"0\"},{\"fixed\":\"7.64.0-4+deb10u2\"}"));
    assertThat(
            hits(
                a,
                "pkg:deb/debian/curl@7.64.0-4?distro=debian-10.2",
                "pkg:deb/debian/curl@7.64.0-4+deb10u2?distro=debian-10.2",
                "pkg:deb/debian/curl@7.64.0-4?distro=debian-10.2&epoch=1",
                "pkg:deb/debian/curl@7.64.0-4?distro=debian-11.1"))
        .containsExactly("pkg:deb/debian/curl@7.64.0-4?distro=debian-10.2");
  }

  @Test
  void unorderableComponentVersion_noteNotFinding() {
    Advisory a =
        record(
            "A",
            pkg(
                "crates.io",
                "hyper",
                "ECOSYSTEM",
                "{\"introduced\":\"0\"},{\"fixed\":\"0.14.10\"}"));
    AdvisoryIndex index = new AdvisoryIndex();
    index.add(a);
    ScanResult result = new Scanner(index).scan(List.of(Component.ofPurl("pkg:cargo/hyper@0.14")));
    assertThat(result.findings()).isEmpty();
    assertThat(result.notes())
        .singleElement()
        .satisfies(p -> assertThat(p.type()).isEqualTo(AdvisoryProblem.COMPONENT_VERSION_INVALID));
  }

  @Test
  void gitRange_matchesOnlyComponentsWithACommit() {
    String commit = "a".repeat(40);
    Advisory a =
        record(
            "G",
            "{\"ranges\":[{\"type\":\"GIT\",\"repo\":\"https://github.com/Owner/Repo.git\",\"events\":[{\"introduced\":\""
                + commit
                + "\"},{\"fixed\":\""
                + "b".repeat(40)
                + "\"}]}]}");
    assertThat(
            hits(
                a,
                "pkg:github/owner/repo@" + commit,
                "pkg:github/owner/repo@" + "b".repeat(40),
                "pkg:github/owner/repo@v1.0.0"))
        .containsExactly("pkg:github/owner/repo@" + commit);
  }

  @Test
  void gitRange_withCommitGraph_fullReachabilitySemantics() {
    // history: i -> x -> f (fix) ; x -> y (branch without fix)
    var parents = java.util.Map.of("x", "i", "f", "x", "y", "x");
    CommitGraph graph =
        new CommitGraph() {
          @Override
          public boolean isAncestorOrSelf(String ancestor, String commit) {
            for (String c = commit; c != null; c = parents.get(c)) {
              if (c.equals(ancestor)) {
                return true;
              }
            }
            return false;
          }

          @Override
          public boolean knowsHistory() {
            return true;
          }
        };
    AffectedRange range =
        new AffectedRange(
            "GIT",
            "https://h/r",
            List.of(
                new RangeEvent(RangeEvent.Kind.INTRODUCED, "i"),
                new RangeEvent(RangeEvent.Kind.FIXED, "f")),
            null,
            null,
            null);
    assertThat(
            List.of("i", "x", "y", "f").stream().filter(c -> GitRanges.contains(range, c, graph)))
        .containsExactly("i", "x", "y");
  }

  @Test
  void malformedRecord_missingModified_isRefused() {
    byte[] json = "{\"id\":\"X\"}".getBytes(StandardCharsets.UTF_8);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> OsvParser.parse(json, "x", notes))
        .isInstanceOfSatisfying(
            dev.arbiter.problem.ProblemException.class,
            e -> assertThat(e.problem().type()).isEqualTo(AdvisoryProblem.ADVISORY_MALFORMED));
  }

  @Test
  void cvss_v3AndV2_baseScores() {
    assertThat(Cvss.v3("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")).contains(9.8);
    assertThat(Cvss.v3("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H")).contains(10.0);
    assertThat(Cvss.v3("CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:C/C:H/I:N/A:N")).contains(6.8);
    assertThat(Cvss.v3("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N")).contains(0.0);
    assertThat(Cvss.v3("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:X/C:H/I:H/A:H")).isEmpty();
    assertThat(Cvss.v3("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H")).isEmpty();
    assertThat(Cvss.v2("AV:N/AC:L/Au:N/C:P/I:P/A:P")).contains(7.5);
    assertThat(Cvss.v2("AV:N/AC:M/Au:N/C:N/I:P/A:N")).contains(4.3);
  }
}
