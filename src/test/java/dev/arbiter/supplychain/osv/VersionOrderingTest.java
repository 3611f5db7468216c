// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.osv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each ecosystem's ordering on tables of real cases: every list must be strictly ascending. */
class VersionOrderingTest {
  private static void assertAscending(VersionOrdering ordering, String... versions) {
    for (int i = 0; i < versions.length; i++) {
      for (int j = 0; j < versions.length; j++) {
        int expected = Integer.compare(i, j);
        assertThat(Integer.signum(ordering.compare(versions[i], versions[j])))
            .as("%s: %s vs %s", ordering.name(), versions[i], versions[j])
            .isEqualTo(expected);
      }
    }
  }

  private static void assertEqual(VersionOrdering ordering, String a, String b) {
    assertThat(ordering.compare(a, b)).as("%s: %s == %s", ordering.name(), a, b).isZero();
  }

  @Test
  void semver_precedence_specExamples() {
    assertAscending(
        SemVer.STRICT,
        "1.0.0-alpha",
        "1.0.0-alpha.1",
        "1.0.0-alpha.beta",
        "1.0.0-beta",
        "1.0.0-beta.2",
        "1.0.0-beta.11",
        "1.0.0-rc.1",
        "1.0.0",
        "2.0.0",
        "2.1.0",
        "2.1.1",
        "10.0.0",
        "99999999999999999999.0.0");
    assertEqual(SemVer.STRICT, "1.0.0+build.1", "1.0.0+other");
    assertThat(SemVer.STRICT.parse("01.0.0")).isEmpty();
    assertThat(SemVer.STRICT.parse("1.0")).isEmpty();
    assertThat(SemVer.STRICT.parse("1.0.0-01")).isEmpty();
    assertThat(SemVer.STRICT.parse("1.0.0-")).isEmpty();
    assertThat(SemVer.CARGO.parse("v1.0.0")).isEmpty();
  }

  @Test
  void go_preReleasesPseudoVersionsAndIncompatible() {
    assertAscending(
        SemVer.GO,
        "v0.0.0-20210322153248-0c34fe9e7dc2",
        "v0.0.0-20210525063256-abc453219eb5",
        "v0.0.0-20211209124913-491a49abca63",
        "v0.3.7",
        "v0.3.8",
        "v1.0.0-rc93",
        "v1.0.0-rc95",
        "v1.0.0",
        "v1.1.12",
        "v1.2.4-0.20191109021931-daa7c04131f5",
        "v1.2.4");
    assertEqual(SemVer.GO, "v20.10.7+incompatible", "20.10.7");
  }

  @Test
  void npm_loosePrefixes() {
    assertAscending(SemVer.NPM, "0.0.1", "=1.2.3-beta", " v1.2.3 ", "1.10.0");
    assertThat(SemVer.NPM.parse("1.2")).isEmpty();
  }

  @Test
  void semver_agreesWithSemver4j_onGeneratedVersions() {
    Random random = new Random(42);
    String[] pre = {"", "-alpha", "-alpha.1", "-beta.2", "-rc.10", "-rc.9", "-1", "-x.7.z"};
    for (int n = 0; n < 2000; n++) {
      String a =
          random.nextInt(3)
              + "."
              + random.nextInt(3)
              + "."
              + random.nextInt(12)
              + pre[random.nextInt(pre.length)];
      String b =
          random.nextInt(3)
              + "."
              + random.nextInt(3)
              + "."
              + random.nextInt(12)
              + pre[random.nextInt(pre.length)];
      int reference =
          Integer.signum(new org.semver4j.Semver(a).compareTo(new org.semver4j.Semver(b)));
      assertThat(Integer.signum(SemVer.STRICT.compare(a, b)))
          .as("%s vs %s", a, b)
          .isEqualTo(reference);
    }
  }

  @Test
  void maven_numericSegmentsAndQualifiers() {
    assertAscending(
        MavenVersion.INSTANCE,
        "1.0-alpha-1",
        "1.0-beta-1",
        "1.0-milestone-1",
        "1.0-rc-1",
        "1.0-SNAPSHOT",
        "1.0",
        "1.0-sp-1",
        "1.0.1",
        "1.2.3",
        "1.23",
        "2.0",
        "2.9.10",
        "2.12.6.1",
        "2.13.0",
        "2.13.2.1",
        "9.4.18.v20190429",
        "24.1.1-jre",
        "32.0.0");
    assertEqual(MavenVersion.INSTANCE, "1.0", "1.0.0");
    assertEqual(MavenVersion.INSTANCE, "1.0-ga", "1.0");
  }

