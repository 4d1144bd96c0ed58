package io.kascompute.testkit.server;

import java.util.concurrent.atomic.AtomicLong;

/** The request-body bytes the transport holds at once, over all connections, under one bound. */
final class BodyBudget {
  private final long capacity;
  private final AtomicLong used = new AtomicLong();

  BodyBudget(long capacity) {
    this.capacity = capacity;
  }

  /** Takes {@code bytes} from the budget, or returns false (taking nothing) if they do not fit. */
  boolean tryReserve(long bytes) {
    long u;
    do {
      u = used.get();
      if (bytes > capacity - u) {
        return false;
      }
    } while (!used.compareAndSet(u, u + bytes));
    return true;
  }

  /** Gives back bytes taken by {@link #tryReserve}. */
  void release(long bytes) {
    if (bytes > 0) {
      used.addAndGet(-bytes);
    }
  }

  /** Bytes that could be reserved right now. */
  long available() {
    return capacity - used.get();
  }

  /** Bytes reserved right now. */
  long used() {
    return used.get();
  }
}
