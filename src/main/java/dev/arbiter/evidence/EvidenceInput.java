// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Evidence and what came with it. Byte arrays are not copied (they can be large); callers must not
 * mutate them after handing them over.
 *
 * @param evidence the evidence, already decoded from hex or base64 text when it was given so (a
 *     scheme may still accept its own JSON container form)
 * @param certificates each supplied certificate file (PEM with one or more blocks, or DER)
 * @param keys each supplied verification key (PEM SPKI, JWK, TPMT_PUBLIC, or a JSON list of them)
 * @param collateral supplied collateral files, directories already expanded
 * @param signature a detached signature (TPM), if any
 * @param pcrs PCR values JSON (TPM), if any
 * @param eventLog a TCG event log (TPM PC Client crypto-agile log, TDX CCEL), if any
 */
public record EvidenceInput(
    byte[] evidence,
    List<byte[]> certificates,
    List<byte[]> keys,
    List<Collateral> collateral,
    Optional<byte[]> signature,
    Optional<byte[]> pcrs,
    Optional<byte[]> eventLog) {

  /** One collateral file: its name (for messages and type sniffing) and bytes. */
  public record Collateral(String name, byte[] bytes) {
    public Collateral {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(bytes, "bytes");
    }
  }

  public EvidenceInput {
    Objects.requireNonNull(evidence, "evidence");
    certificates = List.copyOf(certificates);
    keys = List.copyOf(keys);
    collateral = List.copyOf(collateral);
    Objects.requireNonNull(signature, "signature");
    Objects.requireNonNull(pcrs, "pcrs");
    Objects.requireNonNull(eventLog, "eventLog");
  }

  /** Without an event log. */
  public EvidenceInput(
      byte[] evidence,
      List<byte[]> certificates,
      List<byte[]> keys,
      List<Collateral> collateral,
      Optional<byte[]> signature,
      Optional<byte[]> pcrs) {
    this(evidence, certificates, keys, collateral, signature, pcrs, Optional.empty());
  }

  /** Evidence alone. */
  public static EvidenceInput of(byte[] evidence) {
    return new EvidenceInput(
        evidence, List.of(), List.of(), List.of(), Optional.empty(), Optional.empty());
  }

  public EvidenceInput withCertificates(List<byte[]> more) {
    return new EvidenceInput(evidence, more, keys, collateral, signature, pcrs, eventLog);
  }

  public EvidenceInput withKeys(List<byte[]> more) {
    return new EvidenceInput(evidence, certificates, more, collateral, signature, pcrs, eventLog);
  }

  public EvidenceInput withCollateral(List<Collateral> more) {
    return new EvidenceInput(evidence, certificates, keys, more, signature, pcrs, eventLog);
  }

  public EvidenceInput withSignature(byte[] value) {
    return new EvidenceInput(
        evidence, certificates, keys, collateral, Optional.of(value), pcrs, eventLog);
  }

  public EvidenceInput withPcrs(byte[] value) {
    return new EvidenceInput(
        evidence, certificates, keys, collateral, signature, Optional.of(value), eventLog);
  }

  public EvidenceInput withEventLog(byte[] value) {
    return new EvidenceInput(
        evidence, certificates, keys, collateral, signature, pcrs, Optional.of(value));
  }
}
