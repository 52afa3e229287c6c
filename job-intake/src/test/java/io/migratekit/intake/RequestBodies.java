package io.migratekit.intake;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import tools.jackson.databind.json.JsonMapper;

/**
 * Generators of request bodies for the fuzz tests. A body is the canonical shape whose fields are
 * each a valid value or — with a chosen odds — absent, a wrong value of the right type (overlong,
 * control characters, out of range, unknown enum), or any JSON value (wrong type, huge numbers,
 * nesting); sometimes it is then broken as text, sometimes it is plain random text. The mix gives
 * both accepted and refused bodies.
 */
public final class RequestBodies {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private RequestBodies() {
    }

    public static Arbitrary<String> bodies() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, requests(0).map(RequestBodies::write)),
                Tuple.of(5, requests(3).map(RequestBodies::write)),
                Tuple.of(2, requests(25).map(RequestBodies::write)),
                Tuple.of(2, requests(3).map(RequestBodies::write).flatMap(RequestBodies::mangle)),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(300)));
    }

    /** A field: its valid values and its invalid ones of the right JSON type. */
    private record Field(Arbitrary<Object> good, Arbitrary<Object> bad) {
    }

    static Arbitrary<Map<String, Object>> requests(int badPercent) {
        Map<String, Field> fields = new LinkedHashMap<>();
        fields.put("source_vm", new Field(sourceVms(badPercent), Arbitraries.just(Map.of())));
        fields.put("ossea_config_id", new Field(longs(0, 10), longs(-5, -1)));
        fields.put("replication_type", new Field(Arbitraries.of("initial", "incremental", "").map(v -> (Object) v),
                Arbitraries.of("full", "INITIAL", "Incremental ").map(v -> (Object) v)));
        fields.put("target_network", text(255));
        fields.put("vcenter_host", text(255));
        fields.put("datacenter", text(255));
        fields.put("change_id", text(512));
        fields.put("previous_change_id", text(512));
        fields.put("snapshot_id", text(255));
        fields.put("start_replication", new Field(Arbitraries.of(true, false).map(v -> (Object) v),
                Arbitraries.of("true", "1").map(v -> (Object) v)));
        fields.put("schedule_execution_id", text(128));
        fields.put("vm_group_id", text(128));
        fields.put("scheduled_by", text(128));
        return object(fields, badPercent);
    }

    static Arbitrary<Object> sourceVms(int badPercent) {
        Map<String, Field> fields = new LinkedHashMap<>();
        fields.put("id", new Field(Arbitraries.strings().alpha().numeric().withChars('-').ofMinLength(1).ofMaxLength(64)
                .map(v -> (Object) v), Arbitraries.of("", "  ", "x".repeat(65)).map(v -> (Object) v)));
        fields.put("name", new Field(Arbitraries.strings().alpha().numeric().withChars('-', '_', ' ').ofMinLength(1)
                .ofMaxLength(40).filter(v -> !v.isBlank()).map(v -> (Object) v), bad(255)));
        fields.put("path", new Field(Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(40)
                .map(v -> (Object) ("/DC1/vm/" + v)), bad(1024)));
        fields.put("vm_id", text(64));
        fields.put("vm_name", text(255));
        fields.put("vm_path", text(1024));
        fields.put("datacenter", text(255));
        fields.put("vcenter_host", text(255));
        fields.put("cpus", new Field(longs(0, 4096), longs(4097, Integer.MAX_VALUE + 10L)));
        fields.put("memory_mb", new Field(longs(0, 1L << 40), longs(Long.MIN_VALUE, -1)));
        fields.put("power_state", text(64));
        fields.put("os_type", text(64));
        fields.put("vmx_version", text(64));
        fields.put("disks", new Field(disks(badPercent).list().ofMaxSize(3).map(v -> (Object) v),
                Arbitraries.just(List.of(1, 2))));
        fields.put("networks", new Field(networks(badPercent).list().ofMaxSize(3).map(v -> (Object) v),
                Arbitraries.just(List.of("eth0"))));
        return object(fields, badPercent).map(v -> (Object) v);
    }

    static Arbitrary<Object> disks(int badPercent) {
        Map<String, Field> fields = new LinkedHashMap<>();
        fields.put("id", text(64));
        fields.put("label", text(255));
        fields.put("vmdk_path", text(1024));
        fields.put("size_gb", new Field(longs(0, 100_000), longs(-10, -1)));
        fields.put("capacity_bytes", new Field(longs(0, Long.MAX_VALUE), longs(Long.MIN_VALUE, -1)));
        fields.put("datastore", text(255));
        fields.put("provisioning_type", text(64));
        fields.put("unit_number", new Field(longs(0, 1024), longs(1025, 5000)));
        return object(fields, badPercent).map(v -> (Object) v);
    }

    static Arbitrary<Object> networks(int badPercent) {
        Map<String, Field> fields = new LinkedHashMap<>();
        fields.put("label", text(255));
        fields.put("network_name", text(255));
        fields.put("adapter_type", text(64));
        fields.put("mac_address", text(64));
        fields.put("connected", new Field(Arbitraries.of(true, false).map(v -> (Object) v),
                Arbitraries.just("yes")));
        return object(fields, badPercent).map(v -> (Object) v);
    }

    /** Each field valid, or with {@code badPercent} odds absent, invalid or any JSON value. */
    private static Arbitrary<Map<String, Object>> object(Map<String, Field> fields, int badPercent) {
        List<Arbitrary<Optional<Object[]>>> entries = new ArrayList<>();
        for (Map.Entry<String, Field> field : fields.entrySet()) {
            String name = field.getKey();
            Arbitrary<Optional<Object[]>> good = field.getValue().good().map(v -> Optional.of(new Object[] {name, v}));
            if (badPercent == 0) {
                entries.add(good);
                continue;
            }
            entries.add(Arbitraries.frequencyOf(
                    Tuple.of(300 - 3 * badPercent, good),
                    Tuple.of(badPercent, Arbitraries.just(Optional.<Object[]>empty())),
                    Tuple.of(badPercent, field.getValue().bad().map(v -> Optional.of(new Object[] {name, v}))),
                    Tuple.of(badPercent, anyValue(2).map(v -> Optional.of(new Object[] {name, v})))));
        }
        return Combinators.combine(entries).as(list -> {
            Map<String, Object> object = new LinkedHashMap<>();
            list.forEach(entry -> entry.ifPresent(pair -> object.put((String) pair[0], pair[1])));
            return object;
        });
    }

    private static Field text(int maxLength) {
        return new Field(Arbitraries.strings().alpha().numeric().withChars(' ', '/', '-', '.', '[', ']', '_')
                .ofMaxLength(Math.min(maxLength, 40)).map(v -> (Object) v), bad(maxLength));
    }

    private static Arbitrary<Object> bad(int maxLength) {
        return Arbitraries.oneOf(
                Arbitraries.strings().withCharRange('\u0000', '\u001f').ofMinLength(1).ofMaxLength(5),
                Arbitraries.strings().alpha().ofLength(maxLength + 1),
                Arbitraries.strings().withCharRange('\ud800', '\udfff').ofMinLength(1).ofMaxLength(3),
                Arbitraries.strings().ofMinLength(1).ofMaxLength(30)).map(v -> (Object) v);
    }

    private static Arbitrary<Object> longs(long min, long max) {
        return Arbitraries.longs().between(min, max).map(v -> (Object) v);
    }

    /** Any JSON value, nested up to {@code depth}. */
    static Arbitrary<Object> anyValue(int depth) {
        List<Arbitrary<Object>> leaves = List.of(
                Arbitraries.strings().ofMaxLength(20).map(v -> (Object) v),
                Arbitraries.longs().map(v -> (Object) v),
                Arbitraries.bigIntegers().between(BigInteger.TWO.pow(70), BigInteger.TWO.pow(80)).map(v -> (Object) v),
                Arbitraries.doubles().map(v -> (Object) v),
                Arbitraries.of(true, false).map(v -> (Object) v),
                Arbitraries.just(null));
        if (depth <= 0) {
            return Arbitraries.oneOf(leaves);
        }
        List<Arbitrary<Object>> all = new ArrayList<>(leaves);
        all.add(anyValue(depth - 1).list().ofMaxSize(3).map(v -> (Object) v));
        all.add(Arbitraries.maps(Arbitraries.strings().alpha().ofMaxLength(8), anyValue(depth - 1)).ofMaxSize(3)
                .map(v -> (Object) v));
        return Arbitraries.oneOf(all);
    }

    private static Arbitrary<String> mangle(String text) {
        if (text.isEmpty()) {
            return Arbitraries.just(text);
        }
        Arbitrary<Integer> at = Arbitraries.integers().between(0, text.length() - 1);
        return Arbitraries.oneOf(
                at.map(i -> text.substring(0, i)),
                Combinators.combine(at, Arbitraries.chars()).as((i, c) -> text.substring(0, i) + c + text.substring(i)),
                at.map(i -> text.substring(0, i) + text.substring(i + 1)),
                Arbitraries.just(text + text));
    }

    private static String write(Object value) {
        return JSON.writeValueAsString(value);
    }
}
