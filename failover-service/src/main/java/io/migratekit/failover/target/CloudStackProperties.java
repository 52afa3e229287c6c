package io.migratekit.failover.target;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Which target platform failovers are built on and where the appliance exports volumes over NBD
 * (environment: {@code MIGRATEKIT_CLOUDSTACK_TARGET}, {@code MIGRATEKIT_CLOUDSTACK_NBD_HOST},
 * {@code MIGRATEKIT_CLOUDSTACK_NBD_PORT}) — the same settings job-service reads, since both drive the
 * same CloudStack.
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
