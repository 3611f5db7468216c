// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.osv;

import static dev.arbiter.supplychain.osv.OsvFields.JSON;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.internal.Json;
import dev.arbiter.problem.Problem;
import dev.arbiter.problem.ProblemException;
import dev.arbiter.supplychain.sbom.PackageRef;
import dev.arbiter.supplychain.sbom.Purls;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * Reads OSV JSON (one record, or an array of records) into {@link Advisory} values.
 *
 * <p>Security: input is untrusted; strict JSON via {@link Json}. A record without {@code id} or
 * {@code modified}, or with a field of the wrong type, is refused with {@link
 * AdvisoryProblem#ADVISORY_MALFORMED} (a {@link ProblemException}); parts that cannot be evaluated
 * (unknown ecosystem, invalid range, bad CVSS vector) are dropped and described in {@code notes}.
 * No other exception escapes for any input. Thread-safe.
 */
public final class OsvParser {
  private OsvParser() {}

  /**
   * @param source a name for messages (file name)
   * @param notes receives non-fatal problems
   */
  public static List<Advisory> parse(byte[] bytes, String source, List<Problem> notes) {
    JsonNode root;
    try {
      root = Json.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw JSON.malformed(source + ": not well-formed JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw JSON.malformed(source + ": unreadable: " + e.getMessage());
    }
    try {
      List<Advisory> out = new ArrayList<>();
      if (root != null && root.isArray()) {
        for (JsonNode element : root) {
          out.add(record(element, source, notes));
        }
      } else {
        out.add(record(root, source, notes));
      }
      return out;
    } catch (ProblemException e) {
      throw e;
    } catch (RuntimeException e) { // defensive: bad input never escapes as an unchecked exception
      throw JSON.malformed(source + ": cannot read OSV record: " + e.getClass().getSimpleName());
    }
  }

  private static Advisory record(JsonNode node, String source, List<Problem> notes) {
    if (node == null || !node.isObject()) {
      throw JSON.malformed(source + ": an OSV record is not a JSON object");
    }
    String id = JSON.requiredText(node, "id", "record");
    Instant modified = time(JSON.requiredText(node, "modified", id), id + ".modified");
    boolean withdrawn = JSON.text(node, "withdrawn", id) != null;
    if (withdrawn) {
      time(JSON.text(node, "withdrawn", id), id + ".withdrawn");
    }
    List<String> aliases = JSON.strings(node, "aliases", id);
    JsonNode databaseSpecific = node.get("database_specific");
    String dbSeverity =
        databaseSpecific != null
                && databaseSpecific.isObject()
                && databaseSpecific.path("severity").isTextual()
            ? databaseSpecific.path("severity").textValue()
            : null;
    Severity severity =
        Severities.choose(JSON.objects(node, "severity", id), dbSeverity, id, notes);
    List<Affected> affected = new ArrayList<>();
    for (JsonNode entry : JSON.objects(node, "affected", id)) {
      affected.add(affected(entry, id, notes));
    }
    return new Advisory(
        id, modified, aliases, withdrawn, affected, severity == null ? Severity.UNKNOWN : severity);
  }

  private static Affected affected(JsonNode entry, String id, List<Problem> notes) {
    String where = id + ".affected[]";
    JsonNode pkg = JSON.object(entry, "package", where);
    String ecosystem = null;
    String name = null;
    if (pkg != null) {
      ecosystem = Ecosystems.key(JSON.requiredText(pkg, "ecosystem", where + ".package"));
      name = Purls.normalizeName(ecosystem, JSON.requiredText(pkg, "name", where + ".package"));
    }
    List<AffectedRange> ranges = new ArrayList<>();
    for (JsonNode range : JSON.objects(entry, "ranges", where)) {
      range(range, ecosystem, where, notes).ifPresent(ranges::add);
    }
    if (pkg == null) {
      Optional<AffectedRange> git = ranges.stream().filter(AffectedRange::isGit).findFirst();
      if (git.isEmpty()) {
        throw JSON.malformed(where + " has neither a package nor a GIT range");
      }
      ecosystem = PackageRef.GIT;
      name = Purls.repositoryName(git.get().repo());
    }
    Severity severity = Severities.choose(JSON.objects(entry, "severity", where), null, id, notes);
    return new Affected(
        ecosystem,
        name,
        ranges,
        new LinkedHashSet<>(JSON.strings(entry, "versions", where)),
        severity);
  }

  private static Optional<AffectedRange> range(
      JsonNode range, String ecosystem, String where, List<Problem> notes) {
    String type = JSON.requiredText(range, "type", where + ".ranges[]");
    String repo = JSON.text(range, "repo", where + ".ranges[]");
    List<RangeEvent> events = new ArrayList<>();
    boolean badEvent = false;
    for (JsonNode event : JSON.objects(range, "events", where + ".ranges[]")) {
      if (event.size() != 1) {
        badEvent = true;
        continue;
      }
      var field = event.properties().iterator().next();
      if (!field.getValue().isTextual()) {
        throw JSON.malformed(where + ".ranges[].events[]." + field.getKey() + " is not a string");
      }
      RangeEvent.Kind kind =
          switch (field.getKey()) {
            case "introduced" -> RangeEvent.Kind.INTRODUCED;
            case "fixed" -> RangeEvent.Kind.FIXED;
            case "last_affected" -> RangeEvent.Kind.LAST_AFFECTED;
            case "limit" -> RangeEvent.Kind.LIMIT;
            default -> null;
          };
      if (kind == null) {
        badEvent = true;
        continue;
      }
      events.add(new RangeEvent(kind, field.getValue().textValue()));
    }
    String problem = null;
    if (badEvent) {
      problem = "an event is not exactly one of introduced/fixed/last_affected/limit";
    } else if (events.stream().noneMatch(e -> e.kind() == RangeEvent.Kind.INTRODUCED)) {
      problem = "no introduced event";
    }
    if (problem == null) {
      switch (type) {
        case "GIT" -> {
          if (repo == null || repo.isBlank()) {
            problem = "GIT range without repo";
          } else {
            return Optional.of(new AffectedRange(type, repo, events, null, null, null));
          }
        }
        case "SEMVER" -> {
          return compiled(type, repo, events, SemVer.STRICT, where, notes);
        }
        case "ECOSYSTEM" -> {
          Optional<VersionOrdering> ordering =
              ecosystem == null ? Optional.empty() : Ecosystems.ordering(ecosystem);
          if (ordering.isEmpty()) {
            notes.add(
                Problem.of(
                    AdvisoryProblem.ADVISORY_UNKNOWN_ECOSYSTEM,
                    "%s: ecosystem %s has no supported ordering; ECOSYSTEM range skipped",
                    where,
                    ecosystem));
            return Optional.empty();
          }
          return compiled(type, repo, events, ordering.get(), where, notes);
        }
        default -> problem = "unknown range type " + clip(type);
      }
    }
    notes.add(
        Problem.of(
            AdvisoryProblem.ADVISORY_INVALID_RANGE, "%s: %s; range skipped", where, problem));
    return Optional.empty();
  }

  private static Optional<AffectedRange> compiled(
      String type,
      String repo,
      List<RangeEvent> events,
      VersionOrdering ordering,
      String where,
      List<Problem> notes) {
    Optional<AffectedRange> range = AffectedRange.compile(type, repo, events, ordering);
    if (range.isEmpty()) {
      notes.add(
          Problem.of(
              AdvisoryProblem.ADVISORY_INVALID_RANGE,
              "%s: an event is not a valid %s version; range skipped",
              where,
              ordering.name()));
    }
    return range;
  }

  private static Instant time(String text, String where) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw JSON.malformed(where + " is not an RFC 3339 time");
    }
  }

  static String clip(String value) {
    return value.length() > 40 ? value.substring(0, 40) + "..." : value;
  }
}
