package dev.swarmcdn.peer.rtc;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps Java exceptions inside callbacks from libwebrtc's threads. webrtc-java 0.14 rethrows a
 * Java exception left pending by a callback as a C++ exception on a thread that catches none: the
 * process aborts. A closed Vert.x context rejecting a task is enough to trigger it.
 */
final class NativeCallbacks {
  private static final Logger LOG = LoggerFactory.getLogger(NativeCallbacks.class);

  private NativeCallbacks() {}

  static void shielded(String callback, Runnable body) {
    try {
      body.run();
    } catch (Throwable e) { // NOPMD: nothing may leave a native callback
      LOG.warn("dropped in the WebRTC callback {}: {}", callback, e.toString());
    }
  }
}
