// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.internal.Json;
import dev.arbiter.problem.ProblemException;
import dev.arbiter.schemes.BuiltInSchemes;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReferenceValuesTest {
  private static JsonNode json(String text) throws Exception {
    return Json.readTree(text.replace('\'', '"'));
  }

  @Test
  void parse_normalizesHex_andExposesValuesMinimumsAndConfiguration() throws Exception {
    ReferenceValues values =
        ReferenceValues.parse(
            json(
                "{'sample': {'measurement': ['AABB', 'ccdd'], 'svn': 3, 'min': {'svn': 2}},"
                    + " 'configuration': {'trust_roots': 'SHA256:"
                    + "A".repeat(64)
                    + "'}}"),
            BuiltInSchemes.registry());
    assertThat(values.schemes()).containsExactly("sample");
    assertThat(values.expected("sample").get("measurement"))
        .extracting(JsonNode::asText)
        .containsExactly("aabb", "ccdd");
    assertThat(values.minimums("sample")).isEqualTo(Map.of("svn", 2L));
    assertThat(values.configuration().orElseThrow().path("trust_roots").asText())
        .isEqualTo("sha256:" + "a".repeat(64));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "[]                                                  | $:",
        "{}                                                  | $:",
        "{'nope': {'x': 1}}                                  | nope:",
        "{'sample': {}}                                      | sample:",
        "{'sample': {'measurment': 'aa'}}                    | sample.measurment:",
        "{'sample': {'measurement': []}}                     | sample.measurement:",
        "{'sample': {'measurement': {'a': 1}}}               | sample.measurement:",
        "{'sample': {'measurement': 1.5}}                    | sample.measurement:",
        "{'sample': {'measurement': ['aa', null]}}           | sample.measurement[1]:",
        "{'sample': {'min': {'svn': -1}}}                    | sample.min.svn:",
        "{'sample': {'min': {'svm': 1}}}                     | sample.min.svm:",
        "{'sample': {'svn': 1}, 'configuration': {'X': 'sha256:00'}} | configuration.X:",
        "{'sample': {'svn': 1}, 'configuration': {'crypto': 'sha256:00'}} | configuration.crypto:",
      })
  void parse_malformed_isRefusedNamingTheField(String document, String fieldPrefix) {
    assertThatThrownBy(() -> ReferenceValues.parse(json(document), BuiltInSchemes.registry()))
        .isInstanceOfSatisfying(
            ProblemException.class,
            e -> {
              assertThat(e.problem().type()).isEqualTo(PolicyProblem.INVALID_REFERENCE_VALUES);
              assertThat(e.problem().detail()).startsWith(fieldPrefix);
            });
  }

  private static ProblemException refusal(String document) {
    Throwable thrown =
        org.assertj.core.api.Assertions.catchThrowable(
            () -> ReferenceValues.parse(json(document), BuiltInSchemes.registry()));
    assertThat(thrown).isInstanceOf(ProblemException.class);
    ProblemException e = (ProblemException) thrown;
    assertThat(e.problem().type()).isEqualTo(PolicyProblem.INVALID_REFERENCE_VALUES);
    return e;
  }

  @Test
  void byteClaim_hexOfTheDeclaredLength_isAcceptedAndLowercased() throws Exception {
    ReferenceValues values =
        ReferenceValues.parse(
            json(
                "{'sev-snp': {'measurement': '"
                    + "AB".repeat(48)
                    + "', 'host_data': ['"
                    + "0f".repeat(32)
                    + "', '"
                    + "F0".repeat(32)
                    + "'], 'vmpl': 0},"
                    + " 'tpm': {'pcr7': '"
                    + "Aa".repeat(32)
                    + "', 'sha1:pcr7': '"
                    + "bb".repeat(20)
                    + "', 'pcrs.sha384.pcr0': '"
                    + "cc".repeat(48)
                    + "'}}"),
            BuiltInSchemes.registry());
    assertThat(values.expected("sev-snp").get("measurement"))
        .extracting(JsonNode::asText)
        .containsExactly("ab".repeat(48));
    assertThat(values.expected("sev-snp").get("host_data"))
        .extracting(JsonNode::asText)
        .containsExactly("0f".repeat(32), "f0".repeat(32));
    assertThat(values.expected("sev-snp").get("vmpl").get(0).asLong()).isZero();
    assertThat(values.expected("tpm").get("pcr7"))
        .extracting(JsonNode::asText)
        .containsExactly("aa".repeat(32));
    assertThat(values.expected("tpm").get("sha1:pcr7"))
        .extracting(JsonNode::asText)
        .containsExactly("bb".repeat(20));
  }

  @ParameterizedTest
  @CsvSource({"32", "48", "64"})
  void byteClaim_withSeveralLengths_acceptsEach(int length) throws Exception {
    ReferenceValues values =
        ReferenceValues.parse(
            json("{'cca': {'realm.rem0': '" + "5A".repeat(length) + "'}}"),
            BuiltInSchemes.registry());
    assertThat(values.expected("cca").get("realm.rem0"))
        .extracting(JsonNode::asText)
        .containsExactly("5a".repeat(length));
  }

  @Test
  void byteClaim_ofAnotherLength_isRefusedNamingTheFieldAndItsLength() {
    assertThat(refusal("{'sev-snp': {'measurement': '" + "ab".repeat(32) + "'}}").getMessage())
        .contains(
            "sev-snp.measurement: must be 48 bytes of hex (96 hex digits), got 64 characters");
    assertThat(refusal("{'sev-snp': {'measurement': 'abcdef012345'}}").getMessage())
        .contains(
            "sev-snp.measurement: must be 48 bytes of hex (96 hex digits), got 12 characters");
    assertThat(refusal("{'cca': {'realm.rem0': '" + "ab".repeat(20) + "'}}").getMessage())
        .contains(
            "cca.realm.rem0: must be 32, 48 or 64 bytes of hex (64, 96 or 128 hex digits), got 40"
                + " characters");
    assertThat(refusal("{'tpm': {'sha1:pcr7': '" + "ab".repeat(32) + "'}}").getMessage())
        .contains("tpm.sha1:pcr7: must be 20 bytes of hex (40 hex digits), got 64 characters");
    assertThat(refusal("{'sev-snp': {'measurement': '" + "a".repeat(95) + "'}}").getMessage())
        .contains("got 95 characters");
  }

  @Test
  void byteClaim_notHex_isRefusedWithoutEchoingTheValue() {
    // 96 characters, but base64 of 72 bytes rather than hex of 48
    byte[] bytes = new byte[72];
    java.util.Arrays.fill(bytes, (byte) 0x1a);
    String base64 = java.util.Base64.getEncoder().encodeToString(bytes);
    assertThat(base64).hasSize(96).startsWith("Gh");
    ProblemException e = refusal("{'sev-snp': {'measurement': '" + base64 + "'}}");
    assertThat(e.problem().detail())
        .startsWith("sev-snp.measurement: must be 48 bytes of hex (96 hex digits), got 96")
        .contains("not a hex digit at position 1")
        .doesNotContain(base64)
        .doesNotContain(base64.substring(0, 16));
    String typo = "ab".repeat(47) + "ag";
    assertThat(refusal("{'sev-snp': {'measurement': '" + typo + "'}}").problem().detail())
        .contains("at position 96")
        .doesNotContain(typo);
    String long_ = "41".repeat(3000);
    assertThat(refusal("{'tdx': {'mr_td': '" + long_ + "'}}").problem().detail())
        .isEqualTo("tdx.mr_td: must be 48 bytes of hex (96 hex digits), got 6000 characters");
    assertThat(refusal("{'sev-snp': {'measurement': ' " + "ab".repeat(48) + "'}}").getMessage())
        .contains("sev-snp.measurement:");
    assertThat(refusal("{'sev-snp': {'measurement': '0x" + "ab".repeat(48) + "'}}").getMessage())
        .contains("got 98 characters (give the digits without 0x)");
  }

  @Test
  void byteClaim_listElement_isRefusedNamingItsIndex() {
    assertThat(
            refusal("{'tdx': {'mr_td': ['" + "aa".repeat(48) + "', '" + "bb".repeat(32) + "']}}")
                .problem()
                .detail())
        .startsWith("tdx.mr_td[1]: must be 48 bytes of hex (96 hex digits), got 64 characters");
    assertThat(refusal("{'sgx': {'mr_enclave': ['" + "aa".repeat(32) + "', 7]}}").getMessage())
        .contains("sgx.mr_enclave[1]: must be 32 bytes of hex (64 hex digits), got a number");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{'sev-snp': {'measurement': 48}}           | sev-snp.measurement: must be 48 bytes of hex"
            + " (96 hex digits), got a number",
        "{'sev-snp': {'measurement': true}}         | sev-snp.measurement: must be 48 bytes of hex"
            + " (96 hex digits), got a boolean",
        "{'sev-snp': {'measurement': null}}         | sev-snp.measurement: must be 48 bytes of hex"
            + " (96 hex digits), got null",
        "{'sev-snp': {'measurement': ''}}           | sev-snp.measurement: must be 48 bytes of hex"
            + " (96 hex digits), got 0 characters",
        "{'sev-snp': {'measurement': [['aa']]}}     | sev-snp.measurement[0]: must be 48 bytes of"
            + " hex (96 hex digits), got a list",
        "{'sev-snp': {'min': {'measurement': 1}}}   | sev-snp.min.measurement: a minimum applies to"
            + " integer claims",
      })
  void byteClaim_otherMalformedValues_areRefusedNamingTheField(String document, String detail) {
    assertThat(refusal(document).problem().detail()).startsWith(detail);
  }

  @Test
  void claimsThatAreNotByteStrings_keepTheirRules() throws Exception {
    ReferenceValues values =
        ReferenceValues.parse(
            json(
                "{'sample': {'measurement': 'AB'}, 'tpm': {'extra_data': 'C0FFEE'},"
                    + " 'sev-snp': {'product': 'Genoa', 'min': {'reported_tcb.snp': 8}}}"),
            BuiltInSchemes.registry());
    assertThat(values.expected("sample").get("measurement").get(0).asText()).isEqualTo("ab");
    assertThat(values.expected("tpm").get("extra_data").get(0).asText()).isEqualTo("c0ffee");
    assertThat(values.expected("sev-snp").get("product").get(0).asText()).isEqualTo("Genoa");
    assertThat(values.minimums("sev-snp")).isEqualTo(Map.of("reported_tcb.snp", 8L));
  }

  @Test
  void objectives_parse_validatesDurationsAndActions() throws Exception {
    assertThat(
            Objectives.parse(json("{'critical': {'deadline': 'PT72H', 'on_deadline': 'revoke'}}"))
                .toString())
        .isEqualTo("{\"critical\":{\"deadline\":\"PT72H\",\"on_deadline\":\"revoke\"}}");
    assertThat(
            Objectives.parse(json("{'high': {'deadline': 'P7D'}}"))
                .path("high")
                .path("on_deadline")
                .asText())
        .isEqualTo("escalate");
    assertThatThrownBy(() ->
            Objectives.parse(json("{'critical': {'deadline': 'PT72H', 'on_deadline': 'panic'}}")))
        .hasMessageContaining("critical.on_deadline");
    assertThatThrownBy(() -> Objectives.parse(json("{'critical': {'deadline': '-PT1H'}}")))
        .hasMessageContaining("critical.deadline");
    assertThatThrownBy(() -> Objectives.parse(json("{'critical': {'deadline': 'PT1H', 'x': 1}}")))
        .hasMessageContaining("critical.x");
  }

  @Test
  void celPolicy_compilesBooleanExpressions_andDeniesOnError() {
    var compiled =
        CelPolicy.compile("claims.svn >= 2 && format == 'sample'", CelPolicy.APPRAISAL_VARIABLES);
    assertThat(compiled.error()).isNull();
    CelPolicy policy = compiled.policy().orElseThrow();
    Map<String, Object> vars =
        Map.of("claims", Map.of("svn", 3L), "format", "sample", "workload", "w", "version", "v");
    assertThat(policy.evaluate(vars)).isEqualTo(CelPolicy.Decision.ALLOW);
    assertThat(
            policy.evaluate(
                Map.of(
                    "claims",
                    Map.of("svn", 1L),
                    "format",
                    "sample",
                    "workload",
                    "w",
                    "version",
                    "v")))
        .isEqualTo(CelPolicy.Decision.DENY);
    assertThat(
            policy.evaluate(
                Map.of("claims", Map.of(), "format", "sample", "workload", "w", "version", "v")))
        .isEqualTo(CelPolicy.Decision.ERROR);
    assertThat(CelPolicy.compile("claims.svn +", CelPolicy.APPRAISAL_VARIABLES).error())
        .contains("mismatched input");
    assertThat(CelPolicy.compile("42", CelPolicy.APPRAISAL_VARIABLES).policy()).isEmpty();
    CelPolicy macros =
        CelPolicy.compile(
                "!has(claims.debug) && [1, 2].all(x, x > 0)", CelPolicy.APPRAISAL_VARIABLES)
            .policy()
            .orElseThrow();
    assertThat(
            macros.evaluate(
                Map.of("claims", Map.of(), "format", "f", "workload", "w", "version", "v")))
        .isEqualTo(CelPolicy.Decision.ALLOW);
    assertThat(CelPolicy.compile("unknown_var == 1", CelPolicy.APPRAISAL_VARIABLES).error())
        .contains("unknown_var");
  }
}
