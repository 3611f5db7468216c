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
}
