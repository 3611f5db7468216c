// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.sample;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.jwk.ECKey;
import dev.arbiter.evidence.Claims;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.evidence.EvidenceScheme;
import dev.arbiter.evidence.ExpectedBinding;
import dev.arbiter.evidence.SchemeDescriptor;
import dev.arbiter.evidence.VerificationContext;
import dev.arbiter.evidence.VerificationResult;
import dev.arbiter.internal.Hex;
import dev.arbiter.problem.Problem;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The development-only {@code sample} scheme: a software key plays the TEE. Evidence is a compact
 * JWS (ES256 or ES384) whose header carries the signing key as {@code jwk} and whose payload holds
 * {@code measurement}, {@code config} and {@code report_data} (hex). There is no hardware root of
 * trust: anyone can produce such evidence, so servers accept it only in {@code --dev} mode and mark
 * the result {@code arbiter.dev: true}. Thread-safe.
 */
public final class SampleScheme implements EvidenceScheme {
  public static final String ID = "sample";
  private static final int MAX_EVIDENCE = 64 * 1024;
  private static final Set<String> ALLOWED_CLAIMS =
      Set.of("measurement", "config", "report_data", "svn", "debug");

  private static final SchemeDescriptor DESCRIPTOR =
      new SchemeDescriptor(
          ID,
          "1.0",
          List.of("application/vnd.arbiter.sample-evidence+jws"),
          List.of("measurement", "config", "report_data", "svn", "debug", "attestation_key"),
          // No byte claims: measurement, config and report_data are whatever hex the (software)
          // evidence carries, of any length, so none has a length a reference value must have.
          Map.of(),
          "Development-only evidence signed by a software key (no hardware root of trust).",
          new SchemeDescriptor.BindingRule.ReportData(64),
          java.util.Optional.of(new SchemeDescriptor.ConfigurationClaim("config", 32)),
          SchemeDescriptor.Kind.CPU,
          true);

  @Override
  public SchemeDescriptor descriptor() {
    return DESCRIPTOR;
  }

  @Override
  public VerificationResult verify(
      EvidenceInput input, ExpectedBinding binding, VerificationContext context) {
    if (input.evidence().length > MAX_EVIDENCE) {
      return VerificationResult.failed(
          ID,
          Problem.of(
              EvidenceProblem.EVIDENCE_MALFORMED,
              "sample evidence larger than %d bytes",
              MAX_EVIDENCE));
    }
    JWSObject jws;
    try {
      jws = JWSObject.parse(new String(input.evidence(), StandardCharsets.US_ASCII).strip());
    } catch (ParseException e) {
      return VerificationResult.failed(
          ID,
          Problem.of(EvidenceProblem.EVIDENCE_MALFORMED, "sample evidence is not a compact JWS"));
    }
    var header = jws.getHeader();
    if (!JWSAlgorithm.ES256.equals(header.getAlgorithm())
        && !JWSAlgorithm.ES384.equals(header.getAlgorithm())) {
      return VerificationResult.failed(
          ID,
          Problem.of(
              EvidenceProblem.UNSUPPORTED_VERSION, "sample evidence must be ES256 or ES384"));
    }
    if (!(header.getJWK() instanceof ECKey key) || key.isPrivate()) {
      return VerificationResult.failed(
          ID,
          Problem.of(
              EvidenceProblem.KEY_MALFORMED, "sample evidence header needs a public EC jwk"));
    }
    Map<String, Object> payload = jws.getPayload().toJSONObject();
    if (payload == null) {
      return VerificationResult.failed(
          ID,
          Problem.of(
              EvidenceProblem.EVIDENCE_MALFORMED, "sample evidence payload is not a JSON object"));
    }
    List<Problem> problems = new ArrayList<>();
    try {
      if (!dev.arbiter.crypto.JoseCrypto.verify(jws, key)) {
        problems.add(
            Problem.of(
                EvidenceProblem.SIGNATURE_INVALID,
                "sample evidence signature does not verify under its jwk"));
      }
    } catch (JOSEException e) {
      problems.add(
          Problem.of(
              EvidenceProblem.SIGNATURE_INVALID,
              "sample evidence signature cannot be checked: " + e.getMessage()));
    }
    Claims.Builder claims = Claims.builder();
    for (String name : List.of("measurement", "config", "report_data")) {
      Object value = payload.get(name);
      if (value == null) {
        continue;
      }
      if (!(value instanceof String text) || !Hex.isHex(text)) {
        problems.add(Problem.of(EvidenceProblem.EVIDENCE_MALFORMED, "claim %s must be hex", name));
        continue;
      }
      claims.put(name, text.toLowerCase(java.util.Locale.ROOT));
    }
    if (payload.get("svn") instanceof Number svn) {
      claims.put("svn", svn.longValue());
    }
    if (payload.get("debug") instanceof Boolean debug) {
      claims.put("debug", debug);
    }
    for (String name : payload.keySet()) {
      if (!ALLOWED_CLAIMS.contains(name)) {
        problems.add(
            Problem.of(EvidenceProblem.EVIDENCE_MALFORMED, "unknown sample claim %s", name));
      }
    }
    try {
      claims.put("attestation_key", key.computeThumbprint().toString());
    } catch (JOSEException e) {
      problems.add(Problem.of(EvidenceProblem.KEY_MALFORMED, "cannot compute the jwk thumbprint"));
    }
    if (!payload.containsKey("measurement")) {
      problems.add(
          Problem.of(EvidenceProblem.EVIDENCE_MALFORMED, "sample evidence has no measurement"));
    }
    if (binding instanceof ExpectedBinding.Value expected) {
      Object reportData = payload.get("report_data");
      if (!(reportData instanceof String text)
          || !Hex.isHex(text)
          || !expected.matches(Hex.decode(text))) {
        problems.add(
            Problem.of(
                EvidenceProblem.REPORT_DATA_MISMATCH,
                "report_data does not equal the expected binding"));
      }
    }
    return new VerificationResult(ID, claims.build(), problems);
  }
}
