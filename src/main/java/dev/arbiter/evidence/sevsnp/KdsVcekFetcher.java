// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.sevsnp;

import dev.arbiter.internal.Hex;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches VCEKs from AMD's Key Distribution Service ({@code GET
 * /vcek/v1/{Milan|Genoa|Turin}/{hwid}?blSPL=&teeSPL=&snpSPL=&ucodeSPL=[&fmcSPL=]}) and keeps them
 * in a disk cache (one DER file per chip and TCB; a VCEK never changes for a chip and TCB). Off
 * unless a caller builds one: the scheme never fetches on its own. Whatever is fetched or cached is
 * verified by the scheme like any supplied certificate, so the cache cannot add trust. Thread-safe.
 */
public final class KdsVcekFetcher implements VcekFetcher {
  /** AMD's production KDS. */
  public static final URI AMD_KDS = URI.create("https://kdsintf.amd.com");

  private static final Logger LOG = LoggerFactory.getLogger(KdsVcekFetcher.class);
  private static final int MAX_CERTIFICATE_BYTES = 16 * 1024;

  private final URI base;
  private final Path cacheDirectory;
  private final HttpClient client;
  private final Duration timeout;

  /**
   * @param base the KDS base URI ({@link #AMD_KDS} in production)
   * @param cacheDirectory where fetched VCEKs are kept (created when missing)
   * @param timeout per request
   */
  public KdsVcekFetcher(URI base, Path cacheDirectory, Duration timeout) {
    this.base = Objects.requireNonNull(base, "base");
    this.cacheDirectory = Objects.requireNonNull(cacheDirectory, "cacheDirectory");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
  }

  @Override
  public Optional<byte[]> fetch(Product product, byte[] hwId, TcbVersion tcb) {
    String hwHex = Hex.encode(hwId);
    Path cached =
        cacheDirectory.resolve(
            product.claim()
                + "-"
                + hwHex
                + "-"
                + Hex.encode(tcb.encode(product.turinTcbLayout()))
                + ".der");
    try {
      if (Files.isRegularFile(cached) && Files.size(cached) <= MAX_CERTIFICATE_BYTES) {
        return Optional.of(Files.readAllBytes(cached));
      }
      HttpResponse<byte[]> response =
          client.send(
              HttpRequest.newBuilder(uri(product, hwHex, tcb)).timeout(timeout).GET().build(),
              HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 200
          || response.body().length == 0
          || response.body().length > MAX_CERTIFICATE_BYTES) {
        LOG.info("KDS returned HTTP {} for a {} VCEK", response.statusCode(), product.kdsName());
        return Optional.empty();
      }
      Files.createDirectories(cacheDirectory);
      Path temporary = Files.createTempFile(cacheDirectory, "vcek", ".tmp");
      Files.write(temporary, response.body());
      Files.move(
          temporary, cached, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return Optional.of(response.body());
    } catch (IOException e) {
      LOG.info("KDS fetch of a {} VCEK failed: {}", product.kdsName(), e.toString());
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  URI uri(Product product, String hwHex, TcbVersion tcb) {
    String path =
        "/vcek/v1/"
            + product.kdsName()
            + "/"
            + hwHex
            + "?blSPL="
            + tcb.bootloader()
            + "&teeSPL="
            + tcb.tee()
            + "&snpSPL="
            + tcb.snp()
            + "&ucodeSPL="
            + tcb.microcode()
            + (product.turinTcbLayout() ? "&fmcSPL=" + Math.max(tcb.fmc(), 0) : "");
    return URI.create(base.toString().replaceAll("/+$", "") + path);
  }
}
