// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.internal.Json;
import dev.arbiter.problem.Problem;
import dev.arbiter.problem.ProblemException;
import dev.arbiter.supplychain.osv.Advisory;
import dev.arbiter.supplychain.osv.AdvisoryProblem;
import dev.arbiter.supplychain.osv.Affected;
import dev.arbiter.supplychain.osv.OsvLoader;
import dev.arbiter.supplychain.osv.OsvParser;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * The OSV records of one import, parsed all-or-nothing: JSON records (a record or a list) or a zip
 * export (every {@code *.json} entry, sizes bounded while reading). A malformed record refuses the
 * whole batch ({@code advisory-malformed}). A record that can match nothing here (every affected
 * entry lost its ranges, e.g. to an ecosystem without a supported ordering, and lists no versions)
 * is skipped with its notes; a batch with nothing usable is refused with those notes.
 *
 * @param records the usable records with their JSON as imported
 */
record AdvisoryBatch(List<Parsed> records, List<Problem> notes, int skipped) {
  private static final long MAX_TOTAL = 512L * 1024 * 1024;

  /** One record: its JSON text (stored) and the parsed advisory. */
  record Parsed(String json, Advisory advisory) {}

  static AdvisoryBatch ofJson(JsonNode records, String source) {
    List<JsonNode> nodes = new ArrayList<>();
    if (records != null && records.isArray()) {
      records.forEach(nodes::add);
    } else {
      nodes.add(records);
    }
    return build(nodes, source);
  }

  static AdvisoryBatch ofZip(byte[] zip, String source) {
    List<JsonNode> nodes = new ArrayList<>();
    long total = 0;
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      ZipEntry entry;
      int entries = 0;
      while ((entry = in.getNextEntry()) != null) {
        if (++entries > OsvLoader.MAX_FILES) {
          throw malformed(source + ": too many zip entries");
        }
        if (entry.isDirectory() || !entry.getName().toLowerCase(Locale.ROOT).endsWith(".json")) {
          continue;
        }
        byte[] bytes = readBounded(in, entry.getName());
        total += bytes.length;
        if (total > MAX_TOTAL) {
          throw malformed(source + ": more than " + MAX_TOTAL + " bytes of records");
        }
        JsonNode node = tree(bytes, entry.getName());
        if (node.isArray()) {
          node.forEach(nodes::add);
        } else {
          nodes.add(node);
        }
      }
    } catch (ZipException e) {
      throw malformed(source + ": not a readable zip archive: " + e.getMessage());
    } catch (IOException e) {
      throw malformed(source + ": not a readable zip archive: " + e.getMessage());
    }
    if (nodes.isEmpty()) {
      throw malformed(source + ": the zip archive holds no *.json record");
    }
    return build(nodes, source);
  }

  private static AdvisoryBatch build(List<JsonNode> nodes, String source) {
    List<Parsed> usable = new ArrayList<>();
    List<Problem> notes = new ArrayList<>();
    int skipped = 0;
    for (JsonNode node : nodes) {
      String json = node == null ? "null" : Json.write(node);
      List<Problem> recordNotes = new ArrayList<>();
      List<Advisory> parsed =
          OsvParser.parse(json.getBytes(StandardCharsets.UTF_8), source, recordNotes);
      notes.addAll(recordNotes);
      for (Advisory advisory : parsed) {
        if (advisory.withdrawn() || canMatch(advisory)) {
          usable.add(new Parsed(json, advisory));
        } else {
          skipped++;
          if (recordNotes.isEmpty()) {
            notes.add(
                Problem.of(
                    AdvisoryProblem.ADVISORY_INVALID_RANGE,
                    "%s: %s has no usable affected package; not stored",
                    source,
                    advisory.id()));
          }
        }
      }
    }
    if (usable.isEmpty()) {
      List<Problem> problems = new ArrayList<>(notes);
      problems.add(
          Problem.of(
              SupplyChainProblem.ADVISORY_IMPORT_UNUSABLE,
              "%s: none of %d record(s) can be stored",
              source,
              nodes.size()));
      throw new ProblemException(problems);
    }
    return new AdvisoryBatch(List.copyOf(usable), List.copyOf(notes), skipped);
  }

  private static boolean canMatch(Advisory advisory) {
    for (Affected affected : advisory.affected()) {
      if (!affected.ranges().isEmpty() || !affected.versions().isEmpty()) {
        return true;
      }
    }
    return false;
  }

  private static JsonNode tree(byte[] bytes, String name) {
    try {
      JsonNode node = Json.readTree(bytes);
      if (node == null) {
        throw malformed(name + ": empty");
      }
      return node;
    } catch (IOException e) {
      throw malformed(name + ": not well-formed JSON");
    }
  }

  private static byte[] readBounded(InputStream in, String name) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[64 * 1024];
    int n;
    while ((n = in.read(buffer)) > 0) {
      out.write(buffer, 0, n);
      if (out.size() > OsvLoader.MAX_RECORD_BYTES) {
        throw malformed(name + ": larger than " + OsvLoader.MAX_RECORD_BYTES + " bytes");
      }
    }
    return out.toByteArray();
  }

  private static ProblemException malformed(String detail) {
    return new ProblemException(AdvisoryProblem.ADVISORY_MALFORMED, detail);
  }
}
