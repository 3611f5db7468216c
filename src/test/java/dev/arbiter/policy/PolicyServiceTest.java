// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.auth.Principal;
import dev.arbiter.auth.Role;
import dev.arbiter.crypto.ServiceKey;
import dev.arbiter.governance.AuditLog;
import dev.arbiter.governance.AuditRecord;
import dev.arbiter.governance.IntegrityCheck;
import dev.arbiter.governance.KeyRing;
import dev.arbiter.governance.ServiceKeyStore;
import dev.arbiter.internal.Json;
import dev.arbiter.problem.ProblemException;
import dev.arbiter.problem.ProblemType;
import dev.arbiter.schemes.BuiltInSchemes;
import dev.arbiter.store.Database;
import dev.arbiter.testing.TestDatabase;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link PolicyService} over a real database, without HTTP. Each test uses its own workload. */
class PolicyServiceTest {
  private static final Principal ALICE = new Principal("alice", Role.OPERATOR, "-");
  private static Database database;
  private static PolicyService policies;
  private static KeyRing ring;

  @BeforeAll
  static void open() {
    database = TestDatabase.fresh();
    ServiceKey key = ServiceKey.generate();
    new ServiceKeyStore(database).register(key, Clock.systemUTC().instant());
    ring = KeyRing.of(key, Clock.systemUTC().instant());
    policies =
        new PolicyService(
            database,
            key,
            new AuditLog(key, Clock.systemUTC()),
            BuiltInSchemes.registry(),
            Clock.systemUTC());
  }

  @AfterAll
  static void close() {
    database.close();
  }

  private static JsonNode values(String measurement) {
    return Json.mapper().valueToTree(Map.of("sample", Map.of("measurement", measurement)));
  }

