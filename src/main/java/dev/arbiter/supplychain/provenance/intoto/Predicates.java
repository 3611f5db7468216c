// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.provenance.intoto;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Optional;

/**
 * The provenance predicate types Arbiter accepts, and where each keeps the id of the platform that
 * produced it. Keyed by the exact {@code predicateType} string (never inferred from the statement
 * version or the payload type); an unknown type is refused by the caller.
 */
public final class Predicates {
  /** The kinds of predicate understood. */
  public enum Kind {
    SLSA_V1,
    SLSA_V02,
    SLSA_V01,
    VSA_V1,
    NPM_PUBLISH_V01
  }

  private static final Map<String, Kind> KINDS =
      Map.of(
          "https://slsa.dev/provenance/v1", Kind.SLSA_V1,
          "https://slsa.dev/provenance/v1.0?draft", Kind.SLSA_V1,
          "https://slsa.dev/provenance/v0.2", Kind.SLSA_V02,
          "https://slsa.dev/provenance/v0.1", Kind.SLSA_V01,
          "https://slsa.dev/verification_summary/v1", Kind.VSA_V1,
          "https://github.com/npm/attestation/tree/main/specs/publish/v0.1", Kind.NPM_PUBLISH_V01);

  private Predicates() {}

  public static Optional<Kind> kind(String predicateType) {
    return Optional.ofNullable(KINDS.get(predicateType));
  }

  /**
   * The builder id: SLSA v1 {@code runDetails.builder.id}; SLSA v0.2/v0.1 {@code builder.id}; VSA
   * {@code verifier.id} (the platform that vouches for the subject); npm publish: none.
   */
  public static Optional<String> builderId(Kind kind, JsonNode predicate) {
    JsonNode id =
        switch (kind) {
          case SLSA_V1 -> predicate.path("runDetails").path("builder").path("id");
          case SLSA_V02, SLSA_V01 -> predicate.path("builder").path("id");
          case VSA_V1 -> predicate.path("verifier").path("id");
          case NPM_PUBLISH_V01 -> null;
        };
    return id != null && id.isTextual() && !id.asText().isEmpty()
        ? Optional.of(id.asText())
        : Optional.empty();
  }

  /** True when the predicate kind must name a builder (all SLSA provenance and VSAs). */
  public static boolean requiresBuilder(Kind kind) {
    return kind != Kind.NPM_PUBLISH_V01;
  }
}
