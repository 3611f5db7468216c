// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.azure;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Synthetic HCL reports: header, hardware report slot, IGVM request data, runtime JSON, zero
 * padding.
 */
final class HclReportBuilder {
  private byte[] magic = "HCLA".getBytes(StandardCharsets.US_ASCII);
  private int version = 1;
  private int requestType = 2;
  private int requestDataVersion = 1;
  private int reportType = 2;
  private int hashType = 1;
  private int reportSizeDelta;
  private int padding = 254;
  private byte paddingByte;
  private byte[] hardware = new byte[HclReport.SLOT_SIZE];
  private byte[] runtime = "{}".getBytes(StandardCharsets.UTF_8);

  HclReportBuilder magic(String value) {
    magic = value.getBytes(StandardCharsets.US_ASCII);
    return this;
  }

  HclReportBuilder version(int value) {
    version = value;
    return this;
  }

  HclReportBuilder requestDataVersion(int value) {
    requestDataVersion = value;
    return this;
  }

  HclReportBuilder reportType(int value) {
    reportType = value;
    return this;
  }

  HclReportBuilder hashType(int value) {
    hashType = value;
    return this;
  }

  HclReportBuilder reportSizeDelta(int value) {
    reportSizeDelta = value;
    return this;
  }

  HclReportBuilder padding(int length, int value) {
    padding = length;
    paddingByte = (byte) value;
    return this;
  }

  HclReportBuilder hardware(byte[] report) {
    hardware = java.util.Arrays.copyOf(report, HclReport.SLOT_SIZE);
    return this;
  }

  HclReportBuilder runtime(byte[] json) {
    runtime = json.clone();
    return this;
  }

  byte[] build() {
    int reportSize = HclReport.RUNTIME_DATA_OFFSET + runtime.length;
    ByteBuffer out = ByteBuffer.allocate(reportSize + padding).order(ByteOrder.LITTLE_ENDIAN);
    out.put(magic)
        .putInt(version)
        .putInt(reportSize + reportSizeDelta)
        .putInt(requestType)
        .putInt(0)
        .put(new byte[12]);
    out.put(hardware);
    out.putInt(20 + runtime.length)
        .putInt(requestDataVersion)
        .putInt(reportType)
        .putInt(hashType)
        .putInt(runtime.length);
    out.put(runtime);
    for (int i = 0; i < padding; i++) {
      out.put(paddingByte);
    }
    return out.array();
  }
}