  private static void assertProblem(ThrowingCallable call, ProblemType type) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            ProblemException.class, e -> assertThat(e.problem().type()).isEqualTo(type));
  }

  private static List<AuditRecord> audit(String target) {
    return AuditLog.list(database, 0, 1000, Optional.of(target));
  }

  @Test
  void createWorkload_new_writesFirstRevisionAndAuditRecord() {
    Workload created = policies.createWorkload(ALICE, "create", null, null);
    assertThat(created.owner()).isEqualTo("alice");
    PolicyRevision first = policies.current("create");
    assertThat(first.seq()).isOne();
    assertThat(first.prev()).isNull();
    assertThat(first.acceptedLabels()).isEmpty();
    assertThat(audit("create"))
        .extracting(r -> r.body().path("action").asText())
        .containsExactly("workload.create");
    assertThat(audit("create").getFirst().body().path("revision").asText()).isEqualTo(first.hash());
  }

  @Test
  void createWorkload_existingName_isRefusedAndWritesNothing() {
    policies.createWorkload(ALICE, "twice", null, null);
    assertProblem(
        () -> policies.createWorkload(ALICE, "twice", null, null), PolicyProblem.WORKLOAD_EXISTS);
    assertThat(policies.revisions("twice")).hasSize(1);
    assertThat(audit("twice")).hasSize(1);
  }

  @Test
  void workload_unknown_isNotFound() {
    assertProblem(() -> policies.current("nowhere"), PolicyProblem.WORKLOAD_NOT_FOUND);
    assertProblem(() -> policies.versions("nowhere"), PolicyProblem.WORKLOAD_NOT_FOUND);
  }

  @Test
  void registerVersion_sameContentAgain_isIdempotent_otherContentConflicts() {
    policies.createWorkload(ALICE, "register", null, null);
    PolicyService.Registration first =
        policies.registerVersion(ALICE, "register", "1.0.0", values("aa11"), Optional.empty());
    PolicyService.Registration again =
        policies.registerVersion(ALICE, "register", "1.0.0", values("aa11"), Optional.empty());
    assertThat(first.created()).isTrue();
    assertThat(again.created()).isFalse();
    assertThat(again.version().contentHash()).isEqualTo(first.version().contentHash());
    assertProblem(
        () ->
            policies.registerVersion(ALICE, "register", "1.0.0", values("bb22"), Optional.empty()),
        PolicyProblem.VERSION_CONFLICT);
    assertThat(policies.versions("register")).hasSize(1);
    assertThat(audit("register@1.0.0")).hasSize(1);
  }

  @Test
  void acceptThenRevoke_chainsRevisions_andMarksTheVersionRevoked() {
    policies.createWorkload(ALICE, "chain", null, null);
    policies.registerVersion(ALICE, "chain", "1.0.0", values("aa11"), Optional.empty());
    PolicyRevision accepted = policies.accept(ALICE, "chain", "1.0.0", "release", Optional.empty());
    PolicyRevision revoked =
        policies.revoke(ALICE, "chain", "1.0.0", "CVE", Optional.of(accepted.hash()));
    List<PolicyRevision> revisions = policies.revisions("chain");
    assertThat(revisions).extracting(PolicyRevision::seq).containsExactly(1L, 2L, 3L);
    for (int i = 1; i < revisions.size(); i++) {
      assertThat(revisions.get(i).prev()).isEqualTo(revisions.get(i - 1).hash());
    }
    assertThat(accepted.acceptedLabels()).containsExactly("1.0.0");
    assertThat(revoked.acceptedLabels()).isEmpty();
    assertThat(policies.version("chain", "1.0.0").revoked()).isTrue();
    assertProblem(
        () -> policies.revoke(ALICE, "chain", "1.0.0", "again", Optional.empty()),
        PolicyProblem.VERSION_NOT_ACCEPTED);
    assertThat(IntegrityCheck.run(database, ring).intact()).isTrue();
  }

  @Test
  void accept_staleBaseRevision_conflictsAndWritesNothing() {
    policies.createWorkload(ALICE, "stale", null, null);
    PolicyRevision base = policies.current("stale");
    policies.registerVersion(ALICE, "stale", "1.0.0", values("aa11"), Optional.empty());
    policies.registerVersion(ALICE, "stale", "2.0.0", values("bb22"), Optional.empty());
    policies.accept(ALICE, "stale", "1.0.0", "first", Optional.of(base.hash()));
    assertProblem(
        () ->
            policies.accept(
                ALICE, "stale", "2.0.0", "based on the old head", Optional.of(base.hash())),
        PolicyProblem.REVISION_CONFLICT);
    assertThat(policies.current("stale").acceptedLabels()).containsExactly("1.0.0");
    assertThat(policies.version("stale", "2.0.0").revoked()).isFalse();
  }

  @Test
  void accept_alreadyAccepted_andUnknownVersion_areRefused() {
    policies.createWorkload(ALICE, "refusals", null, null);
    policies.registerVersion(ALICE, "refusals", "1.0.0", values("aa11"), Optional.empty());
    policies.accept(ALICE, "refusals", "1.0.0", "release", Optional.empty());
    assertProblem(
        () -> policies.accept(ALICE, "refusals", "1.0.0", "again", Optional.empty()),
        PolicyProblem.VERSION_ALREADY_ACCEPTED);
    assertProblem(
        () -> policies.accept(ALICE, "refusals", "9.9.9", "missing", Optional.empty()),
        PolicyProblem.VERSION_NOT_FOUND);
  }

  @Test
  void accept_concurrently_serializesIntoOneUnbrokenChain() throws Exception {
    String workload = "concurrent";
    int versions = 8;
    policies.createWorkload(ALICE, workload, null, null);
    for (int i = 0; i < versions; i++) {
      policies.registerVersion(
          ALICE, workload, "1.0." + i, values("%04x".formatted(i)), Optional.empty());
    }
    CountDownLatch go = new CountDownLatch(1);
    List<Future<PolicyRevision>> results = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(versions)) {
      for (int i = 0; i < versions; i++) {
        String label = "1.0." + i;
        results.add(
            pool.submit(() -> {
              go.await();
              return policies.accept(ALICE, workload, label, "parallel", Optional.empty());
            }));
      }
      go.countDown();
      for (Future<PolicyRevision> result : results) {
        result.get();
      }
    }
    List<PolicyRevision> revisions = policies.revisions(workload);
    assertThat(revisions)
        .extracting(PolicyRevision::seq)
        .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
    assertThat(revisions.getLast().acceptedLabels()).hasSize(versions);
    assertThat(IntegrityCheck.run(database, ring).intact()).isTrue();
  }

  @Test
  void reviseInTransaction_transactionRolledBack_leavesNoRevision() {
    policies.createWorkload(ALICE, "rollback", null, null);
    PolicyRevision before = policies.current("rollback");
    assertThatThrownBy(() ->
            database.useTransaction(tx -> {
              policies.reviseInTransaction(
                  tx,
                  ALICE,
                  "rollback",
                  "composed",
                  Optional.empty(),
                  content -> {
                    content.put("appraisal", "true");
                    return content;
                  });
              throw new IllegalStateException("the other domain's write failed");
            }))
        .isInstanceOf(IllegalStateException.class);
    assertThat(policies.current("rollback")).isEqualTo(before);
  }

  @Test
  void diff_acceptedAndAppraisal_reportsOnlyWhatChanged() {
    policies.createWorkload(ALICE, "diff", null, null);
    policies.registerVersion(ALICE, "diff", "1.0.0", values("aa11"), Optional.empty());
    policies.accept(ALICE, "diff", "1.0.0", "release", Optional.empty());
    policies.setAppraisal(ALICE, "diff", "true", "allow", Optional.empty());
    JsonNode diff = Json.mapper().valueToTree(policies.diff("diff", 1, 3));
    assertThat(diff.path("accepted_added")).hasSize(1);
    assertThat(diff.path("accepted_removed")).isEmpty();
    assertThat(diff.path("appraisal").path("from").isNull()).isTrue();
    assertThat(diff.path("appraisal").path("to").asText()).isEqualTo("true");
    assertThat(diff.has("endorsements")).isFalse();
    assertThat(diff.path("from").path("seq").asLong()).isOne();
    assertThat(Json.mapper().valueToTree(policies.diff("diff", 2, 2)).has("appraisal")).isFalse();
  }

  @Test
  void setAppraisal_invalidCel_isRefusedBeforeAnyWrite() {
    policies.createWorkload(ALICE, "cel", null, null);
    assertProblem(
        () -> policies.setAppraisal(ALICE, "cel", "this is not CEL (", "broken", Optional.empty()),
        PolicyProblem.INVALID_CEL);
    assertThat(policies.revisions("cel")).hasSize(1);
  }

  private static JsonNode snpValues() {
    return Json.mapper()
        .valueToTree(
            Map.of(
                "sev-snp",
                Map.of("measurement", "ab".repeat(48), "min", Map.of("reported_tcb.snp", 8))));
  }

  private static List<String> details(ThrowingCallable call) {
    List<String> out = new ArrayList<>();
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            ProblemException.class,
            e ->
                e.problems()
                    .forEach(p -> {
                      assertThat(p.type()).isEqualTo(PolicyProblem.APPRAISAL_UNKNOWN_CLAIM);
                      out.add(p.detail());
                    }));
    return out;
  }

  @Test
  void setAppraisal_unknownClaims_areRefusedWithTheNearestName_andChangeNothing() {
    policies.createWorkload(ALICE, "unknown-claim", null, null);
    policies.registerVersion(ALICE, "unknown-claim", "1.0", values("aa11"), Optional.empty());
    int revisions = policies.revisions("unknown-claim").size();
    int records = audit("unknown-claim").size();
    List<String> details =
        details(() ->
            policies.setAppraisal(
                ALICE,
                "unknown-claim",
                "claims.debugg == false && claims[\"measurment\"] == 'aa11' && claims.svn > 1",
                "typo",
                Optional.empty()));
    assertThat(details)
        .containsExactly(
            "claims.debugg is not a claim of sample; did you mean claims.debug?",
            "claims.measurment is not a claim of sample; did you mean claims.measurement?");
    assertThat(policies.revisions("unknown-claim")).hasSize(revisions);
    assertThat(audit("unknown-claim")).hasSize(records);
    assertThat(policies.current("unknown-claim").appraisal()).isEmpty();
  }

  @Test
  void setAppraisal_knownClaims_nestedIndexedAndOfANamedScheme_areAccepted() {
    policies.createWorkload(ALICE, "known-claims", null, null);
    policies.registerVersion(ALICE, "known-claims", "1.0", snpValues(), Optional.empty());
    PolicyRevision revision =
        policies.setAppraisal(
            ALICE,
            "known-claims",
            "claims.reported_tcb.snp >= 8 && claims[\"debug_allowed\"] == false"
                + " && 'vmpl' in claims && has(claims.reported_tcb)"
                + " && (format != 'tdx' || claims.mr_td != '')",
            "hardening",
            Optional.empty());
    assertThat(revision.appraisal()).isPresent();
    // a scheme of the versions does not know mr_td, and the policy no longer names tdx
    assertThat(
            details(() ->
                policies.setAppraisal(
                    ALICE, "known-claims", "claims.mr_td != ''", "tdx only", Optional.empty())))
        .singleElement()
        .asString()
        .startsWith("claims.mr_td is not a claim of sev-snp; did you mean");
    // a comprehension variable named claims hides the claims variable
    policies.setAppraisal(
        ALICE,
        "known-claims",
        "[{'nothing': 1}].all(claims, claims.nothing == 1)",
        "shadow",
        Optional.empty());
  }

  @Test
  void setAppraisal_withoutVersions_checksEveryScheme_andDeviceClaimsOnlyDeviceSchemes() {
    policies.createWorkload(ALICE, "no-versions", null, null);
    policies.setAppraisal(
        ALICE, "no-versions", "claims.tcb_status == 'UpToDate'", "any", Optional.empty());
    assertThat(
            details(() ->
                policies.setAppraisal(
                    ALICE, "no-versions", "claims.no_such_claim", "x", Optional.empty())))
        .singleElement()
        .asString()
        .startsWith("claims.no_such_claim is not a claim of any enabled CPU scheme");
    assertThat(
            details(() ->
                policies.setAppraisal(
                    ALICE,
                    "no-versions",
                    "devices.all(d, d.claims.measurement_nope == 'x') && devices[0].claims.nonce"
                        + " != ''",
                    "x",
                    Optional.empty())))
        .singleElement()
        .asString()
        .startsWith(
            "devices[].claims.measurement_nope is not a claim of any enabled device scheme");
  }

  private static RecentAppraisals.Sample sample(
      String instance, java.time.Instant at, boolean debug, boolean passed) {
    return new RecentAppraisals.Sample(
        at,
        instance,
        "f".repeat(64),
        new AppraisalInput(
            "sample", "1.0", Map.of("measurement", "aa11", "debug", debug), List.of()),
        passed,
        passed ? "affirming" : "refused",
        passed ? null : "policy-denied");
  }

  @Test
  void previewAppraisal_showsCountsAndFlips_andChangesNothing() {
    policies.createWorkload(ALICE, "preview", null, null);
    policies.registerVersion(ALICE, "preview", "1.0", values("aa11"), Optional.empty());
    java.time.Instant now = java.time.Instant.now();
    RecentAppraisals recent = policies.recentAppraisals();
    recent.record("preview", sample("i-1", now.minusSeconds(30), false, true));
    recent.record("preview", sample("i-2", now.minusSeconds(20), true, true));
    recent.record("preview", sample("i-3", now.minusSeconds(10), false, false));
    recent.record("preview", sample("i-old", now.minusSeconds(7200), true, true));
    int revisions = policies.revisions("preview").size();
    int records = audit("preview").size();

    AppraisalPreview preview =
        policies.previewAppraisal("preview", "claims.debug == false", 100, Optional.empty());
    assertThat(preview.sampled()).isEqualTo(4);
    assertThat(preview.actual()).isEqualTo(new AppraisalPreview.Counts(3, 1));
    assertThat(preview.proposed()).isEqualTo(new AppraisalPreview.Counts(2, 2));
    assertThat(preview.flips())
        .extracting(AppraisalPreview.Flip::instanceId, AppraisalPreview.Flip::proposed)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("i-3", "pass"),
            org.assertj.core.groups.Tuple.tuple("i-2", "fail"),
            org.assertj.core.groups.Tuple.tuple("i-old", "fail"));
    assertThat(preview.flips().get(1).reason())
        .isEqualTo("the proposed policy denies these claims; claims.debug=true");
    assertThat(preview.flips().get(0).reason())
        .startsWith("the proposed policy allows these claims; refused (policy-denied)");
    assertThat(preview.currentCel()).isNull();

    AppraisalPreview lastHour =
        policies.previewAppraisal(
            "preview", "claims.debug == false", 100, Optional.of(java.time.Duration.ofHours(1)));
    assertThat(lastHour.sampled()).isEqualTo(3);
    assertThat(lastHour.flips()).hasSize(2);
    AppraisalPreview newest =
        policies.previewAppraisal("preview", "claims.debug == false", 1, Optional.empty());
    assertThat(newest.sampled()).isOne();
    assertThat(newest.flips()).extracting(AppraisalPreview.Flip::instanceId).containsExactly("i-3");
    // an evaluation error fails (a claim of the scheme the instance did not send)
    AppraisalPreview missing =
        policies.previewAppraisal("preview", "claims.svn > 1", 100, Optional.empty());
    assertThat(missing.proposed()).isEqualTo(new AppraisalPreview.Counts(0, 4));
    assertThat(missing.flips().get(1).reason()).contains("cannot be evaluated");

    assertProblem(
        () -> policies.previewAppraisal("preview", "claims.debugg", 100, Optional.empty()),
        PolicyProblem.APPRAISAL_UNKNOWN_CLAIM);
    assertProblem(
        () -> policies.previewAppraisal("preview", "claims.debug", 0, Optional.empty()),
        dev.arbiter.problem.CommonProblem.INVALID_FIELD);
    assertProblem(
        () -> policies.previewAppraisal("nowhere", "true", 10, Optional.empty()),
        PolicyProblem.WORKLOAD_NOT_FOUND);
    assertThat(policies.revisions("preview")).hasSize(revisions);
    assertThat(audit("preview")).hasSize(records);
  }
}
