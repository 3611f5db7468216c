// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.azure;

import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.evidence.ExpectedBinding;
import dev.arbiter.evidence.VerificationContext;
import dev.arbiter.evidence.VerificationResult;
import dev.arbiter.evidence.tpm.TpmScheme;
import dev.arbiter.internal.Hex;
import dev.arbiter.internal.Json;
import dev.arbiter.problem.Problem;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The vTPM half: the quote's TPMS_ATTEST must be signed by HCLAkPub from the (hardware-bound)
 * runtime data, its pcrDigest must recompute from the PCR values, and its extraData must equal the
 * expected binding. All three are checked by {@link TpmScheme} with HCLAkPub as the caller-vouched
 * key; this class maps Azure's index-less PCR list onto the quote's selection.
 */
final class VtpmCheck {
  private VtpmCheck() {}

  /**
   * The TPM scheme's result, with problem details prefixed; empty PCR claims unless they verified.
   */
  static VerificationResult verify(
      TpmScheme tpm,
      VtpmQuote quote,
      RuntimeData runtime,
      Optional<byte[]> pcrsOverride,
      ExpectedBinding binding,
      VerificationContext context,
      List<Problem> problems) {
    EvidenceInput input =
        EvidenceInput.of(quote.message())
            .withKeys(List.of(runtime.akJwk().getBytes(StandardCharsets.UTF_8)))
            .withSignature(quote.signature());
    Optional<byte[]> pcrs = pcrsOverride.or(() -> pcrJson(quote, problems));
    if (pcrs.isPresent()) {
      input = input.withPcrs(pcrs.get());
    }
    VerificationResult result = tpm.verify(input, binding, context);
    for (Problem problem : result.problems()) {
      problems.add(Problem.of(problem.type(), "vTPM quote: " + problem.detail()));
    }
    return result;
  }

  /**
   * The quote's PCR list as the TPM scheme's {@code --pcrs} JSON, values assigned to the selected
   * PCRs in selection order. Empty (and a problem) when the counts differ; empty without a problem
   * when the quote does not parse (the TPM scheme reports that).
   */
  static Optional<byte[]> pcrJson(VtpmQuote quote, List<Problem> problems) {
    Optional<List<Map.Entry<String, List<Integer>>>> selection =
        TpmScheme.quotedPcrs(quote.message());
    if (selection.isEmpty()) {
      return Optional.empty();
    }
    int selected = selection.get().stream().mapToInt(entry -> entry.getValue().size()).sum();
    if (selected != quote.pcrs().size()) {
      problems.add(
          Problem.of(
              EvidenceProblem.MEASUREMENT_MISMATCH,
              "vTPM quote: it selects "
                  + selected
                  + " PCRs but "
                  + quote.pcrs().size()
                  + " PCR values came with it"));
      return Optional.empty();
    }
    Map<String, Map<String, String>> banks = new LinkedHashMap<>();
    int next = 0;
    for (Map.Entry<String, List<Integer>> entry : selection.get()) {
      Map<String, String> bank =
          banks.computeIfAbsent(entry.getKey(), name -> new LinkedHashMap<>());
      for (int pcr : entry.getValue()) {
        bank.put(Integer.toString(pcr), Hex.encode(quote.pcrs().get(next++)));
      }
    }
    return Optional.of(Json.write(banks).getBytes(StandardCharsets.UTF_8));
  }
}
