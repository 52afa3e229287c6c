package io.migratekit.vmasim;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The bytes of one simulated disk and its changed-block log (CBT), so copies move real data.
 *
 * <p>The content area is the first {@code contentBytes} of the disk (a few MiB; the declared
 * capacity stays what discovery and progress report), cut into {@link #BLOCK_SIZE} blocks. The
 * initial content is generated from the (VM id, disk key) pair: the same disk has the same bytes in
 * every simulator, and about a quarter of its blocks are unallocated (zeros, never copied). Only
 * blocks written later are kept in memory. Every write bumps a generation counter; a change id is
 * a mark on that counter, and an incremental since a change id copies the blocks written after
 * its mark.
 *
 * <p>Owns the content, the write generations and the change-id marks. It does not own where the
 * bytes go (the {@link DataCopier}) nor which change id a copy ends with ({@link ChangeIds}).
 * Thread-safe: every method holds the instance's monitor.
 */
final class DiskContent {

    /** The copy granularity, as changed-block tracking reports areas. */
    static final int BLOCK_SIZE = 64 * 1024;

    /** One block to copy: its index, its byte offset on the disk and its bytes. */
    record Block(int index, long offset, byte[] data) {
    }

    /** What a copy writes: the blocks and the write generation they were read at. */
    record Snapshot(long generation, List<Block> blocks) {
    }

    /** A copy was asked for the blocks changed since a change id this disk never handed out. */
    static final class UnknownChangeIdException extends Exception {
        UnknownChangeIdException(String changeId) {
            super("change id '" + changeId + "' is not known for this disk", null, false, false);
        }
    }

    private final long seed;
    private final long contentBytes;
    private final int blockCount;
    private final Map<Integer, byte[]> written = new HashMap<>();
    private final Map<Integer, Long> writtenAt = new HashMap<>();
    private final Map<String, Long> marks = new HashMap<>();
    private long generation;

    DiskContent(String vmId, int diskKey, long contentBytes) {
        if (contentBytes < 0) {
            throw new IllegalArgumentException("content size must not be negative");
        }
        UUID u = UUID.nameUUIDFromBytes(("content:" + vmId + ":" + diskKey).getBytes(StandardCharsets.UTF_8));
        this.seed = u.getMostSignificantBits() ^ u.getLeastSignificantBits();
        this.contentBytes = contentBytes;
        this.blockCount = (int) ((contentBytes + BLOCK_SIZE - 1) / BLOCK_SIZE);
    }

    long contentBytes() {
        return contentBytes;
    }

    int blockCount() {
        return blockCount;
    }

    synchronized int allocatedBlocks() {
        int n = 0;
        for (int i = 0; i < blockCount; i++) {
            if (allocated(i)) {
                n++;
            }
        }
        return n;
    }

    /**
     * Writes {@code data} at {@code offset}; every block it touches becomes allocated and changed.
     * Returns the indexes of the touched blocks.
     */
    synchronized List<Integer> write(long offset, byte[] data) {
        if (data.length == 0) {
            throw new IllegalArgumentException("no bytes to write");
        }
        if (offset < 0 || offset + data.length > contentBytes) {
            throw new IllegalArgumentException("bytes " + offset + ".." + (offset + data.length)
                    + " are outside the content area of " + contentBytes + " bytes");
        }
        generation++;
        List<Integer> touched = new ArrayList<>();
        int done = 0;
        while (done < data.length) {
            long at = offset + done;
            int index = (int) (at / BLOCK_SIZE);
            int within = (int) (at % BLOCK_SIZE);
            byte[] block = blockForWrite(index);
            int n = Math.min(block.length - within, data.length - done);
            System.arraycopy(data, done, block, within, n);
            writtenAt.put(index, generation);
            touched.add(index);
            done += n;
        }
        return touched;
    }

    /** Overwrites {@code count} distinct whole blocks, chosen by {@code seed}, with random bytes. */
    synchronized List<Integer> writeRandomBlocks(int count, long seed) {
        if (count < 1 || count > blockCount) {
            throw new IllegalArgumentException("random_blocks must be within 1.." + blockCount + " for this disk");
        }
        Random random = new Random(seed);
        TreeSet<Integer> chosen = new TreeSet<>();
        while (chosen.size() < count) {
            chosen.add(random.nextInt(blockCount));
        }
        for (int index : chosen) {
            byte[] bytes = new byte[blockLength(index)];
            random.nextBytes(bytes);
            write((long) index * BLOCK_SIZE, bytes);
        }
        return List.copyOf(chosen);
    }

    /**
     * The blocks a copy writes: every allocated block when {@code sinceChangeId} is empty (a full
     * copy), else the blocks written after that change id's mark.
     */
    synchronized Snapshot snapshot(String sinceChangeId) throws UnknownChangeIdException {
        boolean full = sinceChangeId == null || sinceChangeId.isEmpty();
        long since = -1;
        if (!full) {
            Long mark = marks.get(sinceChangeId);
            if (mark == null) {
                throw new UnknownChangeIdException(sinceChangeId);
            }
            since = mark;
        }
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < blockCount; i++) {
            boolean take = full ? allocated(i) : writtenAt.getOrDefault(i, 0L) > since;
            if (take) {
                blocks.add(new Block(i, (long) i * BLOCK_SIZE, read(i)));
            }
        }
        return new Snapshot(generation, List.copyOf(blocks));
    }

    /** Records that {@code changeId} stands for the content at {@code atGeneration}. */
    synchronized void mark(String changeId, long atGeneration) {
        marks.put(changeId, atGeneration);
    }

    /** SHA-256 of the whole content area, unallocated blocks as zeros. */
    synchronized byte[] sha256() {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
        for (int i = 0; i < blockCount; i++) {
            digest.update(read(i));
        }
        return digest.digest();
    }

    int blockLength(int index) {
        return (int) Math.min(BLOCK_SIZE, contentBytes - (long) index * BLOCK_SIZE);
    }

    private boolean allocated(int index) {
        return written.containsKey(index) || initiallyAllocated(index);
    }

    /** Block 0 always, the others three times in four. */
    private boolean initiallyAllocated(int index) {
        return index == 0 || Math.floorMod(mix(seed ^ (index * 0x9E3779B97F4A7C15L)), 4) != 0;
    }

    /** A copy of the block's bytes (zeros when unallocated). */
    private byte[] read(int index) {
        byte[] own = written.get(index);
        if (own != null) {
            return own.clone();
        }
        byte[] bytes = new byte[blockLength(index)];
        if (initiallyAllocated(index)) {
            new SplittableRandom(mix(seed + index)).nextBytes(bytes);
        }
        return bytes;
    }

    private byte[] blockForWrite(int index) {
        byte[] own = written.get(index);
        if (own == null) {
            own = read(index);
            written.put(index, own);
        }
        return own;
    }

    /** A 64-bit finaliser (the MurmurHash3 one) so neighbouring indexes get unrelated bits. */
    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }
}
