// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.azure;

import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.evidence.EvidenceScheme;
import dev.arbiter.evidence.ExpectedBinding;
import dev.arbiter.evidence.SchemeDescriptor;
import dev.arbiter.evidence.VerificationContext;
import dev.arbiter.evidence.VerificationResult;
import dev.arbiter.evidence.tpm.TpmScheme;
import dev.arbiter.problem.Problem;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What both Azure CVM schemes share: the descriptor built from the hardware's and the vTPM's
 * claims, and {@link AzureVerification} with a typed problem for anything unexpected. Subclasses
 * name the hardware report (SNP or TDX). Pure and thread-safe.
 */
abstract class AzureScheme implements EvidenceScheme {
  private static final Logger LOG = LoggerFactory.getLogger(AzureScheme.class);

  private final Hardware hardware;
  private final TpmScheme tpm = TpmScheme.withoutCas();
  private final SchemeDescriptor descriptor;

  AzureScheme(String id, String mediaType, String summary, Hardware hardware) {
    this.hardware = Objects.requireNonNull(hardware, "hardware");
    this.descriptor =
        new SchemeDescriptor(
            id,
            "1.0",
            List.of(mediaType),
            AzureClaims.names(hardware.claimNames(), tpm.descriptor().claimNames()),
            AzureClaims.byteClaims(hardware.byteClaims(), tpm.descriptor().byteClaims()),
            summary,
            new SchemeDescriptor.BindingRule.Sha256OfB(),
            java.util.Optional.empty(),
            SchemeDescriptor.Kind.CPU,
            false);
  }

  @Override
  public final SchemeDescriptor descriptor() {
    return descriptor;
  }

  @Override
  public final VerificationResult verify(
      EvidenceInput input, ExpectedBinding binding, VerificationContext context) {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(binding, "binding");
    Objects.requireNonNull(context, "context");
    try {
      return AzureVerification.run(descriptor.id(), hardware, tpm, input, binding, context);
    } catch (RuntimeException e) {
      LOG.warn("{} verification failed unexpectedly", descriptor.id(), e);
      return VerificationResult.failed(
          descriptor.id(),
          Problem.of(
              EvidenceProblem.EVIDENCE_MALFORMED,
              "evidence could not be processed: " + e.getClass().getSimpleName()));
    }
  }
}
