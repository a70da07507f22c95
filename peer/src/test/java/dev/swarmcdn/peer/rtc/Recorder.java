package dev.swarmcdn.peer.rtc;

import dev.swarmcdn.peer.swarm.DataChannel;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** A channel listener that records what it hears, and checks it hears it on its clock's context. */
final class Recorder implements DataChannel.Listener {
  /** One message as it arrived. */
  record Message(byte[] bytes, boolean binary) {}

  private final Context context;
  final List<String> events = new CopyOnWriteArrayList<>();
  final List<Message> messages = new CopyOnWriteArrayList<>();
  final AtomicInteger offContext = new AtomicInteger();
  /** Replaces recording of messages (a bulk transfer records nothing per message). */
  volatile Consumer<ByteBuffer> onMessage;
  volatile Runnable onLow;

  Recorder(Context context) {
    this.context = context;
  }

  boolean saw(String event) {
    return events.contains(event);
  }

  long count(String event) {
    return events.stream().filter(event::equals).count();
  }

  private void check() {
    if (Vertx.currentContext() != context) {
      offContext.incrementAndGet();
    }
  }

  @Override
  public void onOpen() {
    check();
    events.add("open");
  }

  @Override
  public void onMessage(ByteBuffer message, boolean binary) {
    check();
    Consumer<ByteBuffer> bulk = onMessage;
    if (bulk != null) {
      bulk.accept(message);
      return;
    }
    byte[] bytes = new byte[message.remaining()];
    message.get(bytes);
    messages.add(new Message(bytes, binary));
    events.add("message");
  }

  @Override
  public void onBufferedAmountLow() {
    check();
    events.add("low");
    Runnable low = onLow;
    if (low != null) {
      low.run();
    }
  }

  @Override
  public void onClose() {
    check();
    events.add("close");
  }
}
