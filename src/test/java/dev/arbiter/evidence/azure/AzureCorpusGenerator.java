// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.azure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Writes the seed corpus of {@link AzureFuzzTest} (run once from the repository root; the output is
 * committed): generated SNP and TDX HCL reports, a truncated one, trustee JSON evidence, and vTPM
 * quotes in JSON and bincode form.
 */
final class AzureCorpusGenerator {
  private AzureCorpusGenerator() {}

  public static void main(String[] args) throws IOException {
    Path base = Path.of("src/test/resources/dev/arbiter/evidence/azure/AzureFuzzTestInputs");
    AzureFixtures.Spec small = AzureFixtures.spec();
    small.runtimeJson =
        "{\"keys\":["
            + AzureFixtures.jwk(
                AzureFixtures.AK, "HCLAkPub", com.nimbusds.jose.jwk.KeyOperation.SIGN)
            + "]}";
    AzureFixtures.Built snp = AzureFixtures.build(small);
    AzureFixtures.Spec tdxSpec = AzureFixtures.spec().tdx();
    tdxSpec.runtimeJson = small.runtimeJson;
    AzureFixtures.Built tdx = AzureFixtures.build(tdxSpec);
    Path hcl = Files.createDirectories(base.resolve("hclReport"));
    Files.write(hcl.resolve("snp"), snp.hcl());
    Files.write(hcl.resolve("tdx"), tdx.hcl());
    Files.write(hcl.resolve("truncated"), Arrays.copyOf(snp.hcl(), 1300));
    Path container = Files.createDirectories(base.resolve("container"));
    Files.write(container.resolve("evidence-snp.json"), snp.evidenceJson());
    Files.write(container.resolve("quote.json"), snp.quoteJson().getBytes(StandardCharsets.UTF_8));
    Files.write(
        container.resolve("quote.bincode"),
        VtpmQuoteBuilder.bincode(
            snp.quoteSignature(), snp.quoteMessage(), snp.pcrs().subList(0, 24)));
    Files.writeString(
        container.resolve("v0-arrays.json"),
        "{\"hcl_report\":[72,67,76,65,1,0,0,0],\"tpm_quote\":{\"signature\":[1,2],\"message\":[255],\"pcrs\":[[0]]}}");
    Files.writeString(container.resolve("byte-array.json"), BYTE_ARRAY);
    Files.writeString(container.resolve("v2.json"), V2);
  }

  /** The SNP agent's byte-array form, minimal. */
  static final String BYTE_ARRAY =
      "{\"quote\":{\"signature\":[1,2],\"message\":[255],\"pcrs\":[["
          + String.join(",", java.util.Collections.nCopies(32, "0"))
          + "]]},\"report\":[72,67,76,65,1,0,0,0],"
          + "\"vcek\":\"-----BEGIN CERTIFICATE-----\\nMA==\\n-----END CERTIFICATE-----\\n\"}";

  /** Trustee v2, minimal. */
  static final String V2 =
      "{\"version\":2,\"hcl_report\":\"SENMQQEAAAA\",\"tpm_quote\":"
          + "{\"signature\":\"0102\",\"message\":\"ff\",\"pcrs\":[]}}";
}
