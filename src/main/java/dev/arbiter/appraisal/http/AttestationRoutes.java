// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.appraisal.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.appraisal.AppraisalOutcome;
import dev.arbiter.appraisal.AppraisalProblem;
import dev.arbiter.appraisal.Appraiser;
import dev.arbiter.appraisal.AttestRequest;
import dev.arbiter.appraisal.Nonces;
import dev.arbiter.appraisal.TeeKey;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.http.Access;
import dev.arbiter.http.Reply;
import dev.arbiter.http.Route;
import dev.arbiter.internal.Encodings;
import dev.arbiter.problem.CommonProblem;
import dev.arbiter.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /v1/challenge} and {@code POST /v1/attest}: the open routes instances call for a
 * nonce, then with evidence, their key and the nonce. Decodes and checks every untrusted field here
 * (strict base64 via {@link Encodings}, the TEE key, identifiers, the evidence size) into an {@link
 * AttestRequest}; the appraisal itself is {@link Appraiser}'s.
 */
public final class AttestationRoutes {
  /**
   * Evidence (GPU report lists, collateral) can be large; admin routes keep the 1 MiB default. The
   * base64 form of {@link AttestRequest#MAX_EVIDENCE_BYTES} plus room for the JSON envelope.
   */
  public static final long MAX_BODY = 8L * 1024 * 1024;

  static {
    if ((AttestRequest.MAX_EVIDENCE_BYTES + 2L) / 3 * 4 + 64 * 1024 > MAX_BODY) {
      throw new ExceptionInInitializerError("MAX_BODY leaves no room for MAX_EVIDENCE_BYTES");
    }
  }

  private final Appraiser appraiser;
  private final Nonces nonces;

  public AttestationRoutes(Appraiser appraiser, Nonces nonces) {
    this.appraiser = appraiser;
    this.nonces = nonces;
  }

  record Challenge(String nonce, @JsonProperty("expires_at") String expiresAt) {}

  record Collateral(
      @JsonProperty(value = "name", required = true) String name,
      @JsonProperty(value = "data", required = true) String data) {}

  record Evidence(
      @JsonProperty(value = "format", required = true) String format,
      @JsonProperty(value = "data", required = true) String data,
      @JsonProperty("certificates") List<String> certificates,
      @JsonProperty("keys") List<String> keys,
      @JsonProperty("collateral") List<Collateral> collateral,
      @JsonProperty("signature") String signature,
      @JsonProperty("pcrs") JsonNode pcrs,
      @JsonProperty("event_log") String eventLog) {}

  record Attested(
      @JsonProperty("token") String token,
      @JsonProperty("status") String status,
      @JsonProperty("workload") String workload,
      @JsonProperty("version") String version,
      @JsonProperty("policy_revision") String policyRevision,
      @JsonProperty("expires_at") String expiresAt) {}

  record Attest(
      @JsonProperty(value = "workload", required = true) String workload,
      @JsonProperty(value = "instance_id", required = true) String instanceId,
      @JsonProperty(value = "nonce", required = true) String nonce,
      @JsonProperty(value = "tee_key", required = true) JsonNode teeKey,
      @JsonProperty(value = "evidence", required = true) Evidence evidence,
      @JsonProperty("devices") List<Evidence> devices) {}

