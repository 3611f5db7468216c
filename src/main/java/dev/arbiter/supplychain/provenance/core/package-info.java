// SPDX-License-Identifier: Apache-2.0
/**
 * The vocabulary shared by the provenance formats: the problem enum, trusted keys, signers,
 * subjects and the identity policy for keyless signatures. The lowest layer of {@code
 * supplychain.provenance}: {@code dsse}, {@code intoto} and {@code sigstore} depend on it, and the
 * orchestrating {@code supplychain.provenance} package on all of them; this package depends on none
 * of them (only {@code crypto}, {@code internal} and {@code problem}).
 */
package dev.arbiter.supplychain.provenance.core;
