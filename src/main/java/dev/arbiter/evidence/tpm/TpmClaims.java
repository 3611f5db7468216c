// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.tpm;

import dev.arbiter.internal.Hex;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Claim names and the mapping from a verified quote to claims (documented in README.md). */
final class TpmClaims {
  private TpmClaims() {}

  static final List<String> NAMES = names();

  /**
   * The byte-string claims and their lengths: the constant magic, the 8-byte firmware version, the
   * pcrDigest and PCR values (a digest of their bank), the AK's SHA-256 and TPM Name (nameAlg and a
   * digest), and the event log's digests. {@code qualified_signer} and {@code extra_data} are left
   * out: a quote may carry any length up to 66 and 64 bytes (an empty one too). {@code
   * ak.certificate.serial} is a hex number, not a byte string.
   */
  static final Map<String, Set<Integer>> BYTE_CLAIMS = byteClaims();

  private static List<String> names() {
    List<String> names =
        new ArrayList<>(
            List.of(
                "magic",
                "type",
                "qualified_signer",
                "extra_data",
                "clock",
                "reset_count",
                "restart_count",
                "safe",
                "firmware_version",
                "pcr_digest",
                "pcr_selection",
                "signature.scheme",
                "signature.hash",
                "ak.source",
                "ak.key_sha256",
                "ak.name",
                "ak.certificate.subject",
                "ak.certificate.issuer",
                "ak.certificate.serial",
                "ak.certificate.not_after",
                "revocation",
                "quote_count",
                "container"));
    names.addAll(dev.arbiter.evidence.eventlog.EventLogs.claimNames());
    for (TpmAlg bank : TpmAlg.values()) {
      for (int pcr = 0; pcr <= PcrValues.MAX_PCR; pcr++) {
        names.add("pcrs." + bank.bank() + ".pcr" + pcr);
        names.add(flatName(bank, pcr));
      }
    }
    return List.copyOf(names);
  }

  private static Map<String, Set<Integer>> byteClaims() {
    Set<Integer> digests = new TreeSet<>();
    Set<Integer> names = new TreeSet<>();
    for (TpmAlg alg : TpmAlg.values()) {
      digests.add(alg.size);
      names.add(2 + alg.size);
    }
    Map<String, Set<Integer>> out = new LinkedHashMap<>();
    out.put("magic", Set.of(4));
    out.put("firmware_version", Set.of(8));
    out.put("pcr_digest", digests);
    out.put("ak.key_sha256", Set.of(32));
    out.put("ak.name", names);
    out.putAll(dev.arbiter.evidence.eventlog.EventLogs.byteClaims());
    for (TpmAlg bank : TpmAlg.values()) {
      for (int pcr = 0; pcr <= PcrValues.MAX_PCR; pcr++) {
        out.put("pcrs." + bank.bank() + ".pcr" + pcr, Set.of(bank.size));
        out.put(flatName(bank, pcr), Set.of(bank.size));
      }
    }
    return java.util.Collections.unmodifiableMap(out);
  }

  /**
   * {@code pcrN} for the SHA-256 bank, {@code <bank>:pcrN} for the others (reference-values names).
   */
  static String flatName(TpmAlg bank, int pcr) {
    return bank == TpmAlg.SHA256 ? "pcr" + pcr : bank.bank() + ":pcr" + pcr;
  }

  static Map<String, Object> quote(TpmsAttest attest) {
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("magic", "ff544347");
    claims.put("type", "quote");
    claims.put("qualified_signer", attest.qualifiedSigner());
    claims.put("extra_data", attest.extraData());
    claims.put("clock", attest.clock());
    claims.put("reset_count", attest.resetCount());
    claims.put("restart_count", attest.restartCount());
    claims.put("safe", attest.safe());
    claims.put("firmware_version", attest.firmwareVersion());
    claims.put("pcr_digest", attest.pcrDigest());
    Map<String, Object> selection = new LinkedHashMap<>();
    for (PcrSelection select : attest.pcrSelect()) {
      selection.put(select.bank().bank(), select.pcrs());
    }
    claims.put("pcr_selection", selection);
    return claims;
  }

  /** Adds {@code pcrs.<bank>.pcrN} and the flat names for every quoted (hence verified) PCR. */
  static void pcrs(TpmsAttest attest, PcrValues values, Map<String, Object> claims) {
    Map<String, Object> banks = new LinkedHashMap<>();
    for (PcrSelection select : attest.pcrSelect()) {
      @SuppressWarnings("unchecked")
      Map<String, Object> bank =
          (Map<String, Object>)
              banks.computeIfAbsent(select.bank().bank(), b -> new LinkedHashMap<>());
      for (int pcr : select.pcrs()) {
        String value = Hex.encode(values.banks().get(select.bank()).get(pcr));
        bank.put("pcr" + pcr, value);
        claims.put(flatName(select.bank(), pcr), value);
      }
    }
    claims.put("pcrs", banks);
  }
}
