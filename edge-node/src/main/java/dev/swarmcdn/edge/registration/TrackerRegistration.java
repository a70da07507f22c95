package dev.swarmcdn.edge.registration;

import dev.swarmcdn.edge.access.stun.IceServerAdvertisement;
import dev.swarmcdn.edge.forwarding.routing.EdgeRing;
import dev.swarmcdn.kit.http.BearerAuth;
import dev.swarmcdn.kit.http.tls.TlsTrust;
import dev.swarmcdn.protocol.registry.EdgeMember;
import dev.swarmcdn.protocol.registry.EdgeRegistration;
import dev.swarmcdn.protocol.registry.RegistryAnswer;
import dev.swarmcdn.protocol.registry.RegistryJson;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge's side of the tracker's registry: registers (id, public URL, capacity, the ICE servers
 * it offers viewers, which the tracker hands out with its routes), then heartbeats
 * its load every interval; registers again when the tracker answers a heartbeat with 404 (it
 * restarted, or forgot an edge it had not heard from for long); deregisters on a clean stop.
 *
 * <p>A tracker that cannot be reached or refuses never stops the edge from serving: attempts go on
 * in the background with exponential backoff, and the edge says so once in its log, then once more
 * when the tracker answers again. Given several trackers, a failed attempt moves to the next one: an
 * instance of a cluster that died leaves the edge heartbeating into the same registry through
 * another, and a tracker apart answers the first heartbeat with 404, which registers the edge there.
 * Every step runs on one Vert.x context, one at a time.
 *
 * <p>Each answer lists the edges in rotation: passed to {@code onMembers} when the set changes, so
 * an edge with no configured peers learns the set it shares its cache with from the tracker.
 */
public final class TrackerRegistration {

  private static final Logger LOG = LoggerFactory.getLogger(TrackerRegistration.class);
  static final long MAX_BACKOFF_MS = 30_000;
  private static final long REQUEST_TIMEOUT_MS = 5_000;
  private static final long DEREGISTER_TIMEOUT_MS = 2_000;

  private final Context context;
  private final HttpClient client;
  private final TrackerLink link;
  private final String id;
  private final String publicUrl;
  private final IceServerAdvertisement iceServers;
  private final LoadSampler sampler;
  private final Consumer<List<EdgeRing.Member>> onMembers;
  private final Promise<Void> firstRegistration = Promise.promise();
  private final long intervalMs;
  private Future<Void> inFlight = Future.succeededFuture();
  private List<EdgeRing.Member> members = List.of();
  private boolean registered;
  private boolean stopped;
  private boolean complained;
  private boolean warnedAboutExpiry;
  private int failures;
  private long timer = -1;
  /** The tracker tried now: an index into the link's URLs. */
  private int current;

  private record Reply(int status, Buffer body) {
    /** The tracker's reason for a refusal; empty for anything else (a proxy's HTML error page). */
    String message() {
      try {
        return body.length() == 0 ? "" : new JsonObject(body).getString("message", "");
      } catch (RuntimeException notJson) {
        return "";
      }
    }
  }

  /**
   * @param trust       whom it believes when the tracker's URL is {@code https://}
   * @param publicUrl   the base URL viewers load from, sent in the registration
   * @param iceServers  the ICE servers viewers of this edge use, sent in the registration
   * @param onMembers   takes the edges in rotation (this one included) when they change
   */
  public TrackerRegistration(Vertx vertx, TrackerLink link, TlsTrust trust, String id, String publicUrl,
      IceServerAdvertisement iceServers, LoadSampler sampler, Consumer<List<EdgeRing.Member>> onMembers) {
    this.context = vertx.getOrCreateContext();
    this.client = vertx.createHttpClient(trust.applyTo(new HttpClientOptions().setConnectTimeout((int) REQUEST_TIMEOUT_MS)));
    this.link = link;
    this.id = id;
    this.publicUrl = publicUrl;
    this.iceServers = iceServers;
    this.sampler = sampler;
    this.onMembers = onMembers;
    this.intervalMs = link.heartbeatInterval().toMillis();
  }

  /** Registers in the background; returns at once. */
  public void start() {
    context.runOnContext(ignored -> step());
  }

  /** Completes when the edge is first registered; never fails (attempts go on until stopped). */
  public Future<Void> registered() {
    return firstRegistration.future();
  }

