// SPDX-License-Identifier: Apache-2.0
/**
 * TCG crypto-agile event logs (TPM PC Client, TDX CC event log): parsing, replay against signed
 * registers, and boot claims from logs that replayed. See README.md in this package.
 */
package dev.arbiter.evidence.eventlog;
