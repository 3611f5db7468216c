// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.collateral.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.arbiter.collateral.CollateralService;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.http.Access;
import dev.arbiter.http.Reply;
import dev.arbiter.http.Route;
import dev.arbiter.internal.Encodings;
import dev.arbiter.problem.CommonProblem;
import dev.arbiter.problem.ProblemException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code POST /v1/collateral} (operator) and {@code GET /v1/collateral} (status with expiry). */
public final class CollateralRoutes {
  private final CollateralService collateral;
  private final Clock clock;

  public CollateralRoutes(CollateralService collateral, Clock clock) {
    this.collateral = collateral;
    this.clock = clock;
  }

  record File(
      @JsonProperty(value = "name", required = true) String name,
      @JsonProperty(value = "data", required = true) String data) {}

  record Import(@JsonProperty(value = "files", required = true) List<File> files) {}

  public List<Route> routes() {
    return List.of(
        new Route(
            "POST",
            "/v1/collateral",
            Access.OPERATOR,
            "Import collateral (checked against pinned roots; all or nothing)",
            32L * 1024 * 1024,
            Map.of("files", List.of(Map.of("name", "tcb-info.json", "data", "<base64>"))),
            call -> {
              List<EvidenceInput.Collateral> files = new ArrayList<>();
              for (File file : call.body(Import.class).files()) {
                try {
                  files.add(
                      new EvidenceInput.Collateral(file.name(), Encodings.base64(file.data())));
                } catch (IllegalArgumentException | NullPointerException e) {
                  throw new ProblemException(
                      CommonProblem.INVALID_FIELD, "files[].data must be base64");
                }
              }
              return Reply.created(
                  new Stored(
                      collateral.importFiles(call.principal(), files).stream()
                          .map(this::json)
                          .toList()));
            }),
        Route.get(
            "/v1/collateral",
            Access.READ,
            "Stored collateral with next-update times and expiry",
            call -> Reply.ok(new Listing(collateral.list().stream().map(this::json).toList()))));
  }

  /** A stored collateral file's metadata as the API shows it. */
  record EntryBody(
      @JsonProperty("id") long id,
      @JsonProperty("format") String format,
      @JsonProperty("kind") String kind,
      @JsonProperty("key") String key,
      @JsonProperty("name") String name,
      @JsonProperty("sha256") String sha256,
      @JsonProperty("next_update") String nextUpdate,
      @JsonProperty("expired") boolean expired,
      @JsonProperty("imported_at") String importedAt,
      @JsonProperty("imported_by") String importedBy) {}

  record Stored(@JsonProperty("stored") List<EntryBody> stored) {}

  record Listing(@JsonProperty("collateral") List<EntryBody> collateral) {}

  private EntryBody json(CollateralService.Entry entry) {
    return new EntryBody(
        entry.id(),
        entry.format(),
        entry.kind(),
        entry.key(),
        entry.name(),
        entry.sha256(),
        entry.nextUpdate().map(Object::toString).orElse(null),
        entry.expiredAt(clock.instant()),
        entry.importedAt().toString(),
        entry.importedBy());
  }
}
