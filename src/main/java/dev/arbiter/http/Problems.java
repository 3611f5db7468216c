// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.arbiter.problem.Problem;
import java.util.List;

/** RFC 9457 {@code application/problem+json} bodies. */
public final class Problems {
  public static final String MEDIA_TYPE = "application/problem+json";

  private Problems() {}

  /** One problem of several, after the first. */
  public record Item(String type, String detail) {}

  /**
   * The document: the first problem's type, title, status and detail, and every problem when there
   * are several.
   */
  public record Document(
      String type,
      String title,
      int status,
      String detail,
      @JsonInclude(JsonInclude.Include.NON_NULL) List<Item> problems) {}

  public static Document body(List<Problem> problems) {
    Problem first = problems.get(0);
    List<Item> all =
        problems.size() > 1
            ? problems.stream()
                .map(p -> new Item(p.type().uri(), Inputs.safeDetail(p.detail())))
                .toList()
            : null;
    return new Document(
        first.type().uri(),
        first.type().meaning(),
        first.type().status(),
        Inputs.safeDetail(first.detail()),
        all);
  }
}
