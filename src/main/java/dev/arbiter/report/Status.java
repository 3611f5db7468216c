// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.report;

import com.fasterxml.jackson.annotation.JsonValue;

/** A row's outcome. */
public enum Status {
  MET("met"),
  NOT_MET("not-met"),
  NOT_APPLICABLE("not-applicable");

  private final String label;

  Status(String label) {
    this.label = label;
  }

  @JsonValue
  public String label() {
    return label;
  }
}
