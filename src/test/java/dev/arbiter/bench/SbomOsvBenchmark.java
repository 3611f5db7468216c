// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.bench;

import dev.arbiter.supplychain.osv.AdvisoryIndex;
import dev.arbiter.supplychain.osv.ContinuousScan;
import dev.arbiter.supplychain.osv.Finding;
import dev.arbiter.supplychain.osv.Scanner;
import dev.arbiter.supplychain.sbom.Sbom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * SBOM x OSV: a full re-scan of 1,000 SBOMs of 1,000 components against 100,000 advisories, and the
 * incremental re-scan after one new advisory. Run with {@code main} (see docs/benchmarks.md).
 */
@State(Scope.Benchmark)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
public class SbomOsvBenchmark {
  static final int SBOMS = 1_000;
  static final int COMPONENTS = 1_000;
  static final int ADVISORIES = 100_000;

  private List<Sbom> sboms;
  private Scanner scanner;
  private ContinuousScan continuous;
  private SbomOsvData data;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    data = new SbomOsvData(5_000);
    sboms = data.sboms(SBOMS, COMPONENTS);
    AdvisoryIndex index = new AdvisoryIndex();
    var advisories = data.advisories(ADVISORIES);
    index.addAll(advisories);
    scanner = new Scanner(index);
    continuous = new ContinuousScan();
    for (int i = 0; i < sboms.size(); i++) {
      continuous.putSbom("version-" + i, sboms.get(i));
    }
    continuous.loadAdvisories(advisories);
  }

  /** Every SBOM fully re-scanned, one thread. Returns the number of findings. */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 2)
  @Measurement(iterations = 5)
  public long fullRescan() {
    long findings = 0;
    for (Sbom sbom : sboms) {
      findings += scanner.scan(sbom).findings().size();
    }
    return findings;
  }

  /** One new advisory on a package that every SBOM contains (widest case). */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 2, time = 2)
  @Measurement(iterations = 5, time = 2)
  public Map<String, List<Finding>> incrementalCommonPackage() {
    return continuous.addAdvisory(data.commonAdvisory("NEW-COMMON-" + next++));
  }

  /** One new advisory on a random package (typical case). */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 2, time = 2)
  @Measurement(iterations = 5, time = 2)
  public Map<String, List<Finding>> incrementalRandomPackage() {
    return continuous.addAdvisory(data.randomAdvisory("NEW-RANDOM-" + next++));
  }

  public static void main(String[] args) throws RunnerException {
    new Runner(new OptionsBuilder().include(SbomOsvBenchmark.class.getSimpleName()).build()).run();
  }
}
