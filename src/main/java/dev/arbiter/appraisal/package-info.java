// SPDX-License-Identifier: Apache-2.0
/**
 * Appraisal: turns one attestation (evidence, TEE key, nonce) into a signed EAR or a typed refusal.
 *
 * <p><b>Owns.</b> The attest pipeline ({@link dev.arbiter.appraisal.Appraiser}: nonce, dev gate,
 * evidence verification and key binding, version matching, configuration digest, devices, CEL
 * policy, trustworthiness vector, EAR), its sealed result ({@link
 * dev.arbiter.appraisal.AppraisalOutcome}), the {@link dev.arbiter.appraisal.Decision} stream every
 * appraisal reports to a constructor-injected {@link dev.arbiter.appraisal.DecisionSink} (fleet
 * record via {@link dev.arbiter.appraisal.FleetFeed}, metrics, later the transparency log), the
 * stateless {@link dev.arbiter.appraisal.Nonces} (accepted at most once, only by the process that
 * minted them: see README.md), the policy cache and the asynchronous fleet recorder.
 *
 * <p><b>Invariants.</b> The hot path issues no SQL and no other I/O: policy comes from memory (the
 * cache), fleet records and other decision consumers queue. Every untrusted input is checked at the
 * edge ({@link dev.arbiter.appraisal.AttestRequest}, {@link dev.arbiter.appraisal.TeeKey}):
 * identifiers, key, one evidence size limit. Nothing here switches on a format id: what is
 * format-specific (binding rule, configuration claim, device or CPU, dev-only) is read from the
 * scheme's {@link dev.arbiter.evidence.SchemeDescriptor}. Only decisions whose evidence was
 * verified reach the fleet record. Time comes from an injected {@link java.time.Clock}.
 *
 * <p><b>May depend on.</b> {@code evidence} (the SPI, never a scheme package), {@code policy}
 * (reference values, CEL), {@code token}, {@code crypto}, {@code internal}, {@code problem}, and
 * {@code store} for the cache and recorder only. Nothing in the domain layer depends on it except
 * its transports ({@code appraisal.http}, {@code cli}) and the server's wiring.
 */
package dev.arbiter.appraisal;
