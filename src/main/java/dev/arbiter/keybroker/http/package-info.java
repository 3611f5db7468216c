// SPDX-License-Identifier: Apache-2.0
/**
 * The key-broker HTTP routes ({@code KeyBrokerRoutes}): the open release route for TEEs and the
 * operator routes that put, rotate, re-policy and delete secrets. Secret values arrive as base64
 * decoded by {@code internal.Encodings}; replies carry metadata only, never a value. Allowed
 * dependencies: {@code keybroker}, {@code http}, {@code store.Database} (wiring), {@code auth},
 * {@code internal}, {@code problem}; no SQL.
 */
package dev.arbiter.keybroker.http;
