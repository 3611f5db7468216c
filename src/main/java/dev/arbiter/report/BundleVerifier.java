// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.report;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.arbiter.crypto.Digests;
import dev.arbiter.crypto.ServiceKey;
import dev.arbiter.internal.Hex;
import dev.arbiter.internal.Jcs;
import dev.arbiter.internal.Json;
import dev.arbiter.supplychain.provenance.dsse.Pae;
import dev.arbiter.tlog.Checkpoint;
import dev.arbiter.tlog.ConsistencyProof;
import dev.arbiter.tlog.InclusionProof;
import dev.arbiter.tlog.LogEntry;
import dev.arbiter.tlog.NoteVerifierKey;
import dev.arbiter.tlog.ProofVerifier;
import dev.arbiter.tlog.Verification;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Verifies an {@link EvidenceBundle} offline: every entry against the signed manifest, the
 * manifest's DSSE signature with the bundle's service keys, the checkpoints with the log key and
 * their consistency proofs, every record's hash, signature and inclusion proof, the cited
 * documents, that the report's rows and timelines are exactly what {@link Evaluator} recomputes
 * from the records, and optionally that a checkpoint the auditor witnessed is one of the bundle's
 * (same root). Collects every finding, each naming the part.
 */
public final class BundleVerifier {
  private static final long MAX_ENTRY = 256L * 1024 * 1024;
  private static final int MAX_ENTRIES = 100_000;

  private final Map<String, byte[]> entries = new TreeMap<>();
  private final List<Finding> findings = new ArrayList<>();
  private int proofsChecked;

  private BundleVerifier() {}

  /** One thing that failed: the bundle part and what is wrong. */
  public record Finding(@JsonProperty("part") String part, @JsonProperty("detail") String detail) {
    @Override
    public String toString() {
      return part + ": " + detail;
    }
  }

  /** The outcome: intact when there are no findings. */
  public record Result(
      @JsonProperty("intact") boolean intact,
      @JsonProperty("workload") String workload,
      @JsonProperty("manifest_sha256") String manifestSha256,
      @JsonProperty("entries") int entries,
      @JsonProperty("proofs_checked") int proofsChecked,
      @JsonProperty("statuses") Map<String, String> statuses,
      @JsonProperty("findings") List<Finding> findings) {}

  /**
   * Verifies {@code zip}; {@code trustedCheckpoint} is a signed checkpoint note the auditor holds.
   *
   * @throws IOException when the bytes are not a readable ZIP at all
   */
  public static Result verify(byte[] zip, Optional<String> trustedCheckpoint) throws IOException {
    BundleVerifier v = new BundleVerifier();
    v.read(zip);
    return v.run(trustedCheckpoint);
  }

