package io.migratekit.intake.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which callers the callback listener's source rule lets in. */
class SourceAddressesTest {

    @Test
    void singleAddressesAndBlocksOfBothFamiliesMatchExactlyTheirMembers() {
        // given
        SourceAddresses sources = SourceAddresses.parse(List.of("10.0.5.7", " 192.168.10.0/23 ", "fd00:1::/32", ""));

        // when / then
        assertThat(sources.contains("10.0.5.7")).isTrue();
        assertThat(sources.contains("10.0.5.8")).isFalse();
        assertThat(sources.contains("192.168.11.254")).isTrue();
        assertThat(sources.contains("192.168.12.1")).isFalse();
        assertThat(sources.contains("::ffff:10.0.5.7")).isTrue();
        assertThat(sources.contains("fd00:1:ffff::5")).isTrue();
        assertThat(sources.contains("fd00:2::5")).isFalse();
        assertThat(sources.contains("not-an-address")).isFalse();
        assertThat(sources).hasToString("10.0.5.7, 192.168.10.0/23, fd00:1::/32");
    }

    @Test
    void aHostNameOrABadPrefixIsRefusedNamingTheEntry() {
        assertThatThrownBy(() -> SourceAddresses.parse(List.of("vma.example.test")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("callback source 'vma.example.test' is not an IP address or CIDR block");
        assertThatThrownBy(() -> SourceAddresses.parse(List.of("10.0.0.0/33")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("callback source '10.0.0.0/33' has a prefix length outside 0-32");
        assertThat(SourceAddresses.parse(List.of(" ")).isEmpty()).isTrue();
    }
}
