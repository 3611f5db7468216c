// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.dcap;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.internal.Hex;
import dev.arbiter.internal.Json;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.CRLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds TCB Info v3 and QE Identity v2 collateral for a {@link DcapFixtures} PKI, signed by its
 * TCB signing key over the exact JSON bytes, as PCS response bodies or as one dcap-qvl style JSON.
 * Defaults: one UpToDate platform level equal to the fixtures' PCK TCB, an OutOfDate level below
 * it, TDX module identity {@code TDX_01}, QE levels isvsvn 8 UpToDate and 6 OutOfDate.
 */
public final class CollateralBuilder {
  /** A platform TCB level. {@code tdx} may be null for SGX. */
  public record Level(int[] sgx, int pceSvn, int[] tdx, String status, List<String> advisories) {}

  /** An ISVSVN level (QE identity or TDX module identity). */
  public record IsvLevel(int isvSvn, String status, List<String> advisories) {}

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private final DcapFixtures fixtures;
  private final boolean tdx;
  private String fmspc = Hex.encode(DcapFixtures.DEFAULT_FMSPC);
  private Instant issueDate = DcapFixtures.NOW.minus(Duration.ofDays(1));
  private Instant nextUpdate = DcapFixtures.NOW.plus(Duration.ofDays(29));
  private Instant crlThisUpdate = issueDate;
  private Instant crlNextUpdate = nextUpdate;
  private List<Level> levels = new ArrayList<>();
  private List<IsvLevel> moduleLevels =
      new ArrayList<>(
          List.of(
              new IsvLevel(4, "UpToDate", List.of()),
              new IsvLevel(2, "OutOfDate", List.of("INTEL-SA-01000"))));
  private List<IsvLevel> qeLevels =
      new ArrayList<>(
          List.of(
              new IsvLevel(8, "UpToDate", List.of()),
              new IsvLevel(6, "OutOfDate", List.of("INTEL-SA-00615"))));
  private boolean moduleIdentities = true;
  private String moduleMrSigner = "00".repeat(48);
  private byte[] qeMrSigner;
  private PrivateKey signingKey;
  private boolean badTcbInfoSignature;

  CollateralBuilder(DcapFixtures fixtures, boolean tdx) {
    this.fixtures = fixtures;
    this.tdx = tdx;
    this.signingKey = fixtures.tcbSignerKey.getPrivate();
    this.qeMrSigner = tdx ? QuoteBuilder.TDX_QE_MRSIGNER : QuoteBuilder.SGX_QE_MRSIGNER;
    int[] below = DcapFixtures.DEFAULT_COMPONENTS.clone();
    below[0]--;
    below[1]--;
    levels.add(
        new Level(
            DcapFixtures.DEFAULT_COMPONENTS,
            DcapFixtures.DEFAULT_PCESVN,
            tdx ? tdxSvns(5, 0, 7) : null,
            "UpToDate",
            List.of()));
    levels.add(
        new Level(
            below,
            DcapFixtures.DEFAULT_PCESVN,
            tdx ? tdxSvns(3, 0, 6) : null,
            "OutOfDate",
            List.of("INTEL-SA-00960", "INTEL-SA-00982")));
  }

  /** A 16-entry TDX component array starting with the given SVNs. */
  public static int[] tdxSvns(int... first) {
    int[] out = new int[16];
    System.arraycopy(first, 0, out, 0, first.length);
    return out;
  }

  public CollateralBuilder fmspc(String value) {
    fmspc = value;
    return this;
  }

  public CollateralBuilder validity(Instant from, Instant to) {
    issueDate = from;
    nextUpdate = to;
    return this;
  }

  /**
   * Makes the TCB Info, QE Identity and CRLs current at {@code at} (issued a day before, for 30
   * days).
   */
  public CollateralBuilder currentAt(Instant at) {
    crlThisUpdate = at.minus(Duration.ofDays(1));
    crlNextUpdate = at.plus(Duration.ofDays(29));
    return validity(crlThisUpdate, crlNextUpdate);
  }