  private void read(byte[] zip) throws IOException {
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      ZipEntry entry;
      int count = 0;
      while ((entry = in.getNextEntry()) != null) {
        if (++count > MAX_ENTRIES) {
          throw new IOException("more than " + MAX_ENTRIES + " entries");
        }
        byte[] bytes = in.readNBytes((int) Math.min(MAX_ENTRY, Integer.MAX_VALUE - 8));
        if (in.read() != -1) {
          throw new IOException("entry " + entry.getName() + " is too large");
        }
        if (entries.put(entry.getName(), bytes) != null) {
          findings.add(new Finding(entry.getName(), "appears twice"));
        }
      }
    }
    if (entries.isEmpty()) {
      throw new IOException("not a ZIP evidence bundle (no entries)");
    }
  }

  private Result run(Optional<String> trustedCheckpoint) {
    String manifestDigest =
        entries.containsKey(EvidenceBundle.MANIFEST)
            ? Hex.encode(Digests.sha256(entries.get(EvidenceBundle.MANIFEST)))
            : null;
    JWKSet keys = serviceKeys();
    checkManifest(keys);
    NoteVerifierKey logKey = logKey();
    Map<Long, String> checkpoints = checkpoints(logKey);
    Records records = parse(EvidenceBundle.RECORDS, Records.class);
    Report report = parse(EvidenceBundle.REPORT, Report.class);
    String anchor = null;
    if (records != null && records.checkpointSize() > 0) {
      anchor = checkpoints.get(records.checkpointSize());
      if (anchor == null) {
        findings.add(
            new Finding(
                EvidenceBundle.checkpointName(records.checkpointSize()),
                "missing: the proofs are made against it"));
      }
    }
    if (records != null) {
      checkRecords(records, keys, logKey, anchor);
    }
    Map<String, String> statuses = new LinkedHashMap<>();
    if (records != null && report != null) {
      checkReport(records, report, anchor);
      report.expectations().forEach((k, row) -> statuses.put(k, row.status().label()));
      checkDocuments(report);
    }
    trustedCheckpoint.ifPresent(note -> checkTrusted(note, logKey, checkpoints));
    return new Result(
        findings.isEmpty(),
        records == null ? null : records.workload(),
        manifestDigest,
        entries.size(),
        proofsChecked,
        statuses,
        List.copyOf(findings));
  }

  // ---------------------------------------------------------------- manifest and keys

  private JWKSet serviceKeys() {
    byte[] bytes = entries.get(EvidenceBundle.SERVICE_KEYS);
    if (bytes == null) {
      findings.add(new Finding(EvidenceBundle.SERVICE_KEYS, "missing"));
      return new JWKSet();
    }
    try {
      return JWKSet.parse(new String(bytes, StandardCharsets.UTF_8));
    } catch (java.text.ParseException e) {
      findings.add(new Finding(EvidenceBundle.SERVICE_KEYS, "not a JWK set"));
      return new JWKSet();
    }
  }

  private NoteVerifierKey logKey() {
    byte[] bytes = entries.get(EvidenceBundle.LOG_KEY);
    if (bytes == null) {
      findings.add(new Finding(EvidenceBundle.LOG_KEY, "missing"));
      return null;
    }
    try {
      return NoteVerifierKey.parse(new String(bytes, StandardCharsets.UTF_8).strip());
    } catch (IllegalArgumentException e) {
      findings.add(
          new Finding(EvidenceBundle.LOG_KEY, "not a note verifier key: " + e.getMessage()));
      return null;
    }
  }

  private void checkManifest(JWKSet keys) {
    byte[] manifestBytes = entries.get(EvidenceBundle.MANIFEST);
    if (manifestBytes == null) {
      findings.add(new Finding(EvidenceBundle.MANIFEST, "missing"));
      return;
    }
    checkSignature(manifestBytes, keys);
    EvidenceBundle.Manifest manifest;
    try {
      manifest = Json.mapper().readValue(manifestBytes, EvidenceBundle.Manifest.class);
    } catch (IOException e) {
      findings.add(new Finding(EvidenceBundle.MANIFEST, "not a manifest"));
      return;
    }
    if (!EvidenceBundle.FORMAT.equals(manifest.format())) {
      findings.add(new Finding(EvidenceBundle.MANIFEST, "unknown format " + manifest.format()));
    }
    Map<String, EvidenceBundle.Entry> listed = new TreeMap<>();
    for (EvidenceBundle.Entry line : manifest.entries()) {
      listed.put(line.name(), line);
    }
    for (Map.Entry<String, byte[]> e : entries.entrySet()) {
      String name = e.getKey();
      if (name.equals(EvidenceBundle.MANIFEST) || name.equals(EvidenceBundle.SIGNATURE)) {
        continue;
      }
      EvidenceBundle.Entry line = listed.remove(name);
      if (line == null) {
        findings.add(new Finding(name, "not listed in the signed manifest"));
      } else if (!Hex.encode(Digests.sha256(e.getValue())).equals(line.sha256())
          || line.size() != e.getValue().length) {
        findings.add(new Finding(name, "SHA-256 differs from the signed manifest (altered)"));
      }
    }
    listed
        .keySet()
        .forEach(name -> findings.add(new Finding(name, "listed in the manifest but missing")));
  }

  private void checkSignature(byte[] manifest, JWKSet keys) {
    byte[] bytes = entries.get(EvidenceBundle.SIGNATURE);
    if (bytes == null) {
      findings.add(new Finding(EvidenceBundle.SIGNATURE, "missing: the manifest is unsigned"));
      return;
    }
    try {
      JsonNode envelope = Json.readTree(bytes);
      if (!EvidenceBundle.PAYLOAD_TYPE.equals(envelope.path("payloadType").asText())) {
        findings.add(new Finding(EvidenceBundle.SIGNATURE, "wrong payload type"));
        return;
      }
      byte[] payload = Base64.getDecoder().decode(envelope.path("payload").asText());
      if (!java.util.Arrays.equals(payload, manifest)) {
        findings.add(
            new Finding(
                EvidenceBundle.SIGNATURE, "payload is not manifest.json (manifest altered)"));
        return;
      }
      boolean verified = false;
      for (JsonNode sig : envelope.path("signatures")) {
        JWK key = keys.getKeyByKeyId(sig.path("keyid").asText());
        if (key instanceof ECKey ec) {
          String raw =
              Base64.getUrlEncoder()
                  .withoutPadding()
                  .encodeToString(Base64.getDecoder().decode(sig.path("sig").asText()));
          verified |= ServiceKey.verify(ec, Pae.encode(EvidenceBundle.PAYLOAD_TYPE, manifest), raw);
        }
      }
      if (!verified) {
        findings.add(
            new Finding(
                EvidenceBundle.SIGNATURE,
                "no signature verifies with a key of " + EvidenceBundle.SERVICE_KEYS));
      }
    } catch (IOException | IllegalArgumentException e) {
      findings.add(new Finding(EvidenceBundle.SIGNATURE, "malformed DSSE envelope"));
    }
  }

  // ---------------------------------------------------------------- log

  private Map<Long, String> checkpoints(NoteVerifierKey key) {
    Map<Long, String> out = new TreeMap<>();
    for (Map.Entry<String, byte[]> e : entries.entrySet()) {
      String name = e.getKey();
      if (!name.startsWith("checkpoints/")) {
        continue;
      }
      String note = new String(e.getValue(), StandardCharsets.UTF_8);
      if (key == null) {
        continue;
      }
      Verification opened = new ProofVerifier(key, key.name()).verifyCheckpoint(note);
      if (opened instanceof Verification.Verified(Checkpoint c)) {
        if (!name.equals(EvidenceBundle.checkpointName(c.size()))) {
          findings.add(new Finding(name, "holds the checkpoint of size " + c.size()));
        }
        out.put(c.size(), note);
      } else {
        findings.add(new Finding(name, "does not verify with the log key: " + opened));
      }
    }
    List<Long> sizes = new ArrayList<>(out.keySet());
    for (int i = 1; i < sizes.size(); i++) {
      long a = sizes.get(i - 1);
      long b = sizes.get(i);
      String name = EvidenceBundle.consistencyName(a, b);
      ConsistencyProof proof = parse(name, ConsistencyProof.class);
      if (proof == null) {
        continue;
      }
      proofsChecked++;
      Verification linked =
          new ProofVerifier(key, key.name()).verifyConsistency(out.get(a), out.get(b), proof);
      if (!linked.ok()) {
        findings.add(new Finding(name, "does not link the checkpoints: " + linked));
      }
    }
    return out;
  }

  private void checkLeaf(
      String part,
      Long leafIndex,
      InclusionProof proof,
      String leaf,
      NoteVerifierKey key,
      String anchor,
      long size) {
    if (leafIndex == null) {
      findings.add(new Finding(part, "is not a leaf of the transparency log"));
      return;
    }
    if (proof == null) {
      if (leafIndex < size) {
        findings.add(new Finding(part, "leaf " + leafIndex + " has no inclusion proof"));
      }
      return;
    }
    if (proof.leafIndex() != leafIndex) {
      findings.add(new Finding(part, "the proof is for another leaf"));
      return;
    }
    if (anchor == null || key == null) {
      findings.add(new Finding(part, "no verified checkpoint to check the proof against"));
      return;
    }
    if (!Objects.equals(proof.checkpoint(), anchor)) {
      findings.add(new Finding(part, "the proof carries another checkpoint than the bundle's"));
      return;
    }
    proofsChecked++;
    Verification included = new ProofVerifier(key, key.name()).verifyInclusion(anchor, leaf, proof);
    if (!included.ok()) {
      findings.add(new Finding(part, "inclusion proof fails: " + included));
    }
  }

  // ---------------------------------------------------------------- records

  private void checkRecords(Records records, JWKSet keys, NoteVerifierKey logKey, String anchor) {
    String base = EvidenceBundle.RECORDS;
    long size = records.checkpointSize();
    Records.Revision previous = null;
    for (Records.Revision r : records.revisions()) {
      String part = base + " revision #" + r.seq();
      checkChained(part, r.body(), r.hash(), r.keyId(), r.signature(), keys);
      if (!records.workload().equals(r.body().path("workload").asText())
          || r.body().path("seq").asLong(-1) != r.seq()) {
        findings.add(new Finding(part, "body names another workload or sequence number"));
      }
      if (previous != null
          && r.seq() == previous.seq() + 1
          && !Objects.equals(r.prev(), previous.hash())) {
        findings.add(new Finding(part, "prev does not link to revision #" + previous.seq()));
      }
      previous = r;
      String leaf =
          safeLeaf(() ->
              LogEntry.policyRevision(records.workload(), r.seq(), r.hash(), Evaluator.createdAt(r))
                  .leafText());
      checkLeaf(part, r.leafIndex(), r.proof(), leaf, logKey, anchor, size);
    }
    for (Records.Audit a : records.audit()) {
      String part = base + " audit record " + a.seq();
      checkChained(part, a.body(), a.hash(), a.keyId(), a.signature(), keys);
      String leaf =
          safeLeaf(() ->
              LogEntry.auditRecord(a.seq(), a.hash(), Instant.parse(a.body().path("at").asText()))
                  .leafText());
      checkLeaf(part, a.leafIndex(), a.proof(), leaf, logKey, anchor, size);
    }
    for (Records.DecisionLeaf d : records.decisions()) {
      String part = base + " decision leaf " + d.leafIndex();
      try {
        LogEntry entry = LogEntry.parse(d.leaf());
        if (entry.kind() != LogEntry.Kind.DECISION
            || !records.workload().equals(entry.body().path("workload").asText())) {
          findings.add(new Finding(part, "is not a decision of " + records.workload()));
        }
      } catch (IllegalArgumentException e) {
        findings.add(new Finding(part, e.getMessage()));
        continue;
      }
      checkLeaf(part, d.leafIndex(), d.proof(), d.leaf(), logKey, anchor, size);
    }
    for (Records.VersionRecord v : records.versions()) {
      String part = base + " version " + v.label();
      String hash = Hex.encode(Digests.sha256(Jcs.canonicalize(v.content())));
      if (!hash.equals(v.contentHash())) {
        findings.add(new Finding(part, "content does not hash to its content_hash"));
      }
      boolean registered =
          records.audit().stream()
              .anyMatch(a ->
                  a.body().path("action").asText().equals("version.register")
                      && a.body()
                          .path("target")
                          .asText()
                          .equals(records.workload() + "@" + v.label())
                      && a.body()
                          .path("details")
                          .path("content_hash")
                          .asText()
                          .equals(v.contentHash()));
      if (!registered) {
        findings.add(new Finding(part, "no signed admission record names its content hash"));
      }
    }
  }

  private static String safeLeaf(java.util.function.Supplier<String> leaf) {
    try {
      return leaf.get();
    } catch (RuntimeException e) {
      return "";
    }
  }

  private void checkChained(
      String part, JsonNode body, String hash, String keyId, String signature, JWKSet keys) {
    byte[] digest;
    try {
      digest = Digests.sha256(Jcs.canonicalize(body));
    } catch (RuntimeException e) {
      findings.add(new Finding(part, "body cannot be canonicalized"));
      return;
    }
    if (!Hex.encode(digest).equals(hash)) {
      findings.add(new Finding(part, "body does not hash to its hash"));
      return;
    }
    JWK key = keys.getKeyByKeyId(keyId);
    if (!(key instanceof ECKey ec)) {
      findings.add(
          new Finding(part, "signed by key " + keyId + ", which the bundle does not carry"));
      return;
    }
    if (!ServiceKey.verify(ec, digest, signature)) {
      findings.add(new Finding(part, "signature does not verify"));
    }
  }

  // ---------------------------------------------------------------- report

  private void checkReport(Records records, Report report, String anchor) {
    String part = EvidenceBundle.REPORT;
    if (!Objects.equals(report.workload(), records.workload())
        || !Objects.equals(report.from(), records.from())
        || !Objects.equals(report.to(), records.to())) {
      findings.add(new Finding(part, "workload or range differs from the records"));
    }
    if (!Objects.equals(report.checkpoint(), anchor)) {
      findings.add(new Finding(part, "names another checkpoint than the records' proofs"));
    }
    Map<String, Row> recomputed;
    Timelines timelines;
    try {
      recomputed = Evaluator.evaluate(records);
      timelines = Evaluator.timelines(records);
    } catch (RuntimeException e) {
      findings.add(new Finding(EvidenceBundle.RECORDS, "cannot be evaluated: " + e.getMessage()));
      return;
    }
    Set<String> keys = new java.util.TreeSet<>(recomputed.keySet());
    keys.addAll(report.expectations().keySet());
    for (String key : keys) {
      Row claimed = report.expectations().get(key);
      Row derived = recomputed.get(key);
      if (claimed == null || derived == null) {
        findings.add(new Finding(part, "row " + key + " is missing or unknown"));
        continue;
      }
      if (claimed.status() != derived.status()) {
        findings.add(
            new Finding(
                part,
                "row "
                    + key
                    + " claims "
                    + claimed.status().label()
                    + " but the records give "
                    + derived.status().label()));
      } else {
        JsonNode a = normalized(claimed);
        JsonNode b = normalized(derived);
        if (!a.equals(b)) {
          findings.add(
              new Finding(
                  part,
                  "row "
                      + key
                      + " does not follow from the records (at "
                      + firstDifference(a, b, "")
                      + ")"));
        }
      }
    }
    if (!Json.mapper()
        .valueToTree(timelines)
        .equals(Json.mapper().valueToTree(report.timelines()))) {
      findings.add(new Finding(part, "timelines do not follow from the records"));
    }
  }

  private void checkDocuments(Report report) {
    for (String digest : EvidenceBundle.citedDocuments(report)) {
      String name = EvidenceBundle.documentName(digest);
      byte[] bytes = entries.get(name);
      if (bytes == null) {
        findings.add(new Finding(name, "cited by the report but missing"));
      } else if (!("sha256:" + Hex.encode(Digests.sha256(bytes))).equals(digest)) {
        findings.add(new Finding(name, "does not hash to " + digest));
      }
    }
  }

  private void checkTrusted(String note, NoteVerifierKey key, Map<Long, String> checkpoints) {
    String part = "trusted checkpoint";
    if (key == null) {
      findings.add(new Finding(part, "no log key to verify it with"));
      return;
    }
    Verification opened = new ProofVerifier(key, key.name()).verifyCheckpoint(note);
    if (!(opened instanceof Verification.Verified(Checkpoint trusted))) {
      findings.add(new Finding(part, "does not verify with the bundle's log key: " + opened));
      return;
    }
    String same = checkpoints.get(trusted.size());
    if (same == null) {
      findings.add(
          new Finding(
              part,
              "size "
                  + trusted.size()
                  + " is none of the bundle's checkpoints "
                  + checkpoints.keySet()
                  + ": it cannot be linked offline"));
      return;
    }
    Checkpoint ours =
        ((Verification.Verified) new ProofVerifier(key, key.name()).verifyCheckpoint(same))
            .checkpoint();
    if (!java.util.Arrays.equals(ours.rootHash(), trusted.rootHash())) {
      findings.add(new Finding(part, "another root at size " + trusted.size() + ": a fork"));
    }
  }

  private <T> T parse(String name, Class<T> type) {
    byte[] bytes = entries.get(name);
    if (bytes == null) {
      findings.add(new Finding(name, "missing"));
      return null;
    }
    try {
      return Json.mapper().readValue(bytes, type);
    } catch (IOException e) {
      findings.add(new Finding(name, "not parseable"));
      return null;
    }
  }

  /** The JSON tree of {@code value} as written and read back (number node types unified). */
  private static JsonNode normalized(Object value) {
    try {
      return Json.readTree(Json.write(value));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The JSON path where two trees first differ. */
  static String firstDifference(JsonNode a, JsonNode b, String path) {
    if (a.isObject() && b.isObject()) {
      Set<String> names = new java.util.TreeSet<>();
      a.fieldNames().forEachRemaining(names::add);
      b.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        if (!Objects.equals(a.get(name), b.get(name))) {
          if (a.get(name) == null || b.get(name) == null) {
            return path + "/" + name;
          }
          return firstDifference(a.get(name), b.get(name), path + "/" + name);
        }
      }
    } else if (a.isArray() && b.isArray()) {
      for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
        if (!a.get(i).equals(b.get(i))) {
          return firstDifference(a.get(i), b.get(i), path + "/" + i);
        }
      }
      return path + " (length " + a.size() + " vs " + b.size() + ")";
    }
    return path.isEmpty() ? "/" : path;
  }
}