  @Test
  void pep440_epochsPrePostDevLocal() {
    assertAscending(
        Pep440Version.INSTANCE,
        "1.0.dev0",
        "1.0.dev456",
        "1.0a1",
        "1.0a2.dev456",
        "1.0a12.dev456",
        "1.0a12",
        "1.0b1.dev456",
        "1.0b2",
        "1.0b2.post345.dev456",
        "1.0b2.post345",
        "1.0rc1.dev456",
        "1.0rc1",
        "1.0",
        "1.0+abc.5",
        "1.0+abc.7",
        "1.0+5",
        "1.0.post456.dev34",
        "1.0.post456",
        "1.0.15",
        "1.1.dev1",
        "1!0.1");
    assertEqual(Pep440Version.INSTANCE, "1.0", "1.0.0");
    assertEqual(Pep440Version.INSTANCE, "1.0alpha1", "1.0a1");
    assertEqual(Pep440Version.INSTANCE, "1.0-1", "1.0.post1");
    assertEqual(Pep440Version.INSTANCE, "1.0c1", "1.0rc1");
    assertEqual(Pep440Version.INSTANCE, "v1.0.PREVIEW-2", "1.0rc2");
    assertEqual(Pep440Version.INSTANCE, "1.0-r4", "1.0.post4");
    assertThat(Pep440Version.INSTANCE.parse("1.0-foo")).isEmpty();
    assertThat(Pep440Version.INSTANCE.parse("french toast")).isEmpty();
  }

  @Test
  void rubygems_prereleaseLettersAndTrailingZeros() {
    assertAscending(
        RubyGemsVersion.INSTANCE,
        "0.9",
        "1.0.a",
        "1.0.a.2",
        "1.0.b1",
        "1.0.rc1",
        "1.0",
        "1.0.1",
        "1.8.0",
        "1.13.2",
        "1.15.3",
        "2.3.0",
        "2.7.0",
        "2.8.0",
        "6.0.2.1",
        "10");
    assertEqual(RubyGemsVersion.INSTANCE, "1.0", "1");
    assertEqual(RubyGemsVersion.INSTANCE, "1.0.0", "1");
    assertEqual(RubyGemsVersion.INSTANCE, "1.0-pre", "1.0.pre.pre"); // "-" reads as ".pre."
    assertThat(RubyGemsVersion.INSTANCE.compare("1.0-1", "1.0")).isNegative();
    assertEqual(RubyGemsVersion.INSTANCE, "1.0.a", "1.0a");
    assertEqual(RubyGemsVersion.INSTANCE, "", "0");
    assertThat(RubyGemsVersion.INSTANCE.parse("1..0")).isEmpty();
    assertThat(RubyGemsVersion.INSTANCE.parse("junk")).isEmpty();
  }

  @Test
  void debian_dpkgTildeEpochRevision() {
    assertAscending(
        DebianVersion.INSTANCE,
        "0.9",
        "1.0~~",
        "1.0~~a",
        "1.0~",
        "1.0",
        "1.0-1",
        "1.0-1.1",
        "1.0-2",
        "1.0a",
        "1.0+b1",
        "1.0.1",
        "1.1",
        "2.28-9",
        "2.28-10",
        "1:0.1");
    assertEqual(DebianVersion.INSTANCE, "1.0", "1.0-0");
    assertEqual(DebianVersion.INSTANCE, "0:1.0", "1.0");
    assertEqual(DebianVersion.INSTANCE, "1.00", "1.0");
    assertThat(DebianVersion.INSTANCE.parse("a1.0")).isEmpty();
    assertThat(DebianVersion.INSTANCE.parse("x:1.0")).isEmpty();
    assertThat(DebianVersion.INSTANCE.parse("1.0-")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\u0000", "-", "+", "v", "1.0.0-+", "1!", "..", "é"})
  @SuppressWarnings(
      "SelfComparison") // compareTo must be reflexive: comparing v with itself is the check
  void allOrderings_oddInput_parseOrEmpty_neverThrow(String text) {
    for (VersionOrdering ordering :
        List.of(
            SemVer.STRICT,
            SemVer.GO,
            SemVer.NPM,
            SemVer.CARGO,
            MavenVersion.INSTANCE,
            Pep440Version.INSTANCE,
            RubyGemsVersion.INSTANCE,
            DebianVersion.INSTANCE)) {
      ordering.parse(text).ifPresent(v -> assertThat(v.compareTo(v)).isZero());
    }
  }
}
