// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.report;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbiter.crypto.Digests;
import dev.arbiter.crypto.ServiceKey;
import dev.arbiter.internal.Hex;
import dev.arbiter.internal.Jcs;
import dev.arbiter.internal.Json;
import dev.arbiter.supplychain.provenance.dsse.Pae;
import dev.arbiter.tlog.ConsistencyProof;
import dev.arbiter.tlog.LogStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A self-contained evidence bundle: a ZIP whose entries (sorted by name, every timestamp
 * 1980-01-01T00:00) are
 *
 * <ul>
 *   <li>{@code report.json} — the {@link Report};
 *   <li>{@code records.json} — the {@link Records} it was computed from (signed revisions and audit
 *       records with their inclusion proofs, decision leaves with theirs, versions, rollouts,
 *       findings, obligations, advisory snapshots, fleet samples);
 *   <li>{@code checkpoints/<size>.note} — the signed checkpoints: the one every proof is made
 *       against and, for each logged record, the first checkpoint that covered it;
 *   <li>{@code consistency/<old>-<new>.json} — consistency proofs between consecutive checkpoints;
 *   <li>{@code keys/service-keys.jwks.json}, {@code keys/log-key.txt}, and {@code
 *       keys/rotation-chain.json} when the key source has one;
 *   <li>{@code documents/sha256-<hex>} — the provenance documents and SBOMs the rows cite;
 *   <li>{@code manifest.json} — RFC 8785 JSON {@code {"format", "workload", "from", "to",
 *       "created_at", "entries": [{"name", "sha256", "size"}]}} over every other entry;
 *   <li>{@code manifest.dsse.json} — a DSSE envelope whose payload is exactly {@code
 *       manifest.json}, payload type {@value #PAYLOAD_TYPE}, signed ES256 (raw r||s, base64) by the
 *       service key over the DSSE PAE; {@code keyid} is the key's {@code kid} in the JWKS.
 * </ul>
 */
public final class EvidenceBundle {
  public static final String FORMAT = "arbiter-evidence-bundle/1";
  public static final String PAYLOAD_TYPE = "application/vnd.arbiter.evidence-manifest+json";
  public static final String MANIFEST = "manifest.json";
  public static final String SIGNATURE = "manifest.dsse.json";
  public static final String REPORT = "report.json";
  public static final String RECORDS = "records.json";
  public static final String SERVICE_KEYS = "keys/service-keys.jwks.json";
  public static final String LOG_KEY = "keys/log-key.txt";
  public static final String ROTATION_CHAIN = "keys/rotation-chain.json";
  static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

  private EvidenceBundle() {}

  /** A written bundle: its bytes, the report it carries and the manifest's SHA-256 (hex). */
  public record Written(byte[] zip, Report report, String manifestSha256) {}

  /** One manifest line. */
  public record Entry(
      @JsonProperty("name") String name,
      @JsonProperty("sha256") String sha256,
      @JsonProperty("size") long size) {}

  /** The manifest. */
  public record Manifest(
      @JsonProperty("format") String format,
      @JsonProperty("workload") String workload,
      @JsonProperty("from") String from,
      @JsonProperty("to") String to,
      @JsonProperty("created_at") String createdAt,
      @JsonProperty("entries") List<Entry> entries) {}

  /**
   * Collects and writes the bundle of {@code workload} over {@code range}. Flushes the log first so
   * that recent decisions are covered by a signed checkpoint.
   */
  public static Written export(
      GovernanceReports reports,
      VerificationKeys keys,
      ServiceKey signer,
      String workload,
      GovernanceReports.Range range) {
    reports.flushLog();
    Records records = reports.collect(workload, range);
    Report report = reports.report(records);
    Map<String, byte[]> entries = new TreeMap<>();
    entries.put(REPORT, Json.writePretty(report).getBytes(StandardCharsets.UTF_8));
    entries.put(RECORDS, Json.writePretty(records).getBytes(StandardCharsets.UTF_8));
    Set<Long> leaves = new LinkedHashSet<>();
    records.revisions().forEach(r -> addIfCovered(leaves, r.leafIndex(), records));
    records.audit().forEach(a -> addIfCovered(leaves, a.leafIndex(), records));
    records.decisions().forEach(d -> addIfCovered(leaves, d.leafIndex(), records));
    if (records.checkpointSize() > 0) {
      List<LogStore.StoredCheckpoint> checkpoints =
          reports.checkpoints(leaves, records.checkpointSize());
      for (LogStore.StoredCheckpoint c : checkpoints) {
        entries.put(checkpointName(c.size()), c.note().getBytes(StandardCharsets.UTF_8));
      }
      for (int i = 1; i < checkpoints.size(); i++) {
        long a = checkpoints.get(i - 1).size();
        long b = checkpoints.get(i).size();
        ConsistencyProof proof = reports.log().consistencyProof(a, b);
        entries.put(
            consistencyName(a, b), Json.writePretty(proof).getBytes(StandardCharsets.UTF_8));
      }
    }
    entries.put(SERVICE_KEYS, keys.serviceKeys().toString(true).getBytes(StandardCharsets.UTF_8));
    entries.put(
        LOG_KEY, (reports.log().verifierKey().encoded() + "\n").getBytes(StandardCharsets.UTF_8));
    keys.rotationChain().ifPresent(chain -> entries.put(ROTATION_CHAIN, chain));
    for (String digest : citedDocuments(report)) {
      reports.document(digest).ifPresent(bytes -> entries.put(documentName(digest), bytes));
    }
    List<Entry> lines = new ArrayList<>();
    entries.forEach((name, bytes) ->
        lines.add(new Entry(name, Hex.encode(Digests.sha256(bytes)), bytes.length)));
    Manifest manifest =
        new Manifest(FORMAT, workload, records.from(), records.to(), report.generatedAt(), lines);
    byte[] manifestBytes = Jcs.canonicalize(Json.mapper().valueToTree(manifest));
    entries.put(MANIFEST, manifestBytes);
    entries.put(SIGNATURE, sign(manifestBytes, signer));
    return new Written(zip(entries), report, Hex.encode(Digests.sha256(manifestBytes)));
  }

  private static void addIfCovered(Set<Long> leaves, Long index, Records records) {
    if (index != null && index < records.checkpointSize()) {
      leaves.add(index);
    }
  }

  /** The digests of the documents the report's rows cite ({@code kind: "document"}). */
  static Set<String> citedDocuments(Report report) {
    Set<String> out = new LinkedHashSet<>();
    for (Row row : report.expectations().values()) {
      for (EvidenceItem item : row.evidence()) {
        if ("document".equals(item.kind()) && item.ref().startsWith("sha256:")) {
          out.add(item.ref());
        }
      }
    }
    return out;
  }

  static String checkpointName(long size) {
    return "checkpoints/" + size + ".note";
  }

  static String consistencyName(long from, long to) {
    return "consistency/" + from + "-" + to + ".json";
  }

  static String documentName(String digest) {
    return "documents/" + digest.replace(':', '-');
  }

  private static byte[] sign(byte[] manifest, ServiceKey signer) {
    byte[] signature =
        Base64.getUrlDecoder().decode(signer.sign(Pae.encode(PAYLOAD_TYPE, manifest)));
    ObjectNode envelope = Json.mapper().createObjectNode();
    envelope.put("payloadType", PAYLOAD_TYPE);
    envelope.put("payload", Base64.getEncoder().encodeToString(manifest));
    ObjectNode sig = envelope.putArray("signatures").addObject();
    sig.put("keyid", signer.keyId());
    sig.put("sig", Base64.getEncoder().encodeToString(signature));
    return Jcs.canonicalize((JsonNode) envelope);
  }

  /** Writes the entries in name order with fixed timestamps (the same input, the same bytes). */
  static byte[] zip(Map<String, byte[]> entries) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Map.Entry<String, byte[]> e : new TreeMap<>(entries).entrySet()) {
        ZipEntry entry = new ZipEntry(e.getKey());
        entry.setTimeLocal(ENTRY_TIME);
        zip.putNextEntry(entry);
        zip.write(e.getValue());
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * The report a bundle carries (not verified: use {@link BundleVerifier} for that).
   *
   * @throws IOException when the bundle has no readable report
   */
  public static Report readReport(byte[] zip) throws IOException {
    try (java.util.zip.ZipInputStream in =
        new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
      ZipEntry entry;
      while ((entry = in.getNextEntry()) != null) {
        if (entry.getName().equals(REPORT)) {
          return Json.mapper().readValue(in.readAllBytes(), Report.class);
        }
      }
    }
    throw new IOException("the bundle has no " + REPORT);
  }
}