  public CollateralBuilder levels(List<Level> value) {
    levels = new ArrayList<>(value);
    return this;
  }

  public CollateralBuilder moduleLevels(List<IsvLevel> value) {
    moduleLevels = new ArrayList<>(value);
    return this;
  }

  public CollateralBuilder withoutModuleIdentities() {
    moduleIdentities = false;
    return this;
  }

  public CollateralBuilder moduleMrSigner(byte[] value) {
    moduleMrSigner = Hex.encode(value);
    return this;
  }

  public CollateralBuilder qeLevels(List<IsvLevel> value) {
    qeLevels = new ArrayList<>(value);
    return this;
  }

  public CollateralBuilder qeMrSigner(byte[] value) {
    qeMrSigner = value.clone();
    return this;
  }

  public CollateralBuilder signingKey(PrivateKey value) {
    signingKey = value;
    return this;
  }

  public CollateralBuilder badTcbInfoSignature() {
    badTcbInfoSignature = true;
    return this;
  }

  /** The exact signed TCB Info JSON text. */
  public String tcbInfoJson() {
    ObjectNode info = NODES.objectNode();
    info.put("id", tdx ? "TDX" : "SGX")
        .put("version", 3)
        .put("issueDate", issueDate.toString())
        .put("nextUpdate", nextUpdate.toString())
        .put("fmspc", fmspc.toUpperCase(java.util.Locale.ROOT))
        .put("pceId", "0000")
        .put("tcbType", 0)
        .put("tcbEvaluationDataNumber", 17);
    if (tdx) {
      info.set("tdxModule", module());
      if (moduleIdentities) {
        ObjectNode identity = module().put("id", "TDX_01");
        identity.set("tcbLevels", isvLevels(moduleLevels));
        info.set("tdxModuleIdentities", NODES.arrayNode().add(identity));
      }
    }
    ArrayNode tcbLevels = info.putArray("tcbLevels");
    for (Level level : levels) {
      ObjectNode tcb = NODES.objectNode();
      tcb.set("sgxtcbcomponents", components(level.sgx()));
      tcb.put("pcesvn", level.pceSvn());
      if (tdx) {
        tcb.set("tdxtcbcomponents", components(level.tdx()));
      }
      ObjectNode entry = tcbLevels.addObject();
      entry.set("tcb", tcb);
      entry.put("tcbDate", "2024-03-13T00:00:00Z").put("tcbStatus", level.status());
      if (!level.advisories().isEmpty()) {
        ArrayNode ids = entry.putArray("advisoryIDs");
        level.advisories().forEach(ids::add);
      }
    }
    return Json.write(info);
  }

  /** The exact signed QE Identity JSON text. */
  public String qeIdentityJson() {
    ObjectNode identity = NODES.objectNode();
    identity
        .put("id", tdx ? "TD_QE" : "QE")
        .put("version", 2)
        .put("issueDate", issueDate.toString())
        .put("nextUpdate", nextUpdate.toString())
        .put("tcbEvaluationDataNumber", 17)
        .put("miscselect", "00000000")
        .put("miscselectMask", "FFFFFFFF")
        .put("attributes", "11000000000000000000000000000000")
        .put("attributesMask", "FBFFFFFFFFFFFFFF0000000000000000")
        .put("mrsigner", Hex.encode(qeMrSigner).toUpperCase(java.util.Locale.ROOT))
        .put("isvprodid", tdx ? 2 : 1);
    identity.set("tcbLevels", isvLevels(qeLevels));
    return Json.write(identity);
  }

  public byte[] tcbInfoBody() {
    String json = tcbInfoJson();
    byte[] signature = DcapFixtures.signRaw(signingKey, json.getBytes(StandardCharsets.UTF_8));
    if (badTcbInfoSignature) {
      signature[3] ^= 1;
    }
    return ("{\"tcbInfo\":" + json + ",\"signature\":\"" + Hex.encode(signature) + "\"}")
        .getBytes(StandardCharsets.UTF_8);
  }

