// SPDX-License-Identifier: Apache-2.0
/**
 * The registry of evidence schemes compiled into Arbiter ({@link
 * dev.arbiter.schemes.BuiltInSchemes}): one line per scheme package under {@code
 * dev.arbiter.evidence}, each with its pinned production trust anchors.
 *
 * <p><b>Invariants.</b> The list is explicit (no plug-in discovery: loading external code would
 * widen the trusted computing base). Every scheme registered declares a complete {@link
 * dev.arbiter.evidence.SchemeDescriptor}, including its binding rule; {@code BuiltInSchemesTest}
 * checks each against the contract.
 *
 * <p><b>May depend on.</b> {@code evidence} and its scheme packages only; it sits above them so
 * that the SPI package {@code evidence} depends on no scheme. Domains receive the registry by
 * constructor from the server or CLI wiring.
 */
package dev.arbiter.schemes;
