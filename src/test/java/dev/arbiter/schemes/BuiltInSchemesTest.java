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

  @Test
  void descriptor_withoutABindingRule_cannotBeBuilt() {
    assertThatThrownBy(() ->
            new SchemeDescriptor(
                "x",
                "1.0",
                List.of("application/x"),
                List.of("a"),
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
                "x",
                new BindingRule.ReportData(64),
                Optional.of(new ConfigurationClaim("b", 32)),
                Kind.CPU,
                false))
        .hasMessageContaining("configuration claim");
  }
}
