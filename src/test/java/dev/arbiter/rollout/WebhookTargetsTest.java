// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The webhook allow-list in isolation (issue 11 item 7); the end-to-end refusals in
 * WebhookSsrfTest.
 */
class WebhookTargetsTest {
  @Test
  void none_isTheDefault_andRefusesEverything() {
    WebhookTargets none = WebhookTargets.none();
    assertThat(none.refusal("http://169.254.169.254/latest/meta-data/")).isPresent();
    assertThat(none.refusal("http://127.0.0.1:5432/")).isPresent();
    assertThat(none.refusal("https://ci.example.com/hooks/arbiter")).isPresent();
  }

  @Test
  void prefix_matchesSchemeHostPortExactly_thenPathAtASegmentBoundary() {
    WebhookTargets targets =
        WebhookTargets.of(List.of("https://ci.example.com/hooks", "http://127.0.0.1:9000/hook"));
    assertThat(targets.refusal("https://ci.example.com/hooks")).isEmpty();
    assertThat(targets.refusal("https://ci.example.com/hooks/arbiter?x=1")).isEmpty();
    assertThat(targets.refusal("https://CI.example.com:443/hooks/a")).isEmpty();
    assertThat(targets.refusal("http://127.0.0.1:9000/hook/x")).isEmpty();

    assertThat(targets.refusal("https://ci.example.com/hooks-evil")).isPresent();
    assertThat(targets.refusal("https://ci.example.com/other")).isPresent();
    assertThat(targets.refusal("https://ci.example.com/hooks/../admin")).isPresent();
    assertThat(targets.refusal("https://ci.example.com:8443/hooks/a")).isPresent();
    assertThat(targets.refusal("http://ci.example.com/hooks/a")).isPresent();
    assertThat(targets.refusal("https://ci.example.com.evil.example/hooks/a")).isPresent();
    assertThat(targets.refusal("https://user@ci.example.com/hooks/a")).isPresent();
    assertThat(targets.refusal("https://ci.example.com@169.254.169.254/hooks")).isPresent();
    assertThat(targets.refusal("http://127.0.0.1:5432/hook")).isPresent();
    assertThat(targets.refusal("http://169.254.169.254/")).isPresent();
    assertThat(targets.refusal("file:///etc/passwd")).isPresent();
    assertThat(targets.refusal("not a url")).isPresent();
  }

  @Test
  void prefixes_httpOnlyToLoopback_noUserinfo() {
    assertThatThrownBy(() -> WebhookTargets.of(List.of("http://ci.example.com/hooks")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WebhookTargets.of(List.of("https://u:p@ci.example.com/")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WebhookTargets.of(List.of("ftp://ci.example.com/")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(
            WebhookTargets.of(List.of("http://localhost:8080/")).refusal("http://localhost:8080/a"))
        .isEmpty();
  }
}
