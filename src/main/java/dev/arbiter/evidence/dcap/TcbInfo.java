// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.dcap;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.internal.Hex;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An Intel TCB Info v3 body ({@code tcbInfo} of the PCS response; id {@code SGX} or {@code TDX}),
 * decoded. Intel PCS API v4, "TCB Info V3".
 */
record TcbInfo(
    String id,
    int version,
    Instant issueDate,
    Instant nextUpdate,
    String fmspc,
    String pceId,
    int evaluationDataNumber,
    Optional<TdxModule> tdxModule,
    List<ModuleIdentity> moduleIdentities,
    List<Level> levels) {

  /** A platform TCB level. {@code tdxComponents} is present for TDX TCB Info only. */
  record Level(
      int[] sgxComponents,
      int pceSvn,
      Optional<int[]> tdxComponents,
      Instant tcbDate,
      TcbStatus status,
      List<String> advisoryIds) {}

  record TdxModule(byte[] mrSigner, byte[] attributes, byte[] attributesMask) {}

  /** A {@code tdxModuleIdentities} entry, e.g. {@code TDX_01}, with levels by module ISVSVN. */
  record ModuleIdentity(String id, TdxModule module, List<QeIdentity.Level> levels) {}

  static TcbInfo parse(JsonNode node) throws CollateralFormatException {
    String id = node.has("id") ? JsonFields.text(node, "id") : "SGX";
    int version = JsonFields.integer(node, "version");
    if (version != 3) {
      throw new CollateralFormatException(
          "TCB Info version " + version + " is not supported (only version 3)");
    }
    if (!id.equals("SGX") && !id.equals("TDX")) {
      throw new CollateralFormatException(
          "TCB Info id " + JsonFields.abbreviate(id) + " (expected SGX or TDX)");
    }
    String fmspc = Hex.encode(JsonFields.hex(node, "fmspc", 6));
    String pceId = Hex.encode(JsonFields.hex(node, "pceId", 2));
    Optional<TdxModule> module = Optional.empty();
    List<ModuleIdentity> identities = new ArrayList<>();
    if (id.equals("TDX")) {
      module = Optional.of(module(JsonFields.object(node, "tdxModule")));
      if (node.has("tdxModuleIdentities")) {
        for (JsonNode entry : JsonFields.array(node, "tdxModuleIdentities")) {
          identities.add(
              new ModuleIdentity(
                  JsonFields.text(entry, "id"), module(entry), QeIdentity.levels(entry)));
        }
      }
    }
    List<Level> levels = new ArrayList<>();
    for (JsonNode entry : JsonFields.array(node, "tcbLevels")) {
      JsonNode tcb = JsonFields.object(entry, "tcb");
      Optional<int[]> tdx =
          id.equals("TDX") ? Optional.of(components(tcb, "tdxtcbcomponents")) : Optional.empty();
      levels.add(
          new Level(
              components(tcb, "sgxtcbcomponents"),
              JsonFields.integer(tcb, "pcesvn"),
              tdx,
              JsonFields.time(entry, "tcbDate"),
              JsonFields.status(entry),
              JsonFields.strings(entry, "advisoryIDs")));
    }
    return new TcbInfo(
        id,
        version,
        JsonFields.time(node, "issueDate"),
        JsonFields.time(node, "nextUpdate"),
        fmspc,
        pceId,
        JsonFields.integer(node, "tcbEvaluationDataNumber"),
        module,
        List.copyOf(identities),
        List.copyOf(levels));
  }

  private static TdxModule module(JsonNode node) throws CollateralFormatException {
    return new TdxModule(
        JsonFields.hex(node, "mrsigner", 48),
        JsonFields.hex(node, "attributes", 8),
        JsonFields.hex(node, "attributesMask", 8));
  }

  private static int[] components(JsonNode tcb, String field) throws CollateralFormatException {
    JsonNode array = JsonFields.array(tcb, field);
    if (array.size() != 16) {
      throw new CollateralFormatException("'" + field + "' must have 16 entries");
    }
    int[] out = new int[16];
    for (int i = 0; i < 16; i++) {
      out[i] = JsonFields.integer(array.get(i), "svn");
    }
    return out;
  }
}
