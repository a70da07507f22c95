package dev.swarmcdn.tracker.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalRelayTest {

  private record Channel(String peerId, List<String> inbox) implements PeerChannel<String> {
    Channel(String peerId) {
      this(peerId, new ArrayList<>());
    }

    @Override
    public Delivery deliver(String signal) {
      inbox.add(signal);
      return Delivery.DELIVERED;
    }
  }

  @Test
  void anIdBelongsToTheFirstChannelUntilItDetaches() {
    LocalRelay<String> relay = new LocalRelay<>();
    Channel first = new Channel("p");
    Channel second = new Channel("p");
    assertTrue(relay.attach(first).result());
    assertTrue(relay.attach(first).result(), "attaching again is no conflict");
    assertFalse(relay.attach(second).result());
    relay.detach(second);
    assertEquals(Delivery.DELIVERED, relay.deliver("p", "one").result(), "a channel that holds nothing detaches nothing");
    relay.detach(first);
    assertEquals(Delivery.NO_PEER, relay.deliver("p", "two").result());
    assertTrue(relay.attach(second).result());
    assertEquals(Delivery.DELIVERED, relay.deliver("p", "three").result());
    assertEquals(List.of("one"), first.inbox());
    assertEquals(List.of("three"), second.inbox());
  }
}
