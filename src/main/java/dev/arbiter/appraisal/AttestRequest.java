// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.appraisal;

import com.nimbusds.jose.jwk.ECKey;
import dev.arbiter.evidence.EvidenceInput;
import java.util.Objects;

/**
 * One attestation: which workload and instance, the evidence with what came with it, the TEE's
 * public key (the results will be bound to it) and the nonce from {@code POST /v1/challenge}.
 */
public record AttestRequest(
    String workload, String instanceId, String format, EvidenceInput evidence, ECKey teeKey, byte[] nonce, java.util.List<Device> devices) {

  /** Evidence of a device the TEE uses (e.g. a GPU), appraised together with the CPU TEE. */
  public record Device(String format, EvidenceInput evidence) {}

  public AttestRequest(String workload, String instanceId, String format, EvidenceInput evidence, ECKey teeKey, byte[] nonce) {
    this(workload, instanceId, format, evidence, teeKey, nonce, java.util.List.of());
  }

  public AttestRequest {
    devices = java.util.List.copyOf(devices);
    Objects.requireNonNull(workload, "workload");
    Objects.requireNonNull(instanceId, "instanceId");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(evidence, "evidence");
    Objects.requireNonNull(teeKey, "teeKey");
    Objects.requireNonNull(nonce, "nonce");
  }
}
