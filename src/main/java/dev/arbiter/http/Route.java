// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.http;

import java.util.Objects;

/**
 * One REST route: method, path pattern ({@code /v1/workloads/{name}}), who may call it, the body
 * size limit, and the handler. The route table is also the source of the OpenAPI document.
 *
 * @param requestExample an example request body for the OpenAPI document (null when none)
 * @param consumes the media type of the request body ({@link #JSON} unless a route says otherwise,
 *     e.g. the console's HTML forms)
 * @param guarded whether {@link Admission} limits it (the open routes instances call in bulk)
 */
public record Route(
    String method,
    String path,
    Access access,
    String summary,
    long maxBody,
    Object requestExample,
    Handler handler,
    String consumes,
    boolean guarded) {
  /** Default request body limit for admin routes. */
  public static final long DEFAULT_MAX_BODY = 1024 * 1024;

  /** The request body media type of the REST API. */
  public static final String JSON = "application/json";

  /** The request body media type of HTML forms. */
  public static final String FORM = "application/x-www-form-urlencoded";

  public Route {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(access, "access");
    Objects.requireNonNull(handler, "handler");
    Objects.requireNonNull(consumes, "consumes");
  }

  /** A route whose request body (if any) is JSON. */
  public Route(
      String method,
      String path,
      Access access,
      String summary,
      long maxBody,
      Object requestExample,
      Handler handler) {
    this(method, path, access, summary, maxBody, requestExample, handler, JSON, false);
  }

  public static Route get(String path, Access access, String summary, Handler handler) {
    return new Route("GET", path, access, summary, 0, null, handler);
  }

  public static Route post(
      String path, Access access, String summary, Object example, Handler handler) {
    return new Route("POST", path, access, summary, DEFAULT_MAX_BODY, example, handler);
  }

  public static Route put(
      String path, Access access, String summary, Object example, Handler handler) {
    return new Route("PUT", path, access, summary, DEFAULT_MAX_BODY, example, handler);
  }

  public static Route delete(String path, Access access, String summary, Handler handler) {
    return new Route("DELETE", path, access, summary, 0, null, handler);
  }

  public Route withMaxBody(long bytes) {
    return new Route(
        method, path, access, summary, bytes, requestExample, handler, consumes, guarded);
  }

  /** This route taking a request body of {@code mediaType} instead (e.g. {@link #FORM}). */
  public Route withConsumes(String mediaType) {
    return new Route(
        method, path, access, summary, maxBody, requestExample, handler, mediaType, guarded);
  }

  /**
   * This route under {@link Admission}: per-client rate limit and concurrency limit (429 / 503 with
   * Retry-After).
   */
  public Route withAdmission() {
    return new Route(
        method, path, access, summary, maxBody, requestExample, handler, consumes, true);
  }

  /** Handles one call. Throw {@code ProblemException} for expected rejections. */
  @FunctionalInterface
  public interface Handler {
    Reply handle(Call call) throws Exception;
  }
}
