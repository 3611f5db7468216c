// SPDX-License-Identifier: Apache-2.0
/**
 * The key broker: secrets sealed at rest (envelope encryption, {@code crypto.AesGcm} under a data
 * key wrapped by a {@link dev.arbiter.keybroker.KeyProvider}) and released only to an attested TEE
 * that presents a verified EAR, a proof of possession of its key and a fresh nonce, under the
 * secret's CEL release policy. See README.md.
 *
 * <p>Owns the {@code secret} table; its SQL lives only in {@code SecretStore}; the release path
 * runs in one transaction ({@code SecretStore.inTransaction}) with its audit record.
 *
 * <p>Invariants: plaintext exists only between {@code SecretHandle.reveal} and the JWE encryption
 * to the TEE's key and never reaches logs, audit records or error details; a ciphertext moved to
 * another name or version fails to open (associated data); every refusal is audited with the check
 * that failed, and the caller learns only that the release was refused.
 *
 * <p>Allowed dependencies: {@code token} (EAR verification), {@code appraisal.Nonces}, {@code
 * policy.CelPolicy}, {@code governance} (audit), {@code store}, {@code crypto}, {@code internal},
 * {@code problem}, {@code auth}. Routes are in {@code keybroker.http}.
 */
package dev.arbiter.keybroker;
