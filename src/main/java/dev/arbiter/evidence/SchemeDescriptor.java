// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence;

import dev.arbiter.crypto.Digests;
import dev.arbiter.internal.Hex;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Everything format-specific about a scheme, in one value that appraisal, reference-value parsing
 * and the CLI read instead of switching on format ids: a stable lower-kebab id (also the {@code
 * --format} value and the key in the reference-values file), a major.minor version (a major bump
 * means results change for the same input), accepted media types, the claim names it produces
 * (dotted for nested claims; reference values may name only these), which of them are byte strings
 * of which lengths (a reference value for one must be hex of such a length), where the key binding
 * goes ({@link BindingRule}), which claim carries a version's configuration digest, whether it
 * attests a CPU TEE or a device the TEE uses, and whether it is for development only.
 *
 * @param id stable scheme id, e.g. {@code sev-snp}
 * @param version major.minor
 * @param mediaTypes evidence media types accepted
 * @param claimNames every claim name the scheme may produce; reference values may name only these
 * @param byteClaims the claims whose values are always byte strings (lowercase hex in {@link
 *     Claims}), each with the lengths in bytes it may have; every key is one of {@code claimNames}
 *     (kept in their order, lengths ascending). A claim whose length the format leaves open (any
 *     length up to a bound) is not listed. A reference value for a listed claim must be hex of one
 *     of its lengths.
 * @param summary one line for {@code --help}
 * @param binding where the key-binding value goes in the evidence (required: no default rule)
 * @param configuration the claim carrying a version's configuration digest, when the format has one
 * @param kind a CPU TEE or a device appraised together with one (composite attestation)
 * @param devOnly accepted only by a server started with {@code --dev} (no hardware root of trust)
 */
