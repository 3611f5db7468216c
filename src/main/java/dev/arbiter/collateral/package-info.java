// SPDX-License-Identifier: Apache-2.0
/**
 * Imported attestation collateral (TCB info, QE identities, CRLs, RIMs...): each file is checked on
 * import by every enabled evidence scheme and stored only when every file is recognized and valid
 * (one transaction with its audit record); appraisal reads the newest current file per format, kind
 * and key from memory, never from the database — only files whose bytes match their row and a
 * signed {@code collateral.import} audit record (see README.md).
 *
 * <p>Owns the {@code collateral} table; its SQL lives only in {@code CollateralStore}.
 *
 * <p>Allowed dependencies: {@code evidence} (the scheme SPI), {@code governance} (audit), {@code
 * store}, {@code crypto}, {@code internal}, {@code problem}, {@code auth.Principal}. Routes are in
 * {@code collateral.http}; the server hands {@code forFormat} to the appraiser.
 */
package dev.arbiter.collateral;
