// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link ClaimReferences}, {@link ClaimCheck}'s matching and {@link RecentAppraisals}: pure. */
class ClaimReferencesTest {
  private static ClaimReferences of(String cel) {
    return ClaimReferences.of(
        CelPolicy.compile(cel, CelPolicy.APPRAISAL_VARIABLES).policy().orElseThrow());
  }

  @Test
  void of_selectsIndexesHasAndIn_areDottedPaths_longestChainOnly() {
    ClaimReferences refs =
        of(
            "claims.reported_tcb.snp >= 8 && claims[\"sha1:pcr7\"] != '' && has(claims.debug)"
                + " && 'vmpl' in claims.policy && claims.reported_tcb['tee'] > 0");
    assertThat(refs.cpu())
        .containsExactlyInAnyOrder(
            "reported_tcb.snp", "sha1:pcr7", "debug", "policy.vmpl", "reported_tcb.tee");
    assertThat(refs.device()).isEmpty();
    assertThat(refs.literals()).doesNotContain("sha1:pcr7", "tee");
  }

  @Test
  void of_listIndexStopsThePath_andComprehensionsOverClaimListsRecordTheList() {
    ClaimReferences refs =
        of(
            "claims.software_components[0].version == '1'"
                + " && claims.components.exists(c, c.version == '2')");
    assertThat(refs.cpu()).containsExactlyInAnyOrder("software_components", "components");
  }

  @Test
  void of_deviceClaims_byIndexOrComprehension_andShadowedNamesAreIgnored() {
    ClaimReferences refs =
        of(
            "devices.all(d, d.format == 'nvidia-gpu' && d.claims.uuid != '')"
                + " && devices[0].claims.device_certificate.svn >= 1"
                + " && [{'ignored': 1}].all(claims, claims.ignored == 1)"
                + " && [{'x': 1}].all(devices, devices.x == 1)");
    assertThat(refs.device()).containsExactlyInAnyOrder("uuid", "device_certificate.svn");
    assertThat(refs.cpu()).isEmpty();
    assertThat(refs.literals()).contains("nvidia-gpu");
  }

  @Test
  void known_exactAboveOrBelowAListedName() {
    var names = java.util.Set.of("reported_tcb.snp", "debug_allowed");
    assertThat(ClaimCheck.known("reported_tcb.snp", names)).isTrue();
    assertThat(ClaimCheck.known("reported_tcb", names)).isTrue();
    assertThat(ClaimCheck.known("debug_allowed.x", names)).isTrue();
    assertThat(ClaimCheck.known("reported", names)).isFalse();
    assertThat(ClaimCheck.known("reported_tcb.snpp", names)).isFalse();
    assertThat(ClaimCheck.nearest("reported_tcb.snpp", names)).isEqualTo("reported_tcb.snp");
    assertThat(ClaimCheck.distance("kitten", "sitting")).isEqualTo(3);
  }

  private static RecentAppraisals.Sample sample(String instance, long second) {
    return new RecentAppraisals.Sample(
        Instant.ofEpochSecond(second),
        instance,
        "r",
        new AppraisalInput("sample", "1.0", Map.of(), List.of()),
        true,
        "affirming",
        null);
  }

  @Test
  void recentAppraisals_keepsTheLatestPerInstance_boundedPerWorkload_newestFirst() {
    RecentAppraisals recent = new RecentAppraisals(3);
    recent.record("w", sample("a", 1));
    recent.record("w", sample("b", 2));
    recent.record("w", sample("a", 3));
    recent.record("w", sample("c", 4));
    recent.record("w", sample("d", 5));
    recent.record("other", sample("z", 6));
    assertThat(recent.recent("w", 10, Optional.empty()))
        .extracting(RecentAppraisals.Sample::instanceId)
        .containsExactly("d", "c", "a");
    assertThat(recent.recent("w", 10, Optional.empty()).get(2).at().getEpochSecond()).isEqualTo(3);
    assertThat(recent.recent("w", 2, Optional.empty())).hasSize(2);
    assertThat(recent.recent("w", 10, Optional.of(Instant.ofEpochSecond(4)))).hasSize(2);
    assertThat(recent.recent("none", 10, Optional.empty())).isEmpty();
  }
}
