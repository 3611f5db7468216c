// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.keybroker;

import java.time.Instant;

/**
 * What may be shown about a secret: never its value, its data key or a digest of its value.
 *
 * @param name the resource name ({@code POST /v1/resources/{name}})
 * @param workload the only workload whose attested TEEs may receive it
 * @param version the current version (1 on put, +1 per rotation)
 * @param releasePolicy the CEL release policy over the verified EAR
 * @param allowWarning whether EARs with status {@code warning} may receive it (never
 *     contraindicated)
 * @param keyId the master key that wraps the current version's data key
 */
public record SecretMetadata(
    String name,
    String workload,
    int version,
    String releasePolicy,
    boolean allowWarning,
    String keyId,
    Instant createdAt,
    String createdBy,
    Instant updatedAt,
    String updatedBy) {}
