// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbiter.evidence.EvidenceScheme;
import dev.arbiter.evidence.SchemeDescriptor;
import dev.arbiter.evidence.SchemeRegistry;
import dev.arbiter.internal.Hex;
import dev.arbiter.problem.ProblemException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A version's reference values (the fixed file format of {@code version register
 * --reference-values}): per scheme id, claim name to the expected value or list of accepted values,
 * an optional {@code min} map of numeric minimums, and a top-level {@code configuration} map of
 * security-sensitive configuration digests. Hex strings are normalized to lowercase; a value for a
 * claim the scheme's descriptor lists as a byte string must be hex of one of its lengths.
 * Immutable.
 */
public record ReferenceValues(ObjectNode normalized) {
  private static final Pattern CONFIG_NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");
  private static final Pattern DIGEST =
      Pattern.compile("(sha256:[0-9a-f]{64}|sha384:[0-9a-f]{96})");

  /**
   * Parses and validates a reference-values document against the enabled schemes' descriptors: a
   * key is a registered scheme id (or {@code configuration}), a claim name one its descriptor
   * lists, a value for a byte claim hex of a length the descriptor gives, and a minimum only for a
   * claim that is not a byte string.
   *
   * @throws ProblemException {@link PolicyProblem#INVALID_REFERENCE_VALUES} naming the field
   */
  public static ReferenceValues parse(JsonNode document, SchemeRegistry schemes) {
    if (document == null || !document.isObject()) {
      throw invalid("$", "must be a JSON object keyed by scheme id");
    }
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    boolean anyScheme = false;
    for (var it = document.fields(); it.hasNext(); ) {
      var entry = it.next();
      String key = entry.getKey();
      if (key.equals("configuration")) {
        out.set(key, parseConfiguration(entry.getValue()));
        continue;
      }
      Optional<EvidenceScheme> scheme = schemes.find(key);
      if (scheme.isEmpty()) {
        throw invalid(
            key,
            "unknown scheme id or scheme not enabled in this Arbiter (enabled: "
                + String.join(
                    ", ", schemes.all().stream().map(s -> s.descriptor().id()).sorted().toList())
                + ")");
      }
      out.set(key, parseScheme(key, entry.getValue(), scheme.get().descriptor()));
      anyScheme = true;
    }
    if (!anyScheme) {
      throw invalid("$", "names no scheme; give reference values for at least one scheme");
    }
    return new ReferenceValues(out);
  }