  /** Stops heartbeating and deregisters, waiting for the tracker at most a moment; never fails. */
  public Future<Void> stop() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(ignored -> {
      stopped = true;
      if (timer >= 0) {
        context.owner().cancelTimer(timer);
      }
      // A registration under way finishes first: else it could land after the deregistration.
      inFlight.eventually(() -> registered
              ? send(HttpMethod.DELETE, "/edges/" + id, null, DEREGISTER_TIMEOUT_MS).otherwiseEmpty()
              : Future.succeededFuture())
          .eventually(client::close)
          .onComplete(outcome -> done.complete());
    });
    return done.future();
  }

  private void step() {
    if (stopped) {
      return;
    }
    inFlight = registered ? heartbeat() : register();
  }

  private Future<Void> register() {
    String body = RegistryJson.registration(new EdgeRegistration(id, publicUrl, link.capacity(), iceServers.servers()));
    return send(HttpMethod.POST, "/edges", body, REQUEST_TIMEOUT_MS).transform(outcome -> {
      if (outcome.succeeded() && outcome.result().status() == 200) {
        registered = true;
        answered(outcome.result());
        if (firstRegistration.tryComplete()) {
          LOG.info("edge {} registered with the tracker at {} as {}", id, tracker(), publicUrl);
        }
      } else {
        failed("registration", outcome.succeeded() ? outcome.result() : null, outcome.cause());
      }
      return Future.succeededFuture();
    });
  }

  private Future<Void> heartbeat() {
    String body = RegistryJson.load(sampler.sample());
    return send(HttpMethod.PUT, "/edges/" + id + "/heartbeat", body, REQUEST_TIMEOUT_MS).transform(outcome -> {
      if (outcome.succeeded() && outcome.result().status() == 200) {
        answered(outcome.result());
      } else if (outcome.succeeded() && outcome.result().status() == 404) {
        LOG.info("the tracker at {} does not know edge {} (it restarted, or lost sight of it): registering again",
            tracker(), id);
        registered = false;
        schedule(0);
      } else {
        failed("heartbeat", outcome.succeeded() ? outcome.result() : null, outcome.cause());
      }
      return Future.succeededFuture();
    });
  }

  /** A 200 to a registration or heartbeat: learn the edges in rotation, heartbeat again in an interval. */
  private void answered(Reply reply) {
    RegistryAnswer answer;
    try {
      answer = RegistryJson.readAnswer(reply.body().getBytes());
    } catch (IllegalArgumentException e) {
      failed("reading the answer (" + e.getMessage() + ")", reply, null);
      return;
    }
    if (complained) {
      LOG.info("the tracker at {} answers again", tracker());
      complained = false;
    }
    failures = 0;
    if (intervalMs >= answer.expiryMs() && !warnedAboutExpiry) {
      warnedAboutExpiry = true;
      LOG.warn("heartbeats every {} ms are not shorter than the tracker's expiry of {} ms: edge {} will drop in "
          + "and out of rotation; lower --heartbeat-interval-ms", intervalMs, answer.expiryMs(), id);
    }
    List<EdgeRing.Member> learned = members(answer.edges());
    if (!learned.equals(members)) {
      members = learned;
      onMembers.accept(learned);
    }
    schedule(intervalMs);
  }

  /** The edges in rotation, this one among them even before the tracker counts it healthy. */
  private List<EdgeRing.Member> members(List<EdgeMember> edges) {
    List<EdgeRing.Member> learned = new ArrayList<>();
    boolean self = false;
    for (EdgeMember member : edges) {
      learned.add(new EdgeRing.Member(member.id(), member.url()));
      self |= member.id().equals(id);
    }
    if (!self) {
      learned.add(new EdgeRing.Member(id, publicUrl));
    }
    return List.copyOf(learned);
  }

  /** The tracker tried now. */
  private String tracker() {
    return link.trackerUrls().get(current);
  }

  private void failed(String what, Reply refused, Throwable cause) {
    failures++;
    if (!complained) {
      complained = true;
      String reason = refused == null ? String.valueOf(cause)
          : refused.status() + " " + refused.message()
              // Trackers close their registry by default: say which setting opens it to this edge.
              + (refused.status() == 401 ? "; --tracker-secret must be the tracker's --edge-secret" : "");
      LOG.warn("{} of edge {} with the tracker at {} failed ({}): retrying with backoff; serving carries on",
          what, id, tracker(), reason);
    }
    int trackers = link.trackerUrls().size();
    if (trackers > 1 && (refused == null || refused.status() >= 500)) {
      // Not answered, or answered with a server error: the next tracker, at once; after a whole
      // round of failures, with the backoff.
      current = (current + 1) % trackers;
      if (failures <= trackers) {
        LOG.info("edge {} tries the tracker at {}", id, tracker());
      }
      schedule(failures % trackers == 0 ? backoffMillis(intervalMs, failures / trackers) : 1);
      return;
    }
    schedule(backoffMillis(intervalMs, failures));
  }

  /**
   * The wait after {@code failures} failures in a row: from the interval (at most a second), doubling
   * each time, up to {@value #MAX_BACKOFF_MS} ms (or the interval, if longer).
   */
  static long backoffMillis(long intervalMs, int failures) {
    long first = Math.min(intervalMs, 1_000);
    long cap = Math.max(intervalMs, MAX_BACKOFF_MS);
    return Math.min(cap, first << Math.min(Math.max(failures - 1, 0), 20));
  }

  private void schedule(long delayMs) {
    if (!stopped) {
      timer = context.owner().setTimer(Math.max(1, delayMs), ignored -> {
        timer = -1;
        step();
      });
    }
  }

  private Future<Reply> send(HttpMethod method, String path, String body, long timeoutMs) {
    RequestOptions options = new RequestOptions().setMethod(method).setAbsoluteURI(tracker() + path)
        .setConnectTimeout(timeoutMs).setIdleTimeout(timeoutMs);
    if (link.secret() != null) {
      options.putHeader("Authorization", BearerAuth.header(link.secret()));
    }
    if (body != null) {
      options.putHeader("Content-Type", "application/json");
    }
    return client.request(options)
        .compose(request -> body == null ? request.send() : request.send(body))
        .compose(response -> response.body().map((Buffer bytes) -> new Reply(response.statusCode(), bytes)));
  }
}
