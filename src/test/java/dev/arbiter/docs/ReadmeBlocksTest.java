// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReadmeBlocksTest {

  @Test
  void parse_shBlocksInOrder_withSkipReasons() {
    String markdown =
        """
        # Title
        ```sh
        echo one
        ```
        ```java
        int x;
        ```
        <!-- readme-test: skip (a server in the foreground) -->

        ```sh
        ./arbiter serve
        ```
        ```sh
        echo two
        echo three
        ```
        """;

    List<ReadmeBlocks.Block> blocks = ReadmeBlocks.parse(markdown);

    assertThat(blocks)
        .containsExactly(
            new ReadmeBlocks.Block(2, "echo one\n", Optional.empty()),
            new ReadmeBlocks.Block(
                10, "./arbiter serve\n", Optional.of("a server in the foreground")),
            new ReadmeBlocks.Block(13, "echo two\necho three\n", Optional.empty()));
  }

  @Test
  void parse_directiveWithoutReason_isRefused() {
    assertThatThrownBy(() -> ReadmeBlocks.parse("<!-- readme-test: skip -->\n```sh\nls\n```\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line 1");
    assertThatThrownBy(() -> ReadmeBlocks.parse("<!-- readme-test: skip () -->\n```sh\nls\n```\n"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void parse_directiveNotBeforeAShBlock_isRefused() {
    assertThatThrownBy(
            () -> ReadmeBlocks.parse("<!-- readme-test: skip (why) -->\ntext\n```sh\nls\n```\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not followed by a ```sh block");
    assertThatThrownBy(
            () -> ReadmeBlocks.parse("<!-- readme-test: skip (why) -->\n```java\nx\n```\n"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ReadmeBlocks.parse("<!-- readme-test: skip (why) -->\n"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void parse_unclosedBlock_isRefused() {
    assertThatThrownBy(() -> ReadmeBlocks.parse("```sh\nls\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not closed");
  }

  @Test
  void script_marksEachBlock_andStopsJobsOnExit() {
    String script =
        ReadmeFlowsTest.script(
            List.of(
                new ReadmeBlocks.Block(3, "a\n", Optional.empty()),
                new ReadmeBlocks.Block(9, "b\n", Optional.empty())));

    assertThat(script)
        .startsWith("trap 'set +e; kill $(jobs -p) 2>/dev/null; wait; times' EXIT\n")
        .containsSubsequence(
            "@@readme-test block 0 start",
            "a\n",
            "@@readme-test block 0 end",
            "@@readme-test block 1 start",
            "b\n",
            "@@readme-test block 1 end");
  }
}
