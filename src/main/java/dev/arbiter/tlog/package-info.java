// SPDX-License-Identifier: Apache-2.0
/**
 * The transparency log: an append-only RFC 9162 Merkle tree of every integrity-relevant record
 * (policy revisions, audit records, key events, attestation decisions), with Ed25519-signed
 * checkpoints in the C2SP {@code tlog-checkpoint} signed-note format, inclusion and consistency
 * proofs, offline verification with a pinned key, and a startup check against the last checkpoint
 * kept outside the database.
 *
 * <p>Entry points: {@link dev.arbiter.tlog.TransparencyLog} (the service), {@link
 * dev.arbiter.tlog.LogStore} (the only class with SQL, migration V8), {@link
 * dev.arbiter.tlog.ProofVerifier} (offline verification). See README.md in this directory for the
 * formats, tables, guarantees and how third parties verify.
 */
package dev.arbiter.tlog;
