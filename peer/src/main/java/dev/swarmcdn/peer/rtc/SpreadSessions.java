package dev.swarmcdn.peer.rtc;

import dev.swarmcdn.peer.swarm.PeerSession;
import dev.swarmcdn.peer.swarm.SessionFactory;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * Sessions opened on several runtimes in turn, each with libwebrtc threads of its own. Every real
 * viewer has its own libwebrtc; virtual viewers in one process sharing one runtime share its one
 * network thread, which then carries both ends of every transfer of the swarm (in the 100-viewer
 * benchmark, the network threads took more than twice the CPU of all the engines together), and
 * every engine's sends and reads queue behind the others' there.
 */
public final class SpreadSessions implements SessionFactory, AutoCloseable {

  private final List<RtcRuntime> runtimes;
  private final AtomicInteger next = new AtomicInteger();

  /** @param count runtimes to spread over, at least one */
  public SpreadSessions(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("at least one runtime, not " + count);
    }
    this.runtimes = IntStream.range(0, count).mapToObj(i -> RtcRuntime.create()).toList();
  }

  @Override
  public PeerSession open(Spec spec) {
    return runtimes.get(Math.floorMod(next.getAndIncrement(), runtimes.size())).open(spec);
  }

  /** Sessions open on each runtime, in order. */
  public List<Integer> openSessions() {
    return runtimes.stream().map(RtcRuntime::openSessions).toList();
  }

  /** Closes every runtime: their sessions, factories and threads. */
  @Override
  public void close() {
    runtimes.forEach(RtcRuntime::close);
  }
}
