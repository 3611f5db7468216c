// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.osv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbiter.supplychain.sbom.Sbom;
import dev.arbiter.supplychain.sbom.SbomParser;
import dev.arbiter.testing.RepoPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shared SBOMs x the shared OSV records: exactly the 13 (component, advisory) hits the osv
 * MANIFEST lists, no more and no fewer, and its deliberate non-matches stay unmatched.
 */
class SbomOsvConformanceTest {
  private static Path sboms;
  private static AdvisoryIndex index;
  private static OsvLoader.Load load;

  @BeforeAll
  static void load() throws IOException {
    sboms = RepoPaths.requireVectors("supplychain/sbom");
    load = OsvLoader.load(RepoPaths.requireVectors("supplychain/osv"));
    index = new AdvisoryIndex();
    index.addAll(load.advisories());
  }

  private static Set<String> hits(String file) throws IOException {
    Sbom sbom = SbomParser.parse(Files.readAllBytes(sboms.resolve(file)));
    Set<String> out = new TreeSet<>();
    for (Finding finding : new Scanner(index).scan(sbom).findings()) {
      out.add(finding.purl().replaceFirst("[?#].*$", "") + " " + finding.osvId());
    }
    return out;
  }

  @Test
  void load_allFifteenRecords_noNotes() {
    assertThat(load.advisories()).hasSize(15);
    assertThat(load.notes()).isEmpty();
    assertThat(load.withdrawn()).isZero();
    assertThat(index.size()).isEqualTo(15);
  }

  @Test
  void minikube_goComponents_sixHits() throws IOException {
    assertThat(hits("cdx-1.5_go_minikube-v1.23.1_app.bom.json"))
        .containsExactly(
            "pkg:golang/github.com/aws/aws-sdk-go@v1.35.24 GO-2022-0635",
            "pkg:golang/github.com/containerd/containerd@v1.5.2 GO-2022-0938",
            "pkg:golang/github.com/opencontainers/runc@v1.0.0-rc95 GO-2024-2491",
            "pkg:golang/golang.org/x/net@v0.0.0-20210525063256-abc453219eb5 GO-2022-0288",
            "pkg:golang/golang.org/x/text@v0.3.7 GO-2022-1059",
            "pkg:golang/google.golang.org/grpc@v1.40.0 GO-2023-2153");
  }

  @Test
  void dropwizard_mavenComponents_fiveHits() throws IOException {
    assertThat(hits("cdx-1.2_maven_dropwizard-1.3.15.bom.json"))
        .containsExactly(
            "pkg:maven/ch.qos.logback/logback-classic@1.2.3 GHSA-vmq6-5m68-f53m",
            "pkg:maven/ch.qos.logback/logback-core@1.2.3 GHSA-vmq6-5m68-f53m",
            "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.10 GHSA-57j2-w4cx-62h2",
            "pkg:maven/com.google.guava/guava@24.1.1-jre GHSA-7g45-4rm6-3mm3",
            "pkg:maven/org.yaml/snakeyaml@1.23 GHSA-mjmj-j48q-9wg2");
  }

  @Test
  void helloServer_cargo_tokioOnly() throws IOException {
    assertThat(hits("spdx-2.3_cargo_hello-server-0.1.0.spdx.json"))
        .containsExactly("pkg:cargo/tokio@1.19.2 GHSA-7rrj-xr53-82p7");
  }

  @Test
  void fluentd_gems_addressableOnly_notFluentd_notDebian() throws IOException {
    assertThat(hits("cdx-1.6_container-image_fluentd-debian10.cdx.json"))
        .containsExactly("pkg:gem/addressable@2.7.0 GHSA-jxhc-q857-3j6g");
  }

  @Test
  void spdxSpecExample_noHits() throws IOException {
    assertThat(hits("spdx-2.3_spec-example_SPDXJSONExample-v2.3.spdx.json")).isEmpty();
  }

  @Test
  void severities_fromCvssVectorsAndLabels() {
    Map<String, Double> expected =
        Map.of(
            "GHSA-57j2-w4cx-62h2", 7.5,
            "GHSA-7g45-4rm6-3mm3", 5.5,
            "GHSA-7rrj-xr53-82p7", 5.4,
            "GHSA-fppq-mj76-fpj2", 3.1,
            "GHSA-jxhc-q857-3j6g", 7.5,
            "GHSA-mjmj-j48q-9wg2", 8.3,
            "GHSA-vmq6-5m68-f53m", 7.1);
    expected.forEach((id, score) -> {
      Severity severity = index.get(id).orElseThrow().severity();
      assertThat(severity.score()).as(id).isEqualTo(score);
      assertThat(severity.source()).isEqualTo("CVSS_V3");
    });
    assertThat(index.get("GHSA-7g45-4rm6-3mm3").orElseThrow().severity().label())
        .isEqualTo(Severity.Label.MEDIUM);
    assertThat(index.get("GO-2022-0635").orElseThrow().severity()).isEqualTo(Severity.UNKNOWN);
  }
}