public record SchemeDescriptor(
    String id,
    String version,
    List<String> mediaTypes,
    List<String> claimNames,
    Map<String, Set<Integer>> byteClaims,
    String summary,
    BindingRule binding,
    Optional<ConfigurationClaim> configuration,
    Kind kind,
    boolean devOnly) {
  private static final Pattern ID = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");
  private static final Pattern VERSION = Pattern.compile("\\d+\\.\\d+");

  public SchemeDescriptor {
    Objects.requireNonNull(summary, "summary");
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException("scheme id must be lower-kebab: " + id);
    }
    if (version == null || !VERSION.matcher(version).matches()) {
      throw new IllegalArgumentException("scheme version must be major.minor: " + version);
    }
    mediaTypes = List.copyOf(mediaTypes);
    claimNames = List.copyOf(claimNames);
    if (mediaTypes.isEmpty() || claimNames.isEmpty()) {
      throw new IllegalArgumentException("scheme " + id + " must list media types and claims");
    }
    byteClaims = checkedByteClaims(id, byteClaims, claimNames);
    if (binding == null) {
      throw new IllegalArgumentException("scheme " + id + " must declare its binding rule");
    }
    Objects.requireNonNull(configuration, "configuration");
    Objects.requireNonNull(kind, "kind");
    if (configuration.isPresent() && !claimNames.contains(configuration.get().claim())) {
      throw new IllegalArgumentException(
          "scheme "
              + id
              + ": configuration claim "
              + configuration.get().claim()
              + " is not a claim");
    }
    if (configuration.isPresent()
        && byteClaims.containsKey(configuration.get().claim())
        && !byteClaims.get(configuration.get().claim()).contains(configuration.get().length())) {
      throw new IllegalArgumentException(
          "scheme "
              + id
              + ": configuration claim "
              + configuration.get().claim()
              + " cannot have "
              + configuration.get().length()
              + " bytes");
    }
    if (binding instanceof BindingRule.NonceWithKey rule && !claimNames.contains(rule.keyClaim())) {
      throw new IllegalArgumentException(
          "scheme " + id + ": key claim " + rule.keyClaim() + " is not a claim");
    }
  }

  /** An immutable copy of {@code byteClaims} in claim-name order, checked against the names. */
  private static Map<String, Set<Integer>> checkedByteClaims(
      String id, Map<String, Set<Integer>> byteClaims, List<String> claimNames) {
    Objects.requireNonNull(byteClaims, "byteClaims");
    Set<String> names = Set.copyOf(claimNames);
    byteClaims.forEach((claim, lengths) -> {
      if (claim == null || !names.contains(claim)) {
        throw new IllegalArgumentException(
            "scheme " + id + ": byte claim " + claim + " is not a claim");
      }
      if (lengths == null || lengths.isEmpty()) {
        throw new IllegalArgumentException(
            "scheme " + id + ": byte claim " + claim + " must have at least one length");
      }
      for (Integer length : lengths) {
        if (length == null || length <= 0) {
          throw new IllegalArgumentException(
              "scheme " + id + ": byte claim " + claim + " has a length that is not positive");
        }
      }
    });
    Map<String, Set<Integer>> copy = new LinkedHashMap<>();
    for (String claim : claimNames) {
      Set<Integer> lengths = byteClaims.get(claim);
      if (lengths != null) {
        copy.put(claim, Collections.unmodifiableSortedSet(new TreeSet<>(lengths)));
      }
    }
    return Collections.unmodifiableMap(copy);
  }

  /** A CPU TEE, or a device (e.g. a GPU) appraised together with a CPU TEE's evidence. */
  public enum Kind {
    CPU,
    DEVICE
  }

  /**
   * The claim holding a version's configuration digest (the SHA-256, or SHA-384 for 48-byte fields,
   * of the JCS form of the version's configuration object, zero-padded to the field's length).
   *
   * @param claim the claim name, e.g. {@code host_data}
   * @param length the field's length in bytes (32: SHA-256; 48: SHA-384)
   */
  public record ConfigurationClaim(String claim, int length) {
    public ConfigurationClaim {
      Objects.requireNonNull(claim, "claim");
      if (length != 32 && length != 48 && length != 64) {
        throw new IllegalArgumentException("a configuration field has 32, 48 or 64 bytes");
      }
    }

    /** True when the field is SHA-384 sized (48 bytes); SHA-256 otherwise. */
    public boolean sha384() {
      return length == 48;
    }
  }

  /**
   * The TEE key's binding material, computed once per attestation from the nonce and the TEE's
   * public JWK (CONTRACTS.md "Freshness and key binding").
   *
   * @param nonce the challenge bytes
   * @param jwkThumbprint the SHA-256 JWK thumbprint (RFC 7638) of the TEE key
   * @param spki the TEE key's SubjectPublicKeyInfo DER
   */
  public record KeyBinding(byte[] nonce, byte[] jwkThumbprint, byte[] spki) {
    public KeyBinding {
      nonce = nonce.clone();
      jwkThumbprint = jwkThumbprint.clone();
      spki = spki.clone();
    }

    @Override
    public byte[] nonce() {
      return nonce.clone();
    }

    @Override
    public byte[] jwkThumbprint() {
      return jwkThumbprint.clone();
    }

    @Override
    public byte[] spki() {
      return spki.clone();
    }

    /** {@code B = SHA-512(nonce || JWK thumbprint)}, 64 bytes. */
    public byte[] b() {
      byte[] input = Arrays.copyOf(nonce, nonce.length + jwkThumbprint.length);
      System.arraycopy(jwkThumbprint, 0, input, nonce.length, jwkThumbprint.length);
      return Digests.sha512(input);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof KeyBinding k
          && Arrays.equals(nonce, k.nonce)
          && Arrays.equals(jwkThumbprint, k.jwkThumbprint)
          && Arrays.equals(spki, k.spki);
    }

    @Override
    public int hashCode() {
      return Objects.hash(
          Arrays.hashCode(nonce), Arrays.hashCode(jwkThumbprint), Arrays.hashCode(spki));
    }

    @Override
    public String toString() {
      return "KeyBinding[nonce=" + Hex.encode(nonce) + "]";
    }
  }

  /**
   * Where the key-binding value goes in a scheme's evidence, and so what the evidence must carry
   * for a nonce and TEE key. The only place that decides a format's binding.
   */
  public sealed interface BindingRule {
    /** What the evidence must carry for this nonce and key. */
    ExpectedBinding expected(KeyBinding key);

    /**
     * True when the claims bind the TEE key beyond {@link #expected} (only {@link NonceWithKey}
     * checks anything).
     */
    default boolean keyMatches(Claims claims, KeyBinding key) {
      return true;
    }

    /** B in a report-data field of {@code length} bytes (SNP, TDX, SGX, sample). */
    record ReportData(int length) implements BindingRule {
      public ReportData {
        if (length < 64) {
          throw new IllegalArgumentException("report data must hold the 64 bytes of B");
        }
      }

      @Override
      public ExpectedBinding expected(KeyBinding key) {
        return ExpectedBinding.exactly(key.b());
      }
    }

    /** B as the CCA realm challenge (64 bytes). */
    record RealmChallenge() implements BindingRule {
      @Override
      public ExpectedBinding expected(KeyBinding key) {
        return ExpectedBinding.exactly(key.b());
      }
    }

    /** SHA-256(B) as TPM {@code extraData} (also the vTPM quote's in Azure CVM evidence). */
    record Sha256OfB() implements BindingRule {
      @Override
      public ExpectedBinding expected(KeyBinding key) {
        return ExpectedBinding.exactly(Digests.sha256(key.b()));
      }
    }

    /** The first {@code length} bytes of B as a nonce field (PSA, NVIDIA GPU: 32). */
    record PrefixOfB(int length) implements BindingRule {
      public PrefixOfB {
        if (length < 16 || length > 64) {
          throw new IllegalArgumentException("a prefix of B has 16 to 64 bytes");
        }
      }

      @Override
      public ExpectedBinding expected(KeyBinding key) {
        return ExpectedBinding.exactly(Arrays.copyOf(key.b(), length));
      }
    }

    /**
     * The nonce itself in the evidence's nonce field, and the TEE key's SPKI DER (hex) in the claim
     * {@code keyClaim} (Nitro: {@code public_key}).
     */
    record NonceWithKey(String keyClaim) implements BindingRule {
      public NonceWithKey {
        Objects.requireNonNull(keyClaim, "keyClaim");
      }

      @Override
      public ExpectedBinding expected(KeyBinding key) {
        return ExpectedBinding.exactly(key.nonce());
      }

      @Override
      public boolean keyMatches(Claims claims, KeyBinding key) {
        Object actual = claims.get(keyClaim).orElse(null);
        return actual instanceof String hex
            && Hex.isHex(hex)
            && Digests.constantTimeEquals(Hex.decode(hex), key.spki);
      }
    }
  }
}
