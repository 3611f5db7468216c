// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.collateral.http;

import dev.arbiter.collateral.CollateralService;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.arbiter.http.Access;
import dev.arbiter.http.Reply;
import dev.arbiter.http.Route;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.internal.Encodings;
import dev.arbiter.problem.CommonProblem;
import dev.arbiter.problem.ProblemException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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

  record File(@JsonProperty(value = "name", required = true) String name, @JsonProperty(value = "data", required = true) String data) {}

  record Import(@JsonProperty(value = "files", required = true) List<File> files) {}

  public List<Route> routes() {
    return List.of(
        new Route("POST", "/v1/collateral", Access.OPERATOR, "Import collateral (checked against pinned roots; all or nothing)", 32L * 1024 * 1024,
            Map.of("files", List.of(Map.of("name", "tcb-info.json", "data", "<base64>"))), call -> {
              List<EvidenceInput.Collateral> files = new ArrayList<>();
              for (File file : call.body(Import.class).files()) {
                try {
                  files.add(new EvidenceInput.Collateral(file.name(), Encodings.base64(file.data())));
                } catch (IllegalArgumentException | NullPointerException e) {
                  throw new ProblemException(CommonProblem.INVALID_FIELD, "files[].data must be base64");
                }
              }
              return Reply.created(Map.of("stored", collateral.importFiles(call.principal(), files).stream().map(this::json).toList()));
            }),
        Route.get("/v1/collateral", Access.READ, "Stored collateral with next-update times and expiry",
            call -> Reply.ok(Map.of("collateral", collateral.list().stream().map(this::json).toList()))));
  }

  private Map<String, Object> json(CollateralService.Entry entry) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", entry.id());
    out.put("format", entry.format());
    out.put("kind", entry.kind());
    out.put("key", entry.key());
    out.put("name", entry.name());
    out.put("sha256", entry.sha256());
    out.put("next_update", entry.nextUpdate().map(Object::toString).orElse(null));
    out.put("expired", entry.expiredAt(clock.instant()));
    out.put("imported_at", entry.importedAt().toString());
    out.put("imported_by", entry.importedBy());
    return out;
  }
}
