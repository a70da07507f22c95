/**
 * The engine's {@link dev.swarmcdn.peer.swarm.SessionFactory} on webrtc-java (libwebrtc behind
 * JNI): {@link dev.swarmcdn.peer.rtc.RtcRuntime} holds a peer connection factory (the process's
 * shared one; a simulation of many viewers spreads them over several with
 * {@link dev.swarmcdn.peer.rtc.SpreadSessions}) and opens sessions; a session is one peer
 * connection and its data channel.
 *
 * <p>Threading: the engine calls sessions and channels on its clock's thread. libwebrtc calls
 * back on its own threads (signaling, network); each callback copies what it needs, hands it to
 * the clock and returns at once, and nothing thrown there may leave it (webrtc-java 0.14 aborts
 * the process on a Java exception pending after a callback).
 *
 * <p>Native memory: {@code PeerSession.close()} frees the channel and closes the connection at
 * once (sockets and ports go with it); {@code RtcRuntime.close()}, or the JVM's shutdown, closes
 * what is left and frees the factory and its threads.
 *
 * <p>Peers on one machine meet on its interface addresses: libwebrtc gathers no loopback
 * candidates, so a host with only {@code lo} never connects.
 */
package dev.swarmcdn.peer.rtc;
