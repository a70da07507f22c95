package dev.swarmcdn.peer.engine;

import java.util.List;

/** The start of a segment from peers (viewers or seeders), which a prefetch that gave up hands to the next job. */
record Partial(byte[] buffer, long size, long received, long p2pBytes, long seederBytes, List<Span> spans) {
}