  public List<Route> routes() {
    Map<String, Object> example = new LinkedHashMap<>();
    example.put("workload", "payments");
    example.put("instance_id", "i-0abc");
    example.put("nonce", "<from POST /v1/challenge>");
    example.put("tee_key", Map.of("kty", "EC", "crv", "P-256", "x", "...", "y", "..."));
    example.put(
        "evidence",
        Map.of(
            "format",
            "sev-snp",
            "data",
            "<base64 report>",
            "certificates",
            List.of("<base64 DER or PEM VCEK>")));
    Route challenge =
        Route.post(
                "/v1/challenge",
                Access.OPEN,
                "A fresh single-use nonce for attestation or proof of possession",
                null,
                call -> {
                  Nonces.Issued issued = nonces.issue();
                  return Reply.ok(new Challenge(issued.encoded(), issued.expiresAt().toString()));
                })
            .withMaxBody(4096)
            .withAdmission();
    return List.of(
        challenge,
        new Route(
                "POST",
                "/v1/attest",
                Access.OPEN,
                "Appraise evidence; answers a signed EAR bound to the TEE key (evidence report data"
                    + " = SHA-512(nonce || JWK thumbprint))",
                MAX_BODY,
                example,
                call -> {
                  Attest body = call.body(Attest.class);
                  AttestRequest request = toRequest(body);
                  return switch (appraiser.attest(request)) {
                    case AppraisalOutcome.Issued issued ->
                        Reply.ok(
                            new Attested(
                                issued.ear().token(),
                                issued.status().label(),
                                body.workload(),
                                issued.version(),
                                issued.policyRevision(),
                                issued.ear().expiresAt().toString()));
                    case AppraisalOutcome.Refused refused -> throw refused.problem();
                  };
                })
            .withAdmission());
  }

  static AttestRequest toRequest(Attest body) {
    if (body.evidence() == null) {
      throw invalid("evidence is required");
    }
    TeeKey key = TeeKey.parse(body.teeKey());
    byte[] nonce =
        Nonces.decode(body.nonce())
            .orElseThrow(() ->
                new ProblemException(AppraisalProblem.NONCE_INVALID, "nonce must be base64url"));
    List<Evidence> deviceBodies = Optional.ofNullable(body.devices()).orElse(List.of());
    if (deviceBodies.size() > AttestRequest.MAX_DEVICES) {
      throw invalid("at most " + AttestRequest.MAX_DEVICES + " devices");
    }
    List<AttestRequest.Device> devices = new ArrayList<>();
    for (Evidence device : deviceBodies) {
      devices.add(new AttestRequest.Device(device.format(), input(device)));
    }
    return new AttestRequest(
        body.workload(),
        body.instanceId(),
        body.evidence().format(),
        input(body.evidence()),
        key,
        nonce,
        devices);
  }

  static EvidenceInput input(Evidence evidence) {
    List<byte[]> certificates = new ArrayList<>();
    for (String certificate : Optional.ofNullable(evidence.certificates()).orElse(List.of())) {
      certificates.add(
          certificate.contains("-----BEGIN")
              ? certificate.getBytes(StandardCharsets.US_ASCII)
              : decode("evidence.certificates", certificate));
    }
    List<byte[]> keys = new ArrayList<>();
    for (String k : Optional.ofNullable(evidence.keys()).orElse(List.of())) {
      keys.add(
          k.strip().startsWith("{") || k.contains("-----BEGIN")
              ? k.getBytes(StandardCharsets.UTF_8)
              : decode("evidence.keys", k));
    }
    List<EvidenceInput.Collateral> collateral = new ArrayList<>();
    for (Collateral item : Optional.ofNullable(evidence.collateral()).orElse(List.of())) {
      collateral.add(
          new EvidenceInput.Collateral(item.name(), decode("evidence.collateral", item.data())));
    }
    return new EvidenceInput(
        decode("evidence.data", evidence.data()),
        certificates,
        keys,
        collateral,
        Optional.ofNullable(evidence.signature()).map(s -> decode("evidence.signature", s)),
        Optional.ofNullable(evidence.pcrs())
            .map(p -> p.toString().getBytes(StandardCharsets.UTF_8)),
        Optional.ofNullable(evidence.eventLog()).map(e -> decode("evidence.event_log", e)));
  }

  /** Standard or URL-safe base64, padded or not, strictly ({@link Encodings#base64}). */
  static byte[] decode(String field, String text) {
    try {
      return Encodings.base64(text);
    } catch (IllegalArgumentException e) {
      throw invalid(field + " must be base64 (" + e.getMessage() + ")");
    }
  }

  private static ProblemException invalid(String detail) {
    return new ProblemException(CommonProblem.INVALID_FIELD, detail);
  }
}
