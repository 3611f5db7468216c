// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;

/**
 * An open loop driven by one thread that never sleeps ({@code bench/attest-load} with {@code
 * ATTEST_SPIN=1}): it sends each prepared request when it is due on a free keep-alive connection
 * and polls every connection ({@link Selector#selectNow}) for answers, over non-blocking channels
 * with an {@link SSLEngine} each. The blocking generator's threads sleep until a request is due and
 * block until its answer comes; on a virtual machine that halts an idle virtual CPU, each of those
 * wake-ups can come milliseconds late (a 1 ms sleeper on an idle core of this project's VM woke
 * over 5 ms late several times in 30 s), and a late wake-up on the receiving side is counted as the
 * server's latency. This loop keeps the generator's core busy instead, so its send times and answer
 * times are taken when they happen. It costs the whole core it is pinned to.
 *
 * <p>Same measurements as the blocking open loop: latency from the intended start, and how late a
 * request left after it was due and its connection free. Answers must carry a {@code
 * Content-Length} (Arbiter's do).
 */
final class SpinningOpenLoop implements AttestLoadGenerator.Sender, AutoCloseable {
  private final Selector selector;
  private final List<Channel> channels = new ArrayList<>();

  SpinningOpenLoop(SSLContext context, URI server, int count) throws IOException {
    selector = Selector.open();
    try {
      for (int i = 0; i < count; i++) {
        Channel channel = new Channel(context, server);
        channels.add(channel);
        channel.socket.register(selector, SelectionKey.OP_READ, channel);
      }
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Each request on the first free connection once it is due, or as soon as one is free. */
  @Override
  public void send(long start, double rate, byte[][] requests, AttestLoadGenerator.Tally tally)
      throws IOException {
    int count = requests.length;
    ArrayDeque<Channel> free = new ArrayDeque<>(channels);
    for (Channel channel : channels) {
      channel.freeSince = start;
    }
    int next = 0;
    int done = 0;
    while (done < count) {
      long now = System.nanoTime();
      while (next < count && !free.isEmpty()) {
        long due = start + (long) (next / rate * 1e9);
        if (now < due) {
          break;
        }
        Channel channel = free.poll();
        channel.send(next, due, now, requests[next]);
        next++;
        now = System.nanoTime();
      }
      if (selector.selectNow() == 0) {
        continue;
      }
      for (SelectionKey key : selector.selectedKeys()) {
        Channel channel = (Channel) key.attachment();
        int status = channel.receive();
        if (status >= 0) {
          long answered = System.nanoTime();
          tally.record(
              channel.index, channel.due, channel.freeSince, channel.sent, status, answered);
          channel.freeSince = answered;
          free.add(channel);
          done++;
        }
      }
      selector.selectedKeys().clear();
    }
  }

  @Override
  public void close() throws IOException {
    for (Channel channel : channels) {
      channel.socket.close();
    }
    selector.close();
  }

  /** One keep-alive TLS connection on a non-blocking channel, one request in flight at most. */
  private static final class Channel {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final SocketChannel socket;
    private final SSLEngine engine;
    private final ByteBuffer netIn;
    private final ByteBuffer netOut;
    private final ByteBuffer appIn = ByteBuffer.allocate(256 * 1024);
    private int index;
    private long due;
    private long sent;
    private long freeSince;
    private boolean inFlight;

    Channel(SSLContext context, URI server) throws IOException {
      socket = SocketChannel.open(new InetSocketAddress(server.getHost(), server.getPort()));
      socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
      engine = context.createSSLEngine(server.getHost(), server.getPort());
      engine.setUseClientMode(true);
      int packet = engine.getSession().getPacketBufferSize();
      netIn = ByteBuffer.allocate(4 * packet);
      netOut = ByteBuffer.allocate(4 * packet);
      handshake();
      socket.configureBlocking(false);
    }

    /** The TLS handshake, on the channel while it still blocks. */
    private void handshake() throws IOException {
      engine.beginHandshake();
      HandshakeStatus status = engine.getHandshakeStatus();
      while (status != HandshakeStatus.FINISHED && status != HandshakeStatus.NOT_HANDSHAKING) {
        switch (status) {
          case NEED_WRAP -> {
            netOut.clear();
            SSLEngineResult result = engine.wrap(EMPTY, netOut);
            flush();
            status = result.getHandshakeStatus();
          }
          case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
            netIn.flip();
            SSLEngineResult result = engine.unwrap(netIn, appIn);
            netIn.compact();
            if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW
                && socket.read(netIn) < 0) {
              throw new IOException("connection closed during the TLS handshake");
            }
            if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
              throw new IOException("TLS closed during the handshake");
            }
            status = result.getHandshakeStatus();
          }
          case NEED_TASK -> {
            Runnable task;
            while ((task = engine.getDelegatedTask()) != null) {
              task.run();
            }
            status = engine.getHandshakeStatus();
          }
          default -> throw new IOException("unexpected TLS handshake status " + status);
        }
      }
    }

