// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.problem;

/**
 * A stable kind of problem. Every type has a URI {@code urn:arbiter:problem:<slug>}, an HTTP status
 * and a one-line meaning; all of them are listed in {@code docs/problems.md} and the server's
 * {@code ProblemCatalog} keeps code and that registry equal (checked by a test).
 *
 * <p>Implemented by one enum per domain (evidence, policy, supply chain, ...), so that a switch
 * over a domain's problems is exhaustive.
 */
public interface ProblemType {
  String PREFIX = "urn:arbiter:problem:";

  /** The kebab-case name, e.g. {@code snp-signature-invalid}. */
  String slug();

  /** HTTP status used when this problem ends a request. */
  int status();

  /** One line saying what the problem means. */
  String meaning();

  default String uri() {
    return PREFIX + slug();
  }

  /** The kebab-case slug for an enum constant name, e.g. {@code SIGNATURE_INVALID}. */
  static String slugOf(Enum<?> constant) {
    return constant.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
