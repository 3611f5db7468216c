// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.dcap;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * An Intel Enclave Identity v2 body ({@code enclaveIdentity}; id {@code QE} for SGX quotes, {@code
 * TD_QE} for TDX quotes), decoded. Intel PCS API v4, "Enclave Identity V2".
 */
record QeIdentity(
    String id,
    int version,
    Instant issueDate,
    Instant nextUpdate,
    byte[] miscSelect,
    byte[] miscSelectMask,
    byte[] attributes,
    byte[] attributesMask,
    byte[] mrSigner,
    int isvProdId,
    List<Level> levels) {

  /** A level by ISVSVN (also used by TDX module identities). */
  record Level(int isvSvn, Instant tcbDate, TcbStatus status, List<String> advisoryIds) {}

  static QeIdentity parse(JsonNode node) throws CollateralFormatException {
    int version = JsonFields.integer(node, "version");
    if (version != 2) {
      throw new CollateralFormatException(
          "Enclave Identity version " + version + " is not supported (only version 2)");
    }
    return new QeIdentity(
        JsonFields.text(node, "id"),
        version,
        JsonFields.time(node, "issueDate"),
        JsonFields.time(node, "nextUpdate"),
        JsonFields.hex(node, "miscselect", 4),
        JsonFields.hex(node, "miscselectMask", 4),
        JsonFields.hex(node, "attributes", 16),
        JsonFields.hex(node, "attributesMask", 16),
        JsonFields.hex(node, "mrsigner", 32),
        JsonFields.integer(node, "isvprodid"),
        levels(node));
  }

  static List<Level> levels(JsonNode node) throws CollateralFormatException {
    List<Level> levels = new ArrayList<>();
    for (JsonNode entry : JsonFields.array(node, "tcbLevels")) {
      JsonNode tcb = JsonFields.object(entry, "tcb");
      levels.add(
          new Level(
              JsonFields.integer(tcb, "isvsvn"),
              JsonFields.time(entry, "tcbDate"),
              JsonFields.status(entry),
              JsonFields.strings(entry, "advisoryIDs")));
    }
    return List.copyOf(levels);
  }
}
