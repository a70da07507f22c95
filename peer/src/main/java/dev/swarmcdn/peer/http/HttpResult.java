package dev.swarmcdn.peer.http;

/**
 * Segment bytes that came over HTTP.
 *
 * @param data         bytes from the offset asked for to the end
 * @param size         the whole segment's length
 * @param requestedAt  clock ms when the request went out
 * @param firstByteAt  ... when the answer's head came
 * @param endAt        ... when the last byte came
 */
public record HttpResult(byte[] data, long size, long requestedAt, long firstByteAt, long endAt) {
}
