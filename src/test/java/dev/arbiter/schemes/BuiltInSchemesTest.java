// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.schemes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.ECKey;
import dev.arbiter.appraisal.TeeKey;
import dev.arbiter.evidence.Claims;
import dev.arbiter.evidence.EvidenceScheme;
import dev.arbiter.evidence.ExpectedBinding;
import dev.arbiter.evidence.SchemeDescriptor;
import dev.arbiter.evidence.SchemeDescriptor.BindingRule;
import dev.arbiter.evidence.SchemeDescriptor.ConfigurationClaim;
import dev.arbiter.evidence.SchemeDescriptor.Kind;
import dev.arbiter.evidence.SchemeRegistry;
import dev.arbiter.internal.Hex;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every registered scheme declares everything format-specific in its descriptor, and the binding
 * rules produce the values of CONTRACTS.md "Freshness and key binding" for a fixed nonce and key.
 */
class BuiltInSchemesTest {
  private static final SchemeRegistry REGISTRY = BuiltInSchemes.registry();

  /** RFC 7515 A.3's P-256 key and the nonce 00 01 .. 1f. */
  private static final String JWK =
      "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\","
          + "\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0\"}";

  private static final byte[] NONCE =
      Hex.decode("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  private static final String B =
      "4ff65088220ebdbcead496d133587957386644207bcaa994c8ab2fbce88af59f"
          + "6e1cdbcb16aa635a55b99e24fc984c9dc2f796aa6a6f593ecbc1611fc5c4ddf4";
  private static final String SHA256_OF_B =
      "f4e86d6cdb73ccee83dce71825ed7e87759f9b7adafacedece8237587d2f87a8";
  private static final String SPKI =
      "3059301306072a8648ce3d020106082a8648ce3d030107034200047fcdce2770f6c45d4183cbee6fdb4b7b580733357be9ef13"
          + "bacf6e3c7bd15445c7f144cd1bbd9b7e872cdfedb9eeb9f4b3695d6ea90b24ad8a4623288588e5ad";

  /** The contract, per scheme id: binding rule, configuration claim, kind, dev-only. */
  private static final Map<String, Expected> CONTRACT =
      Map.ofEntries(
          Map.entry(
              "sample",
              new Expected(
                  new BindingRule.ReportData(64),
                  Optional.of(new ConfigurationClaim("config", 32)),
                  Kind.CPU,
                  true,
                  B)),
          Map.entry(
              "sev-snp",
              new Expected(
                  new BindingRule.ReportData(64),
                  Optional.of(new ConfigurationClaim("host_data", 32)),
                  Kind.CPU,
                  false,
                  B)),
          Map.entry(
              "tdx",
              new Expected(
                  new BindingRule.ReportData(64),
                  Optional.of(new ConfigurationClaim("mr_config_id", 48)),
                  Kind.CPU,
                  false,
                  B)),
          Map.entry(
              "sgx",
              new Expected(new BindingRule.ReportData(64), Optional.empty(), Kind.CPU, false, B)),
          Map.entry(
              "cca",
              new Expected(new BindingRule.RealmChallenge(), Optional.empty(), Kind.CPU, false, B)),
          Map.entry(
              "tpm",
              new Expected(
                  new BindingRule.Sha256OfB(), Optional.empty(), Kind.CPU, false, SHA256_OF_B)),
          Map.entry(
              "azure-snp-vtpm",
              new Expected(
                  new BindingRule.Sha256OfB(), Optional.empty(), Kind.CPU, false, SHA256_OF_B)),
          Map.entry(
              "azure-tdx-vtpm",
              new Expected(
                  new BindingRule.Sha256OfB(), Optional.empty(), Kind.CPU, false, SHA256_OF_B)),
          Map.entry(
              "psa",
              new Expected(
                  new BindingRule.PrefixOfB(32),
                  Optional.empty(),
                  Kind.CPU,
                  false,
                  B.substring(0, 64))),
          Map.entry(
              "nvidia-gpu",
              new Expected(
                  new BindingRule.PrefixOfB(32),
                  Optional.empty(),
                  Kind.DEVICE,
                  false,
                  B.substring(0, 64))),
          Map.entry(
              "nitro",
              new Expected(
                  new BindingRule.NonceWithKey("public_key"),
                  Optional.empty(),
                  Kind.CPU,
                  false,
                  Hex.encode(NONCE))));

  record Expected(
      BindingRule binding,
      Optional<ConfigurationClaim> configuration,
      Kind kind,
      boolean devOnly,
      String bindingHex) {}

  private static SchemeDescriptor.KeyBinding key() throws Exception {
    return TeeKey.of(ECKey.parse(JWK)).binding(NONCE);
  }

  @Test
  void registry_holdsExactlyTheContractSchemes() {
    assertThat(REGISTRY.all().stream().map(s -> s.descriptor().id()))
        .containsExactlyInAnyOrderElementsOf(CONTRACT.keySet());
  }

  @Test
  void everyScheme_declaresItsWholeDescriptor() {
    for (EvidenceScheme scheme : REGISTRY.all()) {
      SchemeDescriptor d = scheme.descriptor();
      Expected expected = CONTRACT.get(d.id());
      assertThat(d.version()).as(d.id()).matches("\\d+\\.\\d+");
      assertThat(d.mediaTypes()).as(d.id()).isNotEmpty();
      assertThat(d.claimNames()).as(d.id()).isNotEmpty().doesNotHaveDuplicates();
      assertThat(d.summary()).as(d.id()).isNotBlank();
      assertThat(d.binding()).as(d.id()).isEqualTo(expected.binding());
      assertThat(d.configuration()).as(d.id()).isEqualTo(expected.configuration());
      d.configuration().ifPresent(c -> assertThat(d.claimNames()).as(d.id()).contains(c.claim()));
      assertThat(d.kind()).as(d.id()).isEqualTo(expected.kind());
      assertThat(d.devOnly()).as(d.id()).isEqualTo(expected.devOnly());
    }
  }

  @Test
  void everyBindingRule_producesTheContractValue_forAFixedNonceAndKey() throws Exception {
    for (EvidenceScheme scheme : REGISTRY.all()) {
      SchemeDescriptor d = scheme.descriptor();
      ExpectedBinding binding = d.binding().expected(key());
      assertThat(binding)
          .as(d.id())
          .isInstanceOfSatisfying(
              ExpectedBinding.Value.class,
              value ->
                  assertThat(Hex.encode(value.bytes()))
                      .as(d.id())
                      .isEqualTo(CONTRACT.get(d.id()).bindingHex()));
    }
  }

  @Test
  void nonceWithKey_matchesOnlyTheTeeKeysSpki() throws Exception {
    BindingRule nitro = REGISTRY.descriptor("nitro").orElseThrow().binding();
    assertThat(key().spki()).isEqualTo(Hex.decode(SPKI));
    assertThat(nitro.keyMatches(new Claims(Map.of("public_key", SPKI.toUpperCase())), key()))
        .isTrue();
    assertThat(nitro.keyMatches(new Claims(Map.of("public_key", SPKI.replace("ad", "ae"))), key()))
        .isFalse();
    assertThat(nitro.keyMatches(new Claims(Map.of()), key())).isFalse();
    assertThat(new BindingRule.ReportData(64).keyMatches(new Claims(Map.of()), key())).isTrue();
  }

  /** Spot checks of the declared byte claims (the scheme tests check them against evidence). */
  private static final Map<String, Map<String, Set<Integer>>> BYTE_CLAIMS =
      Map.ofEntries(
          Map.entry("sample", Map.of()),
          Map.entry(
              "sev-snp",
              Map.of(
                  "measurement", Set.of(48),
                  "host_data", Set.of(32),
                  "report_data", Set.of(64),
                  "chip_id", Set.of(64),
                  "family_id", Set.of(16))),
          Map.entry(
              "tdx",
              Map.of(
                  "mr_td", Set.of(48),
                  "rtmr3", Set.of(48),
                  "mr_config_id", Set.of(48),
                  "report_data", Set.of(64),
                  "boot.kernel", Set.of(20, 32, 48, 64))),
          Map.entry(
              "sgx",
              Map.of("mr_enclave", Set.of(32), "mr_signer", Set.of(32), "report_data", Set.of(64))),
          Map.entry(
              "tpm",
              Map.of(
                  "pcr0", Set.of(32),
                  "sha1:pcr7", Set.of(20),
                  "sha384:pcr23", Set.of(48),
                  "pcrs.sha512.pcr31", Set.of(64),
                  "secure_boot.db", Set.of(32))),
          Map.entry(
              "azure-snp-vtpm",
              Map.of(
                  "measurement", Set.of(48),
                  "pcr7", Set.of(32),
                  "sha1:pcr7", Set.of(20),
                  "ak_pub", Set.of(32))),
          Map.entry("azure-tdx-vtpm", Map.of("mr_td", Set.of(48), "pcr23", Set.of(32))),
          Map.entry("psa", Map.of("nonce", Set.of(32, 48, 64), "implementation_id", Set.of(32))),
          Map.entry(
              "cca", Map.of("realm.rem0", Set.of(32, 48, 64), "platform.instance_id", Set.of(33))),
          Map.entry("nvidia-gpu", Map.of("nonce", Set.of(32))),
          Map.entry("nitro", Map.of("pcr0", Set.of(32, 48, 64), "pcr15", Set.of(32, 48, 64))));

  /** Claims with no fixed length, which no scheme may declare as byte claims. */
  private static final Map<String, Set<String>> NOT_BYTE_CLAIMS =
      Map.of(
          "sample", Set.of("measurement", "config", "report_data"),
          "tpm", Set.of("extra_data", "qualified_signer", "ak.certificate.serial"),
          "nitro", Set.of("user_data", "nonce", "public_key"),
          "psa", Set.of("boot_seed"),
          "cca", Set.of("realm.public_key", "platform.config"),
          "nvidia-gpu", Set.of("measurements.1", "fwid", "device_certificate.serial"),
          "azure-snp-vtpm", Set.of("user_data", "extra_data", "tpm.qualified_signer"));

  @Test
  void everyScheme_declaresItsByteClaims() {
    for (EvidenceScheme scheme : REGISTRY.all()) {
      SchemeDescriptor d = scheme.descriptor();
      assertThat(d.claimNames()).as(d.id()).containsAll(d.byteClaims().keySet());
      BYTE_CLAIMS
          .get(d.id())
          .forEach((claim, lengths) ->
              assertThat(d.byteClaims().get(claim)).as(d.id() + " " + claim).isEqualTo(lengths));
      for (String claim : NOT_BYTE_CLAIMS.getOrDefault(d.id(), Set.of())) {
        assertThat(d.claimNames()).as(d.id()).contains(claim);
        assertThat(d.byteClaims()).as(d.id()).doesNotContainKey(claim);
      }
      if (BYTE_CLAIMS.get(d.id()).isEmpty()) {
        assertThat(d.byteClaims()).as(d.id()).isEmpty();
      }
      d.configuration()
          .filter(c -> d.byteClaims().containsKey(c.claim()))
          .ifPresent(c -> assertThat(d.byteClaims().get(c.claim())).contains(c.length()));
    }
  }

  private static SchemeDescriptor withByteClaims(
      List<String> claims,
      Map<String, Set<Integer>> byteClaims,
      Optional<ConfigurationClaim> configuration) {
    return new SchemeDescriptor(
        "x",
        "1.0",
        List.of("application/x"),
        claims,
        byteClaims,
        "x",
        new BindingRule.ReportData(64),
        configuration,
        Kind.CPU,
        false);
  }

  @Test
  void descriptor_byteClaims_areCheckedAgainstTheClaimNames() {
    assertThatThrownBy(
            () -> withByteClaims(List.of("a"), Map.of("b", Set.of(32)), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("byte claim b is not a claim");
    assertThatThrownBy(() -> withByteClaims(List.of("a"), Map.of("a", Set.of(0)), Optional.empty()))
        .hasMessageContaining("byte claim a has a length that is not positive");
    assertThatThrownBy(
            () -> withByteClaims(List.of("a"), Map.of("a", Set.of(32, -48)), Optional.empty()))
        .hasMessageContaining("not positive");
    assertThatThrownBy(() -> withByteClaims(List.of("a"), Map.of("a", Set.of()), Optional.empty()))
        .hasMessageContaining("byte claim a must have at least one length");
    assertThatThrownBy(() -> withByteClaims(List.of("a"), null, Optional.empty()))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() ->
            withByteClaims(
                List.of("a"),
                Map.of("a", Set.of(48)),
                Optional.of(new ConfigurationClaim("a", 32))))
        .hasMessageContaining("configuration claim a cannot have 32 bytes");
    assertThat(
            withByteClaims(
                    List.of("a"),
                    Map.of("a", Set.of(32, 48)),
                    Optional.of(new ConfigurationClaim("a", 32)))
                .byteClaims())
        .isEqualTo(Map.of("a", Set.of(32, 48)));
  }

  @Test
  void descriptor_byteClaims_areAnImmutableCopyInClaimOrder() {
    Map<String, Set<Integer>> given = new java.util.HashMap<>();
    given.put("c", new java.util.HashSet<>(Set.of(64, 32, 48)));
    given.put("a", new java.util.HashSet<>(Set.of(20)));
    SchemeDescriptor d = withByteClaims(List.of("a", "b", "c"), given, Optional.empty());
    given.get("a").add(99);
    given.put("b", Set.of(1));

    assertThat(d.byteClaims().keySet()).containsExactly("a", "c");
    assertThat(d.byteClaims().get("a")).containsExactly(20);
    assertThat(d.byteClaims().get("c")).containsExactly(32, 48, 64);
    assertThatThrownBy(() -> d.byteClaims().put("b", Set.of(1)))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> d.byteClaims().get("a").add(1))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void descriptor_withoutABindingRule_cannotBeBuilt() {
    assertThatThrownBy(() ->
            new SchemeDescriptor(
                "x",
                "1.0",
                List.of("application/x"),
                List.of("a"),
                Map.of(),
                "x",
                null,
                Optional.empty(),
                Kind.CPU,
                false))
        .hasMessageContaining("binding rule");
    assertThatThrownBy(() ->
            new SchemeDescriptor(
                "x",
                "1.0",
                List.of("application/x"),
                List.of("a"),
                Map.of(),
                "x",
                new BindingRule.ReportData(64),
                Optional.of(new ConfigurationClaim("b", 32)),
                Kind.CPU,
                false))
        .hasMessageContaining("configuration claim");
  }
}
