package io.migratekit.platform;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Asks the Kafka cluster whether it is reachable, with one short-lived admin client per call.
 * Owns no long-lived connection (the health endpoint is called rarely).
 */
public class KafkaProbe {

    private final Map<String, Object> adminConfig;

    public KafkaProbe(Map<String, Object> adminConfig) {
        this.adminConfig = adminConfig;
    }

    /** The number of live brokers; throws when the cluster does not answer within the timeout. */
    public int liveBrokers(Duration timeout) throws Exception {
        try (Admin admin = Admin.create(withTimeouts(timeout))) {
            return admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                    .nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).size();
        }
    }

    Map<String, Object> withTimeouts(Duration timeout) {
        var config = new java.util.HashMap<>(adminConfig);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        return config;
    }

    public String bootstrapServers() {
        Object servers = adminConfig.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
        return servers instanceof java.util.Collection<?> list
                ? String.join(",", list.stream().map(String::valueOf).toList())
                : String.valueOf(servers);
    }
}
