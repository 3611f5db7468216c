// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.http;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.arbiter.auth.Principal;
import dev.arbiter.internal.Json;
import dev.arbiter.problem.CommonProblem;
import dev.arbiter.problem.ProblemException;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * One request as handlers see it: the authenticated principal (absent on open routes), path and
 * query parameters, headers, and the body (already size-limited) with strict JSON binding.
 */
public final class Call {
  private final java.util.function.Supplier<Optional<Principal>> principalSource;
  private Optional<Principal> principal;
  private final Map<String, String> pathParams;
  private final Function<String, Optional<String>> query;
  private final Function<String, Optional<String>> headers;
  private final byte[] body;
  private final String method;
  private final String requestUri;

  public Call(
      java.util.function.Supplier<Optional<Principal>> principal,
      Map<String, String> pathParams,
      Function<String, Optional<String>> query,
      Function<String, Optional<String>> headers,
      byte[] body,
      String method,
      String requestUri) {
    this.principalSource = principal;
    this.pathParams = Map.copyOf(pathParams);
    this.query = query;
    this.headers = headers;
    this.body = body;
    this.method = method;
    this.requestUri = requestUri;
  }

  /** The caller; present on every non-open route. */
  public Principal principal() {
    return optionalPrincipal()
        .orElseThrow(() ->
            new ProblemException(
                CommonProblem.UNAUTHENTICATED, "a client certificate is required"));
  }

  /**
   * The caller when it presented a mapped client certificate. Looked up on first use: open routes
   * that never ask do not pay for the TLS session's peer lookup and the fingerprint.
   */
  public Optional<Principal> optionalPrincipal() {
    if (principal == null) {
      principal = principalSource.get();
    }
    return principal;
  }

  public String path(String name) {
    String value = pathParams.get(name);
    if (value == null) {
      throw new IllegalStateException("route has no path parameter " + name);
    }
    return value;
  }

  public Optional<String> query(String name) {
    return query.apply(name);
  }

  public long queryLong(String name, long defaultValue) {
    Optional<String> value = query(name);
    if (value.isEmpty()) {
      return defaultValue;
    }
    try {
      return Long.parseLong(value.get());
    } catch (NumberFormatException e) {
      throw new ProblemException(
          CommonProblem.INVALID_FIELD, "query parameter " + name + " must be an integer");
    }
  }

  public Optional<String> header(String name) {
    return headers.apply(name);
  }

  public String method() {
    return method;
  }

  /** The request URI as the client sent it (path and query), for proof-of-possession checks. */
  public String requestUri() {
    return requestUri;
  }

  public byte[] rawBody() {
    return body;
  }

  /** Binds the body to {@code type} strictly (unknown fields, wrong types: typed problems). */
  public <T> T body(Class<T> type) {
    if (body.length == 0) {
      throw new ProblemException(CommonProblem.MALFORMED_JSON, "a JSON request body is required");
    }
    try {
      T value = Json.mapper().readValue(body, type);
      if (value == null) {
        throw new ProblemException(
            CommonProblem.MALFORMED_JSON, "the request body must be a JSON object");
      }
      return value;
    } catch (UnrecognizedPropertyException e) {
      throw new ProblemException(
          CommonProblem.UNKNOWN_FIELD, "unknown field '" + e.getPropertyName() + "'");
    } catch (MismatchedInputException e) {
      throw new ProblemException(CommonProblem.INVALID_FIELD, mismatch(e));
    } catch (JsonParseException | StreamConstraintsException e) {
      throw new ProblemException(CommonProblem.MALFORMED_JSON, firstLine(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new ProblemException(CommonProblem.MALFORMED_JSON, firstLine(e.getMessage()));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new ProblemException(CommonProblem.INVALID_FIELD, firstLine(e.getMessage()));
    }
  }

  /** Parses the body as a JSON tree (for documents with open structure). */
  public JsonNode bodyTree() {
    try {
      JsonNode node = Json.readTree(body);
      if (node == null || node.isMissingNode()) {
        throw new ProblemException(CommonProblem.MALFORMED_JSON, "a JSON request body is required");
      }
      return node;
    } catch (IOException e) {
      throw new ProblemException(CommonProblem.MALFORMED_JSON, firstLine(e.getMessage()));
    }
  }

  /** What was wrong with a field, in JSON terms (never Java type names). */
  static String mismatch(MismatchedInputException e) {
    String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
    java.util.regex.Matcher missing =
        java.util.regex.Pattern.compile("Missing required creator property '([^']+)'")
            .matcher(message);
    if (missing.find()) {
      String path = fieldPath(e);
      return (path.equals("body") ? "" : path + ".")
          + missing.group(1)
          + ": a required field is missing";
    }
    return fieldPath(e) + ": expected " + jsonType(e.getTargetType());
  }

  private static String jsonType(Class<?> type) {
    if (type == null) {
      return "a different value";
    }
    if (type == String.class || type.isEnum()) {
      return "a string";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "a boolean";
    }
    if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
      return "a number";
    }
    if (type.isArray() || java.util.Collection.class.isAssignableFrom(type)) {
      return "an array";
    }
    return "an object";
  }

  private static String fieldPath(MismatchedInputException e) {
    StringBuilder out = new StringBuilder();
    for (var ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        out.append(out.isEmpty() ? "" : ".").append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        out.append('[').append(ref.getIndex()).append(']');
      }
    }
    return out.isEmpty() ? "body" : out.toString();
  }

  static String firstLine(String message) {
    if (message == null) {
      return "invalid input";
    }
    int newline = message.indexOf('\n');
    String line = newline < 0 ? message : message.substring(0, newline);
    return line.length() > 300 ? line.substring(0, 300) + "..." : line;
  }
}
