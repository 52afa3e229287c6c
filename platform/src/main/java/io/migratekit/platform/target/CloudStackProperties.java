package io.migratekit.platform.target;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Which target platform job-service and failover-service drive (the same CloudStack, so the same
 * settings) and where the appliance exports volumes over NBD (environment:
 * {@code MIGRATEKIT_CLOUDSTACK_TARGET}, {@code MIGRATEKIT_CLOUDSTACK_NBD_HOST},
 * {@code MIGRATEKIT_CLOUDSTACK_NBD_PORT}). A real CloudStack implementation will read its API
 * endpoint and keys from here too; the simulated one needs none.
 */
@ConfigurationProperties("migratekit.cloudstack")
public class CloudStackProperties {

    /** The implementation: {@code simulated} (in memory) is the only one so far. */
    private String target = "simulated";
    /** The appliance's NBD server as the VMA reaches it. */
    private String nbdHost = "127.0.0.1";
    /** Its port. */
    private int nbdPort = 10809;

    public String getTarget() {
        return target;
    }

    public void setTarget(String target) {
        this.target = target;
    }

    public String getNbdHost() {
        return nbdHost;
    }

    public void setNbdHost(String nbdHost) {
        this.nbdHost = nbdHost;
    }

    public int getNbdPort() {
        return nbdPort;
    }

    public void setNbdPort(int nbdPort) {
        this.nbdPort = nbdPort;
    }
}
