// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.osv;

import dev.arbiter.internal.TypedJson;

/**
 * The domain's {@link TypedJson}: typed access to untrusted OSV JSON; a wrong type is {@link
 * AdvisoryProblem#ADVISORY_MALFORMED}.
 */
final class OsvFields {
  static final TypedJson JSON = new TypedJson(AdvisoryProblem.ADVISORY_MALFORMED, true);

  private OsvFields() {}
}
