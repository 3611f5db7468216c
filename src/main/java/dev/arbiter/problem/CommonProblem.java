// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.problem;

/** Problems of the transport and of generic input handling, shared by every domain. */
public enum CommonProblem implements ProblemType {
  MALFORMED_JSON(400, "The request body or input file is not well-formed JSON."),
  BODY_TOO_LARGE(413, "The request body exceeds the configured size limit."),
  UNKNOWN_FIELD(400, "The input has a field that the schema does not define."),
  INVALID_FIELD(400, "A field is missing, has the wrong type or an invalid value."),
  UNSUPPORTED_MEDIA_TYPE(415, "The request content type is not accepted by this route."),
  NOT_FOUND(404, "The addressed resource or route does not exist."),
  METHOD_NOT_ALLOWED(405, "The route exists but not for this HTTP method."),
  UNAUTHENTICATED(401, "The route needs a client certificate issued by Arbiter's CA."),
  FORBIDDEN(403, "The client certificate's role may not call this route."),
  CONFLICT(409, "The change conflicts with the current state (e.g. a concurrent change)."),
  INTERNAL_ERROR(500, "An unexpected server error; details are in the server log only."),
  UNAVAILABLE(503, "A dependency (e.g. the database) is not available right now."),
  OVERLOADED(
      503,
      "The server is at capacity: the request was shed without being processed; retry after"
          + " Retry-After (possibly at another replica)."),
  RATE_LIMITED(
      429,
      "This client sent more requests than its per-client rate allows; retry after Retry-After.");

  private final int status;
  private final String meaning;

  CommonProblem(int status, String meaning) {
    this.status = status;
    this.meaning = meaning;
  }

  @Override
  public String slug() {
    return ProblemType.slugOf(this);
  }

  @Override
  public int status() {
    return status;
  }

  @Override
  public String meaning() {
    return meaning;
  }
}
