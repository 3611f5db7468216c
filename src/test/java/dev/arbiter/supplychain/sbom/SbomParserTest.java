// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.sbom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arbiter.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** SBOM parsing rules on small synthetic documents. */
class SbomParserTest {
  private static final String DIGEST = "ab".repeat(32);

  private static Sbom parse(String json) {
    return SbomParser.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  private static void assertRefused(String json, SbomProblem expected) {
    assertThatThrownBy(() -> parse(json))
        .isInstanceOfSatisfying(
            ProblemException.class, e -> assertThat(e.problem().type()).isEqualTo(expected));
  }

  private static String cdx(String version, String body) {
    return "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"" + version + "\"" + body + "}";
  }

  @Test
  void cyclonedx_nestedComponentsCounted_metadataComponentNot() {
    Sbom sbom =
        parse(
            cdx(
                "1.4",
                ",\"metadata\":{\"component\":{\"type\":\"application\",\"name\":\"app\","
                    + "\"hashes\":[{\"alg\":\"SHA-256\",\"content\":\""
                    + DIGEST.toUpperCase()
                    + "\"}]},\"tools\":[{\"vendor\":\"v\",\"name\":\"t\"}]},"
                    + "\"components\":[{\"type\":\"library\",\"name\":\"a\",\"version\":\"1\",\"purl\":\"pkg:npm/%40s/a@1.0.0\","
                    + "\"components\":[{\"type\":\"library\",\"name\":\"b\",\"purl\":\"pkg:pypi/Foo_Bar@2.0\"}]}]"));
    assertThat(sbom.components()).extracting(Component::name).containsExactly("a", "b");
    assertThat(sbom.components().get(0).packageRef().orElseThrow())
        .isEqualTo(new PackageRef("npm", "@s/a", "1.0.0", null));
    assertThat(sbom.components().get(1).packageRef().orElseThrow().name()).isEqualTo("foo-bar");
    assertThat(sbom.binding().binds("sha256", DIGEST)).isTrue();
    assertThat(sbom.binding().subjects().get(0).source())
        .isEqualTo(SbomBinding.Source.CYCLONEDX_METADATA);
  }

  @Test
  void cyclonedx_ociPurlDigest_binds() {
    Sbom sbom =
        parse(
            cdx(
                "1.6",
                ",\"metadata\":{\"component\":{\"type\":\"container\",\"name\":\"img\",\"purl\":\"pkg:oci/img@sha256%3A"
                    + DIGEST
                    + "?repository_url=ghcr.io/x/img\"}}"));
    assertThat(sbom.binding().binds("SHA-256", DIGEST)).isTrue();
    assertThat(sbom.components()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"1.0", "1.1", "1.7", "2.0"})
  void cyclonedx_unsupportedSpecVersion_refused(String version) {
    assertRefused(cdx(version, ""), SbomProblem.SBOM_UNSUPPORTED_VERSION);
  }

  @Test
  void spdx_22_andDescribesRelationship() {
    Sbom sbom =
        parse(
            "{\"spdxVersion\":\"SPDX-2.2\",\"SPDXID\":\"SPDXRef-DOCUMENT\",\"name\":\"doc\","
                + "\"packages\":[{\"SPDXID\":\"SPDXRef-P\",\"name\":\"p\",\"versionInfo\":\"1\",\"checksums\":[{\"algorithm\":\"SHA256\",\"checksumValue\":\""
                + DIGEST
                + "\"}],"
                + "\"externalRefs\":[{\"referenceCategory\":\"PACKAGE_MANAGER\",\"referenceType\":\"purl\",\"referenceLocator\":\"pkg:gem/rack@2.2.3\"}]}],"
                + "\"relationships\":[{\"spdxElementId\":\"SPDXRef-DOCUMENT\",\"relationshipType\":\"DESCRIBES\",\"relatedSpdxElement\":\"SPDXRef-P\"}]}");
    assertThat(sbom.formatId()).isEqualTo("spdx-2.2");
    assertThat(sbom.components())
        .singleElement()
        .satisfies(c -> assertThat(c.hashes()).containsEntry("sha256", DIGEST));
    assertThat(sbom.binding().binds("sha256", DIGEST)).isTrue();
  }

  @Test
  void spdx3AndOtherVersions_refused() {
    assertRefused("{\"spdxVersion\":\"SPDX-2.1\"}", SbomProblem.SBOM_UNSUPPORTED_VERSION);
    assertRefused(
        "{\"@context\":\"https://spdx.org/rdf/3.0.1/spdx-context.jsonld\",\"@graph\":[]}",
        SbomProblem.SBOM_UNSUPPORTED_VERSION);
  }

  @Test
  void intotoStatement_withCycloneDxPredicate_subjectsBind() {
    String statement =
        "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"app.tar\",\"digest\":{\"sha256\":\""
            + DIGEST
            + "\"}}],"
            + "\"predicateType\":\"https://cyclonedx.org/bom\",\"predicate\":"
            + cdx("1.5", ",\"components\":[{\"type\":\"library\",\"name\":\"x\"}]")
            + "}";
    Sbom sbom = parse(statement);
    assertThat(sbom.formatId()).isEqualTo("cyclonedx-1.5");
    assertThat(sbom.components()).hasSize(1);
    assertThat(sbom.binding().subjects())
        .first()
        .satisfies(s -> {
          assertThat(s.source()).isEqualTo(SbomBinding.Source.INTOTO_STATEMENT);
          assertThat(s.name()).isEqualTo("app.tar");
        });
    assertThat(sbom.binding().checkBoundTo("sha256", DIGEST)).isEmpty();
  }

  @Test
  void intotoStatement_nonSbomPredicateOrMismatch_refused() {
    String subject = "\"subject\":[{\"name\":\"a\",\"digest\":{\"sha256\":\"" + DIGEST + "\"}}]";
    assertRefused(
        "{\"_type\":\"https://in-toto.io/Statement/v1\","
            + subject
            + ",\"predicateType\":\"https://slsa.dev/provenance/v1\",\"predicate\":{}}",
        SbomProblem.SBOM_UNSUPPORTED_FORMAT);
    assertRefused(
        "{\"_type\":\"https://in-toto.io/Statement/v0.1\","
            + subject
            + ",\"predicateType\":\"https://spdx.dev/Document\",\"predicate\":"
            + cdx("1.5", "")
            + "}",
        SbomProblem.SBOM_UNSUPPORTED_FORMAT);
    assertRefused(
        "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[],\"predicateType\":\"https://cyclonedx.org/bom\",\"predicate\":"
            + cdx("1.5", "")
            + "}",
        SbomProblem.SBOM_MALFORMED);
  }

  @Test
  void malformedInputs_typedProblems() {
    assertRefused("not json", SbomProblem.SBOM_MALFORMED);
    assertRefused("[]", SbomProblem.SBOM_MALFORMED);
    assertRefused("{\"a\":1,\"a\":2}", SbomProblem.SBOM_MALFORMED);
    assertRefused("{}", SbomProblem.SBOM_UNSUPPORTED_FORMAT);
    assertRefused(
        cdx("1.5", ",\"components\":[{\"type\":\"library\"}]"), SbomProblem.SBOM_MALFORMED);
    assertRefused(
        cdx(
            "1.5",
            ",\"components\":[{\"name\":\"x\",\"hashes\":[{\"alg\":\"SHA-256\",\"content\":\"zz\"}]}]"),
        SbomProblem.SBOM_MALFORMED);
    assertRefused("{\"bomFormat\":\"SWID\"}", SbomProblem.SBOM_UNSUPPORTED_FORMAT);
  }

  @Test
  void purls_mapToOsvIdentity() {
    assertThat(Purls.packageRef("pkg:maven/org.yaml/snakeyaml@1.23?type=jar"))
        .contains(new PackageRef("Maven", "org.yaml:snakeyaml", "1.23", null));
    assertThat(Purls.packageRef("pkg:golang/golang.org/x/net@v0.0.0-2021#sub"))
        .contains(new PackageRef("Go", "golang.org/x/net", "v0.0.0-2021", null));
    assertThat(
            Purls.packageRef("pkg:deb/debian/curl@7.64.0-4?distro=debian-10.2&epoch=1")
                .orElseThrow()
                .version())
        .isEqualTo("1:7.64.0-4");
    assertThat(
            Purls.packageRef("pkg:apk/alpine/busybox@1.36.1-r2?distro=alpine-3.18.4")
                .orElseThrow()
                .ecosystem())
        .isEqualTo("Alpine:v3.18");
    assertThat(Purls.packageRef("pkg:conda/numpy@1.0")).isEmpty();
    assertThat(Purls.packageRef("pkg:maven/noNamespace@1")).isEmpty();
    assertThat(Purls.packageRef("not a purl")).isEmpty();
    assertThat(Purls.repositoryName("git@github.com:Owner/Repo.git"))
        .isEqualTo("github.com/owner/repo");
  }
}
