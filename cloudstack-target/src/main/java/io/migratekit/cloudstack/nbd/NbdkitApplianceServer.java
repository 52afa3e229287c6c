package io.migratekit.cloudstack.nbd;

import io.migratekit.cloudstack.ApplianceNbdServer;
import io.migratekit.cloudstack.NbdExport;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The {@link ApplianceNbdServer} port on the appliance's real NBD server, {@link NbdExportServer}:
 * translates the port's export names ({@code migration-vol-<volume id>}) back to volume ids and
 * checks that the device the platform names is the one the server will link. Owns that translation
 * only; the server's lifetime (start, close) stays with whoever created it.
 */
public final class NbdkitApplianceServer implements ApplianceNbdServer {

    private static final String PREFIX = NbdExport.exportName("");

    private final NbdExportServer server;

    public NbdkitApplianceServer(NbdExportServer server) {
        this.server = Objects.requireNonNull(server, "server");
    }

    @Override
    public void export(String exportName, String devicePath) {
        String volumeId = volumeId(exportName);
        String device = Path.of(devicePath).getFileName().toString();
        if (!device.equals(VolumeDevices.deviceName(volumeId))) {
            throw new IllegalArgumentException("export " + exportName + " must serve device "
                    + VolumeDevices.deviceName(volumeId) + ", not " + devicePath);
        }
        server.export(volumeId);
    }

    @Override
    public void unexport(String exportName) {
        server.unexport(volumeId(exportName));
    }

    private static String volumeId(String exportName) {
        if (exportName == null || !exportName.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not a migration volume export (" + PREFIX + "<volume id>): "
                    + exportName);
        }
        return VolumeDevices.requireVolumeId(exportName.substring(PREFIX.length()));
    }
}
