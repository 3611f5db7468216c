// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Locations of the repository and of the shared conformance vectors. */
public final class RepoPaths {
  private RepoPaths() {}

  public static Path root() {
    String configured = System.getProperty("arbiter.repo.root");
    Path root = configured != null ? Paths.get(configured) : Paths.get("").toAbsolutePath();
    return root.toAbsolutePath().normalize();
  }

  /** How a skipped conformance test's abort message starts (counted by {@link SuiteReport}). */
  public static final String VECTORS_MISSING = "shared conformance vectors not found at ";

  /**
   * {@code ../shared/vectors} relative to the repository root (may not exist), or the folder named
   * by the system property {@code arbiter.vectors.dir} or the environment variable {@code
   * ARBITER_VECTORS_DIR}.
   */
  public static Path sharedVectors() {
    String configured =
        System.getProperty("arbiter.vectors.dir", System.getenv("ARBITER_VECTORS_DIR"));
    if (configured != null && !configured.isBlank()) {
      return Paths.get(configured).toAbsolutePath().normalize();
    }
    return root().resolve("../shared/vectors").normalize();
  }

  public static boolean underCi() {
    String ci = System.getenv("CI");
    return ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false");
  }

  /**
   * The shared vectors folder for a format, e.g. {@code sev-snp}. Skips the calling test with a
   * message when it is missing, except under {@code CI}, where a missing folder fails the run.
   */
  public static Path requireVectors(String folder) {
    Path path = sharedVectors().resolve(folder);
    if (!Files.isDirectory(path)) {
      String message = VECTORS_MISSING + path;
      if (underCi()) {
        throw new AssertionError(message + " (CI is set: conformance vectors are required)");
      }
      org.junit.jupiter.api.Assumptions.abort(message + "; skipping conformance test");
    }
    return path;
  }
}
