// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.osv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbiter.problem.Problem;
import dev.arbiter.supplychain.sbom.Component;
import dev.arbiter.supplychain.sbom.Sbom;
import dev.arbiter.supplychain.sbom.SbomBinding;
import dev.arbiter.supplychain.sbom.SbomFormat;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Incremental re-scan: one new advisory returns just the SBOMs it newly affects. */
class ContinuousScanTest {
  private static Sbom sbom(String... purls) {
    return new Sbom(
        SbomFormat.CYCLONEDX,
        "1.5",
        List.of(purls).stream().map(Component::ofPurl).toList(),
        new SbomBinding(null, List.of()));
  }

  private static Advisory advisory(String id, String modified, String name, String fixed) {
    String json =
        "{\"id\":\""
            + id
            + "\",\"modified\":\""
            + modified
            + "\",\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\""
            + name
            + "\"},\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":\""
            + fixed
            + "\"}]}]}]}";
    List<Problem> notes = new ArrayList<>();
    return OsvParser.parse(json.getBytes(StandardCharsets.UTF_8), id, notes).get(0);
  }

  @Test
  void addAdvisory_returnsOnlyNewlyAffectedSboms() {
    ContinuousScan scan = new ContinuousScan();
    assertThat(scan.putSbom("v1", sbom("pkg:npm/a@1.0.0", "pkg:npm/b@1.0.0")).findings()).isEmpty();
    scan.putSbom("v2", sbom("pkg:npm/a@2.0.0"));
    scan.putSbom("v3", sbom("pkg:npm/c@1.0.0"));

    var affected = scan.addAdvisory(advisory("X-1", "2024-01-01T00:00:00Z", "a", "1.5.0"));
    assertThat(affected).containsOnlyKeys("v1");
    assertThat(affected.get("v1"))
        .singleElement()
        .satisfies(f -> assertThat(f.purl()).isEqualTo("pkg:npm/a@1.0.0"));

    // an update widening the range reports only the new hit
    var widened = scan.addAdvisory(advisory("X-1", "2024-02-01T00:00:00Z", "a", "3.0.0"));
    assertThat(widened).containsOnlyKeys("v2");
    // a stale copy changes nothing
    assertThat(scan.addAdvisory(advisory("X-1", "2023-01-01T00:00:00Z", "a", "9.0.0"))).isEmpty();
    assertThat(scan.index().get("X-1").orElseThrow().modified().toString())
        .isEqualTo("2024-02-01T00:00:00Z");

    scan.removeSbom("v2");
    assertThat(scan.addAdvisory(advisory("X-2", "2024-01-01T00:00:00Z", "a", "9.0.0")))
        .containsOnlyKeys("v1");
    // full scans see everything indexed so far
    assertThat(scan.putSbom("v4", sbom("pkg:npm/a@2.5.0")).findings())
        .extracting(Finding::osvId)
        .containsExactly("X-1", "X-2");
  }
}
