package io.migratekit.vmasim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;

/**
 * The data half of the simulated copy engine (switched on by {@link SimulatorConfig#copyData()}):
 * at a disk's start it takes the blocks to copy from the disk's {@link DiskContent} (every
 * allocated block for a full copy, the blocks changed since the previous change id for an
 * incremental) and writes them over NBD to the target the replicate request named, then flushes.
 * When the disk's change id is made, it marks that id at the content's generation the copy read.
 *
 * <p>Owns the copy of one disk. It does not own its threads (the simulator's), the job's progress
 * figures or state (the {@link CopyEngine} waits for the returned future before it ends the disk)
 * nor the wire protocol ({@link NbdClient}).
 */
final class DataCopier {

    /** What a disk's copy wrote. */
    record Written(int blocks, long bytes) {
    }

    private static final Duration IO_TIMEOUT = Duration.ofSeconds(30);

    private final DiskContents contents;
    private final ExecutorService workers;

    /** {@code workers} run the copies (blocking I/O); the simulator owns and stops them. */
    DataCopier(DiskContents contents, ExecutorService workers) {
        this.contents = contents;
        this.workers = workers;
    }

    /**
     * Starts writing the disk's blocks; the disk's {@code dataCopy} completes with what was written
     * or with an {@link UncheckedIOException} saying why the target took nothing more.
     *
     * @throws DiskContent.UnknownChangeIdException for an incremental since a change id this disk never handed out
     */
    void begin(SimJob job, SimJob.Disk disk) throws DiskContent.UnknownChangeIdException {
        DiskContent content = contents.of(job.vm, disk.spec);
        DiskContent.Snapshot snapshot = content.snapshot(disk.previousChangeId);
        disk.dataGeneration = snapshot.generation();
        NbdTarget target = disk.target;
        disk.dataCopy = CompletableFuture.supplyAsync(() -> write(target, content.contentBytes(), disk.spec.id(), snapshot), workers);
    }

    /** Makes the disk's new change id stand for the content its copy read. */
    void mark(SimJob job, SimJob.Disk disk) {
        contents.of(job.vm, disk.spec).mark(disk.changeId, disk.dataGeneration);
    }

    /** The reason a finished copy failed, without the wrapping of the future. */
    static String reason(Throwable failure) {
        Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (t instanceof UncheckedIOException u && u.getCause() != null) {
            t = u.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }

    private static Written write(NbdTarget target, long contentBytes, String diskId, DiskContent.Snapshot snapshot) {
        try (NbdClient client = NbdClient.connect(target, IO_TIMEOUT)) {
            if (client.exportSize() < contentBytes) {
                throw new IOException("export " + target + " has " + client.exportSize() + " bytes, fewer than the "
                        + contentBytes + " bytes of " + diskId + "'s content");
            }
            int blocks = 0;
            long bytes = 0;
            for (DiskContent.Block block : snapshot.blocks()) {
                client.write(block.offset(), block.data());
                blocks++;
                bytes += block.data().length;
            }
            client.flush();
            return new Written(blocks, bytes);
        } catch (IOException e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new UncheckedIOException(message.startsWith("export ") ? e : new IOException("export " + target + ": " + message, e));
        }
    }
}
