// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.cli;

import dev.arbiter.problem.Problem;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code {"type", "detail"}} shape problems take in CLI JSON output. */
public final class ProblemJson {
  private ProblemJson() {}

  public static List<Map<String, String>> of(List<Problem> problems) {
    return problems.stream().map(ProblemJson::of).toList();
  }

  public static Map<String, String> of(Problem problem) {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("type", problem.type().uri());
    out.put("detail", problem.detail());
    return out;
  }
}
