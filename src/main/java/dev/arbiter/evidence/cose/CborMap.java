// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.cose;

import com.upokecenter.cbor.CBORObject;
import com.upokecenter.cbor.CBORType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Typed, bounds-checked access to a decoded CBOR map whose keys are integers or text strings. Each
 * accessor checks the CBOR type (untagged) and the length before converting, so no library
 * exception escapes: a wrong type, a missing required entry or a length outside its bounds is a
 * {@code ProblemException} of type {@code evidence-malformed} naming the field.
 *
 * @param map the decoded map
 * @param where names the map in problem details, e.g. {@code "Nitro payload"}
 */
public record CborMap(CBORObject map, String where) {
  /** Wraps {@code item}, which must be an untagged map. */
  public static CborMap of(CBORObject item, String where) {
    if (item == null || item.getType() != CBORType.Map || item.isTagged()) {
      throw Cbor.malformed(where + " is not an untagged CBOR map");
    }
    return new CborMap(item, where);
  }

  /** The map decoded from a byte string that itself holds CBOR (e.g. a COSE payload). */
  public static CborMap decode(byte[] bytes, int maxBytes, String where) {
    return of(Cbor.decode(bytes, maxBytes, where), where);
  }

  private static CBORObject key(Object key) {
    if (key instanceof String text) {
      return CBORObject.FromObject(text);
    }
    return CBORObject.FromObject(((Number) key).longValue());
  }

  public boolean has(Object key) {
    return map.ContainsKey(key(key));
  }

  public Optional<CBORObject> optional(Object key) {
    return Optional.ofNullable(map.get(key(key)));
  }

  public CBORObject require(Object key, String name) {
    return optional(key)
        .orElseThrow(() -> Cbor.malformed(where + " lacks required " + name + " (" + key + ")"));
  }

  /** Refuses any key not in {@code known}. */
  public void rejectUnknown(Set<?> known) {
    for (CBORObject key : map.getKeys()) {
      Object plain = plainKey(key);
      if (plain == null || !known.contains(plain)) {
        throw Cbor.malformed(
            where
                + " has an unexpected entry "
                + (plain == null ? "of a non-integer, non-text key" : plain));
      }
    }
  }

  private static Object plainKey(CBORObject key) {
    if (key.isTagged()) {
      return null;
    }
    if (key.getType() == CBORType.TextString) {
      return key.AsString();
    }
    if (key.getType() == CBORType.Integer && key.CanValueFitInInt64()) {
      long value = key.AsInt64Value();
      return value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE
          ? (Object) (int) value
          : (Object) value;
    }
    return null;
  }

  public byte[] bytes(Object key, String name, int min, int max) {
    return Values.bytes(require(key, name), where + " " + name, min, max);
  }

  public Optional<byte[]> optionalBytes(Object key, String name, int min, int max) {
    return optional(key).map(value -> Values.bytes(value, where + " " + name, min, max));
  }

  public String text(Object key, String name, int max) {
    return Values.text(require(key, name), where + " " + name, max);
  }

  public Optional<String> optionalText(Object key, String name, int max) {
    return optional(key).map(value -> Values.text(value, where + " " + name, max));
  }

  public long integer(Object key, String name) {
    return Values.integer(require(key, name), where + " " + name);
  }

  public Optional<Long> optionalInteger(Object key, String name) {
    return optional(key).map(value -> Values.integer(value, where + " " + name));
  }

  public CborMap nested(Object key, String name) {
    return of(require(key, name), where + " " + name);
  }

  /** An untagged array of at most {@code max} items. */
  public List<CBORObject> array(Object key, String name, int min, int max) {
    return Values.array(require(key, name), where + " " + name, min, max);
  }

  /** Conversions of single values with the same checks. */
  public static final class Values {
    private Values() {}

    public static byte[] bytes(CBORObject value, String name, int min, int max) {
      if (value.getType() != CBORType.ByteString || value.isTagged()) {
        throw Cbor.malformed(name + " is not a byte string");
      }
      byte[] bytes = value.GetByteString();
      if (bytes.length < min || bytes.length > max) {
        throw Cbor.malformed(
            name
                + " is "
                + bytes.length
                + " bytes, expected "
                + (min == max ? min : min + ".." + max));
      }
      return bytes;
    }

    public static String text(CBORObject value, String name, int max) {
      if (value.getType() != CBORType.TextString || value.isTagged()) {
        throw Cbor.malformed(name + " is not a text string");
      }
      String text = value.AsString();
      if (text.length() > max) {
        throw Cbor.malformed(name + " is longer than " + max + " characters");
      }
      return text;
    }

    public static long integer(CBORObject value, String name) {
      if (value.getType() != CBORType.Integer || value.isTagged() || !value.CanValueFitInInt64()) {
        throw Cbor.malformed(name + " is not an integer");
      }
      return value.AsInt64Value();
    }

    public static List<CBORObject> array(CBORObject value, String name, int min, int max) {
      if (value.getType() != CBORType.Array || value.isTagged()) {
        throw Cbor.malformed(name + " is not an untagged array");
      }
      if (value.size() < min || value.size() > max) {
        throw Cbor.malformed(
            name + " has " + value.size() + " items, expected " + min + ".." + max);
      }
      List<CBORObject> out = new ArrayList<>(value.size());
      for (int i = 0; i < value.size(); i++) {
        out.add(value.get(i));
      }
      return out;
    }
  }
}
