// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketImpl;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * A {@link Socket} over a Unix-domain {@link SocketChannel} (JDK 16+), for drivers that only speak
 * {@code java.net.Socket} (PgJDBC). The JDK's Unix-domain channels have no {@code Socket} view, so
 * this adapter provides one.
 *
 * <p>What it honours: {@link #connect} (to the socket file given at construction; the address
 * argument, a host and port the driver made up, is ignored), read timeouts ({@link #setSoTimeout},
 * implemented with a selector, so {@code getNotifications(timeout)} and connection-pool network
 * timeouts work), {@link #close} from any thread (wakes a blocked read), send and receive buffer
 * sizes. What is a harmless no-op: {@link #setTcpNoDelay} and {@link #setKeepAlive} (TCP options
 * that mean nothing on a Unix socket; the value set is remembered and returned). Writes never time
 * out (as with a TCP socket). Addresses: {@link #getInetAddress} and {@link #getLocalAddress} are
 * the loopback address, {@link #getRemoteSocketAddress} the socket file. The socket never creates a
 * TCP file descriptor: it has no {@link SocketImpl}, and the options a driver does not use throw.
 */
final class UnixSocket extends Socket {
  private final Path path;
  private final Object readLock = new Object();
  private final Object writeLock = new Object();
  private volatile SocketChannel channel;
  private volatile Selector readSelector;
  private volatile Selector writeSelector;
  private volatile int timeoutMillis;
  private volatile boolean closed;
  private volatile boolean tcpNoDelay;
  private volatile boolean keepAlive;

  UnixSocket(Path path) throws SocketException {
    super((SocketImpl) null);
    this.path = path;
  }

  /** Connects to the socket file (the address, a TCP address made up by the driver, is ignored). */
  @Override
  public void connect(SocketAddress ignored, int timeout) throws IOException {
    connect();
  }

  @Override
  public void connect(SocketAddress ignored) throws IOException {
    connect();
  }

  synchronized void connect() throws IOException {
    if (closed) {
      throw new SocketException("Socket is closed");
    }
    if (channel != null) {
      throw new SocketException("already connected");
    }
    SocketChannel opened = SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      opened.connect(UnixDomainSocketAddress.of(path));
      opened.configureBlocking(false);
      readSelector = Selector.open();
      writeSelector = Selector.open();
      opened.register(readSelector, SelectionKey.OP_READ);
      opened.register(writeSelector, SelectionKey.OP_WRITE);
    } catch (IOException | RuntimeException e) {
      closeQuietly(opened, readSelector, writeSelector);
      throw e;
    }
    channel = opened;
  }

  @Override
  public void bind(SocketAddress local) throws IOException {
    throw new SocketException("a Unix socket to PostgreSQL binds no local address");
  }

  @Override
  public boolean isConnected() {
    SocketChannel current = channel;
    return current != null && current.isConnected();
  }

  @Override
  public boolean isBound() {
    return channel != null;
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public InputStream getInputStream() throws IOException {
    open();
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] bytes, int offset, int length) throws IOException {
        return UnixSocket.this.read(ByteBuffer.wrap(bytes, offset, length));
      }

      @Override
      public void close() throws IOException {
        UnixSocket.this.close();
      }
    };
  }

  @Override
  public OutputStream getOutputStream() throws IOException {
    open();
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] bytes, int offset, int length) throws IOException {
        UnixSocket.this.write(ByteBuffer.wrap(bytes, offset, length));
      }

      @Override
      public void close() throws IOException {
        UnixSocket.this.close();
      }
    };
  }

  private int read(ByteBuffer buffer) throws IOException {
    if (!buffer.hasRemaining()) {
      return 0;
    }
    synchronized (readLock) {
      SocketChannel current = open();
      int timeout = timeoutMillis;
      long deadline = System.nanoTime() + timeout * 1_000_000L;
      while (true) {
        int n = current.read(buffer);
        if (n != 0) {
          return n;
        }
        long remaining = timeout == 0 ? 0 : (deadline - System.nanoTime()) / 1_000_000L;
        if (timeout > 0 && remaining <= 0) {
          throw new SocketTimeoutException("Read timed out");
        }
        Selector selector = readSelector;
        try {
          if (timeout == 0) {
            selector.select();
          } else {
            selector.select(remaining);
          }
          selector.selectedKeys().clear();
        } catch (java.nio.channels.ClosedSelectorException e) {
          throw new SocketException("Socket is closed"); // closed while this read waited
        }
        open();
      }
    }
  }

  private void write(ByteBuffer buffer) throws IOException {
    synchronized (writeLock) {
      SocketChannel current = open();
      while (buffer.hasRemaining()) {
        if (current.write(buffer) == 0) {
          Selector selector = writeSelector;
          try {
            selector.select();
            selector.selectedKeys().clear();
          } catch (java.nio.channels.ClosedSelectorException e) {
            throw new SocketException("Socket is closed"); // closed while this write waited
          }
          open();
        }
      }
    }
  }

  private SocketChannel open() throws SocketException {
    SocketChannel current = channel;
    if (closed) {
      throw new SocketException("Socket is closed");
    }
    if (current == null) {
      throw new SocketException("Socket is not connected");
    }
    return current;
  }

  /** Closes the channel and wakes any thread blocked reading or writing. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    closeQuietly(channel, readSelector, writeSelector);
  }

  private static void closeQuietly(AutoCloseable... resources) {
    for (AutoCloseable resource : resources) {
      if (resource == null) {
        continue;
      }
      try {
        resource.close();
      } catch (Exception e) {
        // closing: nothing more to release
      }
    }
  }

  @Override
  public void shutdownInput() throws IOException {
    open().shutdownInput();
  }

  @Override
  public void shutdownOutput() throws IOException {
    open().shutdownOutput();
  }

  @Override
  public void setSoTimeout(int timeout) throws SocketException {
    if (timeout < 0) {
      throw new IllegalArgumentException("timeout < 0");
    }
    timeoutMillis = timeout;
  }

  @Override
  public int getSoTimeout() {
    return timeoutMillis;
  }

  /** No-op (a TCP option): remembered and returned by {@link #getTcpNoDelay}. */
  @Override
  public void setTcpNoDelay(boolean on) {
    tcpNoDelay = on;
  }

  @Override
  public boolean getTcpNoDelay() {
    return tcpNoDelay;
  }

  /** No-op (a TCP option): remembered and returned by {@link #getKeepAlive}. */
  @Override
  public void setKeepAlive(boolean on) {
    keepAlive = on;
  }

  @Override
  public boolean getKeepAlive() {
    return keepAlive;
  }

  @Override
  public void setSendBufferSize(int size) throws SocketException {
    setOption(StandardSocketOptions.SO_SNDBUF, size);
  }

  @Override
  public int getSendBufferSize() throws SocketException {
    return getOption(StandardSocketOptions.SO_SNDBUF);
  }

  @Override
  public void setReceiveBufferSize(int size) throws SocketException {
    setOption(StandardSocketOptions.SO_RCVBUF, size);
  }

  @Override
  public int getReceiveBufferSize() throws SocketException {
    return getOption(StandardSocketOptions.SO_RCVBUF);
  }

  @Override
  public <T> Socket setOption(java.net.SocketOption<T> name, T value) throws SocketException {
    try {
      open().setOption(name, value);
    } catch (SocketException e) {
      throw e;
    } catch (IOException | UnsupportedOperationException e) {
      throw new SocketException(name + ": " + e.getMessage());
    }
    return this;
  }

  @Override
  public <T> T getOption(java.net.SocketOption<T> name) throws SocketException {
    try {
      return open().getOption(name);
    } catch (SocketException e) {
      throw e;
    } catch (IOException | UnsupportedOperationException e) {
      throw new SocketException(name + ": " + e.getMessage());
    }
  }

  @Override
  public InetAddress getInetAddress() {
    return InetAddress.getLoopbackAddress();
  }

  @Override
  public InetAddress getLocalAddress() {
    return InetAddress.getLoopbackAddress();
  }

  @Override
  public int getPort() {
    return 0;
  }

  @Override
  public int getLocalPort() {
    return -1;
  }

  @Override
  public SocketAddress getRemoteSocketAddress() {
    return UnixDomainSocketAddress.of(path);
  }

  @Override
  public SocketAddress getLocalSocketAddress() {
    return null;
  }

  @Override
  public String toString() {
    return "UnixSocket[" + path + (closed ? ", closed" : "") + "]";
  }
}
