// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.rollout;

import java.util.Set;

/** The Upgrade Governance state machine (DESIGN.md). */
public enum RolloutState {
  PLANNED,
  STAGED,
  ROLLING,
  COMPLETED,
  ROLLED_BACK,
  REJECTED;

  public static final Set<RolloutState> ACTIVE = Set.of(PLANNED, STAGED, ROLLING);

  public boolean active() {
    return ACTIVE.contains(this);
  }
}
