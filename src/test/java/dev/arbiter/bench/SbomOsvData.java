// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.bench;

import dev.arbiter.problem.Problem;
import dev.arbiter.supplychain.osv.Advisory;
import dev.arbiter.supplychain.osv.OsvParser;
import dev.arbiter.supplychain.sbom.Component;
import dev.arbiter.supplychain.sbom.PackageRef;
import dev.arbiter.supplychain.sbom.Purls;
import dev.arbiter.supplychain.sbom.Sbom;
import dev.arbiter.supplychain.sbom.SbomBinding;
import dev.arbiter.supplychain.sbom.SbomFormat;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Seeded synthetic data for the SBOM x OSV benchmark: a pool of packages over the six ordered
 * ecosystems, SBOMs drawing components from it (plus one package every SBOM contains), and OSV
 * records (parsed from JSON by {@link OsvParser}, as an import would) with one or two ranges each.
 */
final class SbomOsvData {
  static final String[] ECOSYSTEMS = {"npm", "PyPI", "Maven", "Go", "crates.io", "RubyGems"};
  static final String[] TYPES = {"npm", "pypi", "maven", "golang", "cargo", "gem"};
  static final String COMMON = "common-dependency";

  private final Random random = new Random(20261122);
  private final int packagesPerEcosystem;

  SbomOsvData(int packagesPerEcosystem) {
    this.packagesPerEcosystem = packagesPerEcosystem;
  }

  private static String name(int ecosystem, int index) {
    return switch (ecosystem) {
      case 2 -> "org.example" + (index % 97) + ":artifact-" + index;
      case 3 -> "github.com/example" + (index % 97) + "/module-" + index;
      default -> "package-" + index;
    };
  }

  private String version(int ecosystem) {
    String v = random.nextInt(10) + "." + random.nextInt(20) + "." + random.nextInt(20);
    return ecosystem == 3 ? "v" + v : v;
  }

  private static Component component(int ecosystem, String name, String version) {
    String purlName = ecosystem == 2 ? name.replace(':', '/') : name;
    String purl = "pkg:" + TYPES[ecosystem] + "/" + purlName + "@" + version;
    PackageRef ref =
        new PackageRef(
            ECOSYSTEMS[ecosystem], Purls.normalizeName(ECOSYSTEMS[ecosystem], name), version, null);
    return new Component(name, version, purl, Map.of(), Optional.of(ref));
  }

  List<Sbom> sboms(int count, int componentsEach) {
    List<Sbom> out = new ArrayList<>(count);
    for (int s = 0; s < count; s++) {
      List<Component> components = new ArrayList<>(componentsEach);
      components.add(component(0, COMMON, "1." + random.nextInt(10) + ".0"));
      for (int c = 1; c < componentsEach; c++) {
        int ecosystem = random.nextInt(ECOSYSTEMS.length);
        components.add(
            component(
                ecosystem,
                name(ecosystem, random.nextInt(packagesPerEcosystem)),
                version(ecosystem)));
      }
      out.add(
          new Sbom(
              SbomFormat.CYCLONEDX,
              "1.6",
              components,
              new SbomBinding("urn:uuid:bench-" + s, List.of())));
    }
    return out;
  }

  String advisoryJson(String id, int ecosystem, String name) {
    String introduced =
        random.nextInt(4) == 0 ? "0" : random.nextInt(8) + "." + random.nextInt(20) + ".0";
    String fixed =
        introduced.equals("0")
            ? random.nextInt(10) + ".0.0"
            : (Integer.parseInt(introduced.split("\\.")[0]) + 1) + ".0.0";
    String type = ecosystem == 3 ? "SEMVER" : "ECOSYSTEM";
    String second = random.nextBoolean() ? "" : ",{\"introduced\":\"9.5.0\"},{\"fixed\":\"9.5.7\"}";
    return "{\"id\":\""
        + id
        + "\",\"modified\":\"2026-01-01T00:00:00Z\",\"aliases\":[\"CVE-2026-"
        + id.hashCode()
        + "\"],\"severity\":[{\"type\":\"CVSS_V3\",\"score\":\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N\"}],"
        + "\"affected\":[{\"package\":{\"ecosystem\":\""
        + ECOSYSTEMS[ecosystem]
        + "\",\"name\":\""
        + name
        + "\"},"
        + "\"ranges\":[{\"type\":\""
        + type
        + "\",\"events\":[{\"introduced\":\""
        + introduced
        + "\"},{\"fixed\":\""
        + fixed
        + "\"}"
        + second
        + "]}]}]}";
  }

  List<Advisory> advisories(int count) {
    List<Advisory> out = new ArrayList<>(count);
    List<Problem> notes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int ecosystem = random.nextInt(ECOSYSTEMS.length);
      // a quarter of the advisories name packages no SBOM uses
      int index = random.nextInt(packagesPerEcosystem * 4 / 3);
      out.addAll(
          OsvParser.parse(
              advisoryJson("BENCH-" + i, ecosystem, name(ecosystem, index))
                  .getBytes(StandardCharsets.UTF_8),
              "bench",
              notes));
    }
    if (!notes.isEmpty()) {
      throw new IllegalStateException("generated advisories have notes: " + notes.get(0));
    }
    return out;
  }

  /** A new advisory on the package every SBOM contains: the widest incremental re-scan. */
  Advisory commonAdvisory(String id) {
    String json =
        advisoryJson(id, 0, COMMON)
            .replaceFirst("\"introduced\":\"[^\"]*\"", "\"introduced\":\"1.0.0\"")
            .replaceFirst("\"fixed\":\"[^\"]*\"", "\"fixed\":\"1.5.0\"");
    return OsvParser.parse(json.getBytes(StandardCharsets.UTF_8), id, new ArrayList<>()).get(0);
  }

  /** A new advisory on a random pool package (typical case). */
  Advisory randomAdvisory(String id) {
    int ecosystem = random.nextInt(ECOSYSTEMS.length);
    String json =
        advisoryJson(id, ecosystem, name(ecosystem, random.nextInt(packagesPerEcosystem)));
    return OsvParser.parse(json.getBytes(StandardCharsets.UTF_8), id, new ArrayList<>()).get(0);
  }
}
