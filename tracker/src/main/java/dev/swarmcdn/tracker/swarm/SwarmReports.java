package dev.swarmcdn.tracker.swarm;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The reports made in one swarm, as this tracker instance heard them: for each reported member, the
 * distinct peers that reported it, kept up to the number that hides it from everyone (past that,
 * who else reports it changes nothing). Only reported members have an entry, and a swarm nobody
 * reports in has no {@code SwarmReports} at all: the tracker holds tens of thousands of peers, nearly
 * all never reported. An entry goes when its peer leaves the swarm, so what is held is bounded by
 * the members times the threshold. Thread-safe.
 */
public final class SwarmReports {

  private final int hideAfter;
  private final Map<String, String[]> reportersOf = new HashMap<>();

  /** @param hideAfter distinct reporters that hide a member from everyone */
  public SwarmReports(int hideAfter) {
    if (hideAfter < 1) {
      throw new IllegalArgumentException("the report threshold must be positive");
    }
    this.hideAfter = hideAfter;
  }

  /** @return false when {@code reporter} had reported {@code reported} already, or it is hidden from all */
  public synchronized boolean add(String reported, String reporter) {
    String[] reporters = reportersOf.get(reported);
    if (reporters == null) {
      reportersOf.put(reported, new String[] {reporter});
      return true;
    }
    if (reporters.length >= hideAfter || Arrays.asList(reporters).contains(reporter)) {
      return false;
    }
    String[] more = Arrays.copyOf(reporters, reporters.length + 1);
    more[reporters.length] = reporter;
    reportersOf.put(reported, more);
    return true;
  }

  /** Whether {@code member} is left out of the lists {@code asker} gets. */
  public synchronized boolean hides(String member, String asker) {
    String[] reporters = reportersOf.get(member);
    return reporters != null && (reporters.length >= hideAfter || Arrays.asList(reporters).contains(asker));
  }

  /** Whether {@code member} is left out of every list: enough distinct peers reported it. */
  public synchronized boolean hidesFromAll(String member) {
    String[] reporters = reportersOf.get(member);
    return reporters != null && reporters.length >= hideAfter;
  }

  /** The peer left the swarm: reports of it go. What it reported stays, as evidence against others. */
  public synchronized void forget(String peerId) {
    reportersOf.remove(peerId);
  }

  /** Keeps only the reports of {@code members}: those of peers that left by way of another instance go. */
  public synchronized void retain(Set<String> members) {
    reportersOf.keySet().retainAll(members);
  }

  public synchronized boolean isEmpty() {
    return reportersOf.isEmpty();
  }
}
