// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.governance;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One audit record as stored: global sequence number, hash, previous hash and the canonical body
 * {@code {seq, prev, at, principal, action, target, reason, revision, details}}.
 */
public record AuditRecord(
    long seq, String hash, String prev, JsonNode body, String keyId, String signature) {}
