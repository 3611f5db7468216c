// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.sbom;

import static dev.arbiter.supplychain.sbom.JsonFields.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.problem.ProblemException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** SPDX 2.2 / 2.3 JSON: packages as components; DESCRIBES targets as the binding. */
final class SpdxReader {
  static final Set<String> VERSIONS = Set.of("SPDX-2.2", "SPDX-2.3");

  private SpdxReader() {}

  static Sbom read(JsonNode root) {
    String spdxVersion = JSON.requiredText(root, "spdxVersion", "document");
    if (!VERSIONS.contains(spdxVersion)) {
      throw new ProblemException(
          SbomProblem.SBOM_UNSUPPORTED_VERSION,
          "spdxVersion " + CycloneDxReader.clip(spdxVersion) + " (supported: SPDX-2.2, SPDX-2.3)");
    }
    String documentId = JSON.text(root, "SPDXID", "document");
    Set<String> described =
        new LinkedHashSet<>(JSON.strings(root, "documentDescribes", "document"));
    for (JsonNode relationship : JSON.objects(root, "relationships", "document")) {
      String type = JSON.text(relationship, "relationshipType", "relationships[]");
      String from = JSON.text(relationship, "spdxElementId", "relationships[]");
      String to = JSON.text(relationship, "relatedSpdxElement", "relationships[]");
      if ("DESCRIBES".equals(type) && from != null && from.equals(documentId) && to != null) {
        described.add(to);
      } else if ("DESCRIBED_BY".equals(type)
          && to != null
          && to.equals(documentId)
          && from != null) {
        described.add(from);
      }
    }
    List<Component> components = new ArrayList<>();
    List<SbomBinding.Subject> subjects = new ArrayList<>();
    for (JsonNode pkg : JSON.objects(root, "packages", "document")) {
      String name = JSON.requiredText(pkg, "name", "packages[]");
      String version = JSON.text(pkg, "versionInfo", "packages[]");
      String purl = null;
      for (JsonNode ref : JSON.objects(pkg, "externalRefs", "packages[]")) {
        if ("purl".equals(JSON.text(ref, "referenceType", "externalRefs[]")) && purl == null) {
          purl = JSON.requiredText(ref, "referenceLocator", "externalRefs[]");
        }
      }
      Map<String, String> checksums = checksums(pkg, "packages[]");
      components.add(new Component(name, version, purl, checksums, Purls.packageRef(purl)));
      if (described.contains(JSON.text(pkg, "SPDXID", "packages[]"))) {
        subjects.add(new SbomBinding.Subject(name, checksums, SbomBinding.Source.SPDX_DESCRIBED));
      }
    }
    for (JsonNode file : JSON.objects(root, "files", "document")) {
      if (described.contains(JSON.text(file, "SPDXID", "files[]"))) {
        String name = JSON.text(file, "fileName", "files[]");
        subjects.add(
            new SbomBinding.Subject(
                name == null ? "" : name,
                checksums(file, "files[]"),
                SbomBinding.Source.SPDX_DESCRIBED));
      }
    }
    String version = spdxVersion.substring("SPDX-".length());
    return new Sbom(
        SbomFormat.SPDX,
        version,
        components,
        new SbomBinding(JSON.text(root, "name", "document"), subjects));
  }

  private static Map<String, String> checksums(JsonNode node, String where) {
    Map<String, String> out = new LinkedHashMap<>();
    for (JsonNode checksum : JSON.objects(node, "checksums", where)) {
      String alg = JSON.requiredText(checksum, "algorithm", where + ".checksums[]");
      String value =
          Hashes.hexValue(JSON.requiredText(checksum, "checksumValue", where + ".checksums[]"));
      if (value == null) {
        throw JSON.malformed(where + ".checksums[] checksumValue is not hex");
      }
      out.put(Hashes.algorithm(alg), value);
    }
    return out;
  }
}
