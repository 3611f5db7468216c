// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.provenance.sigstore;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.crypto.Certificates;
import dev.arbiter.crypto.Digests;
import dev.arbiter.internal.Encodings;
import dev.arbiter.internal.Hex;
import dev.arbiter.internal.Json;
import dev.arbiter.problem.ProblemException;
import dev.arbiter.supplychain.provenance.core.ProvenanceProblem;
import dev.arbiter.supplychain.provenance.core.TrustedKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Sigstore trusted root ({@code application/vnd.dev.sigstore.trustedroot+json}): the Rekor log
 * keys, CT log keys and Fulcio CA chains that keyless verification trusts, each with its validity
 * window. Immutable and thread-safe; parsed roots are cached by the SHA-256 of their bytes.
 */
public final class TrustedRoot {
  private static final String DEFAULT_RESOURCE = "trusted_root.json";
  private static final Map<String, TrustedRoot> CACHE = new ConcurrentHashMap<>();

  /** A transparency log (Rekor or CT): its key id, key and validity window (end may be null). */
  public record Log(byte[] logId, PublicKey key, Instant start, Instant end) {
    public boolean validAt(Instant at) {
      return !at.isBefore(start) && (end == null || !at.isAfter(end));
    }
  }

  /** A Fulcio CA: its chain (any order), roots (self-signed), the others, and validity window. */
  public record Authority(
      List<X509Certificate> roots,
      List<X509Certificate> intermediates,
      Instant start,
      Instant end) {
    public boolean validAt(Instant at) {
      return !at.isBefore(start) && (end == null || !at.isAfter(end));
    }
  }

  private final List<Log> tlogs;
  private final List<Log> ctlogs;
  private final List<Authority> authorities;
  private final String digest;

  private TrustedRoot(
      List<Log> tlogs, List<Log> ctlogs, List<Authority> authorities, String digest) {
    this.tlogs = List.copyOf(tlogs);
    this.ctlogs = List.copyOf(ctlogs);
    this.authorities = List.copyOf(authorities);
    this.digest = digest;
  }

  /** The pinned Sigstore public-good root shipped with Arbiter. */
  public static TrustedRoot publicGood() {
    try (InputStream in = TrustedRoot.class.getResourceAsStream(DEFAULT_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + DEFAULT_RESOURCE);
      }
      return parse(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Parses (or returns the cached parse of) a trusted root.
   *
   * @throws ProblemException ({@link ProvenanceProblem#PROVENANCE_TRUSTED_ROOT_INVALID})
   */
  public static TrustedRoot parse(byte[] bytes) {
    String digest = Hex.encode(Digests.sha256(bytes));
    TrustedRoot cached = CACHE.get(digest);
    if (cached != null) {
      return cached;
    }
    TrustedRoot parsed = doParse(bytes, digest);
    if (CACHE.size() < 64) {
      CACHE.put(digest, parsed);
    }
    return parsed;
  }

  private static TrustedRoot doParse(byte[] bytes, String digest) {
    try {
      JsonNode root = Json.readTree(bytes);
      if (!root.path("mediaType")
          .asText("")
          .startsWith("application/vnd.dev.sigstore.trustedroot")) {
        throw invalid(
            "not a Sigstore trusted root (mediaType "
                + root.path("mediaType").asText("missing")
                + ")");
      }
      List<Authority> authorities = new ArrayList<>();
      for (JsonNode ca : root.path("certificateAuthorities")) {
        List<X509Certificate> roots = new ArrayList<>();
        List<X509Certificate> intermediates = new ArrayList<>();
        for (JsonNode cert : ca.path("certChain").path("certificates")) {
          X509Certificate certificate =
              Certificates.parseDer(Encodings.base64(cert.path("rawBytes").asText()));
          boolean selfSigned =
              certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal());
          (selfSigned ? roots : intermediates).add(certificate);
        }
        if (roots.isEmpty()) {
          throw invalid("certificate authority without a self-signed root");
        }
        authorities.add(
            new Authority(
                roots,
                intermediates,
                time(ca.path("validFor").path("start")),
                endTime(ca.path("validFor"))));
      }
      return new TrustedRoot(
          logs(root.path("tlogs")), logs(root.path("ctlogs")), authorities, digest);
    } catch (IOException | java.security.GeneralSecurityException | RuntimeException e) {
      if (e instanceof ProblemException problem) {
        throw problem;
      }
      throw invalid(e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  private static List<Log> logs(JsonNode array) throws java.security.GeneralSecurityException {
    List<Log> logs = new ArrayList<>();
    for (JsonNode log : array) {
      JsonNode publicKey = log.path("publicKey");
      PublicKey key = TrustedKey.spki(Encodings.base64(publicKey.path("rawBytes").asText()));
      byte[] logId = Encodings.base64(log.path("logId").path("keyId").asText());
      logs.add(
          new Log(
              logId,
              key,
              time(publicKey.path("validFor").path("start")),
              endTime(publicKey.path("validFor"))));
    }
    return logs;
  }

  private static Instant time(JsonNode node) {
    if (!node.isTextual()) {
      throw invalid("validFor.start is missing");
    }
    return Instant.parse(node.asText());
  }

  private static Instant endTime(JsonNode validFor) {
    JsonNode end = validFor.path("end");
    return end.isTextual() ? Instant.parse(end.asText()) : null;
  }

  private static ProblemException invalid(String detail) {
    return new ProblemException(
        ProvenanceProblem.PROVENANCE_TRUSTED_ROOT_INVALID, "trusted root: " + detail);
  }

  public Optional<Log> tlog(byte[] logId) {
    return find(tlogs, logId);
  }

  public Optional<Log> ctlog(byte[] logId) {
    return find(ctlogs, logId);
  }

  private static Optional<Log> find(List<Log> logs, byte[] logId) {
    return logs.stream().filter(log -> Arrays.equals(log.logId(), logId)).findFirst();
  }

  public List<Authority> authorities() {
    return authorities;
  }

  /** Hex SHA-256 of the root file, for cache keys and reports. */
  public String digest() {
    return digest;
  }
}
