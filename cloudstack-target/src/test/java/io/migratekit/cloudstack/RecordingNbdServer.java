package io.migratekit.cloudstack;

import java.util.ArrayList;
import java.util.List;

/** An {@link ApplianceNbdServer} for tests that notes what it was asked to serve. */
final class RecordingNbdServer implements ApplianceNbdServer {

    private final List<String> calls = new ArrayList<>();

    @Override
    public synchronized void export(String exportName, String devicePath) {
        calls.add("export " + exportName + " " + devicePath);
    }

    @Override
    public synchronized void unexport(String exportName) {
        calls.add("unexport " + exportName);
    }

    synchronized List<String> calls() {
        return List.copyOf(calls);
    }
}
