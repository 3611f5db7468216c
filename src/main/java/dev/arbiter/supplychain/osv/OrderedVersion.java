// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.osv;

/**
 * A version parsed under one {@link VersionOrdering}. Instances are only comparable with versions
 * parsed by the same ordering; {@link #text()} is the input as given.
 */
public interface OrderedVersion extends Comparable<OrderedVersion> {
  String text();
}
