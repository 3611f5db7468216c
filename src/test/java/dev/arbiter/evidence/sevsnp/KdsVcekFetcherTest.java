// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.sevsnp;

import static dev.arbiter.evidence.sevsnp.SevSnpSchemeTest.AT;
import static dev.arbiter.evidence.sevsnp.SevSnpSchemeTest.types;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.EvidenceScheme;
import dev.arbiter.evidence.ExpectedBinding;
import dev.arbiter.evidence.VerificationResult;
import dev.arbiter.internal.Hex;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The opt-in KDS fetch against a local stand-in for AMD KDS serving a test VCEK. */
class KdsVcekFetcherTest {
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private HttpServer server;

  private URI serve(Product product, byte[] hwId, byte[] der) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    String path = "/vcek/v1/" + product.kdsName() + "/" + Hex.encode(hwId);
    server.createContext(
        "/vcek/v1/",
        exchange -> {
          requests.add(exchange.getRequestURI().toString());
          boolean found = exchange.getRequestURI().getPath().equals(path);
          exchange.sendResponseHeaders(found ? 200 : 404, found ? der.length : -1);
          if (found) {
            exchange.getResponseBody().write(der);
          }
          exchange.close();
        });
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void fetch_reportWithoutVcek_fetchesOnceThenUsesTheDiskCache(@TempDir Path cache)
      throws Exception {
    SnpFixtures.Pki pki = SnpFixtures.pki(Product.MILAN);
    byte[] chipId = SnpFixtures.chipId(Product.MILAN, 11);
    SnpFixtures.KeyCert vcek = SnpFixtures.vcek(pki, chipId, SnpFixtures.TCB);
    URI kds = serve(Product.MILAN, chipId, vcek.certificate().getEncoded());
    byte[] report =
        SnpFixtures.report(Product.MILAN).chipId(chipId).signedBy(vcek.key().getPrivate());

    EvidenceScheme fetching =
        pki.scheme().withVcekFetcher(new KdsVcekFetcher(kds, cache, Duration.ofSeconds(5)));
    VerificationResult first =
        fetching.verify(EvidenceInput.of(report), ExpectedBinding.none(), AT);
    EvidenceScheme again =
        pki.scheme().withVcekFetcher(new KdsVcekFetcher(kds, cache, Duration.ofSeconds(5)));
    VerificationResult second = again.verify(EvidenceInput.of(report), ExpectedBinding.none(), AT);

    assertThat(first.problems()).isEmpty();
    assertThat(second.problems()).isEmpty();
    assertThat(requests)
        .containsExactly(
            "/vcek/v1/Milan/" + Hex.encode(chipId) + "?blSPL=4&teeSPL=0&snpSPL=24&ucodeSPL=219");
  }

  @Test
  void fetch_turin_usesEightByteHwIdAndFmcSpl(@TempDir Path cache) throws Exception {
    SnpFixtures.Pki pki = SnpFixtures.pki(Product.TURIN);
    byte[] chipId = SnpFixtures.chipId(Product.TURIN, 12);
    SnpFixtures.KeyCert vcek = SnpFixtures.vcek(pki, chipId, SnpFixtures.TURIN_TCB);
    byte[] hwId = java.util.Arrays.copyOf(chipId, 8);
    URI kds = serve(Product.TURIN, hwId, vcek.certificate().getEncoded());
    byte[] report =
        SnpFixtures.report(Product.TURIN).chipId(chipId).signedBy(vcek.key().getPrivate());

    VerificationResult result =
        pki.scheme()
            .withVcekFetcher(new KdsVcekFetcher(kds, cache, Duration.ofSeconds(5)))
            .verify(EvidenceInput.of(report), ExpectedBinding.none(), AT);

    assertThat(result.problems()).isEmpty();
    assertThat(requests)
        .containsExactly(
            "/vcek/v1/Turin/"
                + Hex.encode(hwId)
                + "?blSPL=1&teeSPL=0&snpSPL=2&ucodeSPL=71&fmcSPL=0");
  }

  @Test
  void fetch_unknownChip_leavesTheCertificateMissing(@TempDir Path cache) throws Exception {
    SnpFixtures.Pki pki = SnpFixtures.pki(Product.MILAN);
    SnpFixtures.KeyCert vcek =
        SnpFixtures.vcek(pki, SnpFixtures.chipId(Product.MILAN, 13), SnpFixtures.TCB);
    URI kds = serve(Product.MILAN, new byte[64], vcek.certificate().getEncoded());
    byte[] report =
        SnpFixtures.report(Product.MILAN)
            .chipId(SnpFixtures.chipId(Product.MILAN, 13))
            .signedBy(vcek.key().getPrivate());

    VerificationResult result =
        pki.scheme()
            .withVcekFetcher(new KdsVcekFetcher(kds, cache, Duration.ofSeconds(5)))
            .verify(EvidenceInput.of(report), ExpectedBinding.none(), AT);

    assertThat(types(result)).containsExactly("CERTIFICATE_MISSING");
    assertThat(requests).hasSize(1);
  }

  @Test
  void scheme_withoutFetcher_neverFetches() {
    SnpFixtures.Pki pki = SnpFixtures.pki(Product.MILAN);
    SnpFixtures.KeyCert vcek =
        SnpFixtures.vcek(pki, SnpFixtures.chipId(Product.MILAN, 1), SnpFixtures.TCB);
    byte[] report = SnpFixtures.report(Product.MILAN).signedBy(vcek.key().getPrivate());
    assertThat(types(pki.scheme().verify(EvidenceInput.of(report), ExpectedBinding.none(), AT)))
        .containsExactly("CERTIFICATE_MISSING");
  }
}
