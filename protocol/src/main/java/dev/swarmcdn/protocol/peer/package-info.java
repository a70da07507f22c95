/**
 * Binary frames peers exchange on a WebRTC data channel (docs/PROTOCOL.md, "Peer protocol"):
 * {@link dev.swarmcdn.protocol.peer.PeerFrame} records and {@link dev.swarmcdn.protocol.peer.PeerCodec}.
 * The browser player speaks the same bytes; both pass the shared vectors in
 * {@code src/test/resources/vectors/peer}.
 */
package dev.swarmcdn.protocol.peer;
