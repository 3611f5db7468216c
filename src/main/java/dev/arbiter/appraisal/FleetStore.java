// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.appraisal;

import dev.arbiter.store.Database;
import java.util.Collection;
import java.util.List;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The SQL of the fleet tables this package writes: every appraisal outcome ({@code
 * attestation_event}) and the latest state per instance ({@code fleet_instance}). Rollouts read
 * them (their own store); appraisal never reads them.
 */
final class FleetStore {
  private final Database database;

  FleetStore(Database database) {
    this.database = database;
  }

  /** Writes a batch of events and the latest event per instance, in one transaction. */
  void write(List<FleetRecorder.Event> batch, Collection<FleetRecorder.Event> latest) {
    database
        .jdbi()
        .useTransaction(handle -> {
          PreparedBatch events =
              handle.prepareBatch(
                  "insert into attestation_event(at, workload, instance_id, format, version,"
                      + " status, reason, policy_revision) values (:at, :workload, :instance,"
                      + " :format, :version, :status, :reason, :revision)");
          for (FleetRecorder.Event event : batch) {
            events
                .bind("at", event.at())
                .bind("workload", event.workload())
                .bind("instance", event.instanceId())
                .bind("format", event.format())
                .bind("version", event.version())
                .bind("status", event.status())
                .bind("reason", event.reason())
                .bind("revision", event.policyRevision())
                .add();
          }
          events.execute();
          PreparedBatch instances =
              handle.prepareBatch(
                  "insert into fleet_instance(workload, instance_id, version, format, status,"
                      + " reason, last_seen, first_seen) values (:workload, :instance, :version,"
                      + " :format, :status, :reason, :at, :at) on conflict (workload, instance_id)"
                      + " do update set version = coalesce(excluded.version,"
                      + " fleet_instance.version), format = excluded.format, status ="
                      + " excluded.status, reason = excluded.reason, last_seen ="
                      + " greatest(excluded.last_seen, fleet_instance.last_seen)");
          for (FleetRecorder.Event event : latest) {
            instances
                .bind("workload", event.workload())
                .bind("instance", event.instanceId())
                .bind("version", event.version())
                .bind("format", event.format())
                .bind("status", event.status())
                .bind("reason", event.reason())
                .bind("at", event.at())
                .add();
          }
          instances.execute();
        });
  }
}
