// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbiter.problem.ProblemType;
import dev.arbiter.testing.RepoPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Keeps {@link ProblemCatalog} and the registry file docs/problems.md equal. */
class ProblemCatalogTest {
  private static final Pattern ROW =
      Pattern.compile(
          "^\\|\\s*`(urn:arbiter:problem:[a-z0-9-]+)`\\s*\\|\\s*(\\d{3})\\s*\\|(.*)\\|\\s*$");

  @Test
  void registry_file_lists_exactly_the_problem_types_in_code() throws IOException {
    Map<String, Integer> documented = new LinkedHashMap<>();
    for (String line : Files.readAllLines(RepoPaths.root().resolve("docs/problems.md"))) {
      Matcher matcher = ROW.matcher(line);
      if (matcher.matches()) {
        assertThat(documented.put(matcher.group(1), Integer.parseInt(matcher.group(2))))
            .as("listed twice in docs/problems.md: %s", matcher.group(1))
            .isNull();
      }
    }
    Map<String, Integer> inCode = new LinkedHashMap<>();
    for (ProblemType type : ProblemCatalog.all()) {
      inCode.put(type.uri(), type.status());
    }
    String missingRows =
        ProblemCatalog.all().stream()
            .filter(type -> !documented.containsKey(type.uri()))
            .map(
                type -> "| `" + type.uri() + "` | " + type.status() + " | " + type.meaning() + " |")
            .collect(Collectors.joining("\n"));
    assertThat(missingRows).as("rows missing from docs/problems.md").isEmpty();
    assertThat(documented).as("docs/problems.md vs code").isEqualTo(inCode);
  }

  @Test
  void every_slug_is_kebab_case() {
    for (ProblemType type : ProblemCatalog.all()) {
      assertThat(type.slug()).matches("[a-z0-9]+(-[a-z0-9]+)*");
      assertThat(type.status()).isBetween(400, 599);
    }
  }
}
