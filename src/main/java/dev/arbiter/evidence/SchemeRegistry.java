// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable set of enabled schemes keyed by id. Built from {@code
 * dev.arbiter.schemes.BuiltInSchemes}; no runtime discovery of plug-ins (loading external code
 * would widen the trusted computing base). Thread-safe.
 */
public final class SchemeRegistry {
  private final Map<String, EvidenceScheme> byId;

  private SchemeRegistry(Map<String, EvidenceScheme> byId) {
    this.byId = Collections.unmodifiableMap(new LinkedHashMap<>(byId));
  }

  public static SchemeRegistry of(Collection<? extends EvidenceScheme> schemes) {
    Map<String, EvidenceScheme> byId = new LinkedHashMap<>();
    Map<String, String> mediaOwners = new LinkedHashMap<>();
    for (EvidenceScheme scheme : schemes) {
      SchemeDescriptor descriptor = scheme.descriptor();
      if (descriptor == null || descriptor.binding() == null) {
        throw new IllegalArgumentException(
            "a scheme must declare a descriptor with a binding rule: "
                + scheme.getClass().getName());
      }
      if (byId.putIfAbsent(descriptor.id(), scheme) != null) {
        throw new IllegalArgumentException("scheme registered twice: " + descriptor.id());
      }
      for (String mediaType : descriptor.mediaTypes()) {
        String owner = mediaOwners.putIfAbsent(mediaType, descriptor.id());
        if (owner != null) {
          throw new IllegalArgumentException(
              "media type " + mediaType + " claimed by " + owner + " and " + descriptor.id());
        }
      }
    }
    return new SchemeRegistry(byId);
  }

  public Optional<EvidenceScheme> find(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  /** The descriptor of an enabled scheme. */
  public Optional<SchemeDescriptor> descriptor(String id) {
    return find(id).map(EvidenceScheme::descriptor);
  }

  /** True when {@code id} names an enabled scheme. */
  public boolean contains(String id) {
    return id != null && byId.containsKey(id);
  }

  public Collection<EvidenceScheme> all() {
    return byId.values();
  }

  /** A copy with one scheme replaced or added (tests inject schemes with test trust anchors). */
  public SchemeRegistry with(EvidenceScheme scheme) {
    Map<String, EvidenceScheme> copy = new LinkedHashMap<>(byId);
    copy.put(scheme.descriptor().id(), scheme);
    return of(copy.values());
  }

  /** A copy without the given scheme ids (config can switch schemes off). */
  public SchemeRegistry without(Collection<String> ids) {
    Map<String, EvidenceScheme> copy = new LinkedHashMap<>(byId);
    ids.forEach(copy::remove);
    return of(copy.values());
  }
}
