// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.cli;

import dev.arbiter.evidence.EvidenceInput;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Downloads collateral from the vendors' services for {@code collateral fetch} — optional and off
 * by default: nothing is fetched unless an operator runs it. Everything downloaded is then imported
 * through the server, which checks signatures against the pinned roots; the transport is not
 * trusted. Intel PCS (API v4): TCB Info per FMSPC with its issuer chain header, QE Identity, PCK
 * and root CA CRLs; AMD KDS: the CRL per product; NVIDIA RIM service: reference manifests by id.
 */
final class CollateralFetch {
  static final String INTEL_PCS = "https://api.trustedservices.intel.com";
  static final String AMD_KDS = "https://kdsintf.amd.com";
  static final String NVIDIA_RIM = "https://rim.attestation.nvidia.com";

  private final HttpClient http =
      ApiClient.tracked(
          HttpClient.newBuilder()
              .connectTimeout(Duration.ofSeconds(10))
              .followRedirects(HttpClient.Redirect.NORMAL)
              .build());

  List<EvidenceInput.Collateral> intel(String base, List<String> fmspcs) {
    List<EvidenceInput.Collateral> files = new ArrayList<>();
    for (String tee : List.of("sgx", "tdx")) {
      for (String fmspc : fmspcs) {
        // an FMSPC of an SGX-only platform has no TDX TCB Info (404): skipped
        maybe(base + "/" + tee + "/certification/v4/tcb?fmspc=" + fmspc)
            .ifPresent(tcb -> {
              files.add(
                  new EvidenceInput.Collateral(tee + "-tcbinfo-" + fmspc + ".json", tcb.body()));
              tcb.header("TCB-Info-Issuer-Chain")
                  .or(() -> tcb.header("SGX-TCB-Info-Issuer-Chain"))
                  .ifPresent(chain ->
                      files.add(
                          new EvidenceInput.Collateral(
                              tee + "-tcb-chain.pem", chain.getBytes(StandardCharsets.US_ASCII))));
            });
      }
      maybe(base + "/" + tee + "/certification/v4/qe/identity")
          .ifPresent(
              qe -> files.add(new EvidenceInput.Collateral(tee + "-qeidentity.json", qe.body())));
    }
    for (String ca : List.of("platform", "processor")) {
      maybe(base + "/sgx/certification/v4/pckcrl?ca=" + ca + "&encoding=der")
          .ifPresent(crl -> {
            files.add(new EvidenceInput.Collateral("pck-" + ca + ".crl", crl.body()));
            crl.header("SGX-PCK-CRL-Issuer-Chain")
                .ifPresent(chain ->
                    files.add(
                        new EvidenceInput.Collateral(
                            "pck-" + ca + "-chain.pem",
                            chain.getBytes(StandardCharsets.US_ASCII))));
          });
    }
    if (files.isEmpty()) {
      throw CliException.usage("Intel PCS had no collateral for " + fmspcs);
    }
    return files;
  }

  List<EvidenceInput.Collateral> amd(String base, List<String> products) {
    List<EvidenceInput.Collateral> files = new ArrayList<>();
    for (String product : products) {
      String name =
          product.substring(0, 1).toUpperCase(java.util.Locale.ROOT)
              + product.substring(1).toLowerCase(java.util.Locale.ROOT);
      files.add(
          new EvidenceInput.Collateral(
              "amd-" + product + ".crl", get(base + "/vcek/v1/" + name + "/crl").body()));
    }
    return files;
  }

  List<EvidenceInput.Collateral> nvidia(String base, List<String> rimIds) {
    List<EvidenceInput.Collateral> files = new ArrayList<>();
    for (String id : rimIds) {
      byte[] body = get(base + "/v1/rim/" + id).body();
      files.add(new EvidenceInput.Collateral(id + ".swidtag", Rims.unwrap(body)));
    }
    return files;
  }

  private record Fetched(byte[] body, java.net.http.HttpHeaders headers) {
    Optional<String> header(String name) {
      return headers
          .firstValue(name)
          .map(value -> URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
  }

  private Optional<Fetched> maybe(String url) {
    return fetch(url, true);
  }

  private Fetched get(String url) {
    return fetch(url, false).orElseThrow();
  }

  private Optional<Fetched> fetch(String url, boolean absentIsFine) {
    try {
      HttpResponse<byte[]> response =
          http.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
              HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() == 404 && absentIsFine) {
        return Optional.empty();
      }
      if (response.statusCode() != 200) {
        throw CliException.usage("GET " + url + " answered HTTP " + response.statusCode());
      }
      if (response.body().length > Inputs.MAX_FILE_BYTES) {
        throw CliException.usage(
            "GET " + url + " answered more than " + Inputs.MAX_FILE_BYTES + " bytes");
      }
      return Optional.of(new Fetched(response.body(), response.headers()));
    } catch (IOException | IllegalArgumentException e) {
      throw CliException.usage("GET " + url + " failed: " + ErrorHandler.oneLine(e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliException.usage("interrupted");
    }
  }

  /** NVIDIA's RIM service answers JSON {"rim": "<base64 swidtag>", ...}; a bare swidtag is kept. */
  static final class Rims {
    private Rims() {}

    static byte[] unwrap(byte[] body) {
      try {
        var tree = dev.arbiter.internal.Json.readTree(body);
        if (tree.hasNonNull("rim")) {
          return dev.arbiter.internal.Encodings.base64(
              dev.arbiter.internal.Encodings.withoutWhitespace(tree.get("rim").asText()));
        }
      } catch (IOException | IllegalArgumentException e) {
        // not JSON: a bare swidtag
      }
      return body;
    }
  }
}
