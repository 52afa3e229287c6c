package io.migratekit.cssim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The state file {@code <data>/state.json}: read at start, replaced atomically (write a temporary
 * file, then rename over) after every change, so a crash leaves either the old or the new state.
 * Owns the file only.
 */
final class StateFile {

    private final Path file;
    private final Path temp;

    StateFile(Path dataDir) {
        this.file = dataDir.resolve("state.json");
        this.temp = dataDir.resolve("state.json.tmp");
    }

    boolean exists() {
        return Files.exists(file);
    }

    CloudState read() {
        try {
            return Json.MAPPER.readValue(Files.readAllBytes(file), CloudState.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    void write(CloudState state) {
        try {
            Files.write(temp, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(state));
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
