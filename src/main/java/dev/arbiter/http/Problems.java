// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.http;

import dev.arbiter.problem.Problem;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** RFC 9457 {@code application/problem+json} bodies. */
public final class Problems {
  public static final String MEDIA_TYPE = "application/problem+json";

  private Problems() {}

  public static Map<String, Object> body(List<Problem> problems) {
    Problem first = problems.get(0);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("type", first.type().uri());
    out.put("title", first.type().meaning());
    out.put("status", first.type().status());
    out.put("detail", first.detail());
    if (problems.size() > 1) {
      out.put("problems", problems.stream().map(p -> Map.of("type", p.type().uri(), "detail", p.detail())).toList());
    }
    return out;
  }
}
