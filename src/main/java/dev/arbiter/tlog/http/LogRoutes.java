// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.tlog.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.arbiter.http.Access;
import dev.arbiter.http.Call;
import dev.arbiter.http.Reply;
import dev.arbiter.http.Route;
import dev.arbiter.problem.CommonProblem;
import dev.arbiter.problem.ProblemException;
import dev.arbiter.tlog.ConsistencyProof;
import dev.arbiter.tlog.InclusionProof;
import dev.arbiter.tlog.LogProblem;
import dev.arbiter.tlog.LogStore;
import dev.arbiter.tlog.TransparencyLog;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The transparency log's open routes: the latest signed checkpoint, a decision's inclusion proof by
 * EAR {@code jti}, consistency proofs between tree sizes, and the verifier key (a convenience:
 * verifiers should pin the key from the data directory instead of trusting this answer).
 */
public final class LogRoutes {
  private final TransparencyLog log;

  public LogRoutes(TransparencyLog log) {
    this.log = log;
  }

  /** The answer of {@code GET /v1/log/proof}: the exact leaf text and its inclusion proof. */
  public record LeafProof(
      @JsonProperty("leaf") String leaf, @JsonProperty("proof") InclusionProof proof) {}

  public List<Route> routes() {
    return List.of(
        Route.get(
            "/v1/log/checkpoint",
            Access.OPEN,
            "The latest signed checkpoint of the transparency log (C2SP tlog-checkpoint signed"
                + " note, text/plain)",
            call ->
                Reply.raw(
                    200,
                    log.latestCheckpointNote()
                        .orElseThrow(() ->
                            new ProblemException(
                                LogProblem.CHECKPOINT_UNAVAILABLE,
                                "the log has no signed checkpoint yet"))
                        .getBytes(StandardCharsets.UTF_8),
                    "text/plain; charset=utf-8")),
        Route.get(
            "/v1/log/proof",
            Access.OPEN,
            "The decision leaf logged for an EAR (?jti=) and its inclusion proof against the latest"
                + " checkpoint",
            this::proof),
        Route.get(
            "/v1/log/consistency",
            Access.OPEN,
            "A consistency proof between two tree sizes (?from=M&to=N, 0 <= M <= N <= the log's"
                + " size)",
            this::consistency),
        Route.get(
            "/v1/log/key",
            Access.OPEN,
            "The checkpoint verifier key (note format); a convenience: pin the key from the"
                + " server's data directory instead",
            call ->
                Reply.raw(
                    200,
                    (log.verifierKey().encoded() + "\n").getBytes(StandardCharsets.UTF_8),
                    "text/plain; charset=utf-8")));
  }

  private Reply proof(Call call) {
    String jti =
        call.query("jti")
            .filter(s -> !s.isEmpty())
            .orElseThrow(() ->
                new ProblemException(
                    CommonProblem.INVALID_FIELD, "query parameter jti is required"));
    if (jti.length() > 256) {
      throw new ProblemException(CommonProblem.INVALID_FIELD, "jti is longer than 256 characters");
    }
    LogStore.LoggedLeaf leaf =
        log.findDecision(jti)
            .orElseThrow(() ->
                new ProblemException(
                    LogProblem.DECISION_NOT_LOGGED, "no decision with this jti is in the log"));
    InclusionProof proof;
    try {
      proof = log.inclusionProof(leaf.index());
    } catch (IllegalArgumentException e) {
      throw new ProblemException(
          LogProblem.DECISION_NOT_LOGGED,
          "the decision is not covered by a signed checkpoint yet; retry shortly");
    }
    return Reply.ok(new LeafProof(leaf.leafText(), proof));
  }

  private Reply consistency(Call call) {
    long from = size(call, "from");
    long to = size(call, "to");
    if (from > to) {
      throw new ProblemException(
          LogProblem.TREE_SIZE_INVALID, "from (" + from + ") is larger than to (" + to + ")");
    }
    ConsistencyProof proof;
    try {
      proof = log.consistencyProof(from, to);
    } catch (IllegalArgumentException e) {
      throw new ProblemException(
          LogProblem.TREE_SIZE_INVALID, "to (" + to + ") is beyond the log's size");
    }
    return Reply.ok(proof);
  }

  private static long size(Call call, String name) {
    String text =
        call.query(name)
            .orElseThrow(() ->
                new ProblemException(
                    LogProblem.TREE_SIZE_INVALID, "query parameter " + name + " is required"));
    if (!text.matches("0|[1-9][0-9]{0,17}")) {
      throw new ProblemException(
          LogProblem.TREE_SIZE_INVALID, name + " must be a non-negative decimal number");
    }
    return Long.parseLong(text);
  }
}
