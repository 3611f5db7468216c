// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.azure;

import com.nimbusds.jose.jwk.KeyOperation;
import com.nimbusds.jose.jwk.RSAKey;
import dev.arbiter.crypto.CertBuilder;
import dev.arbiter.crypto.Digests;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.dcap.DcapFixtures;
import dev.arbiter.evidence.sevsnp.Product;
import dev.arbiter.evidence.sevsnp.SnpFixtures;
import dev.arbiter.internal.Hex;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Generated Azure CVM evidence: a test HCLAkPub RSA key in synthetic runtime data, an HCL report
 * whose hardware report (an SNP report signed by {@link SnpFixtures}' test AMD PKI, or a TDREPORT
 * matching a TD quote from {@link DcapFixtures}' test Intel PKI) carries SHA-256(runtime data) as
 * report data, and a vTPM quote signed by that AK with extraData "challenge". Each knob breaks one
 * rule for a {@code bad-<what>} case.
 */
final class AzureFixtures {
  static final byte[] NONCE = "challenge".getBytes(StandardCharsets.US_ASCII);
  static final KeyPair AK = CertBuilder.rsaKeyPair(2048);
  static final KeyPair EK = CertBuilder.rsaKeyPair(2048);
  static final KeyPair OTHER_AK = CertBuilder.rsaKeyPair(2048);
  static final byte[] MEASUREMENT = DcapFixtures.filled(48, 0x6a);
  static final DcapFixtures DCAP = DcapFixtures.create();

  /** One generated piece of evidence and its parts. */
  record Built(
      byte[] hcl,
      byte[] quoteSignature,
      byte[] quoteMessage,
      List<byte[]> pcrs,
      byte[] vcekDer,
      byte[] tdQuote) {
    String quoteJson() {
      return VtpmQuoteBuilder.json(quoteSignature, quoteMessage, pcrs);
    }

    /** trustee's evidence-v1.json form (SNP: with vcek; TDX: with td_quote). */
    byte[] evidenceJson() {
      return evidenceJson(1);
    }

    /** Trustee's v1/v2 form: base64url HCL report and hardware part, hex vTPM quote. */
    byte[] evidenceJson(int version) {
      Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
      String hardware =
          vcekDer != null
              ? ",\"vcek\":\"" + url.encodeToString(vcekDer) + "\""
              : ",\"td_quote\":\"" + url.encodeToString(tdQuote) + "\"";
      return ("{\"version\":"
              + version
              + ",\"hcl_report\":\""
              + url.encodeToString(hcl)
              + "\",\"tpm_quote\":"
              + quoteJson()
              + hardware
              + "}")
          .getBytes(StandardCharsets.UTF_8);
    }

    EvidenceInput input() {
      return EvidenceInput.of(evidenceJson());
    }

    /** The unversioned v0 form: the v1 member names, every byte field a JSON integer array. */
    byte[] v0Json() {
      String hardware =
          vcekDer != null ? ",\"vcek\":" + array(vcekDer) : ",\"td_quote\":" + array(tdQuote);
      return ("{\"tpm_quote\":" + arrayQuote() + ",\"hcl_report\":" + array(hcl) + hardware + "}")
          .getBytes(StandardCharsets.UTF_8);
    }

    /** The SNP agent's byte-array form: {@code quote} and {@code report} arrays, PEM vcek. */
    byte[] byteArrayJson() {
      return AzureFixtures.byteArrayJson(arrayQuote(), array(hcl), pem(vcekDer));
    }

    String arrayQuote() {
      return "{\"signature\":"
          + array(quoteSignature)
          + ",\"message\":"
          + array(quoteMessage)
          + ",\"pcrs\":["
          + String.join(",", pcrs.stream().map(AzureFixtures::array).toList())
          + "]}";
    }
  }

  /** What to build; defaults give valid evidence. */
  static final class Spec {
    boolean tdx;
    int hashType = 1;
    String runtimeJson = runtimeJson(AK, "26F8BC30-774E-4290-8E7A-535F3B672AEE");
    boolean badRuntimeHash;
    boolean badSnpSignature;
    KeyPair quoteSigner = AK;
    byte[] extraData = NONCE;
    boolean badPcrValue;
    UnaryOperator<HclReportBuilder> hcl = UnaryOperator.identity();
    UnaryOperator<byte[]> tdReport = UnaryOperator.identity();
    boolean badTdQuoteSignature;

    Spec tdx() {
      tdx = true;
      return this;
    }
  }

  private AzureFixtures() {}

  static Spec spec() {
    return new Spec();
  }

  static Built build(Spec spec) {
    byte[] runtime = spec.runtimeJson.getBytes(StandardCharsets.UTF_8);
    byte[] hash =
        switch (spec.hashType) {
          case 2 -> Digests.sha384(runtime);
          case 3 -> Digests.sha512(runtime);
          default -> Digests.sha256(runtime);
        };
    if (spec.badRuntimeHash) {
      hash[0] ^= 1;
    }
    HclReportBuilder hcl = new HclReportBuilder().runtime(runtime).hashType(spec.hashType);
    byte[] vcek = null;
    byte[] tdQuote = null;
    if (spec.tdx) {
      var quote = DCAP.tdxQuote().reportData(hash);
      if (spec.badTdQuoteSignature) {
        quote.badQuoteSignature();
      }
      tdQuote = quote.build();
      hcl.reportType(4).hardware(spec.tdReport.apply(tdReportFor(tdQuote)));
    } else {
      SnpFixtures.Evidence snp =
          SnpFixtures.signedReport(Product.MILAN, 7, hash, MEASUREMENT, new byte[32]);
      byte[] report = snp.report().clone();
      if (spec.badSnpSignature) {
        report[0x90] ^= 1; // measurement, covered by the signature
      }
      hcl.hardware(report);
      vcek = snp.vcekDer();
    }
    List<byte[]> pcrs = VtpmQuoteBuilder.pcrs();
    byte[] message = VtpmQuoteBuilder.attest(spec.extraData, pcrs);
    byte[] signature = VtpmQuoteBuilder.sign(spec.quoteSigner.getPrivate(), message);
    if (spec.badPcrValue) {
      pcrs.get(7)[0] ^= 1;
    }
    return new Built(spec.hcl.apply(hcl).build(), signature, message, pcrs, vcek, tdQuote);
  }

  /** Azure's runtime-data JSON (member order as Azure writes it). */
  static String runtimeJson(KeyPair ak, String vmUniqueId) {
    return runtimeJson(ak, vmUniqueId, new byte[64]);
  }

  /** The same with the given user data (the vTPM user-data NV index's 64 bytes). */
  static String runtimeJson(KeyPair ak, String vmUniqueId, byte[] userData) {
    String akJwk = jwk(ak, "HCLAkPub", KeyOperation.SIGN);
    String ekJwk = jwk(EK, "HCLEkPub", KeyOperation.ENCRYPT);
    return "{\"keys\":["
        + akJwk
        + ","
        + ekJwk
        + "],\"vm-configuration\":{\"console-enabled\":true,"
        + "\"secure-boot\":true,\"tpm-enabled\":true,\"vmUniqueId\":\""
        + vmUniqueId
        + "\"},\"user-data\":\""
        + Hex.encode(userData).toUpperCase(java.util.Locale.ROOT)
        + "\"}";
  }

  static String jwk(KeyPair pair, String kid, KeyOperation operation) {
    return new RSAKey.Builder((RSAPublicKey) pair.getPublic())
        .keyID(kid)
        .keyOperations(Set.of(operation))
        .build()
        .toJSONString();
  }

  /**
   * A TDREPORT_STRUCT whose fields equal the TD 1.0 quote body (offset 48) of {@code quote}: report
   * type 0x81, report data, TEE_TCB_INFO and TDINFO.
   */
  static byte[] tdReportFor(byte[] quote) {
    byte[] body = Arrays.copyOfRange(quote, 48, 48 + 584);
    byte[] report = new byte[1024];
    report[0] = (byte) 0x81;
    System.arraycopy(body, 520, report, 128, 64); // report_data
    Arrays.fill(report, 256, 264, (byte) 0xff); // TEE_TCB_INFO.valid
    System.arraycopy(body, 0, report, 264, 16); // tee_tcb_svn
    System.arraycopy(body, 16, report, 280, 104); // mrseam, mrsignerseam, seam attributes
    System.arraycopy(body, 120, report, 512, 16); // td attributes, xfam
    System.arraycopy(body, 136, report, 528, 384); // mrtd .. rtmr3
    return report;
  }

  static String hex(byte[] bytes) {
    return Hex.encode(bytes);
  }

  static byte[] byteArrayJson(String quote, String report, String vcekPem) {
    return ("{\"quote\":"
            + quote
            + ",\"report\":"
            + report
            + ",\"vcek\":"
            + dev.arbiter.internal.Json.write(vcekPem)
            + "}")
        .getBytes(StandardCharsets.UTF_8);
  }

  static String pem(byte[] der) {
    try {
      return dev.arbiter.crypto.Certificates.toPem(dev.arbiter.crypto.Certificates.parseDer(der));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String array(byte[] bytes) {
    StringBuilder out = new StringBuilder("[");
    for (int i = 0; i < bytes.length; i++) {
      out.append(i == 0 ? "" : ",").append(bytes[i] & 0xff);
    }
    return out.append(']').toString();
  }
}
