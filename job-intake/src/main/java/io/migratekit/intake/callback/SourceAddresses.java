package io.migratekit.intake.callback;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The source addresses the callback listener accepts: single addresses or CIDR blocks, IPv4 or
 * IPv6, given as literals (never host names, so no lookup decides who may call). Parses and matches;
 * knows nothing of HTTP.
 */
public final class SourceAddresses {

    private record Block(byte[] network, int prefixBits) {
    }

    private final List<Block> blocks;
    private final List<String> configured;

    private SourceAddresses(List<Block> blocks, List<String> configured) {
        this.blocks = blocks;
        this.configured = configured;
    }

    /**
     * @param entries e.g. {@code 10.0.5.7}, {@code 10.0.5.0/24}, {@code ::1}
     * @throws IllegalArgumentException naming the entry that is not an address or block literal
     */
    public static SourceAddresses parse(List<String> entries) {
        List<Block> blocks = new ArrayList<>();
        List<String> configured = new ArrayList<>();
        for (String raw : entries) {
            String entry = raw == null ? "" : raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            int slash = entry.indexOf('/');
            String address = slash < 0 ? entry : entry.substring(0, slash);
            byte[] network = literal(address, raw);
            int maxBits = network.length * 8;
            int bits = maxBits;
            if (slash >= 0) {
                try {
                    bits = Integer.parseInt(entry.substring(slash + 1));
                } catch (NumberFormatException e) {
                    bits = -1;
                }
                if (bits < 0 || bits > maxBits) {
                    throw new IllegalArgumentException("callback source '" + raw + "' has a prefix length outside 0-"
                            + maxBits);
                }
            }
            blocks.add(new Block(network, bits));
            configured.add(entry);
        }
        return new SourceAddresses(List.copyOf(blocks), List.copyOf(configured));
    }

    public boolean isEmpty() {
        return blocks.isEmpty();
    }

    /** Whether a remote address (as the servlet container reports it) is in one of the blocks. */
    public boolean contains(String remoteAddress) {
        byte[] address;
        try {
            address = literal(remoteAddress, remoteAddress);
        } catch (IllegalArgumentException e) {
            return false;
        }
        for (Block block : blocks) {
            if (block.network().length == address.length && samePrefix(block.network(), address, block.prefixBits())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return String.join(", ", configured);
    }

    private static boolean samePrefix(byte[] a, byte[] b, int bits) {
        int whole = bits / 8;
        for (int i = 0; i < whole; i++) {
            if (a[i] != b[i]) {
                return false;
            }
        }
        int rest = bits % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (a[whole] & mask) == (b[whole] & mask);
    }

    /** The bytes of an IP literal; a host name is refused before any lookup could happen. */
    private static byte[] literal(String address, String raw) {
        String bare = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1)
                : address;
        int zone = bare.indexOf('%');
        if (zone >= 0) {
            bare = bare.substring(0, zone);
        }
        boolean ipv4 = bare.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
        boolean ipv6 = bare.contains(":") && bare.matches("[0-9A-Fa-f:.]+");
        if (!ipv4 && !ipv6) {
            throw new IllegalArgumentException("callback source '" + raw + "' is not an IP address or CIDR block");
        }
        try {
            return ipv4MappedToIpv4(InetAddress.getByName(bare).getAddress());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("callback source '" + raw + "' is not an IP address or CIDR block");
        }
    }

    /** {@code ::ffff:a.b.c.d} is the IPv4 address a.b.c.d (a dual-stack socket reports it so). */
    private static byte[] ipv4MappedToIpv4(byte[] bytes) {
        if (bytes.length != 16) {
            return bytes;
        }
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return bytes;
            }
        }
        if (bytes[10] != (byte) 0xFF || bytes[11] != (byte) 0xFF) {
            return bytes;
        }
        return new byte[] {bytes[12], bytes[13], bytes[14], bytes[15]};
    }
}
