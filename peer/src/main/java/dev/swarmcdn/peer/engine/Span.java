package dev.swarmcdn.peer.engine;

/** Bytes {@code from} to {@code to} (exclusive) of a segment's buffer that peer {@code peer} sent. */
record Span(String peer, long from, long to) {
}
