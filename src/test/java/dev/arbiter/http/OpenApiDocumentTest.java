// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbiter.internal.Json;
import dev.arbiter.testing.RepoPaths;
import dev.arbiter.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The committed docs/openapi.json must equal what the server serves. Regenerate it with {@code
 * -Darbiter.updateGolden=true} after changing routes, and review the diff.
 */
class OpenApiDocumentTest {
  @Test
  void committedDocument_equalsServedDocument() throws Exception {
    var served = TestServer.shared().anonymous().get("/v1/openapi.json").json();
    Path committed = RepoPaths.root().resolve("docs/openapi.json");
    // Map.of iteration order changes from one JVM to the next: compare with members sorted by name.
    var sorted =
        com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .enable(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
            .build();
    String expected =
        sorted.writeValueAsString(Json.mapper().convertValue(served, Object.class)) + "\n";
    if (Boolean.getBoolean("arbiter.updateGolden")) {
      Files.writeString(committed, expected, StandardCharsets.UTF_8);
    }
    assertThat(Files.exists(committed))
        .as("docs/openapi.json exists (run with -Darbiter.updateGolden=true)")
        .isTrue();
    assertThat(Files.readString(committed, StandardCharsets.UTF_8)).isEqualTo(expected);
  }
}
