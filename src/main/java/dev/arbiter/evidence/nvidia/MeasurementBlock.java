// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.nvidia;

/**
 * One SPDM measurement block in the DMTF measurement specification layout (SPDM 1.1, 10.11.1):
 * index, DMTFSpecMeasurementValueType and the value (a SHA-384 digest on Hopper).
 */
record MeasurementBlock(int index, int valueType, byte[] value) {
  static final int DMTF_SPECIFICATION = 0x01;
  static final int MAX_VALUE = 1024;

  static MeasurementBlock read(SpdmReader reader) throws SpdmFormatException {
    int index = reader.u8("measurement.index");
    int specification = reader.u8("measurement.specification");
    if (specification != DMTF_SPECIFICATION) {
      throw SpdmFormatException.unsupported(
          "measurement block " + index + " uses specification " + specification + ", not DMTF");
    }
    int size = reader.u16("measurement.size");
    int valueType = reader.u8("measurement.dmtfType");
    int valueSize = reader.u16("measurement.dmtfSize");
    if (size != 3 + valueSize || valueSize > MAX_VALUE) {
      throw new SpdmFormatException(
          "measurement block "
              + index
              + ": size "
              + size
              + " does not fit value size "
              + valueSize);
    }
    return new MeasurementBlock(index, valueType, reader.bytes(valueSize, "measurement.value"));
  }
}
