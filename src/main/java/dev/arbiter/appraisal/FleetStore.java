// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.appraisal;

import dev.arbiter.store.CopyRows;
import dev.arbiter.store.Database;
import java.util.Collection;
import java.util.List;

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

  /**
   * Writes a batch of events and the latest event per instance, in one transaction: the events as
   * one binary {@code COPY}, the instances as one upsert over arrays ({@code unnest}), so the cost
   * per attestation is a few hundred bytes, not two bound statements.
   */
  void write(List<FleetRecorder.Event> batch, Collection<FleetRecorder.Event> latest) {
    CopyRows events = new CopyRows(batch.size() * 160);
    for (FleetRecorder.Event event : batch) {
      events
          .row(8)
          .timestampMicros(CopyRows.micros(event.at()))
          .text(event.workload())
          .text(event.instanceId())
          .text(event.format())
          .text(event.version())
          .text(event.status())
          .text(event.reason())
          .text(event.policyRevision());
    }
    int n = latest.size();
    String[] workloads = new String[n];
    String[] instances = new String[n];
    String[] versions = new String[n];
    String[] formats = new String[n];
    String[] statuses = new String[n];
    String[] reasons = new String[n];
    String[] seen = new String[n];
    int i = 0;
    for (FleetRecorder.Event event : latest) {
      workloads[i] = event.workload();
      instances[i] = event.instanceId();
      versions[i] = event.version();
      formats[i] = event.format();
      statuses[i] = event.status();
      reasons[i] = event.reason();
      seen[i] = event.at().toString();
      i++;
    }
    database
        .jdbi()
        .useTransaction(handle -> {
          events.copyIn(
              handle,
              "copy attestation_event (at, workload, instance_id, format, version, status, reason,"
                  + " policy_revision) from stdin (format binary)",
              "record attestations");
          handle
              .createUpdate(
                  "insert into fleet_instance(workload, instance_id, version, format, status,"
                      + " reason, last_seen, first_seen) select w, i, v, f, s, r, t, t from"
                      + " unnest(:w::text[], :i::text[], :v::text[], :f::text[], :s::text[],"
                      + " :r::text[], :t::text[]::timestamptz[]) as u(w, i, v, f, s, r, t)"
                      + " on conflict (workload, instance_id) do update set version ="
                      + " coalesce(excluded.version, fleet_instance.version), format ="
                      + " excluded.format, status = excluded.status, reason = excluded.reason,"
                      + " last_seen = greatest(excluded.last_seen, fleet_instance.last_seen)")
              .bindArray("w", String.class, (Object[]) workloads)
              .bindArray("i", String.class, (Object[]) instances)
              .bindArray("v", String.class, (Object[]) versions)
              .bindArray("f", String.class, (Object[]) formats)
              .bindArray("s", String.class, (Object[]) statuses)
              .bindArray("r", String.class, (Object[]) reasons)
              .bindArray("t", String.class, (Object[]) seen)
              .execute();
        });
  }
}
