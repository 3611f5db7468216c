// SPDX-License-Identifier: Apache-2.0
/**
 * Part of {@link dev.arbiter.supplychain.provenance.ProvenanceVerifier}'s implementation (intoto);
 * public only so the parent package can use it. See the parent package's README.md.
 */
package dev.arbiter.supplychain.provenance.intoto;
