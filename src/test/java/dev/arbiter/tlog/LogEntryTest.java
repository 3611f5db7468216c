// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.tlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbiter.internal.Json;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogEntryTest {
  private static final Instant T = Instant.parse("2026-03-01T12:00:00.123Z");

  @Test
  void leafText_isCanonicalEnvelopeOfKindTimeAndBody() {
    ObjectNode body = Json.mapper().createObjectNode().put("z", 1).put("a", "x\u00e9");
    LogEntry entry = LogEntry.of(LogEntry.Kind.POLICY_REVISION, T, body);
    assertThat(entry.leafText())
        .isEqualTo(
            "{\"body\":{\"a\":\"x\u00e9\",\"z\":1},\"kind\":\"policy_revision\",\"time\":\"2026-03-01T12:00:00.123Z\"}");
    assertThat(entry.leafData()).isEqualTo(entry.leafText().getBytes(StandardCharsets.UTF_8));
    assertThat(entry.leafHash()).isEqualTo(Merkle.leafHash(entry.leafData()));
    body.put("a", "changed");
    assertThat(entry.body().path("a").asText()).isEqualTo("x\u00e9");
    assertThat(entry.jti()).isEmpty();
  }

  @Test
  void decision_bodyHasSnakeCaseFields_andJtiIsIndexed() {
    Decision decision =
        new Decision(
            T,
            "web",
            "i-7",
            "sev-snp",
            "0f".repeat(32),
            null,
            "sha256:rev",
            "contraindicated",
            List.of("measurement mismatch"),
            "ear-1");
    LogEntry entry = LogEntry.decision(decision);
    assertThat(entry.kind()).isEqualTo(LogEntry.Kind.DECISION);
    assertThat(entry.time()).isEqualTo(T);
    assertThat(entry.jti()).contains("ear-1");
    assertThat(entry.leafText())
        .isEqualTo(
            "{\"body\":{\"evidence_sha256\":\""
                + "0f".repeat(32)
                + "\",\"format\":\"sev-snp\","
                + "\"instance_id\":\"i-7\",\"jti\":\"ear-1\",\"matched_version\":null,\"policy_revision\":\"sha256:rev\",\"reasons\":[\"measurement"
                + " mismatch\"],\"time\":\"2026-03-01T12:00:00.123Z\",\"verdict\":\"contraindicated\","
                + "\"workload\":\"web\"},\"kind\":\"decision\",\"time\":\"2026-03-01T12:00:00.123Z\"}");
    assertThat(LogEntry.parse(entry.leafText())).isEqualTo(entry);
    assertThat(LogEntry.parse(entry.leafText()).jti()).contains("ear-1");
  }

  @Test
  void decision_invalidFields_areRefused() {
    assertThatThrownBy(
            () -> new Decision(T, "w", "i", "f", "0F".repeat(32), null, "r", "v", List.of(), "j"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Decision(T, "w", "i", "f", "00", null, "r", "v", List.of(), "j"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new Decision(T, "w", "i", "f", "00".repeat(32), null, "r", "v", List.of(), ""))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void of_bodiesJcsCannotRepresent_areRefusedOnTheCallersThread() {
    assertThatThrownBy(
            () -> LogEntry.of(LogEntry.Kind.KEY_EVENT, T, Json.mapper().createArrayNode()))
        .isInstanceOf(IllegalArgumentException.class);
    ObjectNode huge = Json.mapper().createObjectNode().put("n", BigInteger.TWO.pow(60));
    assertThatThrownBy(() -> LogEntry.of(LogEntry.Kind.KEY_EVENT, T, huge))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void parse_nonCanonicalOrForeignLeaves_areRefused() {
    String canonical =
        LogEntry.of(LogEntry.Kind.KEY_EVENT, T, Json.mapper().createObjectNode().put("k", 1))
            .leafText();
    assertThat(LogEntry.parse(canonical).kind()).isEqualTo(LogEntry.Kind.KEY_EVENT);
    for (String bad :
        List.of(
            canonical.replace(":", ": "),
            "{\"kind\":\"key_event\",\"body\":{\"k\":1},\"time\":\"2026-03-01T12:00:00.123Z\"}",
            canonical.replace("key_event", "coffee"),
            canonical.replace("12:00:00.123Z", "12:00:00.1230Z"),
            canonical.replace("{\"body\"", "{\"a\":1,\"body\""),
            "{\"body\":[],\"kind\":\"key_event\",\"time\":\"2026-03-01T12:00:00.123Z\"}",
            "not json")) {
      assertThatThrownBy(() -> LogEntry.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
