// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.sbom;

import static dev.arbiter.supplychain.sbom.JsonFields.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.problem.ProblemException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** CycloneDX 1.2 to 1.6 JSON: components (nested included) and {@code metadata.component}. */
final class CycloneDxReader {
  static final Set<String> VERSIONS = Set.of("1.2", "1.3", "1.4", "1.5", "1.6");

  private CycloneDxReader() {}

  static Sbom read(JsonNode root) {
    String specVersion = JSON.requiredText(root, "specVersion", "bom");
    if (!VERSIONS.contains(specVersion)) {
      throw new ProblemException(
          SbomProblem.SBOM_UNSUPPORTED_VERSION,
          "CycloneDX specVersion " + clip(specVersion) + " (supported: 1.2 to 1.6)");
    }
    List<Component> components = new ArrayList<>();
    collect(root, "bom", components);
    List<SbomBinding.Subject> subjects = new ArrayList<>();
    JsonNode metadata = JsonFields.JSON.object(root, "metadata", "bom");
    if (metadata != null) {
      JsonNode subject = JsonFields.JSON.object(metadata, "component", "metadata");
      if (subject != null) {
        Map<String, String> digests = new LinkedHashMap<>(hashes(subject, "metadata.component"));
        String purl = JSON.text(subject, "purl", "metadata.component");
        addOciDigest(purl, digests);
        String name = JSON.text(subject, "name", "metadata.component");
        subjects.add(
            new SbomBinding.Subject(
                name == null ? (purl == null ? "" : purl) : name,
                digests,
                SbomBinding.Source.CYCLONEDX_METADATA));
      }
    }
    String serial = JSON.text(root, "serialNumber", "bom");
    return new Sbom(
        SbomFormat.CYCLONEDX, specVersion, components, new SbomBinding(serial, subjects));
  }

  private static void collect(JsonNode parent, String where, List<Component> out) {
    for (JsonNode node : JSON.objects(parent, "components", where)) {
      String name = JSON.requiredText(node, "name", "component");
      String version = JSON.text(node, "version", "component");
      String purl = JSON.text(node, "purl", "component");
      out.add(
          new Component(name, version, purl, hashes(node, "component"), Purls.packageRef(purl)));
      collect(node, "component", out);
    }
  }

  static Map<String, String> hashes(JsonNode node, String where) {
    Map<String, String> out = new LinkedHashMap<>();
    for (JsonNode hash : JSON.objects(node, "hashes", where)) {
      String alg = JSON.requiredText(hash, "alg", where + ".hashes[]");
      String content = Hashes.hexValue(JSON.requiredText(hash, "content", where + ".hashes[]"));
      if (content == null) {
        throw JSON.malformed(where + ".hashes[] content is not hex");
      }
      out.put(Hashes.algorithm(alg), content);
    }
    return out;
  }

  /** {@code pkg:oci/name@sha256%3A<hex>}: the image digest binds the SBOM to the image. */
  private static void addOciDigest(String purl, Map<String, String> digests) {
    if (purl == null || !purl.startsWith("pkg:oci/")) {
      return;
    }
    int at = purl.indexOf('@');
    if (at < 0) {
      return;
    }
    String version =
        purl.substring(at + 1).replaceFirst("[?#].*$", "").replace("%3A", ":").replace("%3a", ":");
    int colon = version.indexOf(':');
    if (colon > 0) {
      String hex = Hashes.hexValue(version.substring(colon + 1));
      if (hex != null) {
        digests.putIfAbsent(Hashes.algorithm(version.substring(0, colon)), hex);
      }
    }
  }

  static String clip(String value) {
    return value.length() > 40 ? value.substring(0, 40) + "..." : value;
  }
}