  public byte[] qeIdentityBody() {
    String json = qeIdentityJson();
    byte[] signature = DcapFixtures.signRaw(signingKey, json.getBytes(StandardCharsets.UTF_8));
    return ("{\"enclaveIdentity\":" + json + ",\"signature\":\"" + Hex.encode(signature) + "\"}")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** TCB Info, QE Identity, TCB signing chain PEM, PCK CA CRL and root CRL (none revoked). */
  public List<EvidenceInput.Collateral> files() {
    List<EvidenceInput.Collateral> files = new ArrayList<>();
    files.add(new EvidenceInput.Collateral("tcbinfo.json", tcbInfoBody()));
    files.add(new EvidenceInput.Collateral("qeidentity.json", qeIdentityBody()));
    files.add(new EvidenceInput.Collateral("tcb-signing-chain.pem", fixtures.tcbSigningChainPem()));
    files.add(
        DcapFixtures.file("pck.crl", fixtures.pckCrl(List.of(), crlThisUpdate, crlNextUpdate)));
    files.add(DcapFixtures.file("root.crl", fixtures.pckCrlFromRoot(crlThisUpdate, crlNextUpdate)));
    return files;
  }

  /** The same collateral as one dcap-qvl {@code QuoteCollateralV3} JSON file. */
  public EvidenceInput.Collateral dcapQvlJson() {
    try {
      String tcbInfo = tcbInfoJson();
      String qeIdentity = qeIdentityJson();
      String chain = new String(fixtures.tcbSigningChainPem(), StandardCharsets.US_ASCII);
      ObjectNode out = NODES.objectNode();
      out.put("pck_crl_issuer_chain", chain)
          .put(
              "root_ca_crl",
              Hex.encode(fixtures.pckCrlFromRoot(crlThisUpdate, crlNextUpdate).getEncoded()))
          .put(
              "pck_crl",
              Hex.encode(fixtures.pckCrl(List.of(), crlThisUpdate, crlNextUpdate).getEncoded()))
          .put("tcb_info_issuer_chain", chain)
          .put("tcb_info", tcbInfo)
          .put(
              "tcb_info_signature",
              Hex.encode(
                  DcapFixtures.signRaw(signingKey, tcbInfo.getBytes(StandardCharsets.UTF_8))))
          .put("qe_identity_issuer_chain", chain)
          .put("qe_identity", qeIdentity)
          .put(
              "qe_identity_signature",
              Hex.encode(
                  DcapFixtures.signRaw(signingKey, qeIdentity.getBytes(StandardCharsets.UTF_8))));
      return new EvidenceInput.Collateral(
          "collateral.json", Json.writePretty(out).getBytes(StandardCharsets.UTF_8));
    } catch (CRLException e) {
      throw new IllegalStateException(e);
    }
  }

  private ObjectNode module() {
    return NODES
        .objectNode()
        .put("mrsigner", moduleMrSigner)
        .put("attributes", "0000000000000000")
        .put("attributesMask", "FFFFFFFFFFFFFFFF");
  }

  private static ArrayNode isvLevels(List<IsvLevel> levels) {
    ArrayNode array = NODES.arrayNode();
    for (IsvLevel level : levels) {
      ObjectNode entry = array.addObject();
      entry.putObject("tcb").put("isvsvn", level.isvSvn());
      entry.put("tcbDate", "2024-03-13T00:00:00Z").put("tcbStatus", level.status());
      if (!level.advisories().isEmpty()) {
        ArrayNode ids = entry.putArray("advisoryIDs");
        level.advisories().forEach(ids::add);
      }
    }
    return array;
  }

  private static ArrayNode components(int[] svns) {
    ArrayNode array = NODES.arrayNode();
    for (int svn : svns) {
      array.addObject().put("svn", svn);
    }
    return array;
  }
}
