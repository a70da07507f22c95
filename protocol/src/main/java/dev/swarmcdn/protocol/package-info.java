/**
 * Wire formats shared by the origin, edges, tracker and peers, documented in docs/PROTOCOL.md.
 */
package dev.swarmcdn.protocol;
