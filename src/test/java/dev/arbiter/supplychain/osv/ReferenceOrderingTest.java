// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.osv;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Differential check against the reference implementations (Python packaging, dpkg, node-semver):
 * every pair of generated versions must compare as the reference sorted them (fixtures and their
 * generators in {@code reference-orderings/}).
 */
class ReferenceOrderingTest {
  @ParameterizedTest
  @CsvSource({"pep440.tsv, PyPI", "dpkg.tsv, Debian:10", "npm-semver.tsv, npm"})
  void everyPair_comparesLikeTheReference(String file, String ecosystem) throws IOException {
    VersionOrdering ordering = Ecosystems.ordering(ecosystem).orElseThrow();
    List<Integer> ranks = new ArrayList<>();
    List<OrderedVersion> versions = new ArrayList<>();
    try (InputStream in = getClass().getResourceAsStream("reference-orderings/" + file)) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] fields = line.split("\t", 2);
        ranks.add(Integer.parseInt(fields[0]));
        versions.add(
            ordering
                .parse(fields[1])
                .orElseThrow(() -> new AssertionError("not parsed: " + fields[1])));
      }
    }
    assertThat(versions).hasSizeGreaterThan(100);
    int mismatches = 0;
    StringBuilder first = new StringBuilder();
    for (int i = 0; i < versions.size(); i++) {
      for (int j = 0; j < versions.size(); j++) {
        int expected = Integer.signum(ranks.get(i) - ranks.get(j));
        if (Integer.signum(versions.get(i).compareTo(versions.get(j))) != expected) {
          if (mismatches++ == 0) {
            first.append(versions.get(i).text()).append(" vs ").append(versions.get(j).text());
          }
        }
      }
    }
    assertThat(mismatches).as("first mismatch: %s", first).isZero();
  }
}
