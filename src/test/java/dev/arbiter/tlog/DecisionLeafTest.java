// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.tlog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbiter.internal.Jcs;
import dev.arbiter.internal.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The hand-written decision leaf is byte for byte the canonical JSON of the decision's tree (how
 * decision leaves were built before, and how {@link LogEntry#parse} checks leaves).
 */
class DecisionLeafTest {
  // characters JCS treats specially, and ones it must leave alone
  private static final String[] PIECES = {
    "a",
    "Z",
    "0",
    " ",
    "-",
    ":",
    "/",
    "\"",
    "\\",
    "\b",
    "\f",
    "\n",
    "\r",
    "\t",
    "\u0000",
    "\u0001",
    "\u001f",
    "\u007f",
    "\u0080",
    "\u00e9",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\uffff",
    "\u4e2d",
    "\ud83d\ude00",
    "\ud800",
    "\udc00",
    "\udbff\udfff",
    "</script>",
    "\\u0041",
    "null",
    "é"
  };

  /** The decision leaf as it was built before: the record's JSON tree, canonicalized by Jcs. */
  private static byte[] reference(Decision decision) {
    ObjectNode envelope = Json.mapper().createObjectNode();
    envelope.set("body", Json.mapper().valueToTree(decision));
    envelope.put("kind", "decision");
    envelope.put("time", decision.time().toString());
    return Jcs.canonicalize((JsonNode) envelope);
  }

  @Test
  void leafText_generatedDecisions_equalTheCanonicalizedTree() {
    Random random = new Random(20261205);
    for (int n = 0; n < 10_000; n++) {
      Decision decision = randomDecision(random);
      byte[] expected = reference(decision);
      LogEntry entry = LogEntry.decision(decision);
      assertThat(entry.leafData()).as("decision %d: %s", n, decision).isEqualTo(expected);
      assertThat(entry.leafText()).isEqualTo(new String(expected, StandardCharsets.UTF_8));
      assertThat(entry.leafHash()).isEqualTo(Merkle.leafHash(expected));
      assertThat(entry.jti()).contains(decision.jti());
      assertThat(entry.time()).isEqualTo(decision.time());
    }
  }

  @Test
  void decisionEntry_parsesBack_andItsBodyIsTheTree() {
    Random random = new Random(7);
    for (int n = 0; n < 2_000; n++) {
      Decision decision = randomDecision(random);
      LogEntry entry = LogEntry.decision(decision);
      LogEntry parsed = LogEntry.parse(entry.leafText());
      assertThat(parsed).isEqualTo(entry);
      assertThat(parsed.leafHash()).isEqualTo(entry.leafHash());
      assertThat(parsed.kind()).isEqualTo(LogEntry.Kind.DECISION);
      assertThat(entry.body()).isEqualTo(parsed.body());
      if (!hasLoneSurrogate(decision)) {
        // a lone surrogate is '?' in the leaf (as UTF-8 writes it), so only then the tree differs
        assertThat(entry.body()).isEqualTo(Json.mapper().valueToTree(decision));
        assertThat(parsed.jti()).contains(decision.jti());
      }
    }
  }

  @Test
  void leafText_edgeCases() {
    for (Decision decision :
        List.of(
            decision(Instant.EPOCH, "", null, List.of()),
            decision(Instant.parse("1969-12-31T23:59:59.999999999Z"), "\u0000", "", List.of("")),
            decision(Instant.parse("2026-03-01T12:00:00Z"), "w", "v", List.of("a", "b", "c")),
            decision(Instant.parse("2026-03-01T12:00:00.100Z"), "\"\\", "\ud800", List.of("\t")),
            decision(Instant.parse("+12026-03-01T12:00:00.000001Z"), "x", null, List.of()),
            decision(Instant.parse("-0001-03-01T12:00:00.5Z"), "x", null, List.of()),
            decision(Instant.MAX, "x", null, List.of()),
            decision(Instant.MIN, "x", null, List.of()))) {
      assertThat(LogEntry.decision(decision).leafData())
          .as(decision.toString())
          .isEqualTo(reference(decision));
    }
  }

  private static Decision decision(
      Instant time, String workload, String version, List<String> reasons) {
    return new Decision(
        time, workload, "i", "f", "ab".repeat(32), version, "r", "v", reasons, "jti-1");
  }

  private static boolean hasLoneSurrogate(Decision d) {
    List<String> all =
        new ArrayList<>(
            List.of(
                d.workload(),
                d.instanceId(),
                d.format(),
                d.policyRevision(),
                d.verdict(),
                d.jti(),
                d.matchedVersion() == null ? "" : d.matchedVersion()));
    all.addAll(d.reasons());
    for (String s : all) {
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)
            && i + 1 < s.length()
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else if (Character.isSurrogate(c)) {
          return true;
        }
      }
    }
    return false;
  }

  private static Decision randomDecision(Random random) {
    StringBuilder hex = new StringBuilder();
    for (int i = 0; i < 64; i++) {
      hex.append("0123456789abcdef".charAt(random.nextInt(16)));
    }
    List<String> reasons = new ArrayList<>();
    for (int i = random.nextInt(4); i > 0; i--) {
      reasons.add(text(random));
    }
    long seconds = random.nextLong(-62_135_596_800L, 253_402_300_799L); // years 1..9999
    int nanos =
        switch (random.nextInt(4)) {
          case 0 -> 0;
          case 1 -> random.nextInt(1000) * 1_000_000;
          case 2 -> random.nextInt(1_000_000) * 1000;
          default -> random.nextInt(1_000_000_000);
        };
    return new Decision(
        Instant.ofEpochSecond(seconds, nanos),
        text(random),
        text(random),
        text(random),
        hex.toString(),
        random.nextBoolean() ? null : text(random),
        text(random),
        text(random),
        reasons,
        "x" + text(random));
  }

  private static String text(Random random) {
    StringBuilder out = new StringBuilder();
    for (int i = random.nextInt(12); i > 0; i--) {
      if (random.nextInt(3) == 0) {
        out.append((char) random.nextInt(0x10000)); // any UTF-16 code unit, lone surrogates too
      } else {
        out.append(PIECES[random.nextInt(PIECES.length)]);
      }
    }
    return out.toString();
  }
}
