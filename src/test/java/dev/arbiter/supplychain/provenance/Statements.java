// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.provenance;

/** Small in-toto Statements for unit tests. */
final class Statements {
  private Statements() {}

  static String slsaV1(String name, String sha256, String builderId) {
    return "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\""
        + name
        + "\",\"digest\":{\"sha256\":\""
        + sha256
        + "\"}}],\"predicateType\":\"https://slsa.dev/provenance/v1\",\"predicate\":{\"buildDefinition\":{\"buildType\":\"https://example.test/build/v1\","
        + "\"externalParameters\":{\"repository\":\"https://github.com/example/repo\"}},\"runDetails\":{\"builder\":{\"id\":\""
        + builderId
        + "\"}}}}";
  }

  static String slsaV02(String name, String sha256, String builderId) {
    return "{\"_type\":\"https://in-toto.io/Statement/v0.1\",\"subject\":[{\"name\":\""
        + name
        + "\",\"digest\":{\"sha256\":\""
        + sha256
        + "\"}}],\"predicateType\":\"https://slsa.dev/provenance/v0.2\",\"predicate\":{\"builder\":{\"id\":\""
        + builderId
        + "\"},\"buildType\":\"x\"}}";
  }

  static String withPredicateType(String predicateType) {
    return "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"a\",\"digest\":{\"sha256\":\""
        + "ab".repeat(32)
        + "\"}}],\"predicateType\":\""
        + predicateType
        + "\",\"predicate\":{}}";
  }
}
