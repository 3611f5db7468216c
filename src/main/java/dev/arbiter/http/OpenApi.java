// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.http;

import dev.arbiter.problem.ProblemType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OpenAPI 3.1 document, generated from the route table (the single source of truth) and the
 * problem registry. A copy is committed as {@code docs/openapi.json}; a test keeps them equal.
 */
public final class OpenApi {
  private static final Pattern PARAM = Pattern.compile("\\{([a-z_]+)}");

  private OpenApi() {}

  public static Map<String, Object> document(
      List<Route> routes, List<? extends ProblemType> problemTypes, String version) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("openapi", "3.1.0");
    doc.put(
        "info",
        Map.of(
            "title",
            "Arbiter",
            "version",
            version,
            "description",
            "A governed RATS Verifier for confidential workloads. Admin routes need a client"
                + " certificate issued by Arbiter's CA (mutual TLS) whose role (roles.json) allows"
                + " the call; every error is application/problem+json."));
    Map<String, Map<String, Object>> paths = new TreeMap<>();
    for (Route route : routes) {
      Map<String, Object> operation = new LinkedHashMap<>();
      operation.put("summary", route.summary());
      operation.put("operationId", operationId(route));
      operation.put(
          "x-arbiter-roles",
          route.access() == Access.OPEN
              ? List.of()
              : route.access().roles().stream().map(r -> r.id()).sorted().toList());
      if (route.access() != Access.OPEN) {
        operation.put("security", List.of(Map.of("mutualTLS", List.of())));
      } else {
        operation.put("security", List.of());
      }
      List<Object> parameters = new java.util.ArrayList<>();
      Matcher matcher = PARAM.matcher(route.path());
      while (matcher.find()) {
        parameters.add(
            Map.of(
                "name",
                matcher.group(1),
                "in",
                "path",
                "required",
                true,
                "schema",
                Map.of("type", "string")));
      }
      if (!parameters.isEmpty()) {
        operation.put("parameters", parameters);
      }
      if (route.maxBody() > 0) {
        Map<String, Object> media = new LinkedHashMap<>();
        media.put("schema", Map.of("type", "object", "maxLength", route.maxBody()));
        if (route.requestExample() != null) {
          media.put("example", route.requestExample());
        }
        operation.put(
            "requestBody", Map.of("required", true, "content", Map.of(route.consumes(), media)));
      }
      Map<String, Object> responses = new LinkedHashMap<>();
      responses.put(
          "2XX",
          Map.of(
              "description",
              "Success",
              "content",
              Map.of("application/json", Map.of("schema", Map.of("type", "object")))));
      if (route.guarded()) {
        Map<String, Object> retryAfter =
            Map.of(
                "Retry-After",
                Map.of(
                    "description",
                    "Seconds to wait before retrying",
                    "schema",
                    Map.of("type", "integer")));
        Map<String, Object> problemContent =
            Map.of(
                Problems.MEDIA_TYPE,
                Map.of("schema", Map.of("$ref", "#/components/schemas/Problem")));
        responses.put(
            "429",
            Map.of(
                "description",
                "rate-limited: this client is over its per-client rate",
                "headers",
                retryAfter,
                "content",
                problemContent));
        responses.put(
            "503",
            Map.of(
                "description",
                "overloaded: shed at capacity without being processed (or another temporary"
                    + " problem)",
                "headers",
                retryAfter,
                "content",
                problemContent));
      }
      responses.put(
          "default",
          Map.of(
              "description",
              "A problem (RFC 9457)",
              "content",
              Map.of(
                  Problems.MEDIA_TYPE,
                  Map.of("schema", Map.of("$ref", "#/components/schemas/Problem")))));
      operation.put("responses", responses);
      paths
          .computeIfAbsent(route.path(), p -> new TreeMap<>())
          .put(route.method().toLowerCase(java.util.Locale.ROOT), operation);
    }
    doc.put("paths", paths);
    Map<String, Object> problem = new LinkedHashMap<>();
    problem.put("type", "object");
    problem.put("required", List.of("type", "status"));
    problem.put(
        "properties",
        Map.of(
            "type",
                Map.of(
                    "type", "string", "enum", problemTypes.stream().map(ProblemType::uri).toList()),
            "title", Map.of("type", "string"),
            "status", Map.of("type", "integer"),
            "detail", Map.of("type", "string"),
            "problems", Map.of("type", "array", "items", Map.of("type", "object"))));
    doc.put(
        "components",
        Map.of(
            "schemas", Map.of("Problem", problem),
            "securitySchemes",
                Map.of(
                    "mutualTLS",
                    Map.of(
                        "type",
                        "mutualTLS",
                        "description",
                        "Client certificate issued by 'arbiter admin issue-cert'; role from"
                            + " roles.json"))));
    return doc;
  }

  private static String operationId(Route route) {
    String cleaned =
        route
            .path()
            .replace("/v1/", "")
            .replace(".well-known/", "")
            .replaceAll("[{}]", "")
            .replaceAll("[^A-Za-z0-9]+", "_");
    return route.method().toLowerCase(java.util.Locale.ROOT) + "_" + cleaned;
  }
}
