package dev.swarmcdn.edge.access.stun;

import java.util.Arrays;
import java.util.Random;

/**
 * Seeded stream of hostile datagrams: valid messages with bytes flipped, fields overwritten, cut
 * or extended, and plain noise. Mutating valid messages gets past the first checks, where a
 * parser's subtle bounds bugs live; pure noise rarely would.
 */
final class StunFuzz {

  static final int ROUNDS = 10_000;

  private final Random random;
  private final byte[][] seeds;

  StunFuzz(Random random) {
    this.random = random;
    byte[] id = StunDatagrams.transactionId(random);
    this.seeds = new byte[][] {
        StunDatagrams.bindingRequest(id),
        StunDatagrams.message(0x0001, id).fingerprint().build(),
        StunDatagrams.message(0x0001, id).attribute(0x8022, "fuzz client 1.0".getBytes())
            .attribute(0x0006, new byte[] {'u', 's', 'e', 'r', 'x'}).fingerprint().build(),
        StunDatagrams.message(0x0001, id).attribute(0x0003, new byte[4]).attribute(0xC057, new byte[3]).build(),
        StunDatagrams.message(0x0101, id).attribute(0x0020, new byte[8]).build(),
        StunDatagrams.message(0x0001, id).attribute(0x0008, new byte[20]).attribute(0x7777, new byte[2])
            .fingerprint().build(),
    };
  }

  byte[] next() {
    if (random.nextInt(10) == 0) {
      byte[] noise = new byte[random.nextInt(600)];
      random.nextBytes(noise);
      return noise;
    }
    byte[] datagram = seeds[random.nextInt(seeds.length)].clone();
    int mutations = 1 + random.nextInt(3);
    for (int i = 0; i < mutations; i++) {
      datagram = mutate(datagram);
    }
    return datagram;
  }

  private byte[] mutate(byte[] datagram) {
    switch (random.nextInt(6)) {
      case 0 -> { // flip one bit
        if (datagram.length > 0) {
          int at = random.nextInt(datagram.length);
          datagram[at] ^= (byte) (1 << random.nextInt(8));
        }
        return datagram;
      }
      case 1 -> { // overwrite a 16-bit field (lengths and types are 16-bit, 4-byte aligned)
        if (datagram.length >= 2) {
          int at = (random.nextInt(datagram.length / 2)) * 2;
          int value = random.nextBoolean() ? random.nextInt(0x10000) : random.nextInt(64);
          datagram[at] = (byte) (value >>> 8);
          if (at + 1 < datagram.length) {
            datagram[at + 1] = (byte) value;
          }
        }
        return datagram;
      }
      case 2 -> { // cut
        return Arrays.copyOf(datagram, random.nextInt(datagram.length + 1));
      }
      case 3 -> { // extend with noise, and sometimes fix the header length to match
        int extra = random.nextInt(40);
        byte[] longer = Arrays.copyOf(datagram, datagram.length + extra);
        for (int i = datagram.length; i < longer.length; i++) {
          longer[i] = (byte) random.nextInt(256);
        }
        if (random.nextBoolean() && longer.length >= 20) {
          int length = longer.length - 20;
          longer[2] = (byte) (length >>> 8);
          longer[3] = (byte) length;
        }
        return longer;
      }
      case 4 -> { // fix the header length to the datagram's size, right or not
        if (datagram.length >= 4) {
          int length = datagram.length - 20;
          datagram[2] = (byte) (length >>> 8);
          datagram[3] = (byte) length;
        }
        return datagram;
      }
      default -> { // random byte
        if (datagram.length > 0) {
          datagram[random.nextInt(datagram.length)] = (byte) random.nextInt(256);
        }
        return datagram;
      }
    }
  }
}
