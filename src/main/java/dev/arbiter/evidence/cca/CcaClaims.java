// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.cca;

import dev.arbiter.evidence.Claims;
import java.util.List;

/** The claims of a CCA token: {@code realm.*} and {@code platform.*} (listed in README.md). */
final class CcaClaims {
  static final List<String> NAMES =
      List.of(
          "realm.profile",
          "realm.challenge",
          "realm.personalization_value",
          "realm.initial_measurement",
          "realm.rem0",
          "realm.rem1",
          "realm.rem2",
          "realm.rem3",
          "realm.hash_algo",
          "realm.public_key",
          "realm.public_key_hash_algo",
          "platform.profile",
          "platform.challenge",
          "platform.implementation_id",
          "platform.instance_id",
          "platform.config",
          "platform.lifecycle",
          "platform.lifecycle_state",
          "platform.hash_algo",
          "platform.software_components",
          "platform.verification_service");

  private CcaClaims() {}

  static Claims of(CcaToken token) {
    return Claims.builder()
        .put("realm", token.realm().claims())
        .put("platform", token.platform().claims())
        .build();
  }
}
