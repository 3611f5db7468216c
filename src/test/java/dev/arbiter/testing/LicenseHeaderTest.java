// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every source, SQL and script file carries an SPDX licence identifier in its first lines. */
class LicenseHeaderTest {
  @Test
  void everySourceFile_hasAnSpdxHeader() throws IOException {
    Path root = RepoPaths.root();
    List<Path> missing;
    try (Stream<Path> files =
        Stream.of(root.resolve("src"), root.resolve(".ci"), root.resolve("scripts"))
            .flatMap(LicenseHeaderTest::walk)) {
      missing =
          files
              .filter(path ->
                  path.toString().endsWith(".java")
                      || path.toString().endsWith(".sql")
                      || path.toString().endsWith(".sh")
                      || path.getFileName().toString().equals("run"))
              .filter(path -> !hasHeader(path))
              .toList();
    }
    assertThat(missing)
        .as("files without 'SPDX-License-Identifier' in their first 3 lines")
        .isEmpty();
    assertThat(hasHeader(root.resolve("arbiter"))).as("./arbiter launcher").isTrue();
  }

  private static Stream<Path> walk(Path dir) {
    try {
      return Files.isDirectory(dir)
          ? Files.walk(dir).filter(Files::isRegularFile).toList().stream()
          : Stream.empty();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static boolean hasHeader(Path file) {
    try (Stream<String> lines = Files.lines(file)) {
      return lines.limit(3).anyMatch(line -> line.contains("SPDX-License-Identifier"));
    } catch (IOException | java.io.UncheckedIOException e) {
      return false;
    }
  }
}
