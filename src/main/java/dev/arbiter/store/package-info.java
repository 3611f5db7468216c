// SPDX-License-Identifier: Apache-2.0
/**
 * The system of record: PostgreSQL (embedded or external), its Flyway migrations, connection
 * pooling, and {@link dev.arbiter.store.Tx}, the explicit transaction one change spanning several
 * domains runs in ({@link dev.arbiter.store.Database#inTransaction}).
 *
 * <p>Invariants: opening migrates, and refuses a schema newer than this build; {@code audit verify}
 * opens without migrating. Only store classes ({@code *Store} in each domain, or this package)
 * touch Jdbi or SQL; domain services pass a {@code Tx} along opaquely ({@code ArchitectureTest}
 * checks it). The lowest layer of the domain: it may depend on nothing in {@code dev.arbiter}
 * (callers pass paths in; it knows no data-directory layout).
 */
package dev.arbiter.store;
