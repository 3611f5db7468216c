// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.sevsnp;

import dev.arbiter.crypto.Certificates;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads AMD's public KDS chains shipped in {@code amd-roots/} (copied from google/go-sev-guest
 * {@code verify/trust/}; identical in virtee/sev and confidential-containers/trustee) and refuses
 * to start when a certificate's SHA-256 fingerprint differs from the constant below.
 */
final class PinnedAmdRoots {
  private record Pin(
      Product product,
      SigningKey kind,
      String file,
      String intermediateSha256,
      String rootSha256) {}

  static final String ARK_MILAN =
      "69d063b45344d26a2e94e1f4210de49ef555308287d4c174445c95639a540bcd";
  static final String ARK_GENOA =
      "4c6598d19c18719c5dfd4a7d335f674e5bfe1d8f800cea2cf270c10d103db2f1";
  static final String ARK_TURIN =
      "1f084161a44bb6d93778a904877d4819cafa5d05ef4193b2ded9dd9c73dd3f6a";

  private static final List<Pin> PINS =
      List.of(
          new Pin(
              Product.MILAN,
              SigningKey.VCEK,
              "ask_ark_milan.pem",
              "67d303bd3905fd38db8b20e0793699870e7fa612eaad5dec358293fd8c0bac1b",
              ARK_MILAN),
          new Pin(
              Product.GENOA,
              SigningKey.VCEK,
              "ask_ark_genoa.pem",
              "5464738c1546aed5f2cecf1dc98c5c960a92e8913238a61711bc90ec6e828521",
              ARK_GENOA),
          new Pin(
              Product.TURIN,
              SigningKey.VCEK,
              "ask_ark_turin_vcek.pem",
              "5b77ef5fe7a7a004fd9032668fba9d0fda22f88c4442069a479636a6ae3b3185",
              ARK_TURIN),
          new Pin(
              Product.MILAN,
              SigningKey.VLEK,
              "ask_ark_milan_vlek.pem",
              "c5e081f59b7efab1fe2f8b505e159704e72f29cab7ef7cf628a05a42439082f5",
              ARK_MILAN),
          new Pin(
              Product.GENOA,
              SigningKey.VLEK,
              "ask_ark_genoa_vlek.pem",
              "197e610743a917d6b9bb982a5a9226ccc0a15b611be0619e626aca9151457372",
              ARK_GENOA),
          new Pin(
              Product.TURIN,
              SigningKey.VLEK,
              "ask_ark_turin_vlek.pem",
              "104e10a8bd060a3c20a434261a57d0588fd65a88915b4f65b08bdecaf8df1a3c",
              ARK_TURIN));

  private PinnedAmdRoots() {}

  static AmdTrust load() {
    List<AmdTrust.Anchor> anchors = new ArrayList<>();
    for (Pin pin : PINS) {
      List<X509Certificate> certificates = read(pin.file());
      if (certificates.size() != 2) {
        throw new IllegalStateException(
            "amd-roots/" + pin.file() + " must hold the intermediate and the ARK");
      }
      check(pin.file(), certificates.get(0), pin.intermediateSha256());
      check(pin.file(), certificates.get(1), pin.rootSha256());
      anchors.add(
          new AmdTrust.Anchor(pin.product(), pin.kind(), certificates.get(0), certificates.get(1)));
    }
    return AmdTrust.of(anchors);
  }

  static void check(String file, X509Certificate certificate, String expected) {
    String actual = Certificates.fingerprint(certificate);
    if (!actual.equals(expected)) {
      throw new IllegalStateException(
          "pinned AMD certificate in amd-roots/"
              + file
              + " has SHA-256 "
              + actual
              + ", expected "
              + expected
              + ": refusing to use it");
    }
  }

  private static List<X509Certificate> read(String file) {
    try (InputStream in = PinnedAmdRoots.class.getResourceAsStream("amd-roots/" + file)) {
      if (in == null) {
        throw new IllegalStateException("missing resource amd-roots/" + file);
      }
      return Certificates.parse(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (CertificateException e) {
      throw new IllegalStateException("cannot parse amd-roots/" + file, e);
    }
  }
}
