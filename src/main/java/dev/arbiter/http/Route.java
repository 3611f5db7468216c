// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.http;

import java.util.Objects;

/**
 * One REST route: method, path pattern ({@code /v1/workloads/{name}}), who may call it, the body
 * size limit, and the handler. The route table is also the source of the OpenAPI document.
 *
 * @param requestExample an example request body for the OpenAPI document (null when none)
 */
public record Route(
    String method,
    String path,
    Access access,
    String summary,
    long maxBody,
    Object requestExample,
    Handler handler) {
  /** Default request body limit for admin routes. */
  public static final long DEFAULT_MAX_BODY = 1024 * 1024;

  public Route {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(access, "access");
    Objects.requireNonNull(handler, "handler");
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
    return new Route(method, path, access, summary, bytes, requestExample, handler);
  }

  /** Handles one call. Throw {@code ProblemException} for expected rejections. */
  @FunctionalInterface
  public interface Handler {
    Reply handle(Call call) throws Exception;
  }
}
