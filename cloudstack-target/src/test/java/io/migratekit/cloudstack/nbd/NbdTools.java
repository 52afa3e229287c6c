package io.migratekit.cloudstack.nbd;

import static org.assertj.core.api.Assertions.fail;

import com.jayway.jsonpath.JsonPath;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Debian's NBD tools as the tests' clients: nbdinfo lists exports, nbdcopy writes and reads them (as
 * the VMA does). A missing tool fails the test with what to install; it never skips it.
 */
public final class NbdTools {

    private static final long TIMEOUT_SECONDS = 60;

    private NbdTools() {
    }

    /** Fails unless nbdkit, nbdinfo and nbdcopy are on PATH. */
    public static void requireInstalled() {
        for (String tool : List.of("nbdkit", "nbdinfo", "nbdcopy")) {
            boolean found = false;
            for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                found |= !dir.isEmpty() && Files.isExecutable(Path.of(dir, tool));
            }
            if (!found) {
                fail(tool + " is not on PATH: these tests run a real NBD server and clients;"
                        + " install the Debian packages nbdkit and libnbd-bin");
            }
        }
    }

    /** Export name to size in bytes, as {@code nbdinfo --list} reports the server's exports. */
    public static Map<String, Long> list(int port) {
        String json = run("nbdinfo", "--list", "--json", "nbd://127.0.0.1:" + port);
        List<Map<String, Object>> exports = JsonPath.read(json, "$.exports");
        Map<String, Long> sizes = new LinkedHashMap<>();
        for (Map<String, Object> export : exports) {
            sizes.put((String) export.get("export-name"), ((Number) export.get("export-size")).longValue());
        }
        return sizes;
    }

    /** Copies with nbdcopy; either side may be a file or an NBD URL. */
    public static void copy(String from, String to) {
        run("nbdcopy", from, to);
    }

    public static String run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return fail(String.join(" ", command) + " did not finish");
            }
            if (process.exitValue() != 0) {
                return fail(String.join(" ", command) + " exited with " + process.exitValue() + ": " + output);
            }
            return output;
        } catch (IOException e) {
            return fail("cannot run " + String.join(" ", command) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted");
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            return fail("no free port: " + e.getMessage());
        }
    }
}
