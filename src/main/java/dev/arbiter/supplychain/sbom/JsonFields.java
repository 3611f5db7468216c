// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.sbom;

import dev.arbiter.internal.TypedJson;

/**
 * The domain's {@link TypedJson}: typed access to untrusted SBOM JSON; a wrong type is {@link
 * SbomProblem#SBOM_MALFORMED}.
 */
final class JsonFields {
  static final TypedJson JSON = new TypedJson(SbomProblem.SBOM_MALFORMED, false);

  private JsonFields() {}
}