  private static ObjectNode parseScheme(String scheme, JsonNode node, SchemeDescriptor descriptor) {
    Set<String> claimNames = Set.copyOf(descriptor.claimNames());
    Map<String, Set<Integer>> byteClaims = descriptor.byteClaims();
    if (!node.isObject() || node.isEmpty()) {
      throw invalid(scheme, "must be a non-empty object of claim name to expected value");
    }
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    for (var it = node.fields(); it.hasNext(); ) {
      var entry = it.next();
      String claim = entry.getKey();
      String field = scheme + "." + claim;
      if (claim.equals("min")) {
        out.set("min", parseMinimums(scheme, entry.getValue(), claimNames, byteClaims));
        continue;
      }
      if (!claimNames.contains(claim)) {
        throw invalid(field, "unknown claim for scheme " + scheme);
      }
      JsonNode value = entry.getValue();
      Set<Integer> lengths = byteClaims.get(claim);
      if (value.isArray()) {
        if (value.isEmpty()) {
          throw invalid(field, "an empty list accepts nothing");
        }
        ArrayNode list = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < value.size(); i++) {
          list.add(value(field + "[" + i + "]", value.get(i), lengths));
        }
        out.set(claim, list);
      } else {
        out.set(claim, value(field, value, lengths));
      }
    }
    return out;
  }

  private static ObjectNode parseMinimums(
      String scheme, JsonNode node, Set<String> claimNames, Map<String, Set<Integer>> byteClaims) {
    if (!node.isObject() || node.isEmpty()) {
      throw invalid(scheme + ".min", "must be a non-empty object of claim name to integer minimum");
    }
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    for (var it = node.fields(); it.hasNext(); ) {
      var entry = it.next();
      String field = scheme + ".min." + entry.getKey();
      if (!claimNames.contains(entry.getKey())) {
        throw invalid(field, "unknown claim for scheme " + scheme);
      }
      if (byteClaims.containsKey(entry.getKey())) {
        throw invalid(
            field, "a minimum applies to integer claims, and this claim is a byte string");
      }
      if (!entry.getValue().isIntegralNumber()
          || entry.getValue().asLong() < 0
          || !entry.getValue().canConvertToLong()) {
        throw invalid(field, "a minimum must be a non-negative integer");
      }
      out.put(entry.getKey(), entry.getValue().asLong());
    }
    return out;
  }

  /** A value for a byte claim ({@code lengths} non-null) or any other claim. */
  private static JsonNode value(String field, JsonNode value, Set<Integer> lengths) {
    return lengths == null ? scalar(field, value) : bytes(field, value, lengths);
  }

  /**
   * A byte claim's value: hex digits (either case, no {@code 0x}) of one of {@code lengths} bytes,
   * lowercased. The refusal gives the value's length, never the value (it may be long).
   */
  private static JsonNode bytes(String field, JsonNode value, Set<Integer> lengths) {
    String expected = "must be " + byteLengths(lengths) + " of hex (" + hexDigits(lengths) + ")";
    if (!value.isTextual()) {
      throw invalid(field, expected + ", got " + kind(value));
    }
    String text = value.textValue();
    if (text.length() % 2 != 0 || !lengths.contains(text.length() / 2)) {
      throw invalid(
          field,
          expected
              + ", got "
              + text.length()
              + " characters"
              + (text.startsWith("0x") || text.startsWith("0X")
                  ? " (give the digits without 0x)"
                  : ""));
    }
    int notHex = Hex.firstNonHex(text);
    if (notHex >= 0) {
      throw invalid(
          field,
          expected
              + ", got "
              + text.length()
              + " characters with a character that is not a hex digit at position "
              + (notHex + 1));
    }
    return JsonNodeFactory.instance.textNode(text.toLowerCase(Locale.ROOT));
  }

  /** {@code 48 bytes}, {@code 32 or 48 bytes}, {@code 32, 48 or 64 bytes}. */
  private static String byteLengths(Set<Integer> lengths) {
    return alternatives(lengths.stream().sorted().map(String::valueOf).toList()) + " bytes";
  }

  private static String hexDigits(Set<Integer> lengths) {
    return alternatives(lengths.stream().sorted().map(n -> String.valueOf(2 * n)).toList())
        + " hex digits";
  }

  private static String alternatives(List<String> items) {
    if (items.size() == 1) {
      return items.get(0);
    }
    return String.join(", ", items.subList(0, items.size() - 1))
        + " or "
        + items.get(items.size() - 1);
  }

  private static String kind(JsonNode value) {
    if (value.isNull()) {
      return "null";
    }
    if (value.isBoolean()) {
      return "a boolean";
    }
    if (value.isNumber()) {
      return "a number";
    }
    if (value.isArray()) {
      return "a list";
    }
    return value.isObject()
        ? "an object"
        : "a " + value.getNodeType().name().toLowerCase(Locale.ROOT);
  }

  private static JsonNode scalar(String field, JsonNode value) {
    if (value.isTextual()) {
      String text = value.textValue();
      if (text.isEmpty() || text.length() > 4096) {
        throw invalid(field, "a string value must have 1 to 4096 characters");
      }
      return JsonNodeFactory.instance.textNode(
          Hex.isHex(text) ? text.toLowerCase(Locale.ROOT) : text);
    }
    if (value.isIntegralNumber() && value.canConvertToLong()) {
      return JsonNodeFactory.instance.numberNode(value.asLong());
    }
    if (value.isBoolean()) {
      return value;
    }
    throw invalid(field, "must be a hex string, string, integer, boolean or a list of them");
  }

  private static ObjectNode parseConfiguration(JsonNode node) {
    if (!node.isObject() || node.isEmpty()) {
      throw invalid("configuration", "must be a non-empty object of name to sha256:<hex> digest");
    }
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    for (var it = node.fields(); it.hasNext(); ) {
      var entry = it.next();
      String field = "configuration." + entry.getKey();
      if (!CONFIG_NAME.matcher(entry.getKey()).matches()) {
        throw invalid(field, "a configuration name is lowercase letters, digits, '_', '.', '-'");
      }
      String digest =
          entry.getValue().isTextual() ? entry.getValue().textValue().toLowerCase(Locale.ROOT) : "";
      if (!DIGEST.matcher(digest).matches()) {
        throw invalid(field, "must be sha256:<64 hex> or sha384:<96 hex>");
      }
      out.put(entry.getKey(), digest);
    }
    return out;
  }

  private static ProblemException invalid(String field, String why) {
    return new ProblemException(PolicyProblem.INVALID_REFERENCE_VALUES, field + ": " + why);
  }

  /** Scheme ids with reference values, in document order. */
  public List<String> schemes() {
    List<String> out = new ArrayList<>();
    normalized
        .fieldNames()
        .forEachRemaining(name -> {
          if (!name.equals("configuration")) {
            out.add(name);
          }
        });
    return out;
  }

  /** For one scheme: claim name to accepted values (a single value is a one-element list). */
  public Map<String, List<JsonNode>> expected(String scheme) {
    Map<String, List<JsonNode>> out = new LinkedHashMap<>();
    JsonNode node = normalized.get(scheme);
    if (node == null) {
      return out;
    }
    node.fields()
        .forEachRemaining(entry -> {
          if (!entry.getKey().equals("min")) {
            List<JsonNode> values = new ArrayList<>();
            if (entry.getValue().isArray()) {
              entry.getValue().forEach(values::add);
            } else {
              values.add(entry.getValue());
            }
            out.put(entry.getKey(), values);
          }
        });
    return out;
  }

  /** For one scheme: claim name to numeric minimum. */
  public Map<String, Long> minimums(String scheme) {
    Map<String, Long> out = new LinkedHashMap<>();
    JsonNode min = normalized.path(scheme).get("min");
    if (min != null) {
      min.fields().forEachRemaining(entry -> out.put(entry.getKey(), entry.getValue().asLong()));
    }
    return out;
  }

  /** The configuration digests object, or empty when the version names none. */
  public Optional<ObjectNode> configuration() {
    JsonNode node = normalized.get("configuration");
    return node == null ? Optional.empty() : Optional.of((ObjectNode) node);
  }
}
