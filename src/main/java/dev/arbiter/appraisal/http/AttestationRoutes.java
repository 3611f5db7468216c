// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.appraisal.http;

import dev.arbiter.appraisal.AppraisalProblem;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import dev.arbiter.appraisal.Appraiser;
import dev.arbiter.appraisal.AttestRequest;
import dev.arbiter.appraisal.Nonces;
import dev.arbiter.http.Access;
import dev.arbiter.http.Reply;
import dev.arbiter.http.Route;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.problem.CommonProblem;
import dev.arbiter.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code POST /v1/attest}: the open route instances call with evidence, their key and a nonce. */
public final class AttestationRoutes {
  /** Evidence (GPU report lists, collateral) can be large; admin routes keep the 1 MiB default. */
  public static final long MAX_BODY = 8L * 1024 * 1024;

  private final Appraiser appraiser;
  private final Nonces nonces;

  public AttestationRoutes(Appraiser appraiser, Nonces nonces) {
    this.appraiser = appraiser;
    this.nonces = nonces;
  }

  record Challenge(String nonce, @JsonProperty("expires_at") String expiresAt) {}

  record Collateral(@JsonProperty(value = "name", required = true) String name, @JsonProperty(value = "data", required = true) String data) {}

  record Evidence(
      @JsonProperty(value = "format", required = true) String format,
      @JsonProperty(value = "data", required = true) String data,
      @JsonProperty("certificates") List<String> certificates,
      @JsonProperty("keys") List<String> keys,
      @JsonProperty("collateral") List<Collateral> collateral,
      @JsonProperty("signature") String signature,
      @JsonProperty("pcrs") JsonNode pcrs) {}

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
    example.put("evidence", Map.of("format", "sev-snp", "data", "<base64 report>", "certificates", List.of("<base64 DER or PEM VCEK>")));
    Route challenge = Route.post("/v1/challenge", Access.OPEN, "A fresh single-use nonce for attestation or proof of possession", null, call -> {
      Nonces.Issued issued = nonces.issue();
      return Reply.ok(new Challenge(issued.encoded(), issued.expiresAt().toString()));
    }).withMaxBody(4096);
    return List.of(challenge, new Route("POST", "/v1/attest", Access.OPEN,
        "Appraise evidence; answers a signed EAR bound to the TEE key (evidence report data = SHA-512(nonce || JWK thumbprint))",
        MAX_BODY, example, call -> {
          Attest body = call.body(Attest.class);
          AttestRequest request = toRequest(body);
          Appraiser.Outcome outcome = appraiser.attest(request);
          Map<String, Object> out = new LinkedHashMap<>();
          out.put("token", outcome.token());
          out.put("status", outcome.status().label());
          out.put("workload", body.workload());
          out.put("version", outcome.version());
          out.put("policy_revision", outcome.policyRevision());
          out.put("expires_at", outcome.expiresAt().toString());
          return Reply.ok(out);
        }));
  }

  static AttestRequest toRequest(Attest body) {
    if (body.instanceId() == null || body.instanceId().isBlank() || body.instanceId().length() > 256) {
      throw invalid("instance_id must have 1 to 256 characters");
    }
    if (body.workload() == null) {
      throw invalid("workload is required");
    }
    ECKey key;
    try {
      JWK jwk = JWK.parse(body.teeKey().toString());
      if (!(jwk instanceof ECKey ec)) {
        throw new ProblemException(AppraisalProblem.TEE_KEY_INVALID, "tee_key must be an EC JWK");
      }
      key = ec;
    } catch (java.text.ParseException | RuntimeException e) {
      if (e instanceof ProblemException problem) {
        throw problem;
      }
      throw new ProblemException(AppraisalProblem.TEE_KEY_INVALID, "tee_key is not a JWK");
    }
    byte[] nonce;
    try {
      nonce = Base64.getUrlDecoder().decode(body.nonce());
    } catch (IllegalArgumentException e) {
      throw new ProblemException(AppraisalProblem.NONCE_INVALID, "nonce must be base64url");
    }
    List<AttestRequest.Device> devices = new ArrayList<>();
    for (Evidence device : Optional.ofNullable(body.devices()).orElse(List.of())) {
      devices.add(new AttestRequest.Device(device.format(), input(device)));
    }
    if (devices.size() > 16) {
      throw invalid("at most 16 devices");
    }
    return new AttestRequest(body.workload(), body.instanceId(), body.evidence().format(), input(body.evidence()), key, nonce, devices);
  }

  static EvidenceInput input(Evidence evidence) {
    List<byte[]> certificates = new ArrayList<>();
    for (String certificate : Optional.ofNullable(evidence.certificates()).orElse(List.of())) {
      certificates.add(certificate.contains("-----BEGIN") ? certificate.getBytes(StandardCharsets.US_ASCII) : decode("evidence.certificates", certificate));
    }
    List<byte[]> keys = new ArrayList<>();
    for (String k : Optional.ofNullable(evidence.keys()).orElse(List.of())) {
      keys.add(k.strip().startsWith("{") || k.contains("-----BEGIN") ? k.getBytes(StandardCharsets.UTF_8) : decode("evidence.keys", k));
    }
    List<EvidenceInput.Collateral> collateral = new ArrayList<>();
    for (Collateral item : Optional.ofNullable(evidence.collateral()).orElse(List.of())) {
      collateral.add(new EvidenceInput.Collateral(item.name(), decode("evidence.collateral", item.data())));
    }
    return new EvidenceInput(decode("evidence.data", evidence.data()), certificates, keys, collateral,
        Optional.ofNullable(evidence.signature()).map(s -> decode("evidence.signature", s)),
        Optional.ofNullable(evidence.pcrs()).map(p -> p.toString().getBytes(StandardCharsets.UTF_8)));
  }

  /** Accepts standard or URL-safe base64, padded or not. */
  static byte[] decode(String field, String text) {
    try {
      String compact = text.replaceAll("\\s", "");
      return compact.indexOf('-') >= 0 || compact.indexOf('_') >= 0
          ? Base64.getUrlDecoder().decode(compact)
          : Base64.getDecoder().decode(compact);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw invalid(field + " must be base64");
    }
  }

  private static ProblemException invalid(String detail) {
    return new ProblemException(CommonProblem.INVALID_FIELD, detail);
  }
}
