// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.tpm;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The go-tpm-tools {@code attest.Attestation} protobuf (proto/attest.proto): field 1 {@code ak_pub}
 * (TPMT_PUBLIC), 2 repeated {@code quotes} ({@code tpm.Quote}: 1 TPMS_ATTEST, 2 TPMT_SIGNATURE, 3
 * {@code pcrs}: 1 hash algorithm, 2 map of index to value), 3 {@code event_log} (TCG crypto-agile
 * log), 6 {@code ak_cert} (DER). Other fields (instance info, ...) are skipped. The embedded {@code
 * ak_pub} is not trusted by itself.
 */
record GoTpmToolsAttestation(
    Optional<byte[]> akPub,
    List<Quote> quotes,
    Optional<byte[]> akCert,
    Optional<byte[]> eventLog) {
  static final int MAX_QUOTES = 8;

  /** One quote of the attestation, with the PCR values it was taken over. */
  record Quote(byte[] attest, byte[] signature, PcrValues pcrs) {}

  GoTpmToolsAttestation {
    quotes = List.copyOf(quotes);
  }

  /**
   * True when the bytes start like this protobuf (field 1, length-delimited) and not a TPM
   * structure.
   */
  static boolean looksLike(byte[] bytes) {
    return bytes.length > 2 && bytes[0] == 0x0a;
  }

  static GoTpmToolsAttestation parse(byte[] bytes) throws TpmFormatException {
    ProtoReader reader = new ProtoReader(bytes);
    byte[] akPub = null;
    byte[] akCert = null;
    byte[] eventLog = null;
    List<Quote> quotes = new ArrayList<>();
    while (reader.hasMore()) {
      int tag = reader.tag();
      switch (tag) {
        case (1 << 3) | 2 -> akPub = reader.bytes();
        case (2 << 3) | 2 -> {
          if (quotes.size() == MAX_QUOTES) {
            throw new TpmFormatException("attestation holds more than " + MAX_QUOTES + " quotes");
          }
          quotes.add(quote(reader.bytes()));
        }
        case (3 << 3) | 2 -> eventLog = reader.bytes();
        case (6 << 3) | 2 -> akCert = reader.bytes();
        default -> reader.skip(tag);
      }
    }
    if (quotes.isEmpty()) {
      throw new TpmFormatException("go-tpm-tools attestation holds no quote");
    }
    return new GoTpmToolsAttestation(
        Optional.ofNullable(akPub),
        quotes,
        Optional.ofNullable(akCert),
        Optional.ofNullable(eventLog));
  }

  private static Quote quote(byte[] bytes) throws TpmFormatException {
    ProtoReader reader = new ProtoReader(bytes);
    byte[] attest = null;
    byte[] signature = null;
    PcrValues pcrs = new PcrValues(Map.of());
    while (reader.hasMore()) {
      int tag = reader.tag();
      switch (tag) {
        case (1 << 3) | 2 -> attest = reader.bytes();
        case (2 << 3) | 2 -> signature = reader.bytes();
        case (3 << 3) | 2 -> pcrs = pcrs(reader.bytes());
        default -> reader.skip(tag);
      }
    }
    if (attest == null || signature == null) {
      throw new TpmFormatException("go-tpm-tools quote lacks its TPMS_ATTEST or signature");
    }
    return new Quote(attest, signature, pcrs);
  }

  private static PcrValues pcrs(byte[] bytes) throws TpmFormatException {
    ProtoReader reader = new ProtoReader(bytes);
    long hash = 0;
    Map<Integer, byte[]> values = new TreeMap<>();
    while (reader.hasMore()) {
      int tag = reader.tag();
      if (tag == ((1 << 3) | 0)) {
        hash = reader.varint();
      } else if (tag == ((2 << 3) | 2)) {
        ProtoReader entry = new ProtoReader(reader.bytes());
        long index = -1;
        byte[] value = null;
        while (entry.hasMore()) {
          int field = entry.tag();
          if (field == ((1 << 3) | 0)) {
            index = entry.varint();
          } else if (field == ((2 << 3) | 2)) {
            value = entry.bytes();
          } else {
            entry.skip(field);
          }
        }
        if (index < 0 || index > PcrValues.MAX_PCR || value == null) {
          throw new TpmFormatException("go-tpm-tools PCR entry without a valid index and value");
        }
        values.put((int) index, value);
      } else {
        reader.skip(tag);
      }
    }
    long id = hash;
    TpmAlg bank =
        TpmAlg.byId((int) Math.min(id, 0xffff))
            .orElseThrow(() -> TpmFormatException.unsupported("go-tpm-tools PCR bank " + id));
    Map<Integer, byte[]> checked = new TreeMap<>();
    for (var entry : values.entrySet()) {
      PcrValues.put(checked, bank, entry.getKey(), entry.getValue());
    }
    Map<TpmAlg, Map<Integer, byte[]>> banks = new EnumMap<>(TpmAlg.class);
    banks.put(bank, checked);
    return new PcrValues(banks);
  }
}
