// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.internal;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The one configured JSON mapper. Strict for untrusted input: unknown properties fail, duplicate
 * keys fail, nesting and string sizes are bounded. Thread-safe.
 */
public final class Json {
  private static final JsonMapper MAPPER = build(false);

  /** The indenting mapper, built on first use (most CLI calls never indent). */
  private static final class Pretty {
    static final JsonMapper MAPPER = build(true);
  }

  private Json() {}

  private static JsonMapper build(boolean pretty) {
    var factory =
        com.fasterxml.jackson.core.JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(64)
                    .maxStringLength(64 * 1024 * 1024)
                    .maxNumberLength(100)
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    var builder =
        JsonMapper.builder(factory)
            .addModule(new JavaTimeModule())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    if (pretty) {
      builder.enable(SerializationFeature.INDENT_OUTPUT);
    }
    return builder.build();
  }

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String writePretty(Object value) {
    try {
      return Pretty.MAPPER.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses a tree. @throws IOException (a {@code JsonProcessingException}) on malformed input. */
  public static JsonNode readTree(byte[] bytes) throws IOException {
    return MAPPER.readTree(bytes);
  }

  public static JsonNode readTree(String text) throws IOException {
    return MAPPER.readTree(text);
  }
}
