// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.collateral;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbiter.auth.Principal;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.dcap.DcapFixtures;
import dev.arbiter.evidence.tdx.TdxScheme;
import dev.arbiter.schemes.BuiltInSchemes;
import dev.arbiter.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Replays the attacks on stored collateral by someone who can write the database: swapping a stored
 * file's bytes for another file's, and deleting the newest CRL so that an older one (which does not
 * list a revoked certificate) becomes current. Before, the swapped file was served and the older
 * CRL un-revoked the certificate. Now a file is served only when its bytes match its row and a
 * signed {@code collateral.import} audit record names it, and a slot with a missing audited file
 * serves nothing: the attack is not used, logged, and counted ({@code
 * arbiter_collateral_unverified}).
 */
class CollateralIntegrityAttackTest {
  private static final DcapFixtures INTEL = DcapFixtures.create();

  private TestServer server;

  @BeforeEach
  void start() {
    server =
        TestServer.start(config ->
            config.withSchemes(BuiltInSchemes.registry().with(new TdxScheme(INTEL.trust()))));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private CollateralService collateral() {
    return server.server().services().collateral();
  }

  private Jdbi jdbi() {
    return server.server().database().jdbi();
  }

  private List<CollateralService.Entry> importAll(List<EvidenceInput.Collateral> files) {
    List<EvidenceInput.Collateral> all = new ArrayList<>(files);
    all.add(new EvidenceInput.Collateral("pck-chain.pem", INTEL.pckChainPem()));
    return collateral().importFiles(Principal.system("test"), all);
  }

  private List<String> served() {
    return collateral().forFormat("tdx").stream().map(EvidenceInput.Collateral::name).toList();
  }

  private String metric() {
    return server.anonymous().get("/metrics").text();
  }

  @Test
  void storedFileBytesSwapped_fileNotUsed_metricCounted() {
    List<CollateralService.Entry> stored = importAll(INTEL.collateral(true, Instant.now()));
    CollateralService.Entry tcbInfo =
        stored.stream().filter(e -> e.kind().equals("tcb-info")).findFirst().orElseThrow();
    CollateralService.Entry other =
        stored.stream()
            .filter(e -> e.format().equals(tcbInfo.format()) && e.id() != tcbInfo.id())
            .findFirst()
            .orElseThrow();
    assertThat(served()).contains(tcbInfo.name());
    assertThat(collateral().unverifiedCount()).isZero();
    assertThat(metric()).contains("arbiter_collateral_unverified 0.0");

    jdbi()
        .useHandle(h ->
            h.execute(
                "update collateral set content = (select content from collateral where id = ?)"
                    + " where id = ?",
                other.id(),
                tcbInfo.id()));
    collateral().reload();

    assertThat(served()).doesNotContain(tcbInfo.name()).contains(other.name());
    // the swapped row, and the audited file it no longer holds
    assertThat(collateral().unverifiedCount()).isEqualTo(2);
    assertThat(metric()).contains("arbiter_collateral_unverified 2.0");
  }

  @Test
  void storedFileAndItsSha256ColumnSwapped_fileNotUsed() {
    List<CollateralService.Entry> stored = importAll(INTEL.collateral(true, Instant.now()));
    CollateralService.Entry tcbInfo =
        stored.stream().filter(e -> e.kind().equals("tcb-info")).findFirst().orElseThrow();
    // an older, still valid TCB Info (signed by Intel): the row is consistent, but no import named
    // it
    byte[] older = INTEL.collateral(true, Instant.now().minus(Duration.ofDays(2))).get(0).bytes();
    String olderSha = dev.arbiter.internal.Hex.encode(dev.arbiter.crypto.Digests.sha256(older));
    jdbi()
        .useHandle(h ->
            h.execute(
                "update collateral set content = ?, sha256 = ? where id = ?",
                older,
                olderSha,
                tcbInfo.id()));
    collateral().reload();
    assertThat(served()).doesNotContain(tcbInfo.name());
    assertThat(collateral().unverifiedCount()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void auditVerify_reportsTheSwappedFile() {
    List<CollateralService.Entry> stored = importAll(INTEL.collateral(true, Instant.now()));
    CollateralService.Entry tcbInfo =
        stored.stream().filter(e -> e.kind().equals("tcb-info")).findFirst().orElseThrow();
    assertThat(
            dev.arbiter.governance.IntegrityCheck.run(
                    server.server().database(), server.server().services().keyRing())
                .findings())
        .noneMatch(f -> f.table().equals("collateral"));
    jdbi()
        .useHandle(h ->
            h.execute(
                "update collateral set content = ? where id = ?",
                new byte[] {1, 2, 3},
                tcbInfo.id()));
    assertThat(
            dev.arbiter.governance.IntegrityCheck.run(
                    server.server().database(), server.server().services().keyRing())
                .findings())
        .anySatisfy(f -> {
          assertThat(f.table()).isEqualTo("collateral");
          assertThat(f.record()).startsWith("#" + tcbInfo.id());
          assertThat(f.problem()).contains("do not hash");
        });
  }

  @Test
  void newestCrlRowDeleted_olderCrlNotMadeCurrent_metricCounted() {
    importAll(INTEL.collateral(true, Instant.now()));
    Instant now = Instant.now();
    EvidenceInput.Collateral revoking =
        DcapFixtures.file(
            "pck-crl-newer.der",
            INTEL.pckCrl(
                List.of(INTEL.pck.getSerialNumber()),
                now.minus(Duration.ofHours(1)),
                now.plus(Duration.ofDays(60))));
    List<CollateralService.Entry> newer = importAll(List.of(revoking));
    CollateralService.Entry newest =
        newer.stream().filter(e -> e.name().equals("pck-crl-newer.der")).findFirst().orElseThrow();
    List<CollateralService.Entry> sameSlot =
        collateral().list().stream()
            .filter(e ->
                e.format().equals(newest.format())
                    && e.kind().equals(newest.kind())
                    && e.key().equals(newest.key()))
            .toList();
    assertThat(sameSlot).as("an older CRL of the same issuer is stored").hasSize(2);
    String olderName =
        sameSlot.stream().filter(e -> e.id() != newest.id()).findFirst().orElseThrow().name();
    assertThat(served()).contains("pck-crl-newer.der").doesNotContain(olderName);

    jdbi().useHandle(h -> h.execute("delete from collateral where id = ?", newest.id()));
    collateral().reload();

    assertThat(served()).doesNotContain("pck-crl-newer.der").doesNotContain(olderName);
    assertThat(collateral().unverifiedCount()).isEqualTo(1);
    assertThat(metric()).contains("arbiter_collateral_unverified 1.0");
  }
}
