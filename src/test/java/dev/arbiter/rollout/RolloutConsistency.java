// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.governance.IntegrityCheck;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Checks, straight from the database, that every rollout is in a whole state: its rows, events,
 * policy revisions and audit records agree, with nothing half-written. Returns every violation
 * found (empty when consistent).
 */
final class RolloutConsistency {
  private RolloutConsistency() {}

  private record Revision(String workload, long seq, String hash, Set<String> accepted) {}

  private record Row(
      long id,
      String workload,
      Set<String> from,
      String to,
      String state,
      String staged,
      String fin) {}

  /**
   * @param setupSeq per workload, the last revision written before rollouts began (later revisions
   *     all belong to rollouts)
   */
  static List<String> check(
      Jdbi jdbi, Map<String, Long> setupSeq, dev.arbiter.governance.KeyRing ring) {
    return jdbi.withHandle(handle -> check(handle, setupSeq, ring));
  }

  static List<String> check(
      Handle handle, Map<String, Long> setupSeq, dev.arbiter.governance.KeyRing ring) {
    List<String> problems = new ArrayList<>();
    Map<String, Revision> revisions = new HashMap<>();
    Map<String, Revision> heads = new HashMap<>();
    handle
        .createQuery("select workload, seq, hash, body from policy_revision order by workload, seq")
        .map((rs, ctx) -> {
          Set<String> accepted = new TreeSet<>();
          RolloutService.parse(rs.getString("body"))
              .path("accepted")
              .forEach(e -> accepted.add(e.path("version").asText()));
          return new Revision(
              rs.getString("workload"), rs.getLong("seq"), rs.getString("hash"), accepted);
        })
        .list()
        .forEach(r -> {
          revisions.put(r.hash(), r);
          heads.put(r.workload(), r);
        });
    List<Row> rollouts =
        handle
            .createQuery("select * from rollout order by id")
            .map((rs, ctx) -> {
              Set<String> from = new TreeSet<>();
              RolloutService.parse(rs.getString("from_versions"))
                  .forEach(v -> from.add(v.asText()));
              return new Row(
                  rs.getLong("id"),
                  rs.getString("workload"),
                  from,
                  rs.getString("to_version"),
                  rs.getString("state"),
                  rs.getString("staged_revision"),
                  rs.getString("final_revision"));
            })
            .list();
    Map<Long, List<Map<String, Object>>> events = new HashMap<>();
    handle
        .createQuery(
            "select rollout_id, from_state, to_state, revision from rollout_event order by id")
        .mapToMap()
        .list()
        .forEach(e ->
            events
                .computeIfAbsent(((Number) e.get("rollout_id")).longValue(), k -> new ArrayList<>())
                .add(e));
    Map<String, Integer> auditByRevision = new HashMap<>();
    Map<Long, Integer> auditByRollout = new HashMap<>();
    for (String body :
        handle
            .createQuery("select body from audit_record order by seq")
            .mapTo(String.class)
            .list()) {
      JsonNode record = RolloutService.parse(body);
      if (record.path("action").asText().startsWith("rollout.")) {
        auditByRollout.merge(record.path("details").path("rollout").asLong(), 1, Integer::sum);
        if (!record.path("revision").isNull() && !record.path("revision").isMissingNode()) {
          auditByRevision.merge(record.path("revision").asText(), 1, Integer::sum);
        }
      }
    }

    Map<String, Row> latest = new HashMap<>();
    Map<String, Set<String>> acceptedAfter = new HashMap<>();
    for (Row r : rollouts) {
      String id = "rollout " + r.id() + " (" + r.workload() + " " + r.state() + ")";
      Set<String> staging = new TreeSet<>(r.from());
      staging.add(r.to());
      Set<String> expectedFinal =
          switch (r.state()) {
            case "COMPLETED" -> Set.of(r.to());
            case "ROLLED_BACK" -> r.from();
            default -> null;
          };
      if (!Set.of("STAGED", "ROLLING", "COMPLETED", "ROLLED_BACK").contains(r.state())) {
        problems.add(id + ": committed in state " + r.state());
      }
      if (acceptedAfter.containsKey(r.workload())
          && !acceptedAfter.get(r.workload()).equals(r.from())) {
        problems.add(
            id
                + ": moves from "
                + r.from()
                + " but the previous rollout left "
                + acceptedAfter.get(r.workload()));
      }
      Revision staged = r.staged() == null ? null : revisions.get(r.staged());
      if (staged == null || !staged.accepted().equals(staging)) {
        problems.add(
            id + ": staged revision " + r.staged() + " does not accept exactly " + staging);
      }
      if (expectedFinal == null) {
        if (r.fin() != null) {
          problems.add(id + ": active but has a final revision");
        }
        acceptedAfter.put(r.workload(), staging);
      } else {
        Revision fin = r.fin() == null ? null : revisions.get(r.fin());
        if (fin == null || !fin.accepted().equals(expectedFinal)) {
          problems.add(
              id + ": final revision " + r.fin() + " does not accept exactly " + expectedFinal);
        }
        acceptedAfter.put(r.workload(), expectedFinal);
      }
      List<Map<String, Object>> transitions =
          events.getOrDefault(r.id(), List.of()).stream()
              .filter(e ->
                  e.get("from_state") == null || !e.get("from_state").equals(e.get("to_state")))
              .toList();
      List<String> chain = transitions.stream().map(e -> (String) e.get("to_state")).toList();
      if (chain.isEmpty()
          || !chain.get(0).equals("PLANNED")
          || !chain.get(chain.size() - 1).equals(r.state())) {
        problems.add(id + ": events " + chain + " do not lead from PLANNED to its state");
      }
      for (int i = 1; i < transitions.size(); i++) {
        if (!transitions.get(i).get("from_state").equals(transitions.get(i - 1).get("to_state"))) {
          problems.add(id + ": events " + chain + " skip a state");
        }
      }
      for (Map<String, Object> e : events.getOrDefault(r.id(), List.of())) {
        if (e.get("revision") != null && !revisions.containsKey((String) e.get("revision"))) {
          problems.add(
              id + ": event to " + e.get("to_state") + " names a revision that does not exist");
        }
      }
      if (auditByRollout.getOrDefault(r.id(), 0) != transitions.size() - 1) {
        problems.add(
            id
                + ": "
                + auditByRollout.getOrDefault(r.id(), 0)
                + " audit records for "
                + (transitions.size() - 1)
                + " transitions");
      }
      latest.put(r.workload(), r);
    }
    Map<String, Integer> eventsByRevision = new HashMap<>();
    events
        .values()
        .forEach(list ->
            list.stream()
                .filter(e -> e.get("revision") != null)
                .filter(e ->
                    e.get("from_state") == null || !e.get("from_state").equals(e.get("to_state")))
                .forEach(e -> eventsByRevision.merge((String) e.get("revision"), 1, Integer::sum)));
    for (Revision revision : revisions.values()) {
      if (revision.seq() > setupSeq.getOrDefault(revision.workload(), Long.MAX_VALUE)) {
        String id = revision.workload() + "#" + revision.seq();
        if (eventsByRevision.getOrDefault(revision.hash(), 0) != 1) {
          problems.add(
              id
                  + ": written by "
                  + eventsByRevision.getOrDefault(revision.hash(), 0)
                  + " rollout transitions, not 1");
        }
        if (auditByRevision.getOrDefault(revision.hash(), 0) != 1) {
          problems.add(
              id
                  + ": named by "
                  + auditByRevision.getOrDefault(revision.hash(), 0)
                  + " rollout audit records, not 1");
        }
      }
    }
    latest.forEach((workload, r) -> {
      Revision head = heads.get(workload);
      String expected = Set.of("STAGED", "ROLLING").contains(r.state()) ? r.staged() : r.fin();
      if (head == null || !head.hash().equals(expected)) {
        problems.add(
            workload
                + ": head revision #"
                + (head == null ? "-" : head.seq())
                + " is not the one rollout "
                + r.id()
                + " ("
                + r.state()
                + ") wrote last");
      }
    });
    IntegrityCheck.Report integrity = IntegrityCheck.run(dev.arbiter.store.Tx.of(handle), ring);
    integrity.findings().forEach(f -> problems.add("integrity: " + f));
    return problems;
  }
}
