package io.migratekit.vmasim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/** A simulated disk's bytes and changed-block log, as plain Java. */
class DiskContentTest {

    private static final int BLOCK = DiskContent.BLOCK_SIZE;
    private static final long MIB = 1024L * 1024;

    @Test
    void theSameDiskHasTheSameContentEverywhereAndDifferentDisksDiffer() throws Exception {
        DiskContent one = new DiskContent("vm-a", 2000, MIB);
        DiskContent again = new DiskContent("vm-a", 2000, MIB);
        DiskContent otherDisk = new DiskContent("vm-a", 2001, MIB);

        assertThat(one.sha256()).isEqualTo(again.sha256());
        assertThat(one.sha256()).isNotEqualTo(otherDisk.sha256());
        assertThat(one.blockCount()).isEqualTo(16);
        DiskContent.Snapshot full = one.snapshot("");
        assertThat(full.blocks()).hasSize(one.allocatedBlocks());
        assertThat(one.allocatedBlocks()).isBetween(2, 15);
        assertThat(full.blocks().get(0).index()).as("block 0 is always allocated").isZero();
        assertThat(full.blocks()).allSatisfy(b -> assertThat(b.offset()).isEqualTo((long) b.index() * BLOCK));
        assertThat(full.generation()).isZero();
    }

    @Test
    void anIncrementalHoldsExactlyTheBlocksWrittenAfterTheChangeIdsMark() throws Exception {
        DiskContent disk = new DiskContent("vm-b", 2000, MIB);
        DiskContent.Snapshot first = disk.snapshot("");
        disk.mark("cid/1", first.generation());

        assertThat(disk.write(3L * BLOCK + 5, new byte[] {1, 2, 3})).containsExactly(3);
        assertThat(disk.write(8L * BLOCK - 1, new byte[] {9, 9})).containsExactly(7, 8);
        DiskContent.Snapshot second = disk.snapshot("cid/1");

        assertThat(second.blocks()).extracting(DiskContent.Block::index).containsExactly(3, 7, 8);
        assertThat(second.blocks()).allSatisfy(b -> assertThat(b.data()).hasSize(BLOCK));
        assertThat(second.blocks().get(0).data()[5]).isEqualTo((byte) 1);
        assertThat(second.blocks().get(2).data()[0]).isEqualTo((byte) 9);
        disk.mark("cid/2", second.generation());
        assertThat(disk.snapshot("cid/2").blocks()).isEmpty();
        assertThat(disk.snapshot("cid/1").blocks()).as("an older change id still works").hasSize(3);
    }

    @Test
    void aWriteDuringACopyBelongsToTheNextIncremental() throws Exception {
        DiskContent disk = new DiskContent("vm-c", 2000, MIB);
        DiskContent.Snapshot copying = disk.snapshot("");
        disk.write(2L * BLOCK, new byte[] {7});
        disk.mark("cid/1", copying.generation());

        assertThat(disk.snapshot("cid/1").blocks()).extracting(DiskContent.Block::index).containsExactly(2);
    }

    @Test
    void anUnknownChangeIdIsRefused() {
        DiskContent disk = new DiskContent("vm-d", 2000, MIB);
        disk.mark("cid/1", 0);

        assertThatThrownBy(() -> disk.snapshot("cid/9"))
                .isInstanceOf(DiskContent.UnknownChangeIdException.class)
                .hasMessage("change id 'cid/9' is not known for this disk");
    }

    @Test
    void writesOutsideTheContentAreaOrEmptyAreRefusedAndChangeNothing() throws Exception {
        DiskContent disk = new DiskContent("vm-e", 2000, MIB);
        byte[] before = disk.sha256();

        assertThatThrownBy(() -> disk.write(MIB - 1, new byte[2]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bytes 1048575..1048577 are outside the content area of 1048576 bytes");
        assertThatThrownBy(() -> disk.write(-1, new byte[1])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> disk.write(0, new byte[0])).hasMessage("no bytes to write");
        assertThatThrownBy(() -> disk.writeRandomBlocks(17, 1)).hasMessage("random_blocks must be within 1..16 for this disk");
        assertThat(disk.sha256()).isEqualTo(before);
    }

    @Test
    void randomBlocksAreDistinctWholeBlocksChosenBySeed() throws Exception {
        DiskContent a = new DiskContent("vm-f", 2000, MIB);
        DiskContent b = new DiskContent("vm-f", 2000, MIB);
        a.mark("cid/1", 0);

        List<Integer> chosen = a.writeRandomBlocks(5, 42);

        assertThat(chosen).hasSize(5).doesNotHaveDuplicates().isSorted();
        assertThat(b.writeRandomBlocks(5, 42)).isEqualTo(chosen);
        assertThat(a.sha256()).isEqualTo(b.sha256());
        assertThat(a.snapshot("cid/1").blocks()).extracting(DiskContent.Block::index).containsExactlyElementsOf(chosen);
    }

    @Test
    void aContentAreaThatIsNotAWholeNumberOfBlocksEndsWithAShortBlock() throws Exception {
        DiskContent disk = new DiskContent("vm-g", 2000, BLOCK + 100);
        disk.write(BLOCK + 99, new byte[] {1});

        DiskContent.Snapshot full = disk.snapshot("");

        assertThat(disk.blockCount()).isEqualTo(2);
        assertThat(full.blocks()).extracting(b -> b.data().length).containsExactly(BLOCK, 100);
        byte[] all = Arrays.copyOf(full.blocks().get(0).data(), BLOCK + 100);
        System.arraycopy(full.blocks().get(1).data(), 0, all, BLOCK, 100);
        assertThat(disk.sha256()).isEqualTo(java.security.MessageDigest.getInstance("SHA-256").digest(all));
    }
}
