// SPDX-License-Identifier: Apache-2.0
/**
 * The HTTP transport of appraisal: {@code POST /v1/challenge} and {@code POST /v1/attest}.
 *
 * <p><b>Owns.</b> The request and response bodies (records, snake_case JSON) and their mapping to
 * {@link dev.arbiter.appraisal.AttestRequest}: strict decoding of every base64 field with {@link
 * dev.arbiter.internal.Encodings} (nonces as base64url), the TEE key parsed once, typed problems
 * for malformed input. A {@link dev.arbiter.appraisal.AppraisalOutcome.Refused} becomes its problem
 * response; an issued EAR's {@code expires_at} is the token's {@code exp}.
 *
 * <p><b>May depend on.</b> {@code appraisal}, {@code http}, {@code evidence} (the input record),
 * {@code internal}, {@code problem}. Holds no logic beyond decoding and mapping.
 */
package dev.arbiter.appraisal.http;
