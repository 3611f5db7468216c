// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Run-wide test listener (registered in {@code META-INF/services}): creates the test JVM's {@code
 * java.io.tmpdir} (the build points it into {@code target/}), and when conformance tests were
 * skipped because the shared vectors are missing ({@link RepoPaths#requireVectors}), says once, at
 * the end of the run, how many and why.
 */
public final class SuiteReport implements TestExecutionListener {
  private final Set<String> skipped = ConcurrentHashMap.newKeySet();
  private volatile TestPlan plan;

  public SuiteReport() {
    try {
      Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void testPlanExecutionStarted(TestPlan testPlan) {
    plan = testPlan;
    skipped.clear();
  }

  @Override
  public void executionFinished(TestIdentifier id, TestExecutionResult result) {
    if (result.getStatus() != TestExecutionResult.Status.ABORTED
        || result
            .getThrowable()
            .map(Throwable::getMessage)
            .filter(m -> m.startsWith(RepoPaths.VECTORS_MISSING))
            .isEmpty()) {
      return;
    }
    if (id.isTest() || plan == null) {
      skipped.add(id.getUniqueId());
      return;
    }
    // a class aborted in @BeforeAll (or a parameterized test in its source): its tests never ran
    int before = skipped.size();
    plan.getDescendants(id).stream()
        .filter(d -> d.isTest() || plan.getChildren(d).isEmpty())
        .forEach(d -> skipped.add(d.getUniqueId()));
    if (skipped.size() == before) {
      skipped.add(id.getUniqueId());
    }
  }

  @Override
  public void testPlanExecutionFinished(TestPlan testPlan) {
    if (!skipped.isEmpty()) {
      System.out.printf(
          "[WARNING] %d conformance test%s skipped: no shared conformance vectors at %s"
              + " (ARBITER_VECTORS_DIR names another copy; under CI they fail)%n",
          skipped.size(), skipped.size() == 1 ? "" : "s", RepoPaths.sharedVectors());
    }
  }
}
