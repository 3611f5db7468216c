// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.arbiter.internal.Json;
import dev.arbiter.supplychain.osv.AdvisoryIndex;
import dev.arbiter.supplychain.osv.Scanner;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Any bytes as a version's provenance or SBOM give a verdict whose reasons are typed problems; the
 * evaluation never throws (registration turns the reasons into a 422 and stores nothing).
 */
class AdmissionFuzzTest {
  private static final SupplyChainFixture.Builder BUILDER =
      SupplyChainFixture.Builder.create("https://builders.test/fuzz@v1");
  private static final SupplyChainPolicy POLICY =
      SupplyChainPolicy.parse(
          Json.mapper()
              .valueToTree(
                  Map.of(
                      "builder_ids",
                      List.of(BUILDER.id()),
                      "keys",
                      List.of(BUILDER.publicPem()),
                      "cel",
                      "builder_id != ''")));
  private static final Scanner SCANNER = new Scanner(new AdvisoryIndex());
  private static final String SHA = "ab".repeat(32);

  @FuzzTest(maxDuration = "30s")
  void evaluate_anyDocuments_verdictNeverThrows(byte[] data) {
    Admission.Verdict asSbom =
        Admission.evaluate(
            POLICY,
            new Admission.Input(Optional.of("sha256:" + SHA), List.of(), Optional.of(data)),
            SCANNER,
            Clock.systemUTC());
    Admission.Verdict asProvenance =
        Admission.evaluate(
            POLICY,
            new Admission.Input(Optional.empty(), List.of(data), Optional.empty()),
            SCANNER,
            Clock.systemUTC());
    if (asSbom.admissible() && asSbom.sbom().isEmpty()
        || asProvenance.reasons().isEmpty() && !asProvenance.provenance().get(0).counted()) {
      throw new AssertionError("a verdict without reasons must rest on what was verified");
    }
  }
}
