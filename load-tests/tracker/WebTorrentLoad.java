import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Load generator of the tracker benchmark: many WebTorrent peers, each on its own WebSocket, with
 * fake SDP (a tracker relays offers and answers without looking into them). It must cost less per
 * message than the trackers it loads, so it is written close to the socket: Netty on epoll, the
 * WebSocket framing by hand (frames masked with a zero key, which the protocol allows), messages
 * written and scanned as bytes. Run on the launcher's classpath:
 *
 * <pre>
 * java -cp 'launcher/target/cdn.jar:launcher/target/lib/*' WebTorrentLoad.java peers URL BIND FIRST COUNT SWARM
 *     OFFERS DIR [PHASES]
 * java -cp ... WebTorrentLoad.java report DIR...
 * </pre>
 *
 * {@code peers}: connects COUNT peers (numbered from FIRST) from address BIND to URL, each announcing
 * {@code started} into swarm number/SWARM, prints {@code READY} once all are in, and waits for the
 * file DIR/go. Then it runs PHASES ({@code name:intervalMs:seconds,...}; interval 0: each peer
 * announces again as soon as its reply comes, so as fast as the tracker goes), each announce with
 * OFFERS offers, and answers every offer it receives. Offers and answers carry their send time
 * ({@link System#nanoTime}: one clock for every process of the machine) in the SDP, so receivers
 * time the relay. For each phase it writes DIR/phase-NAME-BIND with counts and latency histograms of
 * what it received after the first {@value #SETTLE_SECONDS} s. With no phases it holds the peers
 * until DIR/stop exists.
 *
 * <p>{@code report}: merges the phase files of the DIRs: per phase, offers/s, answers/s, replies/s,
 * failures, and p50/p99 relay latency of offers and answers in ms.
 */
public final class WebTorrentLoad {

  static final int SETTLE_SECONDS = 3;
  static final int CONNECTING_AT_ONCE = 200;
  /** Every message a tracker sends to a peer that is no reply starts so (ours and bittorrent-tracker's). */
  static final byte[] ANNOUNCE_PREFIX = ascii("{\"action\":\"announce\",\"");
  static final byte[] SDP_HEAD = ascii("v=0\\r\\no=- ");
  static final byte[] SDP_TAIL = ascii(" 2 IN IP4 127.0.0.1\\r\\ns=-\\r\\nt=0 0\\r\\na=group:BUNDLE 0\\r\\n"
      + "a=extmap-allow-mixed\\r\\na=msid-semantic: WMS\\r\\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\\r\\n"
      + "c=IN IP4 0.0.0.0\\r\\na=ice-ufrag:Jz7q\\r\\na=ice-pwd:V4sWqGz3nE0mZcT1yB8pXkLh\\r\\n"
      + "a=ice-options:trickle\\r\\na=fingerprint:sha-256 6B:8B:5C:3A:91:0D:E2:7F:44:A1:09:C6:3E:B5:72:18:"
      + "D9:0F:6A:23:8E:C4:51:B7:2D:90:E3:46:1C:7B:A8:F5\\r\\na=setup:actpass\\r\\na=mid:0\\r\\n"
      + "a=sctp-port:5000\\r\\na=max-message-size:262144\\r\\n");
  static final byte[] OFFER_HEAD = ascii("{\"offer\":{\"type\":\"offer\",\"sdp\":\"");
  static final byte[] OFFER_ID = ascii("\"},\"offer_id\":\"");
  static final byte[] TO_PEER = ascii(",\"to_peer_id\":\"");
  static final byte[] ANSWER_HEAD = ascii("\",\"answer\":{\"type\":\"answer\",\"sdp\":\"");
  static final byte[] OFFER_ID_KEY = ascii("\"offer_id\":\"");
  static final byte[] PEER_ID_KEY = ascii("\"peer_id\":\"");
  static final byte[] TIME_KEY = ascii("o=- ");
  static final byte[] HEAD_END = ascii("\r\n\r\n");
  static final byte[] INTERVAL_KEY = ascii("\"interval\"");
  static final byte[] CLOSE_OFFER = ascii("\"}");
  static final byte[] CLOSE_OFFERS = ascii("]}");
  /** Room before a message's payload for the longest frame header it needs (2 + 2 + 4 mask bytes). */
  static final int HEADROOM = 8;

  public static void main(String[] args) throws Exception {
    if (args[0].equals("report")) {
      report(List.of(args).subList(1, args.length));
      return;
    }
    new WebTorrentLoad(args).run();
  }

  static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  /** Relay latencies in microseconds: 16 exact buckets, then 16 per power of two (6% wide). */
  static final class Histogram {
    final long[] counts = new long[16 + 16 * 40];

    void record(long micros) {
      long v = Math.max(0, micros);
      int index;
      if (v < 16) {
        index = (int) v;
      } else {
        int msb = 63 - Long.numberOfLeadingZeros(v);
        index = 16 + (msb - 4) * 16 + (int) ((v >> (msb - 4)) & 15);
      }
      counts[Math.min(index, counts.length - 1)]++;
    }

    static double midpoint(int index) {
      if (index < 16) {
        return index;
      }
      int msb = 4 + (index - 16) / 16;
      int sub = (index - 16) % 16;
      return (16 + sub + 0.5) * Math.pow(2, msb - 4);
    }

    double percentile(double p) {
      long total = 0;
      for (long c : counts) {
        total += c;
      }
      long rank = (long) Math.ceil(p * total);
      long seen = 0;
      for (int i = 0; i < counts.length; i++) {
        seen += counts[i];
        if (seen >= rank && seen > 0) {
          return midpoint(i);
        }
      }
      return 0;
    }

    String encode() {
      StringBuilder out = new StringBuilder();
      for (int i = 0; i < counts.length; i++) {
        if (counts[i] > 0) {
          out.append(out.length() == 0 ? "" : ",").append(i).append(':').append(counts[i]);
        }
      }
      return out.toString();
    }

    void add(String encoded) {
      if (encoded.isEmpty()) {
        return;
      }
      for (String pair : encoded.split(",")) {
        String[] parts = pair.split(":");
        counts[Integer.parseInt(parts[0])] += Long.parseLong(parts[1]);
      }
    }
  }

  /** What one phase received. */
  static final class Stats {
    long offers;
    long answers;
    long replies;
    long failures;
    final Histogram offerLatency = new Histogram();
    final Histogram answerLatency = new Histogram();
  }

  final URI url;
  final String bind;
  final int first;
  final int count;
  final int swarmSize;
  final int offersPerAnnounce;
  final Path dir;
  final List<String[]> phases = new ArrayList<>();
  final EventLoopGroup group;
  final EventLoop loop;
  final Bootstrap bootstrap;
  final byte[] handshake;
  final List<Peer> peers = new ArrayList<>();
  int nextToConnect;
  int ready;
  boolean stopping;
  /** Announce interval of the running phase: -1 before the first, 0 for as fast as replies come. */
  long intervalMs = -1;
  /** Where what arrives is counted; null between phases and while settling. */
  Stats stats;

  WebTorrentLoad(String[] args) {
    url = URI.create(args[1]);
    bind = args[2];
    first = Integer.parseInt(args[3]);
    count = Integer.parseInt(args[4]);
    swarmSize = Integer.parseInt(args[5]);
    offersPerAnnounce = Integer.parseInt(args[6]);
    dir = Path.of(args[7]);
    if (args.length > 8 && !args[8].isEmpty()) {
      for (String phase : args[8].split(",")) {
        phases.add(phase.split(":"));
      }
    }
    boolean epoll = Epoll.isAvailable();
    group = new MultiThreadIoEventLoopGroup(1, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    loop = group.next();
    bootstrap = new Bootstrap().group(group).channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true).option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 60_000);
    handshake = ascii("GET " + url.getPath() + " HTTP/1.1\r\nHost: " + url.getHost() + ":" + url.getPort()
        + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        + "Sec-WebSocket-Version: 13\r\n\r\n");
  }

  /** A 20-character ASCII id: a one-letter kind and 19 digits. */
  static String id(char kind, long number) {
    String digits = Long.toString(number);
    return kind + "0".repeat(19 - digits.length()) + digits;
  }

  static void writeDigits(ByteBuf out, long value) {
    if (value >= 10) {
      writeDigits(out, value / 10);
    }
    out.writeByte('0' + (int) (value % 10));
  }

  /** Where {@code needle} starts in {@code buf} at or after {@code from}, or -1. */
  static int indexOf(ByteBuf buf, int from, byte[] needle) {
    int last = buf.writerIndex() - needle.length;
    outer:
    for (int i = from; i <= last; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (buf.getByte(i + j) != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  static long digitsAt(ByteBuf buf, int at) {
    long value = 0;
    for (int i = at; i < buf.writerIndex(); i++) {
      byte c = buf.getByte(i);
      if (c < '0' || c > '9') {
        break;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  /** One peer: what it announces, and what it does with what it receives. */
  final class Peer {
    final long number;
    final byte[] prefix;
    final byte[] announceFields;
    Channel channel;
    boolean waiting;
    long announces;
    long nextAnnounceAt;

    Peer(int index) {
      number = index;
      prefix = ascii("{\"action\":\"announce\",\"info_hash\":\"" + id('s', index / swarmSize) + "\",\"peer_id\":\""
          + id('p', index) + "\"");
      announceFields = ascii(",\"numwant\":" + offersPerAnnounce + ",\"offers\":[");
    }

    void connect() {
      bootstrap.clone().handler(new Frames(this)).localAddress(new InetSocketAddress(bind, 0))
          .connect(url.getHost(), url.getPort()).addListener((ChannelFuture future) -> {
            if (!future.isSuccess()) {
              System.err.println("connect failed: " + future.cause());
              loop.schedule(this::connect, 1, TimeUnit.SECONDS);
              return;
            }
            channel = future.channel();
            channel.writeAndFlush(channel.alloc().buffer(handshake.length).writeBytes(handshake));
            connectNext();
          });
    }

    /** The handshake is done: announce {@code started}, with no offers. */
    void opened() {
      waiting = true;
      ByteBuf started = message(256);
      started.writeBytes(prefix).writeBytes(ascii(",\"numwant\":" + offersPerAnnounce
          + ",\"uploaded\":0,\"downloaded\":0,\"event\":\"started\",\"offers\":[]}"));
      send(started);
    }

    /** A buffer for one text message, with room for its frame header in front. */
    ByteBuf message(int size) {
      ByteBuf buf = channel.alloc().directBuffer(HEADROOM + size);
      return buf.writerIndex(HEADROOM).readerIndex(HEADROOM);
    }

    /** Frames the message (final text frame, zero mask) and writes it. */
    void send(ByteBuf buf) {
      int length = buf.readableBytes();
      int start;
      if (length < 126) {
        start = HEADROOM - 6;
        buf.setByte(start + 1, 0x80 | length);
      } else {
        start = HEADROOM - 8;
        buf.setByte(start + 1, 0x80 | 126);
        buf.setShort(start + 2, length);
      }
      buf.setByte(start, 0x81);
      buf.setInt(HEADROOM - 4, 0);
      buf.readerIndex(start);
      channel.writeAndFlush(buf, channel.voidPromise());
    }

    void announce() {
      if (stopping || !channel.isActive()) {
        return;
      }
      waiting = true;
      announces++;
      long now = System.nanoTime();
      ByteBuf out = message(128 + offersPerAnnounce * 720);
      out.writeBytes(prefix).writeBytes(announceFields);
      for (int i = 0; i < offersPerAnnounce; i++) {
        if (i > 0) {
          out.writeByte(',');
        }
        out.writeBytes(OFFER_HEAD).writeBytes(SDP_HEAD);
        writeDigits(out, now);
        out.writeBytes(SDP_TAIL).writeBytes(OFFER_ID).writeByte('o');
        // 19 digits: a leading 1, the peer's number, then a count of its offers.
        writeDigits(out, 1_000_000_000_000_000_000L + number * 1_000_000_000_000L + announces * 16 + i);
        out.writeBytes(CLOSE_OFFER);
      }
      send(out.writeBytes(CLOSE_OFFERS));
    }

    void onMessage(ByteBuf payload) {
      Stats current = stats;
      boolean relayed = payload.readableBytes() > ANNOUNCE_PREFIX.length
          && indexOf(payload.slice(0, ANNOUNCE_PREFIX.length), 0, ANNOUNCE_PREFIX) == 0;
      byte kind = relayed ? payload.getByte(ANNOUNCE_PREFIX.length) : 0;
      if (kind == 'o' || kind == 'a') {
        int time = indexOf(payload, ANNOUNCE_PREFIX.length, TIME_KEY);
        long latency = (System.nanoTime() - digitsAt(payload, time + TIME_KEY.length)) / 1000;
        if (kind == 'o') {
          if (current != null) {
            current.offers++;
            current.offerLatency.record(latency);
          }
          answer(payload);
        } else if (current != null) {
          current.answers++;
          current.answerLatency.record(latency);
        }
      } else if (kind == 'i' || indexOf(payload, 0, INTERVAL_KEY) >= 0) {
        if (current != null) {
          current.replies++;
        }
        onReply();
      } else {
        if (current != null) {
          current.failures++;
        }
        System.err.println("failure: " + payload.toString(StandardCharsets.UTF_8));
      }
    }

    void answer(ByteBuf offer) {
      int offerId = indexOf(offer, 0, OFFER_ID_KEY) + OFFER_ID_KEY.length;
      int from = indexOf(offer, 0, PEER_ID_KEY) + PEER_ID_KEY.length;
      ByteBuf out = message(900);
      out.writeBytes(prefix).writeBytes(TO_PEER).writeBytes(offer, from, 20).writeBytes(ANSWER_HEAD)
          .writeBytes(SDP_HEAD);
      writeDigits(out, System.nanoTime());
      out.writeBytes(SDP_TAIL).writeBytes(OFFER_ID).writeBytes(offer, offerId, 20).writeBytes(CLOSE_OFFER);
      send(out);
    }

    void onReply() {
      if (!waiting) {
        return;
      }
      waiting = false;
      if (ready < count) {
        if (++ready == count) {
          System.out.println("READY " + count);
          System.out.flush();
        }
        return;
      }
      if (intervalMs == 0) {
        announce();
      } else if (intervalMs > 0) {
        long now = System.currentTimeMillis();
        nextAnnounceAt = Math.max(nextAnnounceAt + intervalMs, now);
        loop.schedule(this::announce, Math.max(1, nextAnnounceAt - now), TimeUnit.MILLISECONDS);
      }
    }
  }

  /** One connection of a peer: the handshake's answer, then frames (a server's are never masked). */
  final class Frames extends ByteToMessageDecoder {
    final Peer peer;
    boolean open;

    Frames(Peer peer) {
      this.peer = peer;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
      if (!open) {
        int end = indexOf(in, in.readerIndex(), HEAD_END);
        if (end < 0) {
          return;
        }
        if (in.getByte(in.readerIndex() + 9) != '1' || in.getByte(in.readerIndex() + 10) != '0') {
          throw new IllegalStateException("no WebSocket: " + in.toString(StandardCharsets.US_ASCII));
        }
        in.readerIndex(end + HEAD_END.length);
        open = true;
        peer.opened();
      }
      while (in.readableBytes() >= 2) {
        int at = in.readerIndex();
        int opcode = in.getByte(at) & 0x0F;
        int length = in.getByte(at + 1) & 0x7F;
        int header = 2;
        if (length == 126) {
          if (in.readableBytes() < 4) {
            return;
          }
          length = in.getUnsignedShort(at + 2);
          header = 4;
        } else if (length == 127) {
          if (in.readableBytes() < 10) {
            return;
          }
          length = (int) in.getLong(at + 2);
          header = 10;
        }
        if (in.readableBytes() < header + length) {
          return;
        }
        ByteBuf payload = in.slice(at + header, length);
        if (opcode == 1) {
          peer.onMessage(payload);
        } else if (opcode == 9) {
          ByteBuf pong = ctx.alloc().buffer(6 + length);
          pong.writeByte(0x8A).writeByte(0x80 | length).writeInt(0).writeBytes(payload);
          ctx.writeAndFlush(pong, ctx.voidPromise());
        }
        in.skipBytes(header + length);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      if (!stopping) {
        System.err.println("closed by the tracker: peer " + peer.number);
      }
      super.channelInactive(ctx);
    }
  }

  void connectNext() {
    if (nextToConnect < count) {
      peers.get(nextToConnect++).connect();
    }
  }

  void run() throws Exception {
    for (int i = 0; i < count; i++) {
      peers.add(new Peer(first + i));
    }
    loop.execute(() -> {
      for (int i = 0; i < Math.min(CONNECTING_AT_ONCE, count); i++) {
        connectNext();
      }
    });
    Path go = dir.resolve(phases.isEmpty() ? "stop" : "go");
    while (!Files.exists(go)) {
      Thread.sleep(100);
    }
    for (String[] phase : phases) {
      runPhase(phase[0], Long.parseLong(phase[1]), Integer.parseInt(phase[2]));
    }
    loop.submit(() -> stopping = true).get();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).get();
    System.exit(0);
  }

  void runPhase(String name, long interval, int seconds) throws Exception {
    Stats phaseStats = new Stats();
    loop.execute(() -> {
      boolean first = intervalMs < 0;
      intervalMs = interval;
      stats = null;
      if (first) {
        // Spread the first announces over one interval (or one second), not all at once.
        long spread = interval == 0 ? 1000 : interval;
        for (Peer peer : peers) {
          long delay = 1 + ThreadLocalRandom.current().nextLong(spread);
          peer.nextAnnounceAt = System.currentTimeMillis() + delay;
          loop.schedule(peer::announce, delay, TimeUnit.MILLISECONDS);
        }
      }
    });
    Thread.sleep(SETTLE_SECONDS * 1000L);
    long start = System.nanoTime();
    loop.execute(() -> stats = phaseStats);
    Thread.sleep((seconds - SETTLE_SECONDS) * 1000L);
    loop.submit(() -> stats = null).get();
    double measured = (System.nanoTime() - start) / 1e9;
    Files.writeString(dir.resolve("phase-" + name + "-" + bind), String.format(Locale.ROOT,
        "%s %.3f %d %d %d %d %s %s%n", name, measured, phaseStats.offers, phaseStats.answers, phaseStats.replies,
        phaseStats.failures, phaseStats.offerLatency.encode(), phaseStats.answerLatency.encode()));
  }

  /** Per phase: the sums of every generator's counts, and the merged latencies. */
  static void report(List<String> dirs) throws IOException {
    Map<String, List<String[]>> byPhase = new TreeMap<>();
    for (String d : dirs) {
      try (var files = Files.list(Path.of(d))) {
        for (Path file : files.filter(f -> f.getFileName().toString().startsWith("phase-")).toList()) {
          String[] f = Files.readString(file).trim().split(" ", -1);
          byPhase.computeIfAbsent(f[0], k -> new ArrayList<>()).add(f);
        }
      }
    }
    for (Map.Entry<String, List<String[]>> entry : byPhase.entrySet()) {
      double seconds = 0;
      long offers = 0;
      long answers = 0;
      long replies = 0;
      long failures = 0;
      Histogram offerLatency = new Histogram();
      Histogram answerLatency = new Histogram();
      for (String[] f : entry.getValue()) {
        seconds += Double.parseDouble(f[1]);
        offers += Long.parseLong(f[2]);
        answers += Long.parseLong(f[3]);
        replies += Long.parseLong(f[4]);
        failures += Long.parseLong(f[5]);
        offerLatency.add(f.length > 6 ? f[6] : "");
        answerLatency.add(f.length > 7 ? f[7] : "");
      }
      seconds /= entry.getValue().size();
      System.out.printf(Locale.ROOT, "%s %.0f %.0f %.0f %d %.2f %.2f %.2f %.2f%n", entry.getKey(), offers / seconds,
          answers / seconds, replies / seconds, failures, offerLatency.percentile(0.5) / 1000,
          offerLatency.percentile(0.99) / 1000, answerLatency.percentile(0.5) / 1000,
          answerLatency.percentile(0.99) / 1000);
    }
  }
}
