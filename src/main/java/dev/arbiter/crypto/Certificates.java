// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.crypto;

import dev.arbiter.internal.Encodings;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CRLException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsing of X.509 certificates and CRLs from PEM (one or many blocks) or DER. Thread-safe. */
public final class Certificates {
  private static final Pattern PEM =
      Pattern.compile(
          "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----", Pattern.DOTALL);

  private Certificates() {}

  /** A PEM block: its label and decoded bytes. */
  public record PemBlock(String label, byte[] der) {}

  /** All PEM blocks in the text, in order. Empty when there are none. */
  public static List<PemBlock> pemBlocks(String text) {
    List<PemBlock> blocks = new ArrayList<>();
    Matcher matcher = PEM.matcher(text);
    while (matcher.find()) {
      // PEM wraps its base64 body in lines (RFC 7468): white space is stripped, the rest is strict.
      String body = Encodings.withoutWhitespace(matcher.group(2));
      blocks.add(new PemBlock(matcher.group(1), Encodings.base64(body)));
    }
    return blocks;
  }

  /** True when the bytes look like PEM text. */
  public static boolean isPem(byte[] bytes) {
    String head = new String(bytes, 0, Math.min(bytes.length, 4096), StandardCharsets.US_ASCII);
    return head.contains("-----BEGIN ");
  }

  /**
   * Parses certificates from PEM (every CERTIFICATE block, in order) or from one DER certificate.
   *
   * @throws CertificateException when the input holds no parseable certificate
   */
  public static List<X509Certificate> parse(byte[] bytes) throws CertificateException {
    List<X509Certificate> out = new ArrayList<>();
    if (isPem(bytes)) {
      for (PemBlock block : pemBlocks(new String(bytes, StandardCharsets.US_ASCII))) {
        if (block.label().equals("CERTIFICATE")) {
          out.add(parseDer(block.der()));
        }
      }
      if (out.isEmpty()) {
        throw new CertificateException("no CERTIFICATE block in PEM input");
      }
      return out;
    }
    out.add(parseDer(bytes));
    return out;
  }

  public static X509Certificate parseDer(byte[] der) throws CertificateException {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(der));
    } catch (RuntimeException e) {
      throw new CertificateException("malformed certificate: " + e.getMessage(), e);
    }
  }

  /** Parses CRLs from PEM (every X509 CRL block) or one DER CRL. */
  public static List<X509CRL> parseCrls(byte[] bytes) throws CRLException {
    List<X509CRL> out = new ArrayList<>();
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      if (isPem(bytes)) {
        for (PemBlock block : pemBlocks(new String(bytes, StandardCharsets.US_ASCII))) {
          if (block.label().equals("X509 CRL")) {
            out.add((X509CRL) factory.generateCRL(new ByteArrayInputStream(block.der())));
          }
        }
      } else {
        out.add((X509CRL) factory.generateCRL(new ByteArrayInputStream(bytes)));
      }
    } catch (CertificateException | RuntimeException e) {
      throw new CRLException("malformed CRL: " + e.getMessage(), e);
    }
    if (out.isEmpty()) {
      throw new CRLException("no X509 CRL block in PEM input");
    }
    return out;
  }

  /** SHA-256 of the certificate's DER encoding, lowercase hex. */
  public static String fingerprint(X509Certificate certificate) {
    try {
      return HexFormat.of().formatHex(Digests.sha256(certificate.getEncoded()));
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** PEM text for a certificate. */
  public static String toPem(X509Certificate certificate) {
    try {
      return "-----BEGIN CERTIFICATE-----\n"
          + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate.getEncoded())
          + "\n-----END CERTIFICATE-----\n";
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }
}
