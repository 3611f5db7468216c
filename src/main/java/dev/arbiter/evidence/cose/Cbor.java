// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.cose;

import com.upokecenter.cbor.CBOREncodeOptions;
import com.upokecenter.cbor.CBORObject;
import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.problem.ProblemException;
import java.io.ByteArrayInputStream;

/**
 * Strict decoding of untrusted CBOR (RFC 8949) with com.upokecenter:cbor: the input is bounded in
 * size, must hold exactly one well-formed data item (no trailing bytes), maps must not repeat a
 * key, and nesting is bounded. Every failure is a {@link ProblemException} of type {@link
 * EvidenceProblem#EVIDENCE_MALFORMED}; nothing else escapes. Thread-safe.
 */
public final class Cbor {
  /** Nesting deeper than this is refused (no evidence format here nests more than 8 levels). */
  public static final int MAX_DEPTH = 16;

  private static final CBOREncodeOptions STRICT =
      new CBOREncodeOptions("allowduplicatekeys=false;resolvereferences=false;allowempty=false");

  private Cbor() {}

  /**
   * Decodes one CBOR data item.
   *
   * @param bytes untrusted input
   * @param maxBytes inputs longer than this are refused before decoding
   * @param what names the structure in problem details, e.g. {@code "Nitro attestation document"}
   */
  public static CBORObject decode(byte[] bytes, int maxBytes, String what) {
    if (bytes.length == 0) {
      throw malformed(what + " is empty");
    }
    if (bytes.length > maxBytes) {
      throw malformed(what + " is " + bytes.length + " bytes, more than the limit of " + maxBytes);
    }
    ByteArrayInputStream in = new ByteArrayInputStream(bytes);
    CBORObject item;
    try {
      item = CBORObject.Read(in, STRICT);
    } catch (RuntimeException e) {
      // the library signals malformed input with CBORException and, for some encodings, other
      // runtime exceptions; all of them mean "not well-formed CBOR" here
      throw malformed(what + " is not well-formed CBOR: " + sanitize(e.getMessage()));
    }
    if (item == null) {
      throw malformed(what + " is not well-formed CBOR");
    }
    if (in.available() > 0) {
      throw malformed(what + " has " + in.available() + " trailing bytes after the CBOR data item");
    }
    checkDepth(item, 0, what);
    return item;
  }

  private static void checkDepth(CBORObject item, int depth, String what) {
    if (depth > MAX_DEPTH) {
      throw malformed(what + " nests deeper than " + MAX_DEPTH + " levels");
    }
    switch (item.getType()) {
      case Array -> {
        for (int i = 0; i < item.size(); i++) {
          checkDepth(item.get(i), depth + 1, what);
        }
      }
      case Map -> {
        for (CBORObject key : item.getKeys()) {
          checkDepth(key, depth + 1, what);
          checkDepth(item.get(key), depth + 1, what);
        }
      }
      default -> {
        // scalars end the recursion
      }
    }
  }

  static ProblemException malformed(String detail) {
    return new ProblemException(EvidenceProblem.EVIDENCE_MALFORMED, detail);
  }

  private static String sanitize(String message) {
    if (message == null) {
      return "decoding error";
    }
    String oneLine = message.replaceAll("\\s+", " ");
    return oneLine.length() > 160 ? oneLine.substring(0, 160) + "..." : oneLine;
  }
}
