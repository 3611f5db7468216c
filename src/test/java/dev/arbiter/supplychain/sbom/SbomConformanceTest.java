// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.sbom;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbiter.testing.RepoPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** The shared real SBOMs: formats, component counts, purls and bindings the sbom MANIFEST lists. */
class SbomConformanceTest {
  private static Sbom read(String file) throws IOException {
    Path dir = RepoPaths.requireVectors("supplychain/sbom");
    return SbomParser.parse(Files.readAllBytes(dir.resolve(file)));
  }

  private static List<String> purls(Sbom sbom) {
    return sbom.components().stream().map(Component::purl).filter(Objects::nonNull).toList();
  }

  @Test
  void minikube_cdx15_136GoModules() throws IOException {
    Sbom sbom = read("cdx-1.5_go_minikube-v1.23.1_app.bom.json");
    assertThat(sbom.formatId()).isEqualTo("cyclonedx-1.5");
    assertThat(sbom.components()).hasSize(136);
    assertThat(purls(sbom))
        .hasSize(136)
        .allMatch(
            p -> p.startsWith("pkg:golang/") && p.endsWith("?type=module&goos=linux&goarch=arm64"));
    assertThat(purls(sbom))
        .contains(
            "pkg:golang/github.com/opencontainers/runc@v1.0.0-rc95?type=module&goos=linux&goarch=arm64");
    assertThat(sbom.components())
        .allMatch(c -> c.packageRef().orElseThrow().ecosystem().equals("Go"));
    PackageRef runc =
        Component.ofPurl("pkg:golang/github.com/opencontainers/runc@v1.0.0-rc95?type=module")
            .packageRef()
            .orElseThrow();
    assertThat(runc)
        .isEqualTo(new PackageRef("Go", "github.com/opencontainers/runc", "v1.0.0-rc95", null));
    assertThat(sbom.binding().documentName())
        .isEqualTo("urn:uuid:1f0181f7-72c2-400d-892b-7fb0f44b4453");
    assertThat(sbom.binding().subjects())
        .singleElement()
        .satisfies(s -> assertThat(s.name()).isEqualTo("k8s.io/minikube"));
  }

  @Test
  void fluentd_cdx16_161Components_debAndGems() throws IOException {
    Sbom sbom = read("cdx-1.6_container-image_fluentd-debian10.cdx.json");
    assertThat(sbom.formatId()).isEqualTo("cyclonedx-1.6");
    assertThat(sbom.components()).hasSize(161);
    assertThat(purls(sbom)).hasSize(160);
    assertThat(purls(sbom).stream().filter(p -> p.startsWith("pkg:deb/debian/"))).hasSize(105);
    assertThat(purls(sbom).stream().filter(p -> p.startsWith("pkg:gem/"))).hasSize(55);
    assertThat(purls(sbom))
        .contains(
            "pkg:gem/addressable@2.7.0",
            "pkg:gem/fluentd@1.8.0",
            "pkg:gem/activesupport@6.0.2.1",
            "pkg:deb/debian/libc6@2.28-10?arch=amd64&distro=debian-10.2");
    assertThat(sbom.components())
        .filteredOn(c -> c.purl() == null)
        .singleElement()
        .satisfies(c -> assertThat(c.name()).isEqualTo("debian"));
    PackageRef libc =
        Component.ofPurl("pkg:deb/debian/libc6@2.28-10?arch=amd64&distro=debian-10.2")
            .packageRef()
            .orElseThrow();
    assertThat(libc.ecosystem()).isEqualTo("Debian:10");
  }

  @Test
  void dropwizard_cdx12_167MavenJars() throws IOException {
    Sbom sbom = read("cdx-1.2_maven_dropwizard-1.3.15.bom.json");
    assertThat(sbom.formatId()).isEqualTo("cyclonedx-1.2");
    assertThat(sbom.components()).hasSize(167);
    assertThat(purls(sbom))
        .hasSize(167)
        .allMatch(p -> p.startsWith("pkg:maven/") && p.endsWith("?type=jar"));
    assertThat(sbom.components())
        .anySatisfy(c ->
            assertThat(c.packageRef().orElseThrow())
                .isEqualTo(
                    new PackageRef(
                        "Maven", "com.fasterxml.jackson.core:jackson-databind", "2.9.10", null)));
    assertThat(sbom.binding().subjects())
        .singleElement()
        .satisfies(s -> assertThat(s.name()).isEqualTo("dropwizard-parent"));
  }

  @Test
  void helloServer_spdx23_fourPackages_boundToDescribedFile() throws IOException {
    Sbom sbom = read("spdx-2.3_cargo_hello-server-0.1.0.spdx.json");
    assertThat(sbom.formatId()).isEqualTo("spdx-2.3");
    assertThat(purls(sbom))
        .containsExactly(
            "pkg:deb/debian/libselinux1-dev@3.1-3?arch=s390x",
            "pkg:cargo/hyper@0.14",
            "pkg:cargo/tokio@1.19.2",
            "pkg:cargo/pretty_env_logger@0.4.0");
    assertThat(sbom.components().get(2).packageRef().orElseThrow())
        .isEqualTo(new PackageRef("crates.io", "tokio", "1.19.2", null));
    assertThat(sbom.components().get(0).packageRef())
        .isEmpty(); // deb purl without distro: no OSV ecosystem
    assertThat(sbom.binding().documentName())
        .isEqualTo("SBOM-SPDX-2d85f548-12fa-46d5-87ce-5e78e5e111f4");
    assertThat(
            sbom.binding()
                .binds(
                    "SHA256", "BD2195F2551328FA3AD870726F5591FD82FDC5DD33A359BE79D356DBECD5868B"))
        .isTrue();
    assertThat(sbom.binding().checkBoundTo("sha256", "00".repeat(32)))
        .hasValueSatisfying(p -> assertThat(p.type()).isEqualTo(SbomProblem.SBOM_NOT_BOUND));
  }

  @Test
  void spdxSpecExample_fourPackages_describedPackageChecksums() throws IOException {
    Sbom sbom = read("spdx-2.3_spec-example_SPDXJSONExample-v2.3.spdx.json");
    assertThat(sbom.formatId()).isEqualTo("spdx-2.3");
    assertThat(sbom.components()).hasSize(4);
    assertThat(purls(sbom)).containsExactly("pkg:maven/org.apache.jena/apache-jena@3.12.0");
    assertThat(sbom.binding().documentName()).isEqualTo("SPDX-Tools-v2.0");
    assertThat(
            sbom.binding()
                .binds(
                    "sha256", "11b6d3ee554eedf79299905a98f9b9a04e498210b59f15094c916c91d150efcd"))
        .isTrue();
    assertThat(sbom.binding().binds("sha1", "d6a770ba38583ed4bb4525bd96e50461655d2758"))
        .isTrue(); // SPDXRef-File
    assertThat(sbom.binding().subjects())
        .allMatch(s -> s.source() == SbomBinding.Source.SPDX_DESCRIBED);
  }
}
