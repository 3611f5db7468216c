// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.appraisal;

import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.problem.CommonProblem;
import dev.arbiter.problem.ProblemException;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One attestation: which workload and instance, the evidence with what came with it, the TEE's
 * public key (the results will be bound to it) and the nonce from {@code POST /v1/challenge}.
 * Everything untrusted is checked here, at the edge, before appraisal: identifiers (they end up in
 * fleet records and logs), the key, and the evidence size.
 */
public record AttestRequest(
    String workload,
    String instanceId,
    String format,
    EvidenceInput evidence,
    TeeKey teeKey,
    byte[] nonce,
    List<Device> devices) {

  /**
   * The one limit on evidence: the bytes of all evidence, certificates, keys, collateral,
   * signatures and PCR values of one attestation (CPU and devices), decoded. The route's body limit
   * is its base64 form plus the JSON envelope; the CLI checks it before sending.
   */
  public static final int MAX_EVIDENCE_BYTES = 6 * 1024 * 1024 - 64 * 1024;

  /** Devices per attestation at most. */
  public static final int MAX_DEVICES = 16;

  /** Workload names and instance ids: 1 to 128 characters of {@code [A-Za-z0-9._:@/-]}. */
  public static final int MAX_IDENTIFIER = 128;

  private static final Pattern IDENTIFIER =
      Pattern.compile("[A-Za-z0-9._:@/-]{1," + MAX_IDENTIFIER + "}");

  /** Evidence of a device the TEE uses (e.g. a GPU), appraised together with the CPU TEE. */
  public record Device(String format, EvidenceInput evidence) {
    public Device {
      Objects.requireNonNull(format, "format");
      Objects.requireNonNull(evidence, "evidence");
    }
  }

  public AttestRequest(
      String workload,
      String instanceId,
      String format,
      EvidenceInput evidence,
      TeeKey teeKey,
      byte[] nonce) {
    this(workload, instanceId, format, evidence, teeKey, nonce, List.of());
  }

  /**
   * @throws ProblemException {@link AppraisalProblem#INVALID_IDENTIFIER} for a bad workload or
   *     instance id, {@link CommonProblem#BODY_TOO_LARGE} over {@link #MAX_EVIDENCE_BYTES}, {@link
   *     CommonProblem#INVALID_FIELD} for too many devices
   */
  public AttestRequest {
    identifier("workload", workload);
    identifier("instance_id", instanceId);
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(evidence, "evidence");
    Objects.requireNonNull(teeKey, "teeKey");
    Objects.requireNonNull(nonce, "nonce");
    devices = List.copyOf(devices);
    if (devices.size() > MAX_DEVICES) {
      throw new ProblemException(
          CommonProblem.INVALID_FIELD, "at most " + MAX_DEVICES + " devices");
    }
    long size = size(evidence);
    for (Device device : devices) {
      size += size(device.evidence());
    }
    if (size > MAX_EVIDENCE_BYTES) {
      throw new ProblemException(
          CommonProblem.BODY_TOO_LARGE,
          "evidence of one attestation has at most " + MAX_EVIDENCE_BYTES + " bytes");
    }
    nonce = nonce.clone();
  }

  @Override
  public byte[] nonce() {
    return nonce.clone();
  }

  /** True when {@code text} is a valid workload name or instance id. */
  public static boolean isIdentifier(String text) {
    return text != null && IDENTIFIER.matcher(text).matches();
  }

  private static void identifier(String field, String text) {
    if (!isIdentifier(text)) {
      throw new ProblemException(
          AppraisalProblem.INVALID_IDENTIFIER,
          field + " must have 1 to " + MAX_IDENTIFIER + " characters of A-Z a-z 0-9 . _ : @ / -");
    }
  }

  /** The decoded bytes an evidence input carries. */
  public static long size(EvidenceInput input) {
    long size = input.evidence().length;
    for (byte[] certificate : input.certificates()) {
      size += certificate.length;
    }
    for (byte[] key : input.keys()) {
      size += key.length;
    }
    for (EvidenceInput.Collateral file : input.collateral()) {
      size += file.bytes().length;
    }
    size += input.signature().map(s -> s.length).orElse(0);
    size += input.pcrs().map(p -> p.length).orElse(0);
    size += input.eventLog().map(e -> e.length).orElse(0);
    return size;
  }
}