    void send(int index, long due, long sent, byte[] request) throws IOException {
      if (inFlight) {
        throw new IllegalStateException("a request is already in flight on this connection");
      }
      this.index = index;
      this.due = due;
      this.sent = sent;
      this.inFlight = true;
      ByteBuffer plain = ByteBuffer.wrap(request);
      while (plain.hasRemaining()) {
        netOut.clear();
        SSLEngineResult result = engine.wrap(plain, netOut);
        if (result.getStatus() != SSLEngineResult.Status.OK) {
          throw new IOException("TLS wrap: " + result.getStatus());
        }
        flush();
      }
    }

    /** Writes netOut whole (spinning on a full socket buffer: this loop never sleeps). */
    private void flush() throws IOException {
      netOut.flip();
      while (netOut.hasRemaining()) {
        socket.write(netOut);
      }
    }

    /** Reads what arrived; the answer's status once it is complete, else -1. */
    int receive() throws IOException {
      if (socket.read(netIn) < 0) {
        throw new IOException("connection closed by the server");
      }
      netIn.flip();
      while (netIn.hasRemaining()) {
        SSLEngineResult result = engine.unwrap(netIn, appIn);
        if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
          break;
        }
        if (result.getStatus() != SSLEngineResult.Status.OK) {
          throw new IOException("TLS unwrap: " + result.getStatus());
        }
        if (result.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
          Runnable task;
          while ((task = engine.getDelegatedTask()) != null) {
            task.run();
          }
        } else if (result.bytesConsumed() == 0) {
          break; // nothing more it can take now
        }
      }
      netIn.compact();
      return inFlight ? answer() : -1;
    }

    /** The status of the complete answer in appIn (removed from it), or -1 while incomplete. */
    private int answer() throws IOException {
      byte[] bytes = appIn.array();
      int length = appIn.position();
      int headersEnd = -1;
      for (int i = 3; i < length; i++) {
        if (bytes[i] == '\n'
            && bytes[i - 1] == '\r'
            && bytes[i - 2] == '\n'
            && bytes[i - 3] == '\r') {
          headersEnd = i + 1;
          break;
        }
      }
      if (headersEnd < 0) {
        return -1;
      }
      String head = new String(bytes, 0, headersEnd, StandardCharsets.ISO_8859_1);
      int status = Integer.parseInt(head.substring(9, 12));
      int bodyLength = -1;
      for (String line : head.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Content-Length")) {
          bodyLength = Integer.parseInt(line.substring(colon + 1).trim());
        }
      }
      if (bodyLength < 0) {
        throw new IOException(
            "an answer without Content-Length (this loop reads no chunked bodies): "
                + head.lines().findFirst().orElse("").toLowerCase(Locale.ROOT));
      }
      if (length < headersEnd + bodyLength) {
        return -1;
      }
      if (status >= 400) {
        byte[] body = new byte[bodyLength];
        System.arraycopy(bytes, headersEnd, body, 0, bodyLength);
        AttestLoadGenerator.Connection.noteRefusal(status, body);
      }
      appIn.flip();
      appIn.position(headersEnd + bodyLength);
      appIn.compact();
      inFlight = false;
      return status;
    }
  }
}
