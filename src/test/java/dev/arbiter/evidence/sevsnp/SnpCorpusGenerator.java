// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.sevsnp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;

/**
 * Writes the seed corpus of {@link SnpReportFuzzTest} (run once from the repository root; the
 * output is committed): a signed synthetic report, the same truncated, with another version, as an
 * extended report with a certificate table, and as configfs-tsm JSON.
 */
final class SnpCorpusGenerator {
  private SnpCorpusGenerator() {}

  public static void main(String[] args) throws IOException {
    Path base = Path.of("src/test/resources/dev/arbiter/evidence/sevsnp/SnpReportFuzzTestInputs");
    SnpFixtures.Pki pki = SnpFixtures.pki(Product.MILAN);
    SnpFixtures.KeyCert vcek =
        SnpFixtures.vcek(pki, SnpFixtures.chipId(Product.MILAN, 1), SnpFixtures.TCB);
    byte[] report =
        SnpFixtures.report(Product.MILAN)
            .reportData(new byte[] {1})
            .signedBy(vcek.key().getPrivate());
    byte[] der = SevSnpSchemeTest.der(vcek.certificate());
    byte[] table = certificateTable(der);
    byte[] extended = concat(report, table);
    String json =
        "{\"outblob\":\""
            + Base64.getUrlEncoder().withoutPadding().encodeToString(report)
            + "\",\"auxblob\":\""
            + Base64.getUrlEncoder().withoutPadding().encodeToString(table)
            + "\",\"provider\":\"sev_guest\\n\"}";
    for (String method : new String[] {"evidence", "evidenceAndCertificate"}) {
      Path dir = Files.createDirectories(base.resolve(method));
      boolean split = method.equals("evidenceAndCertificate");
      Files.write(dir.resolve("report-v5"), split ? withCertificate(report, der) : report);
      Files.write(
          dir.resolve("report-v2"), SnpFixtures.report(Product.MILAN).version(2).unsigned());
      Files.write(dir.resolve("truncated"), Arrays.copyOf(report, 700));
      Files.write(
          dir.resolve("extended"), split ? withCertificate(extended, new byte[0]) : extended);
      Files.write(dir.resolve("configfs-tsm.json"), json.getBytes(StandardCharsets.US_ASCII));
    }
  }

  /** The {@code evidenceAndCertificate} layout: u16 evidence length, evidence, certificate. */
  private static byte[] withCertificate(byte[] evidence, byte[] certificate) {
    byte[] prefix = {(byte) (evidence.length >>> 8), (byte) evidence.length};
    return concat(concat(prefix, evidence), certificate);
  }

  /** A GHCB certificate table with one VCEK entry. */
  static byte[] certificateTable(byte[] der) {
    byte[] table = new byte[48 + der.length];
    byte[] guid = dev.arbiter.internal.Hex.decode(CertificateTable.VCEK_GUID);
    System.arraycopy(guid, 0, table, 0, 16);
    writeU32(table, 16, 48);
    writeU32(table, 20, der.length);
    System.arraycopy(der, 0, table, 48, der.length);
    return table;
  }

  private static void writeU32(byte[] bytes, int offset, int value) {
    for (int i = 0; i < 4; i++) {
      bytes[offset + i] = (byte) (value >>> (8 * i));
    }
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
