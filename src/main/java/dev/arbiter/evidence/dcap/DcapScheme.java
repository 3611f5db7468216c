// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.dcap;

import dev.arbiter.evidence.Claims;
import dev.arbiter.evidence.CollateralCheck;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.EvidenceScheme;
import dev.arbiter.evidence.ExpectedBinding;
import dev.arbiter.evidence.SchemeDescriptor;
import dev.arbiter.evidence.VerificationContext;
import dev.arbiter.evidence.VerificationResult;
import java.util.List;
import java.util.Objects;

/**
 * What the TDX and SGX schemes share: DCAP verification of one TEE type against a {@link DcapTrust}
 * and the import check of Intel collateral. Subclasses only map the verified quote to claims.
 * Thread-safe.
 */
public abstract class DcapScheme implements EvidenceScheme {
  private final DcapTrust trust;
  private final SchemeDescriptor descriptor;
  private final long teeType;

  protected DcapScheme(DcapTrust trust, SchemeDescriptor descriptor, long teeType) {
    this.trust = Objects.requireNonNull(trust, "trust");
    this.descriptor = Objects.requireNonNull(descriptor, "descriptor");
    this.teeType = teeType;
  }

  @Override
  public final SchemeDescriptor descriptor() {
    return descriptor;
  }

  @Override
  public final VerificationResult verify(
      EvidenceInput input, ExpectedBinding binding, VerificationContext context) {
    DcapVerification verification = DcapVerifier.verify(trust, input, binding, context, teeType);
    return complete(
        new VerificationResult(descriptor.id(), claimsOf(verification), verification.problems()),
        input,
        verification);
  }

  /**
   * Adds what the scheme derives beyond the quote (TDX: CC event-log replay against the RTMRs).
   * Called with every result; the default returns it unchanged.
   */
  protected VerificationResult complete(
      VerificationResult result, EvidenceInput input, DcapVerification verification) {
    return result;
  }

  /** The claims of a (possibly partial) verification; empty when no quote was parsed. */
  protected abstract Claims claimsOf(DcapVerification verification);

  @Override
  public final List<CollateralCheck> checkCollateral(
      List<EvidenceInput.Collateral> files, VerificationContext context) {
    return DcapCollateral.check(trust, files, context.now());
  }
}
