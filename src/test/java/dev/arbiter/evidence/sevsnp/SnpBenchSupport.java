// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.sevsnp;

/** Package-private pieces the SNP benchmark (in {@code dev.arbiter.bench}) needs. */
public final class SnpBenchSupport {
  private SnpBenchSupport() {}

  /** A scheme over the test PKI, a signed report and its VCEK (DER). */
  public record Fixture(SevSnpScheme scheme, byte[] report, byte[] vcekDer) {}

  public static Fixture fixture(Product product) {
    SnpFixtures.Pki pki = SnpFixtures.pki(product);
    TcbVersion tcb = product == Product.TURIN ? SnpFixtures.TURIN_TCB : SnpFixtures.TCB;
    SnpFixtures.KeyCert vcek = SnpFixtures.vcek(pki, SnpFixtures.chipId(product, 1), tcb);
    byte[] report = SnpFixtures.report(product).signedBy(vcek.key().getPrivate());
    return new Fixture(pki.scheme(), report, SevSnpSchemeTest.der(vcek.certificate()));
  }

  /** The report's signature in IEEE P1363 form. */
  public static byte[] p1363(byte[] report) {
    return ReportSignature.toP1363(report);
  }
}
